package cli

import "fmt"

func runStatus(args []string, io IO) int {
	p, err := parseArgs(args, []string{"output", "socket"}, outputAlias)
	if err != nil {
		return usageError(io, err.Error())
	}
	if len(p.args) > 0 {
		return usageError(io, fmt.Sprintf("status takes no arguments (got %q)", p.args[0]))
	}
	format, err := p.output()
	if err != nil {
		return usageError(io, err.Error())
	}
	socket := socketPath(p, io.Env)
	st, err := newClient(socket).Status(background())
	if err != nil {
		return failure(io, socket, err)
	}
	if format == "json" {
		return printJSON(io, st)
	}
	printStatus(io.Stdout, st)
	return ExitOK
}
