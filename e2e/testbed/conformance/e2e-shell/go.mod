module edgeplane.local/e2e-shell

go 1.24.0

require (
	github.com/miekg/dns v1.1.72
	mvdan.cc/sh/v3 v3.12.0
)

require (
	golang.org/x/mod v0.31.0 // indirect
	golang.org/x/net v0.48.0 // indirect
	golang.org/x/sync v0.19.0 // indirect
	golang.org/x/sys v0.39.0 // indirect
	golang.org/x/term v0.38.0 // indirect
	golang.org/x/tools v0.40.0 // indirect
)
