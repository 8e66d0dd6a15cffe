// pause is the sandbox process of a pod: it holds the pod's namespaces open and does nothing
// else. As PID 1 of the sandbox it must reap orphaned children, or zombies pile up in the pod.
// It exits 0 on SIGINT or SIGTERM.
package main

import (
	"log"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if os.Getpid() != 1 {
		log.Print("pause: warning: not running as PID 1, orphans will not be reaped here")
	}
	signals := make(chan os.Signal, 16)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		reapChildren()
		if sig != syscall.SIGCHLD {
			os.Exit(0)
		}
	}
}

// reapChildren collects every exited child; SIGCHLD signals coalesce, so one may stand for many.
func reapChildren() {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}
