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

// cmdReport writes report.html, summary.json and junit.xml from a run's
// results and exits with the run's verdict, so that a CI job can call it
// after a run of any suite.
func cmdReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kerasparity report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	outDir := fs.String("out", "", "folder for report.html, summary.json and junit.xml (default: the folder of RESULTS)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kerasparity report [-out DIR] [RESULTS]")
		fmt.Fprintln(stderr, "RESULTS is a run's results.jsonl or its folder (default out/conformance).")
		fmt.Fprintln(stderr, "Exit status: 0 pass, 1 fail, 2 unreadable input, 3 nothing checked, 4 the run broke down.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return exitUsage
	}
	in := "out/conformance"
	if fs.NArg() == 1 {
		in = fs.Arg(0)
	}
	path := resultsPath(in)
	if *outDir == "" {
		*outDir = filepath.Dir(path)
	}
	r, err := report.Load(path)
	if err != nil {
		fmt.Fprintln(stderr, "kerasparity report:", err)
		return exitUsage
	}
	files := []struct {
		name  string
		write func(io.Writer, *report.Run) error
	}{{"report.html", report.WriteHTML}, {"summary.json", report.WriteSummary}, {"junit.xml", report.WriteJUnit}}
	for _, f := range files {
		var buf bytes.Buffer
		if err := f.write(&buf, r); err != nil {
			fmt.Fprintln(stderr, "kerasparity report:", err)
			return exitUsage
		}
		if err := writeFile(filepath.Join(*outDir, f.name), buf.Bytes()); err != nil {
			fmt.Fprintln(stderr, "kerasparity report:", err)
			return exitUsage
		}
	}
	s := r.Summary
	fmt.Fprintf(stdout, "kerasparity: %s: %s\n", s.Verdict, s.Reason)
	html := filepath.Join(*outDir, "report.html")
	if abs, err := filepath.Abs(html); err == nil {
		html = abs
	}
	fmt.Fprintln(stdout, "report:", html, "(beside it: summary.json, junit.xml, results.jsonl)")
	return r.ExitCode()
}

// writeFile writes through a temporary file, so that a reader never sees
// half a report.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
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
