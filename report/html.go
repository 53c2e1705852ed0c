package report

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

//go:embed report.html.tmpl
var pageTemplate string

// page is executed once per report; template functions format numbers so
// that NaN and infinities read as NaN, +Inf and -Inf.
var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"num":      func(x float64) string { return Number(x).String() },
	"short":    func(x float64) string { return Number(x).Short() },
	"ulp":      func(x float64) string { return Number(x).ULP() },
	"index":    formatIndex,
	"outcome":  outcomeLabel,
	"joinMap":  joinMap,
	"segments": func(id string) []string { return strings.Split(id, "/") },
	"steps":    func(n int) string { return plural(n, "step", "steps") },
}).Parse(pageTemplate))

// pageData is what the template shows, computed from a Run.
type pageData struct {
	*Run
	Date, Duration string
	Selection      string
	Tiles          []tile
	Failing        []Case
	Worst          []Case
	Diverging      []Case
	NotPorted      []notPortedGroup
	Matrix         matrix
	Classes        []classView
	Hist           histogram
	FixtureCases   int
}

// tile is one count in the verdict banner.
type tile struct {
	Label string
	N     int
	Class string
	Help  string
}

// notPortedGroup is the not-ported cases of one class that share a reason.
type notPortedGroup struct {
	Class, Detail string
	N             int
}

// maxNotPortedGroups bounds the not-ported list; a port that lacks whole
// classes has few groups, one that refuses every config value has many.
const maxNotPortedGroups = 60

// WriteHTML writes the run as one self-contained HTML page: inline CSS and
// SVG, no script, nothing fetched from a network, so it can be archived as a
// CI artifact and opened anywhere. Every text from the run is escaped.
func WriteHTML(w io.Writer, run *Run) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := page.Execute(bw, newPageData(run)); err != nil {
		return fmt.Errorf("rendering the HTML report: %w", err)
	}
	return bw.Flush()
}

func newPageData(run *Run) pageData {
	d := pageData{
		Run: run, Date: "unknown", Duration: run.Duration.Round(time.Millisecond).String(),
		Failing: run.Failing(), Worst: run.Worst(WorstCount),
		Matrix: newMatrix(run.Cases), Classes: newClassViews(run.Cases, run.Summary.MaxULPByClass),
		Hist: newHistogram(run.Cases),
	}
	if !run.Start.IsZero() {
		d.Date = run.Start.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	var sel []string
	if f := run.Info.LabelFilter; f != "" {
		sel = append(sel, "label filter "+f)
	}
	sel = append(sel, run.focus()...)
	d.Selection = strings.Join(sel, "; ")
	if d.Selection == "" {
		d.Selection = "none: every case of the fixtures"
	}
	c := run.Summary.Counts
	d.Tiles = []tile{
		{"pass", c.Pass, "pass", "values, shapes, dtypes and errors match Keras within tolerance"},
		{"fail", c.Fail, "fail", "the port computed something Keras did not"},
		{"error", c.Error, "error", "the port panicked or returned malformed output, or the spec broke down"},
		{"not ported", c.NotPorted, "not_ported", "the port says it does not implement this class or config"},
		{"known divergence", c.KnownDivergence, "known_divergence", "fails, and the port documents why"},
		{"XPASS", c.XPass, "xpass", "listed as a known divergence, yet matches Keras: remove the entry"},
	}
	groups := map[[2]string]int{}
	for _, k := range run.Cases {
		switch k.Outcome {
		case KnownDivergence, XPass:
			d.Diverging = append(d.Diverging, k)
		case NotPorted:
			groups[[2]string{k.Class, k.Detail}]++
		}
	}
	for _, g := range slices.SortedFunc(maps.Keys(groups), func(a, b [2]string) int {
		return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1])
	}) {
		d.NotPorted = append(d.NotPorted, notPortedGroup{g[0], g[1], groups[g]})
	}
	for _, m := range run.Info.Manifests {
		d.FixtureCases += m.Cases
	}
	return d
}

// NotPortedShown is the part of the not-ported groups the page lists.
func (d pageData) NotPortedShown() []notPortedGroup {
	return d.NotPorted[:min(len(d.NotPorted), maxNotPortedGroups)]
}

// VerdictWord is the verdict as the banner shouts it.
func (d pageData) VerdictWord() string {
	switch d.Summary.Verdict {
	case VerdictPass:
		return "PASS"
	case VerdictEmpty:
		return "NOTHING CHECKED"
	}
	return "FAIL"
}

// formatIndex writes an N-d index as (i, j, ...), and "scalar" for a 0-d one.
func formatIndex(idx []int) string {
	if len(idx) == 0 {
		return "scalar"
	}
	parts := make([]string, len(idx))
	for i, v := range idx {
		parts[i] = fmt.Sprint(v)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// outcomeLabel is how an outcome is written on the page.
func outcomeLabel(o Outcome) string {
	switch o {
	case Pass:
		return "pass"
	case Fail:
		return "FAIL"
	case Error:
		return "ERROR"
	case NotPorted:
		return "not ported"
	case KnownDivergence:
		return "known divergence"
	case XPass:
		return "XPASS"
	}
	return string(o)
}

// joinMap writes a map as "key value · key value", sorted by key.
func joinMap(m map[string]string) string {
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, k+" "+m[k])
	}
	return strings.Join(parts, " · ")
}
