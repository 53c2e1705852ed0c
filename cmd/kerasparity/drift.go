package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/kerasparity/kerasparity/drift"
	"github.com/kerasparity/kerasparity/reference"
)

// cmdDrift compares two fixture sets made by two Keras versions and prints
// what changed. The exit status is 0 whatever changed: drift is information,
// not a failure.
func cmdDrift(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kerasparity drift", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "text for a terminal, markdown for a page under docs/")
	top := fs.Int("top", drift.DefaultOptions.Top, "largest value changes listed per backend, by absolute and by relative change")
	examples := fs.Int("examples", drift.DefaultOptions.Examples, "cases listed per class and cause (all are counted)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kerasparity drift [-format text|markdown] [-top N] [-examples N] FROM TO")
		fmt.Fprintln(stderr, "FROM and TO are fixture sets (folders of <backend>/manifest.json) made by the same catalogue")
		fmt.Fprintln(stderr, "under two Keras versions, FROM the older. Prints every case whose output or refusal changed,")
		fmt.Fprintln(stderr, "per backend, class and cause. Exit 0 whatever changed; 2 on bad usage or a set that does not load.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 2 || (*format != "text" && *format != "markdown") || *top < 0 || *examples < 0 {
		fs.Usage()
		return exitUsage
	}
	from, err := reference.Load(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "kerasparity drift: FROM:", err)
		return exitUsage
	}
	to, err := reference.Load(fs.Arg(1))
	if err != nil {
		fmt.Fprintln(stderr, "kerasparity drift: TO:", err)
		return exitUsage
	}
	r := drift.Compare(from, to)
	if len(r.Backends) == 0 {
		fmt.Fprintf(stderr, "kerasparity drift: the sets share no backend (FROM has %v, TO has %v)\n", from.Backends(), to.Backends())
		return exitUsage
	}
	write := drift.WriteText
	if *format == "markdown" {
		write = drift.WriteMarkdown
	}
	if err := write(stdout, r, drift.Options{Top: *top, Examples: *examples}); err != nil {
		fmt.Fprintln(stderr, "kerasparity drift:", err)
		return exitUsage
	}
	return exitOK
}
