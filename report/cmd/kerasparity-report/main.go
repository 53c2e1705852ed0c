// Command kerasparity-report turns a conformance run into a self-contained
// HTML page and a JSON summary for CI.
//
// Usage:
//
//	kerasparity-report -json out/ginkgo.json [-run out/run.json] [-out out] [-gate]
//
// It reads Ginkgo's JSON report (--json-report) and the run.json the
// conformance suites wrote beside it, writes <out>/report.html and
// <out>/summary.json, and prints the verdict and the page's path.
//
// Exit status: 0 when both files were written (the test run itself gates
// CI), 2 when the input could not be read or the files not written, and with
// -gate 1 when the verdict is not pass.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kerasparity/kerasparity/report"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK       = 0
	exitGate     = 1
	exitBadInput = 2
)

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kerasparity-report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	jsonPath := fs.String("json", "", "Ginkgo JSON report of the conformance run (required)")
	runPath := fs.String("run", "", "the run's "+report.RunInfoFile+" (default: beside -json; left out with a warning when absent there)")
	outDir := fs.String("out", "", "folder for report.html and summary.json (default: the folder of -json)")
	gate := fs.Bool("gate", false, "exit 1 when the verdict is not pass")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kerasparity-report -json ginkgo.json [-run run.json] [-out folder] [-gate]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitBadInput
	}
	if *jsonPath == "" || fs.NArg() > 0 {
		fs.Usage()
		return exitBadInput
	}
	if *runPath == "" {
		beside := filepath.Join(filepath.Dir(*jsonPath), report.RunInfoFile)
		if _, err := os.Stat(beside); err == nil {
			*runPath = beside
		}
	}
	if *outDir == "" {
		*outDir = filepath.Dir(*jsonPath)
	}

	r, err := report.Read(*jsonPath, *runPath)
	if err != nil {
		fmt.Fprintln(stderr, "kerasparity-report:", err)
		return exitBadInput
	}
	htmlPath := filepath.Join(*outDir, "report.html")
	if err := writeFiles(r, htmlPath, filepath.Join(*outDir, "summary.json")); err != nil {
		fmt.Fprintln(stderr, "kerasparity-report:", err)
		return exitBadInput
	}

	s := r.Summary
	fmt.Fprintf(stdout, "kerasparity: %s: %s\n", s.Verdict, s.Reason)
	for _, w := range s.Warnings {
		fmt.Fprintln(stdout, "  warning:", w)
	}
	if abs, err := filepath.Abs(htmlPath); err == nil {
		htmlPath = abs
	}
	fmt.Fprintln(stdout, "report:", htmlPath)
	if *gate && s.Verdict != report.VerdictPass {
		return exitGate
	}
	return exitOK
}

// writeFiles renders both outputs before writing either, and writes each
// through a temporary file so that a reader never sees half a report.
func writeFiles(r *report.Run, htmlPath, summaryPath string) error {
	var page, summary bytes.Buffer
	if err := report.WriteHTML(&page, r); err != nil {
		return err
	}
	if err := report.WriteSummary(&summary, r); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(htmlPath), 0o755); err != nil {
		return err
	}
	if err := writeFile(htmlPath, page.Bytes()); err != nil {
		return err
	}
	return writeFile(summaryPath, summary.Bytes())
}

func writeFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
