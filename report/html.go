package report

import (
	"bufio"
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/results"
)

//go:embed report.html.tmpl
var pageTemplate string

// page is executed once per report; template functions format numbers so
// that NaN and infinities read as NaN, +Inf and -Inf.
var page = template.Must(template.New("report").Funcs(template.FuncMap{
	// clip keeps the index of causes to a line or two per cause; the
	// cause's own section has the whole message.
	"clip": func(s string, n int) string {
		if r := []rune(s); len(r) > n {
			return string(r[:n]) + " …"
		}
		return s
	},
	"num":             func(x any) string { return toNumber(x).String() },
	"short":           func(x any) string { return toNumber(x).Short() },
	"ulp":             func(x any) string { return toNumber(x).ULP() },
	"outcomes":        func() []results.Outcome { return results.Outcomes },
	"causeArgs":       newCauseArgs,
	"worstAt":         formatIndex,
	"outcome":         outcomeLabel,
	"joinMap":         joinMap,
	"tone":            tone,
	"note":            note,
	"stepName":        stepName,
	"notCompared":     notCompared,
	"caseNotCompared": caseNotCompared,
	"inputs":          inputs,
	"viewSteps":       viewSteps,
	"rerunOf": func(f *results.File, c *results.CaseResult) string {
		return cmp.Or(c.Rerun, rerunLine(f, c.Key()))
	},
	"plural": plural,
	"join":   func(s []string) string { return strings.Join(s, ", ") },
	"spanText": func(s []string, all int) string {
		// A cause on every backend (or dtype) of the run says so briefly;
		// the names are in the cell's title.
		if len(s) == all && all > 1 {
			return fmt.Sprintf("all %d", all)
		}
		return strings.Join(s, ", ")
	},
	"add": func(a, b int) int { return a + b },
	"sub": func(a, b int) int { return a - b },
	"min": func(a, b int) int { return min(a, b) },
	"breakable": func(id string) template.HTML {
		// Ids wrap at their slashes first (and anywhere, by CSS, when a
		// part is still too long for the column).
		parts := strings.Split(id, "/")
		for i, p := range parts {
			parts[i] = template.HTMLEscapeString(p)
		}
		return template.HTML(strings.Join(parts, "/<wbr>"))
	},
}).Parse(pageTemplate))

// causeArgs is what the "cause" template shows: a group, its place, and
// how much of it to show.
type causeArgs struct {
	I int
	G Group
	// Full is set for the causes shown with their example's inputs and
	// outputs: the largest ones.
	Full bool
	// Listed are the cases listed one by one; More counts the others.
	Listed []*results.CaseResult
	More   int
	Path   string
}

// A page stays light however broken the port: the largest causes show
// their example in full, each cause lists this many of its cases.
const (
	fullExamples = 100
	listedCases  = 1000
	// entryCases is how many cases a divergence entry lists: they are
	// known, so a sample serves.
	entryCases = 200
)

func newCauseArgs(f *results.File, i int, g Group) causeArgs {
	n := min(len(g.Cases), listedCases)
	return causeArgs{I: i, G: g, Full: i < fullExamples, Listed: g.Cases[:n], More: len(g.Cases) - n, Path: f.Path}
}

// toNumber reads the float types of the results (reference.Float, and a
// pointer to one for the worst values) as a Number.
func toNumber(x any) Number {
	switch v := x.(type) {
	case float64:
		return Number(v)
	case Number:
		return v
	case reference.Float:
		return Number(v)
	case *reference.Float:
		if v != nil {
			return Number(*v)
		}
	}
	return Number(math.NaN())
}

// pageData is what the template shows, computed from a Run.
type pageData struct {
	*Run
	Info         results.RunInfo
	End          *results.End
	Word         string
	Seconds      string
	Selection    string
	Versions     string
	FixtureCases int // cases and API checks of the manifests
	APIChecks    int
	Tiles        []tile
	Failing      int
	Matrix       matrix
	Hist         histogram
	Worst        []*results.CaseResult
	Entries      []entryView
	// Excused is the divergence entries that excused a case, largest
	// first: the causes the port already knows, for the first screen.
	Excused    []entryView
	Params     []facet
	NotPortedN int
	// NBackends and NDTypes count the backends and dtypes of the run.
	NBackends, NDTypes int
	// CrashRerun reruns the case a crashed run was running.
	CrashRerun string
	EntryCases int
}

