// hello-http is the workload image of the end-to-end tests: it says which pod answered, so a
// test can tell replicas apart and see that a changed environment reached the container.
//
//	GET /        -> "hello from <hostname>" and, if GREETING is set, ": <GREETING>"
//	GET /healthz -> 200 "ok"
//
// It listens on $PORT (default 8080), logs every request to stdout and shuts down cleanly on
// SIGTERM, the way kubelet stops a container.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	log.SetOutput(os.Stdout)
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	hostname, err := os.Hostname()
	if err != nil {
		hostname = "unknown"
	}
	greeting := os.Getenv("GREETING")

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		body := "hello from " + hostname
		if greeting != "" {
			body += ": " + greeting
		}
		fmt.Fprintln(w, body)
	})
	server := &http.Server{
		Addr:              ":" + port,
		Handler:           logRequests(mux),
		ReadHeaderTimeout: 10 * time.Second,
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	stopped := make(chan struct{})
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := server.Shutdown(shutdown); err != nil {
			log.Printf("shutdown: %v", err)
		}
		close(stopped)
	}()

	log.Printf("hello-http listening on :%s as %s", port, hostname)
	if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("hello-http: %v", err)
	}
	<-stopped
	log.Printf("hello-http stopped")
}

func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.Printf("%s %s %s", r.RemoteAddr, r.Method, r.URL.RequestURI())
		next.ServeHTTP(w, r)
	})
}
