package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// nc [-v] [-t|-u] [-z] [-w SECONDS] HOST PORT: sends stdin, prints what comes back (OpenBSD netcat's
// client mode, the options the tests use).
func nc(std stdio, args []string) int {
	verbose, udp, scan := false, false, false
	timeout := time.Duration(0)
	var operands []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "-") || len(arg) == 1 {
			operands = append(operands, arg)
			continue
		}
		for j := 1; j < len(arg); j++ {
			switch arg[j] {
			case 'v':
				verbose = true
			case 't':
			case 'u':
				udp = true
			case 'z':
				scan = true
			case 'n':
			case 'w':
				value := arg[j+1:]
				if value == "" {
					if i+1 >= len(args) {
						fmt.Fprintln(std.err, "nc: -w needs seconds")
						return 1
					}
					i++
					value = args[i]
				}
				seconds, err := strconv.Atoi(value)
				if err != nil {
					fmt.Fprintf(std.err, "nc: -w: not a number of seconds: %q\n", value)
					return 1
				}
				timeout = time.Duration(seconds) * time.Second
				j = len(arg)
			default:
				fmt.Fprintf(std.err, "nc: unsupported option -%c\n", arg[j])
				return 1
			}
		}
	}
	if len(operands) != 2 {
		fmt.Fprintln(std.err, "usage: nc [-v] [-t|-u] [-z] [-w SECONDS] HOST PORT")
		return 1
	}
	network := "tcp"
	if udp {
		network = "udp"
	}
	address := net.JoinHostPort(operands[0], operands[1])
	conn, err := net.DialTimeout(network, address, orDefault(timeout, time.Minute))
	if err != nil {
		if verbose {
			fmt.Fprintf(std.err, "nc: connect to %s port %s (%s) failed: %v\n", operands[0], operands[1], network, err)
		}
		return 1
	}
	defer conn.Close()
	if verbose {
		fmt.Fprintf(std.err, "Connection to %s %s port [%s/*] succeeded!\n", operands[0], operands[1], network)
	}
	if scan {
		return 0
	}
	input, _ := io.ReadAll(std.in)
	if _, err := conn.Write(input); err != nil {
		fmt.Fprintf(std.err, "nc: %v\n", err)
		return 1
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.CloseWrite()
	}
	// -w bounds the wait for an answer; without it, TCP waits for the peer to close and UDP for 1 s of quiet.
	idle := orDefault(timeout, map[bool]time.Duration{true: time.Second, false: 24 * time.Hour}[udp])
	buffer := make([]byte, 64*1024)
	for {
		_ = conn.SetReadDeadline(time.Now().Add(idle))
		n, err := conn.Read(buffer)
		if n > 0 {
			_, _ = std.out.Write(buffer[:n])
		}
		if err != nil {
			var timedOut net.Error
			if errors.Is(err, io.EOF) || (errors.As(err, &timedOut) && timedOut.Timeout()) {
				return 0
			}
			if udp {
				// ICMP port unreachable: OpenBSD netcat says nothing and fails.
				return 1
			}
			fmt.Fprintf(std.err, "nc: %v\n", err)
			return 1
		}
	}
}

func orDefault(d, fallback time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return fallback
}

