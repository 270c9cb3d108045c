module example.com/escapehttp

go 1.19
