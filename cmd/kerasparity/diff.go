package main

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/kerasparity/kerasparity/results"
)

// change is one case whose result moved between two runs.
type change struct {
	key, target, backend string
	old, new             results.Outcome
	oldULP, newULP       float64
	detail               string
}

// Change kinds, in the order they are printed. The first three are
// regressions: they make diff exit 1.
const (
	newlyFailing   = "newly failing"
	newlyNotPorted = "newly not ported"
	ulpGrew        = "max ULP grew"
	newlyPassing   = "newly passing"
	otherChange    = "other changes"
)

var changeKinds = []string{newlyFailing, newlyNotPorted, ulpGrew, newlyPassing, otherChange}

func regression(kind string) bool {
	return kind == newlyFailing || kind == newlyNotPorted || kind == ulpGrew
}

// runDiff is the comparison of two runs.
type runDiff struct {
	changes          map[string][]change
	onlyOld, onlyNew []string
	warnings         []string
}

func (d *runDiff) regressions() int {
	n := 0
	for k, cs := range d.changes {
		if regression(k) {
			n += len(cs)
		}
	}
	return n
}

// matching is true for outcomes whose values matched Keras.
func matching(o results.Outcome) bool { return o == results.Pass || o == results.XPass }

// compareRuns classifies every case present in both runs. A case is newly
// failing when it matched Keras (or was not ported) before and does not
// now: failing, erring or only excused by a known divergence; newly not
// ported when it was checked before; its error grew when it matched in both
// and its max ULP grew by more than ulp.
func compareRuns(old, new *results.File, ulp float64) *runDiff {
	d := &runDiff{changes: map[string][]change{}}
	for _, f := range []*results.File{old, new} {
		if !f.Finished() {
			d.warnings = append(d.warnings, fmt.Sprintf("%s did not finish (%s): it holds only the cases it ran", f.Path, cmp.Or(f.Running, "no end line")))
		} else if f.End.Error != "" {
			d.warnings = append(d.warnings, fmt.Sprintf("%s did not run: %s", f.Path, f.End.Error))
		}
	}
	before := map[string]results.CaseResult{}
	for _, c := range old.Cases {
		before[c.Key()] = c
	}
	seen := map[string]bool{}
	for _, n := range new.Cases {
		key := n.Key()
		seen[key] = true
		o, ok := before[key]
		if !ok {
			d.onlyNew = append(d.onlyNew, key)
			continue
		}
		ch := change{key: key, target: n.Target(), backend: n.Backend, old: o.Outcome, new: n.Outcome,
			oldULP: maxULP(o), newULP: maxULP(n), detail: cmp.Or(n.Detail, n.Divergence)}
		kind := ""
		switch {
		case o.Outcome == n.Outcome:
			if matching(n.Outcome) && grew(ch.oldULP, ch.newULP, ulp) {
				kind = ulpGrew
			}
		case (matching(o.Outcome) || o.Outcome == results.NotPorted) && !matching(n.Outcome) && n.Outcome != results.NotPorted:
			kind = newlyFailing
		case n.Outcome == results.NotPorted:
			kind = newlyNotPorted
		case matching(n.Outcome):
			kind = newlyPassing
		default:
			kind = otherChange
		}
		if kind != "" {
			d.changes[kind] = append(d.changes[kind], ch)
		}
	}
	for _, o := range old.Cases {
		if !seen[o.Key()] {
			d.onlyOld = append(d.onlyOld, o.Key())
		}
	}
	return d
}

// grew reports whether the max ULP went from a to b by more than limit; a
// value that became non-finite always counts.
func grew(a, b, limit float64) bool {
	switch {
	case math.IsNaN(b) && !math.IsNaN(a):
		return true
	case math.IsNaN(b) || math.IsNaN(a):
		return false
	}
	return b-a > limit
}

func maxULP(c results.CaseResult) float64 {
	if c.Stats == nil {
		return 0
	}
	return float64(c.Stats.MaxULP)
}

func cmdDiff(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kerasparity diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ulp := fs.Float64("ulp", 2, "report matching cases whose max ULP grew by more than this")
	format := fs.String("format", "text", "text for a terminal, markdown for a pull-request comment")
	limit := fs.Int("limit", 50, "cases listed per kind of change (all are counted)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kerasparity diff [-ulp N] [-format text|markdown] [-limit N] OLD NEW")
		fmt.Fprintln(stderr, "OLD and NEW are results.jsonl files or the folders that hold them. Exit 1 on any regression.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 2 || (*format != "text" && *format != "markdown") || !(*ulp >= 0) {
		fs.Usage()
		return exitUsage
	}
	old, err := results.Read(resultsPath(fs.Arg(0)))
	if err != nil {
		fmt.Fprintln(stderr, "kerasparity diff:", err)
		return exitUsage
	}
	new, err := results.Read(resultsPath(fs.Arg(1)))
	if err != nil {
		fmt.Fprintln(stderr, "kerasparity diff:", err)
		return exitUsage
	}
	d := compareRuns(old, new, *ulp)
	writeDiff(stdout, d, *format == "markdown", *limit, *ulp)
	if d.regressions() > 0 {
		return exitFail
	}
	return exitOK
}