// curl [-q] [-s] [-g] [-i] [-L] [-o FILE] [-w '%{http_code}'] [--connect-timeout S] [--max-time S|-m S]
// [--interface ADDRESS] URL: one GET; exit 7 when it cannot connect, 28 on a timeout, else 0 (no -f).
func curl(std stdio, args []string) int {
	var url, output, format, bind string
	include, follow := false, false
	connectTimeout, maxTime := 0.0, 0.0
	for i := 0; i < len(args); i++ {
		arg := args[i]
		value := func() (string, bool) {
			if i+1 >= len(args) {
				fmt.Fprintf(std.err, "curl: option %s needs a value\n", arg)
				return "", false
			}
			i++
			return args[i], true
		}
		seconds := func() (float64, bool) {
			v, ok := value()
			if !ok {
				return 0, false
			}
			s, err := strconv.ParseFloat(v, 64)
			if err != nil {
				fmt.Fprintf(std.err, "curl: option %s: not a number of seconds: %q\n", arg, v)
				return 0, false
			}
			return s, true
		}
		ok := true
		switch arg {
		case "-q", "-s", "--silent", "-g", "--globoff", "-S", "--show-error", "-k", "--insecure", "-v":
		case "-i", "--include":
			include = true
		case "-L", "--location":
			follow = true
		case "-o", "--output":
			output, ok = value()
		case "-w", "--write-out":
			format, ok = value()
		case "--interface":
			bind, ok = value()
		case "--connect-timeout":
			connectTimeout, ok = seconds()
		case "-m", "--max-time":
			maxTime, ok = seconds()
		default:
			if strings.HasPrefix(arg, "-") {
				fmt.Fprintf(std.err, "curl: unsupported option %s\n", arg)
				return 2
			}
			url = arg
		}
		if !ok {
			return 2
		}
	}
	if url == "" {
		fmt.Fprintln(std.err, "curl: no URL given")
		return 2
	}
	if !strings.Contains(url, "://") {
		url = "http://" + url
	}
	dialer := &net.Dialer{Timeout: seconds(connectTimeout, 300)}
	if bind != "" {
		ip := net.ParseIP(bind)
		if ip == nil {
			fmt.Fprintf(std.err, "curl: --interface: only an IP address is supported, not %q\n", bind)
			return 45
		}
		dialer.LocalAddr = &net.TCPAddr{IP: ip}
	}
	client := &http.Client{
		Transport: &http.Transport{DialContext: dialer.DialContext, Proxy: nil},
		Timeout:   seconds(maxTime, 0),
	}
	if !follow {
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	response, err := client.Get(url)
	if err != nil {
		return curlFailure(std, err)
	}
	defer response.Body.Close()
	out := std.out
	if output != "" && output != "-" {
		file, err := os.Create(output)
		if err != nil {
			fmt.Fprintf(std.err, "curl: %v\n", err)
			return 23
		}
		defer file.Close()
		out = file
	}
	if include {
		fmt.Fprintf(out, "%s %s\r\n", response.Proto, response.Status)
		_ = response.Header.Write(out)
		fmt.Fprint(out, "\r\n")
	}
	if _, err := io.Copy(out, response.Body); err != nil {
		return curlFailure(std, err)
	}
	if format != "" {
		fmt.Fprint(std.out, strings.ReplaceAll(strings.ReplaceAll(format, "%{http_code}", fmt.Sprintf("%03d", response.StatusCode)), `\n`, "\n"))
	}
	return 0
}

func seconds(s, fallback float64) time.Duration {
	if s <= 0 {
		s = fallback
	}
	return time.Duration(s * float64(time.Second))
}

func curlFailure(std stdio, err error) int {
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		fmt.Fprintf(std.err, "curl: (28) %v\n", err)
		return 28
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		fmt.Fprintf(std.err, "curl: (6) %v\n", err)
		return 6
	}
	fmt.Fprintf(std.err, "curl: (7) %v\n", err)
	return 7
}

// wget [-q] [-O FILE] [-T SECONDS] URL: one GET, the body to FILE ("-": stdout); 8 for an HTTP error.
func wget(std stdio, args []string) int {
	var url, output string
	timeout := 900.0
	for i := 0; i < len(args); i++ {
		switch arg := args[i]; arg {
		case "-q", "--quiet":
		case "-O", "-T":
			if i+1 >= len(args) {
				fmt.Fprintf(std.err, "wget: option %s needs a value\n", arg)
				return 2
			}
			i++
			if arg == "-O" {
				output = args[i]
			} else {
				s, err := strconv.ParseFloat(args[i], 64)
				if err != nil {
					fmt.Fprintf(std.err, "wget: -T: not a number of seconds: %q\n", args[i])
					return 2
				}
				timeout = s
			}
		default:
			if strings.HasPrefix(arg, "-") {
				fmt.Fprintf(std.err, "wget: unsupported option %s\n", arg)
				return 2
			}
			url = arg
		}
	}
	if url == "" {
		fmt.Fprintln(std.err, "wget: no URL given")
		return 2
	}
	if !strings.Contains(url, "://") {
		url = "http://" + url
	}
	client := &http.Client{Timeout: seconds(timeout, 900), Transport: &http.Transport{Proxy: nil}}
	response, err := client.Get(url)
	if err != nil {
		fmt.Fprintf(std.err, "wget: %v\n", err)
		return 4
	}
	defer response.Body.Close()
	if response.StatusCode >= 400 {
		fmt.Fprintf(std.err, "wget: server returned error: %s\n", response.Status)
		return 8
	}
	out := std.out
	if output != "" && output != "-" {
		file, err := os.Create(output)
		if err != nil {
			fmt.Fprintf(std.err, "wget: %v\n", err)
			return 3
		}
		defer file.Close()
		out = file
	}
	if _, err := io.Copy(out, response.Body); err != nil {
		fmt.Fprintf(std.err, "wget: %v\n", err)
		return 4
	}
	return 0
}
