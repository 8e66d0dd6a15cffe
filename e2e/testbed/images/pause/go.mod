module edgeplane.local/testimages/pause

go 1.22
