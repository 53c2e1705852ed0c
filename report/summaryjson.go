package report

import (
	"encoding/json"
	"io"
	"time"
)

// SummaryFormat names the layout of summary.json; it changes when a field
// changes meaning or goes away.
const SummaryFormat = "kerasparity-summary/1"

// WorstCount is how many matching cases the summary and the page list as the
// worst-fitting ones.
const WorstCount = 20

// summaryDoc is summary.json. Its fields are structs and maps, so encoding/json
// writes its keys in a stable order (struct order, then sorted map keys).
type summaryDoc struct {
	Format          string    `json:"format"`
	Port            string    `json:"port"`
	Fixtures        string    `json:"fixtures"`
	LabelFilter     string    `json:"label_filter"`
	Focus           []string  `json:"focus,omitempty"`
	Started         time.Time `json:"started"`
	DurationSeconds float64   `json:"duration_seconds"`
	Summary
	// Failing lists every failing and error case; Worst the matching
	// cases that fit Keras least.
	Failing   []caseLine     `json:"failing"`
	Worst     []caseLine     `json:"worst"`
	Manifests []ManifestInfo `json:"manifests"`
}

// caseLine is one case in summary.json.
type caseLine struct {
	ID      string  `json:"id"`
	Backend string  `json:"backend"`
	Class   string  `json:"class"`
	DType   string  `json:"dtype"`
	Outcome Outcome `json:"outcome"`
	Detail  string  `json:"detail,omitempty"`
	MaxULP  *Number `json:"max_ulp,omitempty"`
	MaxAbs  *Number `json:"max_abs,omitempty"`
	MaxRel  *Number `json:"max_rel,omitempty"`
	Rerun   string  `json:"rerun"`
}

func lineOf(c Case) caseLine {
	l := caseLine{ID: c.ID, Backend: c.Backend, Class: c.Class, DType: c.DType, Outcome: c.Outcome, Detail: c.Detail, Rerun: c.Rerun}
	if s := c.Stats; s != nil {
		ulp, abs, rel := Number(s.MaxULP), Number(s.MaxAbs), Number(s.MaxRel)
		l.MaxULP, l.MaxAbs, l.MaxRel = &ulp, &abs, &rel
	}
	return l
}

func linesOf(cases []Case) []caseLine {
	lines := make([]caseLine, len(cases))
	for i, c := range cases {
		lines[i] = lineOf(c)
	}
	return lines
}

// WriteSummary writes the compact JSON summary of a run that CI systems
// gate on: the verdict, the counts, the maximum ULP distances, every failing
// case with its rerun line, the worst-fitting matching cases, and the
// provenance of the fixtures. Non-finite numbers are written as strings.
func WriteSummary(w io.Writer, run *Run) error {
	doc := summaryDoc{
		Format: SummaryFormat, Port: run.Info.Port, Fixtures: run.Info.Fixtures,
		LabelFilter: run.Info.LabelFilter, Focus: run.focus(),
		Started: run.Start, DurationSeconds: run.Duration.Seconds(),
		Summary: run.Summary,
		Failing: linesOf(run.Failing()), Worst: linesOf(run.Worst(WorstCount)),
		Manifests: run.Info.Manifests,
	}
	if doc.Warnings == nil {
		doc.Warnings = []string{}
	}
	if doc.Manifests == nil {
		doc.Manifests = []ManifestInfo{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // read in CI logs, not in a browser
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// focus is every suite's focus and skip strings.
func (r *Run) focus() []string {
	var f []string
	for _, s := range r.Suites {
		f = append(f, s.Focus...)
	}
	return f
}
