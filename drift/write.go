package drift

import (
	"cmp"
	"fmt"
	"github.com/kerasparity/kerasparity/caseview"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Options shape a written report.
type Options struct {
	// Top is how many of the largest value changes are listed per backend,
	// by absolute and by relative change.
	Top int
	// Examples is how many cases are listed per class for each cause (every
	// case is counted).
	Examples int
}

// DefaultOptions lists the 15 largest changes and 5 cases per class and cause.
var DefaultOptions = Options{Top: 15, Examples: 5}

// RoundingULP is the largest change, in ULP of the value's dtype, that the
// report calls rounding: an order of operations changed, not the formula.
const RoundingULP = 4

// WriteMarkdown writes the report as a Markdown page.
func WriteMarkdown(w io.Writer, r *Report, o Options) error {
	return write(&doc{w: w, md: true}, r, o)
}

// WriteText writes the report as plain text for a terminal.
func WriteText(w io.Writer, r *Report, o Options) error {
	return write(&doc{w: w}, r, o)
}

// Title is the report's one-line summary: the two Keras versions.
func (r *Report) Title() string {
	from, to := r.kerasVersions()
	return fmt.Sprintf("Keras drift: %s -> %s", from, to)
}

// kerasVersions are the Keras versions of each side, "a, b" when the
// backends disagree.
func (r *Report) kerasVersions() (from, to string) {
	var fs, ts []string
	for _, b := range r.Backends {
		if v := b.FromVersions["keras"]; !slices.Contains(fs, v) {
			fs = append(fs, v)
		}
		if v := b.ToVersions["keras"]; !slices.Contains(ts, v) {
			ts = append(ts, v)
		}
	}
	if len(fs) == 0 {
		return "?", "?"
	}
	return strings.Join(fs, ", "), strings.Join(ts, ", ")
}

func write(d *doc, r *Report, o Options) error {
	from, to := r.kerasVersions()
	d.heading(1, r.Title())
	d.para(fmt.Sprintf("What changes for every case of the catalogue when Keras %s is replaced by Keras %s, "+
		"comparing the fixture sets %s (Keras %s) and %s (Keras %s), backend by backend and case by case. "+
		"A changed case is one whose output or refusal changed: %s (a case with several changed steps counts "+
		"once, under the first of these causes that it shows). Cases whose error message alone changed, "+
		"or whose config (what get_config() returns) alone changed, are counted apart. "+
		"Value changes of at most %d ULP of the value's dtype are counted as well in their own column: "+
		"most likely an order of operations changed, not a formula.",
		from, to, d.code(r.From), from, d.code(r.To), to, causeList(), RoundingULP))
	if len(r.OnlyFrom)+len(r.OnlyTo) > 0 {
		d.para(fmt.Sprintf("Backends in one set only, not compared: %s.", strings.Join(append(slices.Clone(r.OnlyFrom), r.OnlyTo...), ", ")))
	}
	writeHeadline(d, r)
	for _, b := range r.Backends {
		writeBackend(d, b, from, to, o)
	}
	return d.err
}

func causeList() string {
	var names []string
	for _, c := range Causes {
		if c.Material() {
			names = append(names, c.String())
		}
	}
	return strings.Join(names, ", ")
}

// writeHeadline writes the counts per backend and cause, then per class and
// backend.
func writeHeadline(d *doc, r *Report) {
	d.heading(2, "Headline")
	var lines []string
	for _, b := range r.Backends {
		lines = append(lines, fmt.Sprintf("%s: %d of %d cases changed (%s)%s", b.Name, b.Changed(), b.Cases,
			percent(b.Changed(), b.Cases), biggest(b, 4)))
	}
	d.list(lines)
	head := []string{"backend", "cases", "changed"}
	for _, c := range Causes {
		head = append(head, c.String())
		if c == ValueChanged {
			head = append(head, fmt.Sprintf("of which <= %d ULP", RoundingULP))
		}
	}
	var rows [][]string
	for _, b := range r.Backends {
		row := []string{b.Name, strconv.Itoa(b.Cases), strconv.Itoa(b.Changed())}
		for _, c := range Causes {
			row = append(row, strconv.Itoa(b.Count(c)))
			if c == ValueChanged {
				row = append(row, strconv.Itoa(b.rounding()))
			}
		}
		rows = append(rows, row)
	}
	d.table(head, rows)

	// Changed cases per class and backend, most changed first.
	counts := map[string]map[string]int{}
	totals := map[string]int{}
	for _, b := range r.Backends {
		for _, c := range b.Changes {
			if !c.Cause.Material() {
				continue
			}
			if counts[c.Group()] == nil {
				counts[c.Group()] = map[string]int{}
			}
			counts[c.Group()][b.Name]++
			totals[c.Group()]++
		}
	}
	if len(counts) == 0 {
		d.para("No case changed its output or refusal.")
		return
	}
	d.para("Changed cases per class and backend (the causes are in each backend's section):")
	head = []string{"class"}
	for _, b := range r.Backends {
		head = append(head, b.Name)
	}
	rows = nil
	for _, g := range byCount(totals) {
		row := []string{g}
		for _, b := range r.Backends {
			row = append(row, strconv.Itoa(counts[g][b.Name]))
		}
		rows = append(rows, row)
	}
	d.table(head, rows)
}

// biggest names the n classes with the most changed cases and their main
// cause: ": loss/Tversky 70 (value changed), ...".
func biggest(b *Backend, n int) string {
	totals := map[string]int{}
	causes := map[string]map[Cause]int{}
	for _, c := range b.Changes {
		if !c.Cause.Material() {
			continue
		}
		totals[c.Group()]++
		if causes[c.Group()] == nil {
			causes[c.Group()] = map[Cause]int{}
		}
		causes[c.Group()][c.Cause]++
	}
	groups := byCount(totals)
	if len(groups) == 0 {
		return ""
	}
	var parts []string
	for _, g := range groups[:min(n, len(groups))] {
		var cs []string
		for _, c := range Causes {
			if k := causes[g][c]; k > 0 {
				cs = append(cs, fmt.Sprintf("%d %s", k, c))
			}
		}
		parts = append(parts, fmt.Sprintf("%s %d (%s)", g, totals[g], strings.Join(cs, ", ")))
	}
	more := ""
	if len(groups) > n {
		more = fmt.Sprintf(" and %d more class%s", len(groups)-n, pluralES(len(groups)-n))
	}
	return ": " + strings.Join(parts, "; ") + more
}

// byCount returns the keys by descending count, then by name.
func byCount(m map[string]int) []string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(m[b], m[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return keys
}

func writeBackend(d *doc, b *Backend, from, to string, o Options) {
	d.heading(2, "Backend "+b.Name)
	d.para(fmt.Sprintf("%s -> %s. %d cases compared, %d changed (%s).",
		versionLine(b.FromVersions), versionLine(b.ToVersions), b.Cases, b.Changed(), percent(b.Changed(), b.Cases)))
	var notes []string
	notes = append(notes, b.Warnings...)
	if len(b.OnlyFrom)+len(b.OnlyTo) > 0 {
		notes = append(notes, fmt.Sprintf("%d case%s only in the older set, %d only in the newer (not compared)%s",
			len(b.OnlyFrom), pluralS(len(b.OnlyFrom)), len(b.OnlyTo), firstIDs(b.OnlyFrom, b.OnlyTo, d)))
	}
	d.list(notes)
	if len(b.Changes) > 0 {
		writeClassTable(d, b)
		writeLargest(d, b, from, to, o.Top)
		for _, c := range Causes {
			writeCause(d, b, c, o.Examples)
		}
	}
	if len(b.API) > 0 {
		d.heading(3, fmt.Sprintf("%s: API changes (%d)", b.Name, len(b.API)))
		d.para("Exported loss and metric classes and their constructor arguments, as the manifests record them.")
		d.list(b.API)
	}
}

func firstIDs(a, b []string, d *doc) string {
	ids := append(slices.Clone(a), b...)
	if len(ids) == 0 {
		return ""
	}
	var parts []string
	for _, id := range ids[:min(3, len(ids))] {
		parts = append(parts, d.code(id))
	}
	return ", e.g. " + strings.Join(parts, ", ")
}

func versionLine(v map[string]string) string {
	parts := []string{"Keras " + v["keras"]}
	for _, k := range slices.Sorted(maps.Keys(v)) {
		if k != "keras" {
			parts = append(parts, k+" "+v[k])
		}
	}
	return strings.Join(parts, ", ")
}

// writeClassTable counts the changes per class and cause.
func writeClassTable(d *doc, b *Backend) {
	d.heading(3, b.Name+": changes by class and cause")
	counts := map[string]map[Cause]int{}
	total := map[string]int{}
	rounding := map[string]int{}
	for _, c := range b.Changes {
		g := c.Group()
		if counts[g] == nil {
			counts[g] = map[Cause]int{}
		}
		counts[g][c.Cause]++
		if c.Cause.Material() {
			total[g]++
		} else if _, ok := total[g]; !ok {
			total[g] = 0
		}
		if c.Cause == ValueChanged && isRounding(c.Value) {
			rounding[g]++
		}
	}
	head := []string{"class", "changed"}
	for _, c := range Causes {
		head = append(head, c.String())
		if c == ValueChanged {
			head = append(head, fmt.Sprintf("of which <= %d ULP", RoundingULP))
		}
	}
	var rows [][]string
	for _, g := range byCount(total) {
		row := []string{g, strconv.Itoa(total[g])}
		for _, c := range Causes {
			row = append(row, strconv.Itoa(counts[g][c]))
			if c == ValueChanged {
				row = append(row, strconv.Itoa(rounding[g]))
			}
		}
		rows = append(rows, row)
	}
	d.table(head, rows)
}

// rounding counts the value changes within RoundingULP.
func (b *Backend) rounding() int {
	n := 0
	for _, c := range b.Changes {
		if c.Cause == ValueChanged && isRounding(c.Value) {
			n++
		}
	}
	return n
}

// isRounding reports whether a value change is within RoundingULP and finite.
func isRounding(v *ValueDiff) bool {
	return v != nil && v.NonFinite == 0 && v.MaxULP <= RoundingULP
}

// writeLargest lists the largest finite value changes, by absolute and by
// relative change, and counts the non-finite ones.
func writeLargest(d *doc, b *Backend, from, to string, top int) {
	var finite []*Change
	nonFinite := 0
	for _, c := range b.Changes {
		if c.Value == nil || !c.Cause.Material() {
			continue
		}
		if c.Value.NonFinite > 0 {
			nonFinite++
		}
		if !math.IsInf(c.Value.MaxAbs, 0) {
			finite = append(finite, c)
		}
	}
	if len(finite) == 0 && nonFinite == 0 {
		return
	}
	head := []string{"case", "step", "index", from, to, "abs", "rel", "ulp"}
	row := func(c *Change, idx []int, x, y float64) []string {
		v := c.Value
		return []string{d.code(c.ID), strconv.Itoa(v.Step), fmtShape(idx), caseview.Number(x, v.DType), caseview.Number(y, v.DType),
			fmtErr(math.Abs(y - x)), fmtErr(relChange(x, y)), fmtErr(v.MaxULP)}
	}
	if top > 0 && len(finite) > 0 {
		d.heading(3, fmt.Sprintf("%s: largest absolute changes", b.Name))
		slices.SortStableFunc(finite, func(p, q *Change) int { return cmp.Compare(q.Value.MaxAbs, p.Value.MaxAbs) })
		var rows [][]string
		for _, c := range finite[:min(top, len(finite))] {
			rows = append(rows, row(c, c.Value.AbsIndex, c.Value.AbsFrom, c.Value.AbsTo))
		}
		d.table(head, rows)
		d.heading(3, fmt.Sprintf("%s: largest relative changes", b.Name))
		slices.SortStableFunc(finite, func(p, q *Change) int { return cmp.Compare(q.Value.MaxRel, p.Value.MaxRel) })
		rows = nil
		for _, c := range finite[:min(top, len(finite))] {
			rows = append(rows, row(c, c.Value.RelIndex, c.Value.RelFrom, c.Value.RelTo))
		}
		d.table(head, rows)
		d.para("The step and index are where the largest change of the case is; abs and rel are that element's, ulp is the case's largest in its dtype.")
	}
	if nonFinite > 0 {
		d.para(fmt.Sprintf("%d changed case%s turned a value into NaN or infinity or the reverse (listed below under their cause).", nonFinite, pluralS(nonFinite)))
	}
}

func relChange(x, y float64) float64 {
	if x == y {
		return 0
	}
	if x == 0 {
		return math.Inf(1)
	}
	return math.Abs(y-x) / math.Abs(x)
}

// writeCause lists the cases of one cause, grouped by class, with up to
// examples cases each.
func writeCause(d *doc, b *Backend, cause Cause, examples int) {
	byClass := map[string][]*Change{}
	n := 0
	for _, c := range b.Changes {
		if c.Cause == cause {
			byClass[c.Group()] = append(byClass[c.Group()], c)
			n++
		}
	}
	if n == 0 {
		return
	}
	d.heading(3, fmt.Sprintf("%s: %s (%d)", b.Name, cause, n))
	counts := map[string]int{}
	for g, cs := range byClass {
		counts[g] = len(cs)
	}
	var items []string
	for _, g := range byCount(counts) {
		cs := byClass[g]
		var sub []string
		for _, c := range cs[:min(examples, len(cs))] {
			sub = append(sub, d.code(c.ID)+" "+changeLine(d, c))
		}
		if len(cs) > examples {
			sub = append(sub, fmt.Sprintf("and %d more", len(cs)-examples))
		}
		items = append(items, d.nested(fmt.Sprintf("%s: %d%s", g, len(cs), classSummary(cause, cs)), sub))
	}
	d.list(items)
}

// classSummary adds what the cases of one class and cause share: the range
// of value changes, or the distinct error types.
func classSummary(cause Cause, cs []*Change) string {
	switch cause {
	case ValueChanged:
		var maxAbs, maxRel, maxULP float64
		rounding := 0
		for _, c := range cs {
			maxAbs = max(maxAbs, c.Value.MaxAbs)
			maxRel = max(maxRel, c.Value.MaxRel)
			maxULP = max(maxULP, c.Value.MaxULP)
			if isRounding(c.Value) {
				rounding++
			}
		}
		return fmt.Sprintf(" (largest abs %s, rel %s, %s ULP; %d within %d ULP)", fmtErr(maxAbs), fmtErr(maxRel), fmtErr(maxULP), rounding, RoundingULP)
	case NewlyRefused, ErrorTypeChanged, MessageChanged:
		return " (" + errorTypes(cs, func(c *Change) string { return c.To }) + ")"
	case NewlyAccepted:
		return " (were " + errorTypes(cs, func(c *Change) string { return c.From }) + ")"
	case ConfigChanged:
		keys := map[string]int{}
		for _, c := range cs {
			for _, k := range c.ConfigKeys {
				keys[k]++
			}
		}
		var parts []string
		for _, k := range byCount(keys) {
			parts = append(parts, fmt.Sprintf("%s %d", k, keys[k]))
		}
		return " (keys: " + strings.Join(parts, ", ") + ")"
	}
	return ""
}

// errorTypes counts the exception classes of one side: "ValueError 12, TypeError 3".
func errorTypes(cs []*Change, side func(*Change) string) string {
	types := map[string]int{}
	for _, c := range cs {
		t, _, _ := strings.Cut(side(c), ":")
		types[t]++
	}
	var parts []string
	for _, t := range byCount(types) {
		parts = append(parts, fmt.Sprintf("%s %d", t, types[t]))
	}
	return strings.Join(parts, ", ")
}

// changeLine is one case's change: where, and both sides.
func changeLine(d *doc, c *Change) string {
	where := fmt.Sprintf("step %d (%s)", c.Step, c.Op)
	switch c.Cause {
	case ValueChanged:
		v := c.Value
		return fmt.Sprintf("%s: %s -> %s at %s (abs %s, rel %s, %s ULP; %d of %d elements)",
			where, caseview.Number(v.AbsFrom, v.DType), caseview.Number(v.AbsTo, v.DType), fmtShape(v.AbsIndex),
			fmtErr(v.MaxAbs), fmtErr(v.MaxRel), fmtErr(v.MaxULP), v.Differing, v.Elements)
	case ConfigChanged:
		return fmt.Sprintf("%s -> %s", d.code(oneLine(c.From, 160)), d.code(oneLine(c.To, 160)))
	}
	return fmt.Sprintf("%s: %s -> %s", where, d.code(oneLine(c.From, 160)), d.code(oneLine(c.To, 160)))
}

// fmtErr writes an error measure with three significant digits.
func fmtErr(x float64) string {
	if math.IsInf(x, 1) {
		return "inf"
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}

func percent(n, of int) string {
	if of == 0 {
		return "0%"
	}
	return strconv.FormatFloat(100*float64(n)/float64(of), 'f', 1, 64) + "%"
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func pluralES(n int) string {
	if n == 1 {
		return ""
	}
	return "es"
}

// oneLine keeps the first line of s, cut at n bytes.
func oneLine(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
