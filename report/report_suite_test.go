package report_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/format"

	"github.com/kerasparity/kerasparity/report"
	"github.com/kerasparity/kerasparity/results"
)

func TestReport(t *testing.T) {
	RegisterFailHandler(Fail)
	format.MaxLength = 2000 // a whole page in a failure message helps nobody
	RunSpecs(t, "report")
}

// load reads a results file, failing the spec on an error.
func load(path string) *report.Run {
	GinkgoHelper()
	run, err := report.Load(path)
	Expect(err).NotTo(HaveOccurred())
	return run
}

// written returns what write writes of run.
func written(write func(io.Writer, *report.Run) error, run *report.Run) []byte {
	GinkgoHelper()
	var b bytes.Buffer
	Expect(write(&b, run)).To(Succeed())
	return b.Bytes()
}

// TestSamples writes the pages of the synthetic runs (and of a real run's
// results, REPORT_RESULTS) into the folder REPORT_SAMPLES names, to look
// at them in a browser; without it, it does nothing.
func TestSamples(t *testing.T) {
	dir := os.Getenv("REPORT_SAMPLES")
	if dir == "" {
		t.Skip("set REPORT_SAMPLES to a folder to write sample reports into")
	}
	cases, info, _ := synthCases(failingRun)
	runs := map[string]string{
		"failing":   writeSynth(t.TempDir(), failingRun),
		"passing":   writeSynth(t.TempDir(), passingRun),
		"crashed":   writeResults(t.TempDir(), info, cases[:3000], nil, results.SpecText(cases[3000].Backend, cases[3000].ID)),
		"unloaded":  writeResults(t.TempDir(), info, nil, &results.End{Error: "fixture set /src/kerasparity/fixtures: no manifest.json in it or in any of its subfolders"}, ""),
		"notported": writeResults(t.TempDir(), info, cases[6000+failingRun.Failing:][:20], &results.End{}, ""),
	}
	if real := os.Getenv("REPORT_RESULTS"); real != "" {
		runs["real"] = real
	}
	for name, path := range runs {
		run, err := report.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, name)
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		for file, write := range map[string]func(io.Writer, *report.Run) error{
			"report.html": report.WriteHTML, "summary.json": report.WriteSummary, "junit.xml": report.WriteJUnit} {
			f, err := os.Create(filepath.Join(out, file))
			if err != nil {
				t.Fatal(err)
			}
			if err := write(f, run); err != nil {
				t.Fatal(err)
			}
			f.Close()
		}
		t.Logf("%s: %s (%s)", name, out, run.Summary.Reason)
	}
}

// samples holds the synthetic runs that several specs read, written and
// loaded once per test process.
var samples = struct {
	dir  string
	runs map[synth]*report.Run
	path map[synth]string
}{runs: map[synth]*report.Run{}, path: map[synth]string{}}

// sample returns the path and the loaded run of a synthetic run.
func sample(o synth) (string, *report.Run) {
	GinkgoHelper()
	if samples.dir == "" {
		dir, err := os.MkdirTemp("", "report-samples-")
		Expect(err).NotTo(HaveOccurred())
		samples.dir = dir
	}
	if r, ok := samples.runs[o]; ok {
		return samples.path[o], r
	}
	dir := filepath.Join(samples.dir, strconv.Itoa(len(samples.runs)))
	Expect(os.MkdirAll(dir, 0o755)).To(Succeed())
	path := writeSynth(dir, o)
	samples.runs[o], samples.path[o] = load(path), path
	return path, samples.runs[o]
}

var _ = AfterSuite(func() {
	if samples.dir != "" {
		os.RemoveAll(samples.dir)
	}
})
