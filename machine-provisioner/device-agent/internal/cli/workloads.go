package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"

	"edgeplane.io/device-agent/internal/localapi"
	"edgeplane.io/device-agent/internal/model"
)

// DefaultImportProgram verifies a bundle, loads its images and hands the pod to the agent.
const DefaultImportProgram = "/usr/local/bin/edgeplane-import-bundle"

var outputAlias = map[string]string{"o": "output"}

func runWorkloads(args []string, io IO) int {
	if len(args) == 0 {
		return usageError(io, "workloads needs a verb: list, apply, start, stop, delete, import")
	}
	verb, rest := args[0], args[1:]
	switch verb {
	case "list":
		return workloadsList(rest, io)
	case "apply", "start", "stop", "delete":
		return workloadsAct(model.ActionKind(verb), rest, io)
	case "import":
		return workloadsImport(rest, io)
	case "import-verified":
		return workloadsImportVerified(rest, io)
	default:
		return usageError(io, fmt.Sprintf("unknown workloads verb %q", verb))
	}
}

func workloadsList(args []string, io IO) int {
	p, err := parseArgs(args, []string{"output", "socket"}, outputAlias)
	if err != nil {
		return usageError(io, err.Error())
	}
	if len(p.args) > 0 {
		return usageError(io, fmt.Sprintf("list takes no arguments (got %q)", p.args[0]))
	}
	format, err := p.output()
	if err != nil {
		return usageError(io, err.Error())
	}
	socket := socketPath(p, io.Env)
	list, err := newClient(socket).Workloads(background())
	if err != nil {
		return failure(io, socket, err)
	}
	if format == "json" {
		return printJSON(io, list)
	}
	printWorkloadTable(io.Stdout, list)
	return ExitOK
}

func workloadsAct(verb model.ActionKind, args []string, io IO) int {
	p, err := parseArgs(args, []string{"reason", "socket"}, nil)
	if err != nil {
		return usageError(io, err.Error())
	}
	if len(p.args) != 1 {
		return usageError(io, fmt.Sprintf("workloads %s needs exactly one NAME", verb))
	}
	name := p.args[0]
	if err := model.CheckWorkloadName(name); err != nil {
		return usageError(io, "NAME: "+err.Error())
	}
	cause, ok := reason(p, string(verb), io)
	if !ok {
		return ExitUsage
	}
	socket := socketPath(p, io.Env)
	res, err := newClient(socket).Act(background(), verb, name, cause)
	if err != nil {
		return failure(io, socket, err)
	}
	printActionResult(io.Stdout, res)
	return ExitOK
}

func workloadsImport(args []string, io IO) int {
	p, err := parseArgs(args, []string{"reason", "socket", "import-program"}, nil)
	if err != nil {
		return usageError(io, err.Error())
	}
	if len(p.args) != 1 {
		return usageError(io, "workloads import needs exactly one BUNDLE.tar")
	}
	bundle := p.args[0]
	if info, err := os.Stat(bundle); err != nil || !info.Mode().IsRegular() {
		return usageError(io, fmt.Sprintf("BUNDLE: %s is not a readable file", bundle))
	}
	cause, ok := reason(p, "import", io)
	if !ok {
		return ExitUsage
	}
	socket := socketPath(p, io.Env)
	// The program loads images before it hands the pod over: make sure someone will take it.
	if _, err := newClient(socket).Status(background()); err != nil {
		return failure(io, socket, err)
	}
	program := p.flags["import-program"]
	if program == "" {
		program = io.Env("EDGEPLANE_IMPORT_PROGRAM")
	}
	if program == "" {
		program = DefaultImportProgram
	}
	cmd := exec.Command(program, bundle)
	cmd.Stdout, cmd.Stderr = io.Stdout, io.Stderr
	cmd.Env = append(os.Environ(), "EDGEPLANE_IMPORT_REASON="+cause, "EDGEPLANE_DEVICE_SOCKET="+socket)
	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &exitErr):
		return exitErr.ExitCode()
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(io.Stderr, "edgeplane-device: the import program %s is not installed\n", program)
		return ExitFailed
	default:
		fmt.Fprintf(io.Stderr, "edgeplane-device: cannot run %s: %v\n", program, err)
		return ExitFailed
	}
}

func workloadsImportVerified(args []string, io IO) int {
	p, err := parseArgs(args, []string{"workload", "spec-hash", "version", "pod", "config", "reason", "socket"}, nil)
	if err != nil {
		return usageError(io, err.Error())
	}
	if len(p.args) > 0 {
		return usageError(io, fmt.Sprintf("import-verified takes flags only (got %q)", p.args[0]))
	}
	// --version is optional: bundles made before versions were recorded have none.
	for _, f := range []string{"workload", "spec-hash", "pod", "config"} {
		if p.flags[f] == "" {
			return usageError(io, fmt.Sprintf("--%s is required", f))
		}
	}
	if err := model.CheckWorkloadName(p.flags["workload"]); err != nil {
		return usageError(io, "--workload: "+err.Error())
	}
	if err := model.CheckSpecHash(p.flags["spec-hash"]); err != nil {
		return usageError(io, "--spec-hash: "+err.Error())
	}
	files := map[string]string{}
	for _, f := range []string{"pod", "config"} {
		raw, err := os.ReadFile(p.flags[f])
		if err != nil {
			return usageError(io, fmt.Sprintf("--%s: %v", f, err))
		}
		files[f] = string(raw)
	}
	cause := p.flags["reason"]
	if cause == "" {
		cause = io.Env("EDGEPLANE_IMPORT_REASON")
	}
	if cause == "" {
		cause = defaultCause("import", io.Env)
	}
	socket := socketPath(p, io.Env)
	res, err := newClient(socket).Import(background(), localapi.ImportRequest{
		Workload: p.flags["workload"], SpecHash: p.flags["spec-hash"], Version: p.flags["version"],
		Pod: files["pod"], Config: files["config"], Cause: cause,
	})
	if err != nil {
		return failure(io, socket, err)
	}
	printActionResult(io.Stdout, res)
	return ExitOK
}

// reason is --reason, or the default cause; an explicitly empty reason is a usage error.
func reason(p parsed, verb string, io IO) (string, bool) {
	r, given := p.flags["reason"]
	if !given {
		return defaultCause(verb, io.Env), true
	}
	if r == "" {
		fmt.Fprintln(io.Stderr, "edgeplane-device: --reason: empty")
		return "", false
	}
	return r, true
}
