package main

import (
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// cat [FILE...]: the files, or stdin, to stdout.
func cat(std stdio, args []string) int {
	if len(args) == 0 {
		args = []string{"-"}
	}
	status := 0
	for _, name := range args {
		if name == "-" {
			if _, err := io.Copy(std.out, std.in); err != nil {
				fmt.Fprintf(std.err, "cat: %v\n", err)
				status = 1
			}
			continue
		}
		file, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(std.err, "cat: %v\n", err)
			status = 1
			continue
		}
		_, err = io.Copy(std.out, file)
		file.Close()
		if err != nil {
			fmt.Fprintf(std.err, "cat: %s: %v\n", name, err)
			status = 1
		}
	}
	return status
}

// seq [FIRST [INCREMENT]] LAST: integers, one per line.
func seq(std stdio, args []string) int {
	numbers := make([]int, 0, 3)
	for _, arg := range args {
		n, err := strconv.Atoi(arg)
		if err != nil {
			fmt.Fprintf(std.err, "seq: not an integer: %q\n", arg)
			return 1
		}
		numbers = append(numbers, n)
	}
	first, step, last := 1, 1, 0
	switch len(numbers) {
	case 1:
		last = numbers[0]
	case 2:
		first, last = numbers[0], numbers[1]
	case 3:
		first, step, last = numbers[0], numbers[1], numbers[2]
	default:
		fmt.Fprintln(std.err, "usage: seq [FIRST [INCREMENT]] LAST")
		return 1
	}
	if step == 0 {
		fmt.Fprintln(std.err, "seq: the increment must not be 0")
		return 1
	}
	var b strings.Builder
	for n := first; (step > 0 && n <= last) || (step < 0 && n >= last); n += step {
		b.WriteString(strconv.Itoa(n))
		b.WriteByte('\n')
	}
	fmt.Fprint(std.out, b.String())
	return 0
}

// sleep SECONDS...: fractions, an s/m/h/d suffix and "infinity" as GNU sleep takes them.
func sleep(std stdio, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(std.err, "usage: sleep SECONDS")
		return 1
	}
	var total time.Duration
	for _, arg := range args {
		if arg == "infinity" || arg == "inf" {
			total = time.Duration(math.MaxInt64)
			break
		}
		unit := time.Second
		number := arg
		switch {
		case strings.HasSuffix(arg, "s"):
			number = strings.TrimSuffix(arg, "s")
		case strings.HasSuffix(arg, "m"):
			number, unit = strings.TrimSuffix(arg, "m"), time.Minute
		case strings.HasSuffix(arg, "h"):
			number, unit = strings.TrimSuffix(arg, "h"), time.Hour
		case strings.HasSuffix(arg, "d"):
			number, unit = strings.TrimSuffix(arg, "d"), 24*time.Hour
		}
		seconds, err := strconv.ParseFloat(number, 64)
		if err != nil || seconds < 0 {
			fmt.Fprintf(std.err, "sleep: invalid time interval %q\n", arg)
			return 1
		}
		total += time.Duration(seconds * float64(unit))
	}
	time.Sleep(total)
	return 0
}

// hostname [-i]: the host name, or with -i its addresses.
func hostname(std stdio, args []string) int {
	name, err := os.Hostname()
	if err != nil {
		fmt.Fprintf(std.err, "hostname: %v\n", err)
		return 1
	}
	if len(args) == 1 && (args[0] == "-i" || args[0] == "-I") {
		addresses, err := net.LookupHost(name)
		if err != nil {
			fmt.Fprintf(std.err, "hostname: %v\n", err)
			return 1
		}
		fmt.Fprintln(std.out, strings.Join(addresses, " "))
		return 0
	}
	if len(args) > 0 {
		fmt.Fprintln(std.err, "usage: hostname [-i]")
		return 1
	}
	fmt.Fprintln(std.out, name)
	return 0
}
