package report_test

import (
	"io"
	"testing"

	"github.com/kerasparity/kerasparity/report"
)

// The benchmarks read and write a synthetic run the size of the real one
// (27,000 passing cases) and the 2,100-failure run.

func benchLoad(b *testing.B, o synth) {
	path := writeSynth(b.TempDir(), o)
	for b.Loop() {
		if _, err := report.Load(path); err != nil {
			b.Fatal(err)
		}
	}
}

func benchWrite(b *testing.B, o synth, write func(io.Writer, *report.Run) error) {
	run, err := report.Load(writeSynth(b.TempDir(), o))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := write(io.Discard, run); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadPassing27k(b *testing.B)       { benchLoad(b, passingRun) }
func BenchmarkWriteHTMLPassing27k(b *testing.B)  { benchWrite(b, passingRun, report.WriteHTML) }
func BenchmarkWriteJUnitPassing27k(b *testing.B) { benchWrite(b, passingRun, report.WriteJUnit) }
func BenchmarkLoadFailing2100(b *testing.B)      { benchLoad(b, failingRun) }
func BenchmarkWriteHTMLFailing2100(b *testing.B) { benchWrite(b, failingRun, report.WriteHTML) }
