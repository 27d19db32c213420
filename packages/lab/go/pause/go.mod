module claude-k8s.local/lab-pause

go 1.26
