package report_test

import (
	"io"
	"testing"

	"github.com/kerasparity/kerasparity/report"
)

// benchRun writes a synthetic run of 5,000 cases: a 17.5 MB Ginkgo JSON
// report, the size go-notes.md measured for 5,000 real specs.
func benchRun(b *testing.B) (string, string) {
	b.Helper()
	return syntheticRun(b.TempDir(), 5000)
}

func BenchmarkRead5000(b *testing.B) {
	jsonPath, runInfo := benchRun(b)
	for b.Loop() {
		if _, err := report.Read(jsonPath, runInfo); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteHTML5000(b *testing.B) {
	run, err := report.Read(benchRun(b))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := report.WriteHTML(io.Discard, run); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadWriteHTMLSummary5000(b *testing.B) {
	jsonPath, runInfo := benchRun(b)
	for b.Loop() {
		run, err := report.Read(jsonPath, runInfo)
		if err != nil {
			b.Fatal(err)
		}
		if err := report.WriteHTML(io.Discard, run); err != nil {
			b.Fatal(err)
		}
		if err := report.WriteSummary(io.Discard, run); err != nil {
			b.Fatal(err)
		}
	}
}
