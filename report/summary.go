package report

import (
	"cmp"
	"encoding/json"
	"io"
	"slices"

	"github.com/kerasparity/kerasparity/results"
)

// SummaryFormat names the layout of summary.json; it changes when a field
// changes meaning or goes away.
const SummaryFormat = "kerasparity-summary/2"

// FailingCap is how many failing cases summary.json lists one by one; the
// rest are counted (failing_more), and every one of them is in a cause.
const FailingCap = 500

// summaryDoc is summary.json, the file CI gates read. Its fields are structs
// and maps, so encoding/json writes its keys in a stable order (struct
// order, then sorted map keys): the same results give the same bytes.
// Non-finite numbers are the strings "NaN", "+Inf" and "-Inf".
//
//	{
//	  "format": "kerasparity-summary/2",
//	  "verdict": "pass" | "fail" | "empty" | "broken",
//	  "reason": "one sentence",
//	  "exit_code": 0 | 1 | 3 | 4,
//	  "run": {port, fixtures, suite, selection, options, rerun, show, manifests,
//	          finished, running, truncated, seconds, error},
//	  "counts": {total, pass, fail, error, nondeterministic, not_ported, known_divergence, xpass},
//	  "by_backend" | "by_class" | "by_dtype": {name: counts},
//	  "max_ulp": {backend: {dtype: ulp}},          // every compared value, failing cases included
//	  "max_ulp_matching": {backend: {dtype: ulp}}, // pass and XPASS cases only
//	  "causes": [{key, count, outcomes, class, check, message, backends, dtypes, example}],
//	  "not_ported": [{key, count, class, reason, backends, dtypes, example}],
//	  "failing": [{id, backend, class, dtype, outcome, cause, detail, rerun}], // at most FailingCap
//	  "failing_more": n,                            // failing cases left out of "failing"
//	  "worst": [{id, backend, class, dtype, outcome, max_ulp, max_abs, max_rel, rerun}],
//	  "failures": [...], "warnings": [...],
//	  "entries": [{kind, index, summary, reason, link, matched, xpass, largest_ulp, cases}],
//	  "params": {param: {value: cases}}
//	}
type summaryDoc struct {
	Format    string                       `json:"format"`
	Verdict   Verdict                      `json:"verdict"`
	Reason    string                       `json:"reason"`
	ExitCode  int                          `json:"exit_code"`
	Run       runDoc                       `json:"run"`
	Counts    results.Counts               `json:"counts"`
	ByBackend map[string]results.Counts    `json:"by_backend"`
	ByClass   map[string]results.Counts    `json:"by_class"`
	ByDType   map[string]results.Counts    `json:"by_dtype"`
	MaxULP    map[string]map[string]Number `json:"max_ulp"`
	// MaxULPMatching is over matching cases only.
	MaxULPMatching map[string]map[string]Number `json:"max_ulp_matching"`
	Causes         []causeDoc                   `json:"causes"`
	NotPorted      []causeDoc                   `json:"not_ported"`
	Failing        []caseDoc                    `json:"failing"`
	FailingMore    int                          `json:"failing_more"`
	Worst          []caseDoc                    `json:"worst"`
	Failures       []string                     `json:"failures"`
	Warnings       []string                     `json:"warnings"`
	Entries        []entryDoc                   `json:"entries"`
	Params         map[string]map[string]int    `json:"params,omitempty"`
}

// runDoc is what was checked against what, and how the run ended.
type runDoc struct {
	results.RunInfo
	Finished  bool    `json:"finished"`
	Running   string  `json:"running,omitempty"`
	Truncated bool    `json:"truncated,omitempty"`
	Seconds   float64 `json:"seconds"`
	Error     string  `json:"error,omitempty"`
}

// causeDoc is one cause (or one not ported reason) in summary.json.
type causeDoc struct {
	Key      string         `json:"key"`
	Count    int            `json:"count"`
	Outcomes results.Counts `json:"outcomes"`
	Class    string         `json:"class"`
	Check    string         `json:"check,omitempty"`
	Message  string         `json:"message"`
	Backends []string       `json:"backends"`
	DTypes   []string       `json:"dtypes"`
	// Example is the case the page shows in full, as "[backend] id".
	Example string `json:"example"`
}

