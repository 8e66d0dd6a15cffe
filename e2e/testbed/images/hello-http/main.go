// hello-http is the workload image of the end-to-end tests: it says which pod answered, so a
// test can tell replicas apart and see that a changed environment reached the container.
//
//	GET /        -> "hello from <hostname>", then " (version <HELLO_VERSION>)" if HELLO_VERSION is set
//	                (the image edgeplane/hello-http:2 sets it to 2; :1 leaves it unset), then
//	                ": <GREETING>" if GREETING is set
//	GET /healthz -> 200 "ok"
//
// It listens on $PORT (default 8080), over TLS when TLS_CERT_FILE and TLS_KEY_FILE name a serving
// certificate and its key (then also as an admission webhook and an aggregated API: webhook.go),
// logs every request to stdout and shuts down cleanly on SIGTERM, the way kubelet stops a container.
//
// For an interactive `kubectl exec -i`: hello-http echo -> prints "echo from <hostname>", then
// copies stdin to stdout until stdin ends.
//
// As a client, for proving from inside a pod that a Service answers by its DNS name:
//
//	hello-http get URL [FILE] -> GETs URL until it answers 200 (at most 60 s), prints the body and,
//	                             with FILE, writes it there too; exits 0 on success, 1 otherwise
//	hello-http kube PATH      -> the same against https://kubernetes.default.svc PATH as the pod's
//	                             service account (its token and CA), as in-cluster clients do
//	hello-http resolve NAME [SERVER] -> looks NAME up through the pod's resolver (or the DNS server
//	                             at SERVER port 53) until it resolves (at most 30 s), prints its addresses
//	hello-http bench URL N    -> N GETs on new connections once URL answers: who answered how often,
//	                             and the median round trip (bench.go)
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	log.SetOutput(os.Stdout)
	if len(os.Args) > 1 && os.Args[1] == "get" {
		os.Exit(get(os.Args[2:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "kube" {
		os.Exit(kube(os.Args[2:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "resolve" {
		os.Exit(resolve(os.Args[2:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "echo" {
		os.Exit(echo())
	}
	if len(os.Args) > 1 && os.Args[1] == "bench" {
		os.Exit(bench(os.Args[2:]))
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	hostname, err := os.Hostname()
	if err != nil {
		hostname = "unknown"
	}
	greeting := os.Getenv("GREETING")
	version := os.Getenv("HELLO_VERSION")

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
		if version != "" {
			body += " (version " + version + ")"
		}
		if greeting != "" {
			body += ": " + greeting
		}
		fmt.Fprintln(w, body)
	})
	apiServerHandlers(mux, hostname)
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

	certFile, keyFile := os.Getenv("TLS_CERT_FILE"), os.Getenv("TLS_KEY_FILE")
	if (certFile == "") != (keyFile == "") {
		log.Fatalf("hello-http: TLS_CERT_FILE and TLS_KEY_FILE go together (got %q and %q)", certFile, keyFile)
	}
	log.Printf("hello-http listening on :%s as %s (TLS: %t)", port, hostname, certFile != "")
	serve := server.ListenAndServe
	if certFile != "" {
		serve = func() error { return server.ListenAndServeTLS(certFile, keyFile) }
	}
	if err := serve(); err != nil && !errors.Is(err, http.ErrServerClosed) {
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

func echo() int {
	hostname, _ := os.Hostname()
	fmt.Printf("echo from %s\n", hostname)
	if _, err := io.Copy(os.Stdout, os.Stdin); err != nil {
		log.Printf("echo: %v", err)
		return 1
	}
	return 0
}

func get(args []string) int {
	if len(args) < 1 || len(args) > 2 {
		log.Print("usage: hello-http get URL [FILE]")
		return 2
	}
	file := ""
	if len(args) == 2 {
		file = args[1]
	}
	return poll(&http.Client{Timeout: 3 * time.Second}, args[0], "", file)
}

const serviceAccount = "/var/run/secrets/kubernetes.io/serviceaccount/"

func kube(args []string) int {
	if len(args) != 1 || !strings.HasPrefix(args[0], "/") {
		log.Print("usage: hello-http kube PATH (PATH starts with /)")
		return 2
	}
	token, err := os.ReadFile(serviceAccount + "token")
	if err != nil {
		log.Printf("no service account token: %v", err)
		return 1
	}
	ca, err := os.ReadFile(serviceAccount + "ca.crt")
	if err != nil {
		log.Printf("no service account CA: %v", err)
		return 1
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(ca) {
		log.Print("the service account CA holds no certificate")
		return 1
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	return poll(client, "https://kubernetes.default.svc"+args[0], "Bearer "+strings.TrimSpace(string(token)), "")
}

func resolve(args []string) int {
	if len(args) < 1 || len(args) > 2 {
		log.Print("usage: hello-http resolve NAME [SERVER]")
		return 2
	}
	resolver := net.DefaultResolver
	if len(args) == 2 {
		server := net.JoinHostPort(args[1], "53")
		resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{Timeout: 2 * time.Second}).DialContext(ctx, network, server)
		}}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		addresses, err := resolver.LookupHost(context.Background(), args[0])
		if err == nil {
			fmt.Println(strings.Join(addresses, " "))
			return 0
		}
		log.Printf("resolve %s: %v", args[0], err)
		if time.Now().After(deadline) {
			return 1
		}
		time.Sleep(time.Second)
	}
}

// poll GETs url (with an Authorization header when given) until it answers 200, at most 60 s.
func poll(client *http.Client, url, authorization, file string) int {
	deadline := time.Now().Add(60 * time.Second)
	for {
		body, err := fetch(client, url, authorization)
		if err == nil {
			fmt.Print(body)
			if file != "" {
				if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
					log.Printf("write %s: %v", file, err)
					return 1
				}
			}
			return 0
		}
		log.Printf("GET %s: %v", url, err)
		if time.Now().After(deadline) {
			return 1
		}
		time.Sleep(time.Second)
	}
}

func fetch(client *http.Client, url, authorization string) (string, error) {
	request, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	if authorization != "" {
		request.Header.Set("Authorization", authorization)
	}
	response, err := client.Do(request)
	if err != nil {
		return "", err
	}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	if err != nil {
		return "", err
	}
	if response.StatusCode != http.StatusOK {
		return "", fmt.Errorf("HTTP %d", response.StatusCode)
	}
	return string(body), nil
}
