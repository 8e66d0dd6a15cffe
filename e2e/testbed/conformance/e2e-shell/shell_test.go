package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// The DNS tests' probe loop in miniature: built-in tools inside loops, command substitution and pipes.
func TestTheShellRunsBuiltInToolsInsideLoopsAndPipes(t *testing.T) {
	program, err := syntax.NewParser().Parse(strings.NewReader(
		`for i in $(seq 1 3); do check="$(echo $i | cat)" && test -n "$check" && echo "OK $check"; done; nosuchtool || echo "status $?"`), "test")
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	runner, err := interp.New(interp.StdIO(strings.NewReader(""), &out, &errOut), interp.ExecHandlers(builtInTools))
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.Run(context.Background(), program); err != nil {
		t.Fatalf("run: %v (stderr %q)", err, errOut.String())
	}
	if want := "OK 1\nOK 2\nOK 3\nstatus 127\n"; out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}

func TestShellOptionsAreChecked(t *testing.T) {
	if status := shell([]string{"-q", "-c", "true"}); status != 2 {
		t.Errorf("sh -q: exit %d, want 2", status)
	}
	if status := shell([]string{"-c"}); status != 2 {
		t.Errorf("sh -c without a command: exit %d, want 2", status)
	}
	if status := shell([]string{"-x", "-c", "exit 3"}); status != 3 {
		t.Errorf("sh -x -c 'exit 3': exit %d, want 3", status)
	}
}
