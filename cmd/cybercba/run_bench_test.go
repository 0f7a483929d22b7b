package main

import (
	"context"
	"fmt"
	"io"
	"testing"
)

// BenchmarkDefaultRun runs the README's first command without files
// (cybercba run --no-files: the embedded NHS England scope, 200 draws ×
// 5,000 years) on 1 and 2 workers, end to end from flags to the table:
//
//	go test -run '^$' -bench DefaultRun -count 6 ./cmd/cybercba | benchstat -
func BenchmarkDefaultRun(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			for b.Loop() {
				if err := run(context.Background(), []string{"run", "--no-files", "--quiet", "--workers", fmt.Sprint(w)}, io.Discard, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
