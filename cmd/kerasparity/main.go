// Command kerasparity holds the everyday verbs of a conformance harness for
// ports of Keras losses and metrics:
//
//	kerasparity report [-out DIR] [RESULTS]   report.html, summary.json and junit.xml from a run
//	kerasparity diff [-ulp N] [-format text|markdown] OLD NEW
//	                                          what changed between two runs; exit 1 on a regression
//	kerasparity show [-fixtures DIR] CASE     a case's config, inputs and Keras's outputs, and Python
//	                                          that reproduces it with the pinned Keras
//	kerasparity drift [-format text|markdown] FROM TO
//	                                          what changed between two fixture sets (two Keras versions)
//
// RESULTS, OLD and NEW are a run's results.jsonl, or the folder that holds it
// (the -kerasparity.out folder of a conformance run).
//
// Install it with `go install github.com/kerasparity/kerasparity/cmd/kerasparity@latest`,
// or run it in place with `go run github.com/kerasparity/kerasparity/cmd/kerasparity`.
//
// Exit statuses are the same for every verb where they apply: 0 fine, 1 the
// port failed (report) or regressed (diff), 2 bad usage or unreadable input,
// 3 nothing was checked, 4 the run itself broke down (fixtures that did not
// load, a crash). See README.md.
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kerasparity/kerasparity/results"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK     = 0
	exitFail   = 1
	exitUsage  = 2
	exitEmpty  = 3
	exitBroken = 4
)

// verbs maps each verb to its implementation and one line of help.
var verbs = []struct {
	name, help string
	run        func(args []string, stdout, stderr io.Writer) int
}{
	{"report", "write report.html, summary.json and junit.xml from a run's results", cmdReport},
	{"diff", "compare two runs: newly failing, newly passing, newly not ported, grown errors", cmdDiff},
	{"show", "print a fixture case and Python that reproduces it with the pinned Keras", cmdShow},
	{"drift", "compare two fixture sets made by two Keras versions, case by case", cmdDrift},
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, v := range verbs {
		if v.name == args[0] {
			return v.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "kerasparity: unknown verb %q\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: kerasparity VERB [flags] [args]")
	for _, v := range verbs {
		fmt.Fprintf(w, "  %-7s %s\n", v.name, v.help)
	}
	fmt.Fprintln(w, "Run 'kerasparity VERB -h' for a verb's flags.")
}

// resultsPath accepts a results file or the folder that holds one.
func resultsPath(p string) string {
	if fi, err := os.Stat(p); err == nil && fi.IsDir() {
		return filepath.Join(p, results.FileName)
	}
	return p
}