// writeDiff prints the comparison: a headline, a table of regressions per
// class and backend, then each kind of change with its cases.
func writeDiff(w io.Writer, d *runDiff, md bool, limit int, ulp float64) {
	total := 0
	for _, cs := range d.changes {
		total += len(cs)
	}
	head := fmt.Sprintf("%d regression%s, %d newly passing", d.regressions(), pluralS(d.regressions()), len(d.changes[newlyPassing]))
	if total == 0 {
		head = "no change: every case common to both runs has the same outcome"
	}
	if md {
		fmt.Fprintf(w, "### kerasparity diff: %s\n\n", head)
	} else {
		fmt.Fprintf(w, "kerasparity diff: %s\n", head)
	}
	for _, warn := range d.warnings {
		fmt.Fprintf(w, "%swarning: %s\n", bullet(md), warn)
	}
	if n := len(d.onlyOld) + len(d.onlyNew); n > 0 {
		fmt.Fprintf(w, "%s%d case%s only in the old run, %d only in the new (the selections differ)\n", bullet(md), len(d.onlyOld), pluralS(len(d.onlyOld)), len(d.onlyNew))
	}
	if d.regressions() > 0 {
		writeRegressionTable(w, d, md)
	}
	for _, kind := range changeKinds {
		cs := d.changes[kind]
		if len(cs) == 0 {
			continue
		}
		slices.SortFunc(cs, func(a, b change) int { return strings.Compare(a.key, b.key) })
		title := fmt.Sprintf("%s: %d", kind, len(cs))
		if kind == ulpGrew {
			title = fmt.Sprintf("%s by more than %g: %d", kind, ulp, len(cs))
		}
		if md {
			fmt.Fprintf(w, "\n#### %s\n\n", title)
		} else {
			fmt.Fprintf(w, "\n%s\n", title)
		}
		for i, c := range cs {
			if i == limit {
				fmt.Fprintf(w, "%s… and %d more\n", bullet(md), len(cs)-limit)
				break
			}
			line := fmt.Sprintf("%s: %s -> %s", c.key, c.old, c.new)
			if kind == ulpGrew {
				line = fmt.Sprintf("%s: max ULP %g -> %g", c.key, c.oldULP, c.newULP)
			} else if c.detail != "" && !matching(c.new) {
				line += ": " + oneLine(c.detail, 160)
			}
			if md {
				line = "`" + strings.ReplaceAll(line, "`", "'") + "`"
			}
			fmt.Fprintf(w, "%s%s\n", bullet(md), line)
		}
	}
}

// writeRegressionTable counts regressions per class and backend.
func writeRegressionTable(w io.Writer, d *runDiff, md bool) {
	counts := map[string]map[string]int{}
	backends := map[string]bool{}
	for kind, cs := range d.changes {
		if !regression(kind) {
			continue
		}
		for _, c := range cs {
			if counts[c.target] == nil {
				counts[c.target] = map[string]int{}
			}
			counts[c.target][c.backend]++
			backends[c.backend] = true
		}
	}
	cols := slices.Sorted(maps.Keys(backends))
	if md {
		fmt.Fprintf(w, "\n| class | %s |\n|---|%s\n", strings.Join(cols, " | "), strings.Repeat("---|", len(cols)))
	} else {
		fmt.Fprintf(w, "\nregressions per class and backend\n  %-48s", "class")
		for _, b := range cols {
			fmt.Fprintf(w, " %10s", b)
		}
		fmt.Fprintln(w)
	}
	for _, t := range slices.Sorted(maps.Keys(counts)) {
		if md {
			cells := make([]string, len(cols))
			for i, b := range cols {
				cells[i] = fmt.Sprint(counts[t][b])
			}
			fmt.Fprintf(w, "| %s | %s |\n", t, strings.Join(cells, " | "))
			continue
		}
		fmt.Fprintf(w, "  %-48s", t)
		for _, b := range cols {
			fmt.Fprintf(w, " %10d", counts[t][b])
		}
		fmt.Fprintln(w)
	}
}

func bullet(md bool) string {
	if md {
		return "- "
	}
	return "  "
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// oneLine keeps the first line of s, cut at n characters.
func oneLine(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