// tile is one count on the first screen.
type tile struct {
	Label string
	N     int
	Class string
	Help  string
	Link  string // the section that shows these cases
}

// entryView is a divergence or tolerance entry of the port with the cases
// it excused (or that XPASSed under it).
type entryView struct {
	results.EntryUse
	Cases []*results.CaseResult
	// Count is the number of cases the entry touched: for a divergence,
	// counted from the cases themselves.
	Count int
}

// facet is one parameter and how many cases took each of its values.
type facet struct {
	Name   string
	Values []valueCount
}

type valueCount struct {
	Value string
	N     int
}

// WriteHTML writes the run as one self-contained HTML page made for triage:
// the verdict and an index of the causes of failure on the first screen,
// then the coverage matrix, each cause with one example in full, and the
// details. Inline CSS and SVG, no script, nothing fetched from a network, so
// it can be archived as a CI artifact and opened anywhere. Every text from
// the run is escaped.
func WriteHTML(w io.Writer, r *Run) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := page.Execute(bw, newPageData(r)); err != nil {
		return fmt.Errorf("rendering the HTML report: %w", err)
	}
	return bw.Flush()
}

func newPageData(r *Run) pageData {
	f := r.File
	d := pageData{
		Run: r, Info: f.Info, End: f.End, Word: verdictWord(r.Summary.Verdict),
		Failing: r.Summary.Counts.Broken(), Matrix: newMatrix(f.Cases, r.Groups), Hist: newHistogram(f.Cases),
		Worst: r.Worst(WorstCount), Selection: cmp.Or(f.Info.Selection, "every case of the fixtures"),
		NotPortedN: r.Summary.Counts.NotPorted,
		NBackends:  len(r.Summary.ByBackend), NDTypes: len(r.Summary.ByDType),
		EntryCases: entryCases,
	}
	if f.End == nil && f.Running != "" {
		d.CrashRerun = rerunLine(f, f.Running)
	}
	if f.End != nil {
		d.Seconds = strconv.FormatFloat(f.End.Seconds, 'f', 1, 64) + " s"
		d.Entries = entryViews(f)
		for _, e := range d.Entries {
			if e.Kind == "divergence" && e.Count > 0 {
				d.Excused = append(d.Excused, e)
			}
		}
		slices.SortStableFunc(d.Excused, func(a, b entryView) int { return cmp.Compare(b.Count, a.Count) })
		d.Params = facets(f.End.Params)
	}
	var versions []string
	for _, m := range f.Info.Manifests {
		d.FixtureCases += m.Cases + m.APIChecks
		d.APIChecks += m.APIChecks
		v := m.Backend
		if k := m.Versions["keras"]; k != "" {
			v += " (Keras " + k
			if b := m.Versions[m.Backend]; b != "" {
				v += ", " + m.Backend + " " + b
			}
			v += ")"
		}
		versions = append(versions, v)
	}
	d.Versions = strings.Join(versions, " · ")
	c := r.Summary.Counts
	d.Tiles = []tile{
		{"pass", c.Pass, "pass", "match Keras within tolerance", "worst"},
		{"fail", c.Fail, "fail", "computed something Keras did not", "causes"},
		{"error", c.Error, "error", "panicked, hung, malformed output or wrote into inputs", "causes"},
		{"nondeterministic", c.Nondeterministic, "nondeterministic", "two runs of the case differ", "causes"},
		{"not ported", c.NotPorted, "not_ported", "the port does not implement it", "not-ported"},
		{"known divergence", c.KnownDivergence, "known_divergence", "fails, and the port says why", "divergences"},
		{"XPASS", c.XPass, "xpass", "listed as divergent, yet matches", "divergences"},
	}
	return d
}

