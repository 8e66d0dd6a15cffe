package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

func run(t *testing.T, name string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	status := tools[name](stdio{strings.NewReader(stdin), &out, &errOut}, args)
	return out.String(), errOut.String(), status
}

func TestSeqCountsAsCoreutilsDoes(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"3"}, "1\n2\n3\n"},
		{[]string{"2", "4"}, "2\n3\n4\n"},
		{[]string{"5", "-2", "1"}, "5\n3\n1\n"},
		{[]string{"0"}, ""},
	} {
		if out, _, status := run(t, "seq", "", c.args...); out != c.want || status != 0 {
			t.Errorf("seq %v = %q (%d), want %q", c.args, out, status, c.want)
		}
	}
	if _, errOut, status := run(t, "seq", "", "x"); status == 0 || !strings.Contains(errOut, `"x"`) {
		t.Errorf("seq x: status %d, stderr %q", status, errOut)
	}
}

func TestSleepRefusesWhatIsNoInterval(t *testing.T) {
	if _, _, status := run(t, "sleep", "", "0.01"); status != 0 {
		t.Errorf("sleep 0.01: %d", status)
	}
	if _, errOut, status := run(t, "sleep", "", "soon"); status == 0 || !strings.Contains(errOut, "soon") {
		t.Errorf("sleep soon: status %d, stderr %q", status, errOut)
	}
}

func TestCatCopiesFilesAndStdin(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, []byte("from file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _, status := run(t, "cat", "from stdin\n", file, "-"); out != "from file\nfrom stdin\n" || status != 0 {
		t.Errorf("cat = %q (%d)", out, status)
	}
}

func TestCurlPrintsTheBodyOrTheStatusAsAsked(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "host-1")
	}))
	defer server.Close()
	address := strings.TrimPrefix(server.URL, "http://")
	if out, _, status := run(t, "curl", "", "-q", "-s", "--connect-timeout", "2", address+"/hostname"); out != "host-1" || status != 0 {
		t.Errorf("curl body = %q (%d)", out, status)
	}
	if out, _, status := run(t, "curl", "", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", server.URL+"/missing"); out != "404" || status != 0 {
		t.Errorf("curl -w = %q (%d)", out, status)
	}
	closed := closedPort(t)
	if _, _, status := run(t, "curl", "", "-s", "--connect-timeout", "1", "http://"+closed+"/"); status != 7 {
		t.Errorf("curl to a closed port: exit %d, want 7", status)
	}
	if _, errOut, status := run(t, "curl", "", "--bogus", server.URL); status != 2 || !strings.Contains(errOut, "--bogus") {
		t.Errorf("curl --bogus: exit %d, stderr %q", status, errOut)
	}
}

func TestWgetFailsOnHttpErrors(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "pod-a")
	}))
	defer server.Close()
	if out, _, status := run(t, "wget", "", "-q", "-O", "-", "-T", "1", server.URL); out != "pod-a" || status != 0 {
		t.Errorf("wget = %q (%d)", out, status)
	}
	if _, _, status := run(t, "wget", "", "-q", "-O", "-", server.URL+"/missing"); status != 8 {
		t.Errorf("wget of a 404: exit %d, want 8", status)
	}
}

func TestNcSendsStdinAndPrintsTheAnswer(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	go func() {
		conn, err := listener.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		buffer := make([]byte, 64)
		n, _ := conn.Read(buffer)
		if strings.TrimSpace(string(buffer[:n])) == "hostName" {
			fmt.Fprint(conn, "pod-b")
		}
	}()
	host, port, _ := net.SplitHostPort(listener.Addr().String())
	out, errOut, status := run(t, "nc", "hostName\n", "-v", "-t", "-w", "2", host, port)
	if out != "pod-b" || status != 0 || !strings.Contains(errOut, "succeeded") {
		t.Errorf("nc = %q (%d), stderr %q", out, status, errOut)
	}
	closedHost, closedPortNumber, _ := net.SplitHostPort(closedPort(t))
	if _, _, status := run(t, "nc", "", "-v", "-w", "1", closedHost, closedPortNumber); status != 1 {
		t.Errorf("nc to a closed port: exit %d, want 1", status)
	}
}

func TestNcUdpWaitsForTheAnswer(t *testing.T) {
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	go func() {
		buffer := make([]byte, 64)
		_, from, err := conn.ReadFrom(buffer)
		if err == nil {
			_, _ = conn.WriteTo([]byte("pod-c"), from)
		}
	}()
	host, port, _ := net.SplitHostPort(conn.LocalAddr().String())
	if out, _, status := run(t, "nc", "hostName\n", "-u", "-w", "1", host, port); out != "pod-c" || status != 0 {
		t.Errorf("nc -u = %q (%d)", out, status)
	}
}

