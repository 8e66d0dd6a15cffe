// Command sh is the shell of the conformance tests' agnhost image: a POSIX shell (mvdan.cc/sh)
// with the few tools the tests run inside agnhost containers built in (the real image has a Debian
// userland; ours holds static binaries only). Called under a tool's name (a link or a copy named
// nc, curl, ...) it runs that tool instead.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// stdio is what a tool reads and writes: the process's own, or the interpreter's redirections.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// A tool gets its arguments without its name and returns its exit status.
type tool func(io stdio, args []string) int

var tools = map[string]tool{
	"cat":      cat,
	"seq":      seq,
	"sleep":    sleep,
	"hostname": hostname,
	"nc":       nc,
	"curl":     curl,
	"wget":     wget,
	"dig":      dig,
	"getent":   getent,
	"nslookup": nslookup,
}

func main() {
	if run, ok := tools[filepath.Base(os.Args[0])]; ok {
		os.Exit(run(stdio{os.Stdin, os.Stdout, os.Stderr}, os.Args[1:]))
	}
	os.Exit(shell(os.Args[1:]))
}

// shell runs `sh [-exuf...] -c COMMAND [NAME [ARG...]]`, `sh [options] FILE [ARG...]` or a script on stdin.
func shell(args []string) int {
	var options []string
	command := false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
		flag := args[0]
		args = args[1:]
		if flag == "--" {
			break
		}
		for _, letter := range flag[1:] {
			switch letter {
			case 'c':
				command = true
			case 'e', 'u', 'x', 'f', 'n', 'a':
				options = append(options, "-"+string(letter))
			case 'i', 's', 'l':
				// interactive, stdin and login shells behave as a plain one here
			default:
				fmt.Fprintf(os.Stderr, "sh: unknown option -%c\n", letter)
				return 2
			}
		}
	}
	var source io.Reader = os.Stdin
	name := "sh"
	switch {
	case command:
		if len(args) == 0 {
			fmt.Fprintln(os.Stderr, "sh: -c needs a command")
			return 2
		}
		source = strings.NewReader(args[0])
		args = args[1:]
		if len(args) > 0 {
			name, args = args[0], args[1:]
		}
	case len(args) > 0:
		file, err := os.Open(args[0])
		if err != nil {
			fmt.Fprintf(os.Stderr, "sh: %v\n", err)
			return 127
		}
		defer file.Close()
		source, name, args = file, args[0], args[1:]
	}
	program, err := syntax.NewParser().Parse(source, name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "sh: %v\n", err)
		return 2
	}
	runner, err := interp.New(
		interp.StdIO(os.Stdin, os.Stdout, os.Stderr),
		interp.Params(append(append(options, "--"), args...)...),
		interp.ExecHandlers(builtInTools),
	)
	if err != nil {
		fmt.Fprintf(os.Stderr, "sh: %v\n", err)
		return 2
	}
	return exitStatus(runner.Run(context.Background(), program))
}

// builtInTools runs a tool named by its plain name, or by a path that does not exist in the image.
func builtInTools(next interp.ExecHandlerFunc) interp.ExecHandlerFunc {
	return func(ctx context.Context, args []string) error {
		run, ok := tools[filepath.Base(args[0])]
		if ok && strings.Contains(args[0], "/") {
			if _, err := os.Stat(args[0]); err == nil {
				ok = false
			}
		}
		if !ok {
			return next(ctx, args)
		}
		hc := interp.HandlerCtx(ctx)
		if status := run(stdio{hc.Stdin, hc.Stdout, hc.Stderr}, args[1:]); status != 0 {
			return interp.NewExitStatus(uint8(status))
		}
		return nil
	}
}

func exitStatus(err error) int {
	if err == nil {
		return 0
	}
	var status interp.ExitStatus
	if errors.As(err, &status) {
		return int(status)
	}
	fmt.Fprintf(os.Stderr, "sh: %v\n", err)
	return 1
}