// entryViews pairs each divergence entry with the cases it touched. A case
// records the reasons of the entries that excused its findings, joined by
// " / " (the suite refuses a reason given twice, so a reason names one
// entry), or the reason of the entry it XPASSes.
func entryViews(f *results.File) []entryView {
	out := make([]entryView, 0, len(f.End.Entries))
	for _, e := range f.End.Entries {
		v := entryView{EntryUse: e, Count: e.Matched}
		if e.Kind == "divergence" {
			for i := range f.Cases {
				if c := &f.Cases[i]; hasReason(c.Divergence, e.Reason) {
					v.Cases = append(v.Cases, c)
				}
			}
			v.Count = len(v.Cases)
		}
		out = append(out, v)
	}
	return out
}

// hasReason reports whether reason is one of the " / "-joined reasons.
func hasReason(joined, reason string) bool {
	if joined == "" || reason == "" {
		return false
	}
	const sep = " / "
	return joined == reason || strings.HasPrefix(joined, reason+sep) ||
		strings.HasSuffix(joined, sep+reason) || strings.Contains(joined, sep+reason+sep)
}

// facets turns End.Params into rows: parameters by name, values by count.
func facets(params map[string]map[string]int) []facet {
	out := make([]facet, 0, len(params))
	for _, name := range slices.Sorted(maps.Keys(params)) {
		f := facet{Name: name}
		for v, n := range params[name] {
			f.Values = append(f.Values, valueCount{v, n})
		}
		slices.SortFunc(f.Values, func(a, b valueCount) int {
			return cmp.Or(cmp.Compare(b.N, a.N), strings.Compare(a.Value, b.Value))
		})
		out = append(out, f)
	}
	return out
}

// rerunLine is the command that reruns the case with this key: RunInfo.Rerun
// with {case} and {out} filled in, shell-quoted, as the suites fill it for
// the cases that do not pass (passing cases are written without one).
func rerunLine(f *results.File, key string) string {
	if f.Info.Rerun == "" {
		return ""
	}
	return strings.NewReplacer("{case}", results.ShellQuote(key),
		"{out}", results.ShellQuote(filepath.Join(filepath.Dir(f.Path), "rerun"))).Replace(f.Info.Rerun)
}

// viewStep is one row of an example's steps, with the step it shows and
// whether a finding was made there.
type viewStep struct {
	results.StepView
	Label   string
	Flagged bool
}

// viewSteps labels the rows of a case's view with their steps. The view
// of a case whose port refused the config opens with that refusal (the
// finding at step -1), before the fixture's steps.
func viewSteps(c *results.CaseResult) []viewStep {
	if c.View == nil {
		return nil
	}
	first := 0
	if len(c.Findings) > 0 && c.Findings[0].Step < 0 && len(c.View.Steps) > 0 && c.View.Steps[0].Op == "construct" {
		first = -1
	}
	flagged := map[int]bool{}
	for _, f := range c.Findings {
		flagged[f.Step] = true
	}
	out := make([]viewStep, len(c.View.Steps))
	for i, sv := range c.View.Steps {
		step := first + i
		out[i] = viewStep{StepView: sv, Label: stepName(step, sv.Op), Flagged: flagged[step]}
	}
	return out
}

// verdictWord is the verdict as the banner shouts it.
func verdictWord(v Verdict) string {
	switch v {
	case VerdictPass:
		return "PASS"
	case VerdictFail:
		return "FAIL"
	case VerdictEmpty:
		return "NOTHING CHECKED"
	}
	return "BROKEN RUN"
}

// namedText is one input of a step, in the order Keras takes them.
type namedText struct{ Name, Value string }

func inputs(m map[string]string) []namedText {
	order := []string{"y_true", "y_pred", "sample_weight"}
	names := slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		if ia < 0 {
			ia = len(order)
		}
		if ib < 0 {
			ib = len(order)
		}
		return cmp.Or(cmp.Compare(ia, ib), strings.Compare(a, b))
	})
	out := make([]namedText, len(names))
	for i, n := range names {
		out[i] = namedText{n, m[n]}
	}
	return out
}

// joinMap writes a map as "key=value · key=value", sorted by key.
func joinMap(m map[string]string) string {
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, k+"="+m[k])
	}
	return strings.Join(parts, " · ")
}
