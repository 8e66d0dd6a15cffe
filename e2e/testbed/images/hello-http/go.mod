module edgeplane.local/testimages/hello-http

go 1.22
