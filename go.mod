module github.com/uptop-dev/uptop

go 1.26.8
