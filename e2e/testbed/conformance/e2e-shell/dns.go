package main

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// Where dig finds its nameserver, and how getent and nslookup resolve: variables so that tests can
// point them at their own.
var (
	resolvConfPath = "/etc/resolv.conf"
	nameserverPort = ""
	lookupHost     = net.LookupHost
)

// dig [+tcp|+notcp] [+search] [+short] [+noall] [+answer] NAME [TYPE]: the answer section of one
// query to the first nameserver of /etc/resolv.conf (with +search, the first name of the search
// list that has an answer). Other dig options are accepted and ignored.
func dig(std stdio, args []string) int {
	tcp, search, short := false, false, false
	var operands []string
	for _, arg := range args {
		switch {
		case arg == "+tcp" || arg == "+vc":
			tcp = true
		case arg == "+notcp" || arg == "+novc":
			tcp = false
		case arg == "+search":
			search = true
		case arg == "+nosearch":
			search = false
		case arg == "+short":
			short = true
		case strings.HasPrefix(arg, "+"):
		case strings.HasPrefix(arg, "-"):
			fmt.Fprintf(std.err, "dig: unsupported option %s\n", arg)
			return 1
		default:
			operands = append(operands, arg)
		}
	}
	if len(operands) < 1 || len(operands) > 2 {
		fmt.Fprintln(std.err, "usage: dig [+tcp|+notcp] [+search] [+short] [+noall] [+answer] NAME [TYPE]")
		return 1
	}
	qtype := dns.TypeA
	if len(operands) == 2 {
		t, ok := dns.StringToType[strings.ToUpper(operands[1])]
		if !ok {
			fmt.Fprintf(std.err, "dig: unknown record type %s\n", operands[1])
			return 1
		}
		qtype = t
	}
	config, err := dns.ClientConfigFromFile(resolvConfPath)
	if err != nil || len(config.Servers) == 0 {
		fmt.Fprintf(std.err, "dig: no nameserver in %s: %v\n", resolvConfPath, err)
		return 9
	}
	if nameserverPort != "" {
		config.Port = nameserverPort
	}
	names := []string{dns.Fqdn(operands[0])}
	if search {
		names = config.NameList(operands[0])
	}
	client := &dns.Client{Net: map[bool]string{true: "tcp", false: "udp"}[tcp], Timeout: 5 * time.Second}
	server := net.JoinHostPort(config.Servers[0], config.Port)
	var answer []dns.RR
	for _, name := range names {
		query := new(dns.Msg)
		query.SetQuestion(name, qtype)
		reply, _, err := client.ExchangeContext(context.Background(), query, server)
		if err != nil {
			fmt.Fprintf(std.err, ";; communications error to %s: %v\n", server, err)
			return 9
		}
		if reply.Rcode == dns.RcodeSuccess && len(reply.Answer) > 0 {
			answer = reply.Answer
			break
		}
	}
	for _, rr := range answer {
		if short {
			fields := strings.SplitN(rr.String(), "\t", 5)
			fmt.Fprintln(std.out, fields[len(fields)-1])
		} else {
			fmt.Fprintln(std.out, rr.String())
		}
	}
	return 0
}

// getent hosts NAME...: the addresses of each name (files, then DNS, as the pure Go resolver goes); 2 if one has none.
func getent(std stdio, args []string) int {
	if len(args) < 2 || args[0] != "hosts" {
		fmt.Fprintln(std.err, "usage: getent hosts NAME...")
		return 1
	}
	status := 0
	for _, name := range args[1:] {
		addresses, err := lookupHost(name)
		if err != nil || len(addresses) == 0 {
			status = 2
			continue
		}
		for _, address := range addresses {
			fmt.Fprintf(std.out, "%-15s %s\n", address, name)
		}
	}
	return status
}

// nslookup NAME [SERVER]: the addresses of NAME as the resolver finds them (resolv.conf's search list
// applies); exit 1 when it has none. SERVER is accepted and ignored: the tests name none.
func nslookup(std stdio, args []string) int {
	if len(args) < 1 || len(args) > 2 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(std.err, "usage: nslookup NAME [SERVER]")
		return 1
	}
	addresses, err := lookupHost(args[0])
	if err != nil || len(addresses) == 0 {
		fmt.Fprintf(std.err, "** server can't find %s: NXDOMAIN\n", args[0])
		return 1
	}
	fmt.Fprintf(std.out, "Name:\t%s\n", args[0])
	for _, address := range addresses {
		fmt.Fprintf(std.out, "Address: %s\n", address)
	}
	return 0
}
