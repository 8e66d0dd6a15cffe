package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"edgeplane.io/device-agent/internal/localapi"
	"edgeplane.io/device-agent/internal/model"
)

func printJSON(io IO, v any) int {
	enc := json.NewEncoder(io.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(io.Stderr, "edgeplane-device: %v\n", err)
		return ExitFailed
	}
	return ExitOK
}

// printWorkloadTable prints NAME VERSION STATE STAGED SYNC.
func printWorkloadTable(out io.Writer, list []localapi.WorkloadView) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVERSION\tSTATE\tSTAGED\tSYNC")
	for _, w := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", w.Name, orDash(w.Version), w.State, staged(w.Staged), w.Sync)
	}
	tw.Flush()
}

func staged(s *localapi.StagedView) string {
	if s == nil {
		return "-"
	}
	if s.ImagesPresent {
		return s.Version + " (ready)"
	}
	return s.Version + " (missing images)"
}

func printActionResult(out io.Writer, res localapi.ActionResult) {
	fmt.Fprintln(out, res.Message)
	if w := res.Workload; w != nil {
		line := fmt.Sprintf("workload %s: %s, version %s", w.Name, w.State, orDash(w.Version))
		if w.Message != "" {
			line += " (" + w.Message + ")"
		}
		fmt.Fprintln(out, line)
	} else if res.Action != nil {
		fmt.Fprintf(out, "workload %s: gone from this device\n", res.Action.Workload)
	}
}

// verdict words the onboarding check's outcome: passed only when every check passed.
func verdict(checks []model.CheckResult) string {
	for _, c := range checks {
		if !c.Passed {
			return "failed"
		}
	}
	return "passed"
}

func printStatus(out io.Writer, st localapi.AgentStatus) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "agent:\tedgeplane-device %s\n", st.AgentVersion)
	fmt.Fprintf(tw, "node:\t%s\n", st.Node)
	fmt.Fprintf(tw, "apiserver:\t%s\n", st.Apiserver)
	if st.Connected {
		fmt.Fprintf(tw, "connection:\tconnected since %s\n", stamp(st.Since))
	} else {
		fmt.Fprintf(tw, "connection:\tdisconnected since %s\n", stamp(st.Since))
		if st.LastError != "" {
			fmt.Fprintf(tw, "last error:\t%s\n", st.LastError)
		}
	}
	if st.LastHeartbeat != nil {
		fmt.Fprintf(tw, "last heartbeat:\t%s\n", stamp(*st.LastHeartbeat))
	} else {
		fmt.Fprintf(tw, "last heartbeat:\tnever\n")
	}
	fmt.Fprintf(tw, "container runtime:\t%s\n", st.ContainerRuntime)
	if t := st.Tunnel; t != nil {
		fmt.Fprintf(tw, "tunnel:\t%s since %s\n", t.State, t.Since)
		if t.Reason != "" {
			fmt.Fprintf(tw, "tunnel reason:\t%s\n", t.Reason)
		}
	}
	if p := st.PodNetwork; p != nil {
		fmt.Fprintf(tw, "pod network:\t%s since %s\n", p.State, p.Since)
		if p.Reason != "" {
			fmt.Fprintf(tw, "pod network reason:\t%s\n", p.Reason)
		}
	}
	if o := st.Onboarding; o != nil {
		switch {
		case o.CheckedAt == "":
			fmt.Fprintf(tw, "onboarding check:\tchecking (request %d)\n", o.Request)
		default:
			fmt.Fprintf(tw, "onboarding check:\t%s at %s (request %d)\n", verdict(o.Checks), o.CheckedAt, o.Request)
			for _, c := range o.Checks {
				mark := "passed"
				if !c.Passed {
					mark = "FAILED"
				}
				fmt.Fprintf(tw, "  %s:\t%s: %s\n", c.Name, mark, c.Message)
			}
		}
	}
	fmt.Fprintf(tw, "pending actions:\t%d\n", len(st.PendingActions))
	tw.Flush()
	if len(st.PendingActions) == 0 {
		return
	}
	fmt.Fprintln(out)
	tw = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tWORKLOAD\tACTION\tAT\tCAUSE")
	for _, a := range st.PendingActions {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", a.Seq, a.Workload, a.Action, a.At, a.Cause)
	}
	tw.Flush()
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