func TestDigAnswersFromTheResolvConfNameserver(t *testing.T) {
	for _, network := range []string{"udp", "tcp"} {
		t.Run(network, func(t *testing.T) {
			address := fakeNameserver(t, network)
			host, port, _ := net.SplitHostPort(address)
			resolvConf := filepath.Join(t.TempDir(), "resolv.conf")
			if err := os.WriteFile(resolvConf, []byte("nameserver "+host+"\nsearch ns1.svc.cluster.local svc.cluster.local\noptions ndots:5\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			defer swap(&resolvConfPath, resolvConf)()
			defer swap(&nameserverPort, port)()
			option := map[string]string{"udp": "+notcp", "tcp": "+tcp"}[network]
			out, errOut, status := run(t, "dig", "", option, "+noall", "+answer", "+search", "web", "A")
			if status != 0 || !strings.Contains(out, "web.ns1.svc.cluster.local.") || !strings.Contains(out, "10.96.0.10") {
				t.Errorf("dig +search = %q (%d), stderr %q", out, status, errOut)
			}
			if out, _, _ := run(t, "dig", "", option, "+short", "web.ns1.svc.cluster.local", "A"); strings.TrimSpace(out) != "10.96.0.10" {
				t.Errorf("dig +short = %q", out)
			}
			if out, _, status := run(t, "dig", "", option, "+noall", "+answer", "nowhere.example", "A"); out != "" || status != 0 {
				t.Errorf("dig of a missing name = %q (%d), want no answer and status 0", out, status)
			}
		})
	}
}

// fakeNameserver answers A queries for web.ns1.svc.cluster.local. only, on a free local port.
func fakeNameserver(t *testing.T, network string) string {
	t.Helper()
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, query *dns.Msg) {
		reply := new(dns.Msg)
		reply.SetReply(query)
		if query.Question[0].Name == "web.ns1.svc.cluster.local." && query.Question[0].Qtype == dns.TypeA {
			rr, _ := dns.NewRR("web.ns1.svc.cluster.local. 30 IN A 10.96.0.10")
			reply.Answer = append(reply.Answer, rr)
		} else {
			reply.Rcode = dns.RcodeNameError
		}
		_ = w.WriteMsg(reply)
	})
	server := &dns.Server{Net: network, Handler: handler}
	started := make(chan struct{})
	server.NotifyStartedFunc = func() { close(started) }
	if network == "udp" {
		conn, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		server.PacketConn = conn
	} else {
		listener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		server.Listener = listener
	}
	go func() { _ = server.ActivateAndServe() }()
	<-started
	t.Cleanup(func() { _ = server.Shutdown() })
	if network == "udp" {
		return server.PacketConn.LocalAddr().String()
	}
	return server.Listener.Addr().String()
}

func closedPort(t *testing.T) string {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	address := listener.Addr().String()
	listener.Close()
	return address
}

func swap(target *string, value string) func() {
	old := *target
	*target = value
	return func() { *target = old }
}

func TestNslookupFailsWhenTheNameHasNoAddress(t *testing.T) {
	defer swapLookup(func(name string) ([]string, error) {
		if name == "clusterip-service.ns1.svc.cluster.local" {
			return []string{"10.96.0.11"}, nil
		}
		return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
	})()
	if out, _, status := run(t, "nslookup", "", "clusterip-service.ns1.svc.cluster.local"); status != 0 || !strings.Contains(out, "Address: 10.96.0.11") {
		t.Errorf("nslookup = %q (%d)", out, status)
	}
	if _, errOut, status := run(t, "nslookup", "", "nowhere.ns1.svc.cluster.local"); status != 1 || !strings.Contains(errOut, "can't find") {
		t.Errorf("nslookup of a missing name: exit %d, stderr %q", status, errOut)
	}
	if out, _, status := run(t, "getent", "", "hosts", "clusterip-service.ns1.svc.cluster.local"); status != 0 || !strings.HasPrefix(out, "10.96.0.11") {
		t.Errorf("getent hosts = %q (%d)", out, status)
	}
	if _, _, status := run(t, "getent", "", "hosts", "nowhere"); status != 2 {
		t.Errorf("getent hosts of a missing name: exit %d, want 2", status)
	}
}

func swapLookup(f func(string) ([]string, error)) func() {
	old := lookupHost
	lookupHost = f
	return func() { lookupHost = old }
}