// entryDoc is a divergence or tolerance entry of the port with the number
// of cases it touched (for a divergence: counted from the cases, which
// "matched" may not be).
type entryDoc struct {
	results.EntryUse
	Cases int `json:"cases"`
}

// caseDoc is one case in summary.json.
type caseDoc struct {
	ID      string          `json:"id"`
	Backend string          `json:"backend"`
	Class   string          `json:"class"`
	DType   string          `json:"dtype,omitempty"`
	Outcome results.Outcome `json:"outcome"`
	Cause   string          `json:"cause,omitempty"`
	Detail  string          `json:"detail,omitempty"`
	MaxULP  *Number         `json:"max_ulp,omitempty"`
	MaxAbs  *Number         `json:"max_abs,omitempty"`
	MaxRel  *Number         `json:"max_rel,omitempty"`
	Rerun   string          `json:"rerun,omitempty"`
}

func caseDocOf(c *results.CaseResult, cause string, stats bool) caseDoc {
	d := caseDoc{ID: c.ID, Backend: c.Backend, Class: c.Target(), DType: c.DType, Outcome: c.Outcome, Cause: cause, Rerun: c.Rerun}
	if cause != "" {
		d.Detail = c.Detail
	}
	if s := c.Stats; s != nil && stats {
		ulp, abs, rel := Number(s.MaxULP), Number(s.MaxAbs), Number(s.MaxRel)
		d.MaxULP, d.MaxAbs, d.MaxRel = &ulp, &abs, &rel
	}
	return d
}

func causeDocs(groups []Group, reason bool) []causeDoc {
	out := make([]causeDoc, 0, len(groups))
	for i := range groups {
		g := &groups[i]
		d := causeDoc{Key: g.Key, Count: g.Count(), Outcomes: g.Outcomes, Class: g.Target, Message: g.Message,
			Backends: g.Backends, DTypes: g.DTypes, Example: g.Example.Key()}
		if !reason {
			d.Check = g.Check
		}
		out = append(out, d)
	}
	return out
}

// WriteSummary writes summary.json: the verdict and its reason, the counts,
// the largest ULP distances, the causes of failure, the failing cases (up to
// FailingCap) with their rerun lines, and what was checked against what. It
// stays small however many cases pass: passing cases are only counted.
func WriteSummary(w io.Writer, r *Run) error {
	f, s := r.File, r.Summary
	doc := summaryDoc{
		Format: SummaryFormat, Verdict: s.Verdict, Reason: s.Reason, ExitCode: r.ExitCode(),
		Run:    runDoc{RunInfo: f.Info, Finished: f.Finished(), Running: f.Running, Truncated: f.Truncated},
		Counts: s.Counts, ByBackend: s.ByBackend, ByClass: s.ByClass, ByDType: s.ByDType,
		MaxULP: s.MaxULP, MaxULPMatching: s.MaxULPMatching,
		Causes: causeDocs(r.Groups, false), NotPorted: causeDocs(r.NotPorted, true),
		Failing: []caseDoc{}, Worst: []caseDoc{},
		Failures: nonNil(s.Failures), Warnings: nonNil(s.Warnings), Entries: []entryDoc{},
	}
	if f.End != nil {
		doc.Run.Seconds, doc.Run.Error, doc.Params = f.End.Seconds, f.End.Error, f.End.Params
		for _, v := range entryViews(f) {
			doc.Entries = append(doc.Entries, entryDoc{EntryUse: v.EntryUse, Cases: v.Count})
		}
	}
	if doc.Run.Manifests == nil {
		doc.Run.Manifests = []results.ManifestInfo{}
	}
	for i := range r.Groups {
		for _, c := range r.Groups[i].Cases {
			if len(doc.Failing) == FailingCap {
				doc.FailingMore++
				continue
			}
			doc.Failing = append(doc.Failing, caseDocOf(c, r.Groups[i].Key, false))
		}
	}
	for _, c := range r.Worst(WorstCount) {
		d := caseDocOf(c, "", true)
		d.Rerun = cmp.Or(d.Rerun, rerunLine(f, c.Key())) // passing cases are written without one
		doc.Worst = append(doc.Worst, d)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // read in CI logs, not in a browser
	enc.SetIndent("", " ")
	return enc.Encode(doc)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}
