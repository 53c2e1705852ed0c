package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Verdict is the answer of a run as a whole.
type Verdict string

// The verdicts. Only VerdictPass lets a CI gate through.
const (
	VerdictPass  Verdict = "pass"  // no case failed or errored, and some case was checked
	VerdictFail  Verdict = "fail"  // some case failed or errored
	VerdictEmpty Verdict = "empty" // nothing was checked: no case ran, or none was ported
)

// Counts counts cases per outcome.
type Counts struct {
	Total           int `json:"total"`
	Pass            int `json:"pass"`
	Fail            int `json:"fail"`
	Error           int `json:"error"`
	NotPorted       int `json:"not_ported"`
	KnownDivergence int `json:"known_divergence"`
	XPass           int `json:"xpass"`
}

// add counts one case with outcome o.
func (c *Counts) add(o Outcome) {
	c.Total++
	switch o {
	case Pass:
		c.Pass++
	case Fail:
		c.Fail++
	case NotPorted:
		c.NotPorted++
	case KnownDivergence:
		c.KnownDivergence++
	case XPass:
		c.XPass++
	default:
		c.Error++
	}
}

// Matching is the number of cases whose values matched Keras (pass and XPASS).
func (c Counts) Matching() int { return c.Pass + c.XPass }

// Broken is the number of cases that fail the run (fail and error).
func (c Counts) Broken() int { return c.Fail + c.Error }

// Summary is what a run amounts to: the verdict and the counts behind it.
// Its JSON form is the core of summary.json.
type Summary struct {
	Verdict Verdict `json:"verdict"`
	// Reason says in a sentence why the verdict is what it is.
	Reason    string            `json:"verdict_reason"`
	Counts    Counts            `json:"counts"`
	ByBackend map[string]Counts `json:"by_backend"`
	ByClass   map[string]Counts `json:"by_class"`
	ByDType   map[string]Counts `json:"by_dtype"`
	// MaxULP is the largest ULP distance of a matching (pass or XPASS) case,
	// per backend then dtype; MaxULPByClass the same per kind and Keras class ("metric/AUC"). Failing
	// cases are left out: they are listed one by one.
	MaxULP        map[string]map[string]Number `json:"max_ulp"`
	MaxULPByClass map[string]Number            `json:"max_ulp_by_class"`
	Warnings      []string                     `json:"warnings"`
}

// summarize counts cases and decides the verdict.
func summarize(cases []Case, info RunInfo, filtered bool, warnings []string) Summary {
	s := Summary{
		ByBackend: map[string]Counts{}, ByClass: map[string]Counts{}, ByDType: map[string]Counts{},
		MaxULP: map[string]map[string]Number{}, MaxULPByClass: map[string]Number{},
		Warnings: append(slices.Clone(info.Warnings), warnings...),
	}
	for i := range cases {
		c := &cases[i]
		s.Counts.add(c.Outcome)
		addTo(s.ByBackend, c.Backend, c.Outcome)
		addTo(s.ByClass, c.Target(), c.Outcome)
		addTo(s.ByDType, c.DType, c.Outcome)
		if c.Stats == nil || (c.Outcome != Pass && c.Outcome != XPass) {
			continue
		}
		u := c.Stats.MaxULP
		byDType := s.MaxULP[c.Backend]
		if byDType == nil {
			byDType = map[string]Number{}
			s.MaxULP[c.Backend] = byDType
		}
		if old, ok := byDType[c.DType]; !ok || worse(u, float64(old)) {
			byDType[c.DType] = Number(u)
		}
		if old, ok := s.MaxULPByClass[c.Target()]; !ok || worse(u, float64(old)) {
			s.MaxULPByClass[c.Target()] = Number(u)
		}
	}
	if w := coverageWarning(s.Counts.Total, info, filtered); w != "" {
		s.Warnings = append(s.Warnings, w)
	}
	s.Verdict, s.Reason = verdict(s.Counts)
	return s
}

func addTo(m map[string]Counts, key string, o Outcome) {
	c := m[key]
	c.add(o)
	m[key] = c
}

// verdict is VerdictPass iff no case failed or errored and at least one case
// was checked; a run that checked nothing must never look green.
func verdict(c Counts) (Verdict, string) {
	switch {
	case c.Total == 0:
		return VerdictEmpty, "no case ran: the fixtures or the filters selected nothing, so nothing was checked"
	case c.Broken() > 0:
		verb := "do not match"
		if c.Broken() == 1 {
			verb = "does not match"
		}
		return VerdictFail, fmt.Sprintf("%d of %d cases %s Keras: %s", c.Broken(), c.Total, verb, brokenText(c))
	case c.Total == c.NotPorted:
		return VerdictEmpty, fmt.Sprintf("nothing was checked: the port implements none of the %d cases that ran", c.Total)
	}
	return VerdictPass, fmt.Sprintf("all %d checked cases match Keras or are known divergences (%d not ported)", c.Total-c.NotPorted, c.NotPorted)
}

func brokenText(c Counts) string {
	var parts []string
	if c.Fail > 0 {
		parts = append(parts, plural(c.Fail, "failure", "failures"))
	}
	if c.Error > 0 {
		parts = append(parts, plural(c.Error, "error", "errors"))
	}
	return strings.Join(parts, ", ")
}

// plural writes n with the singular or plural form after it.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// coverageWarning flags a run without any filter that ran a different
// number of cases than its manifests hold (with their API checks).
func coverageWarning(total int, info RunInfo, filtered bool) string {
	if filtered || len(info.Manifests) == 0 {
		return ""
	}
	want := 0
	for _, m := range info.Manifests {
		want += m.Cases + m.APIChecks
	}
	if want == total {
		return ""
	}
	return fmt.Sprintf("the manifests hold %d cases but %d ran without a filter: some specs were not registered or not reported", want, total)
}

// Failing is every case that fails the run (fail and error), in case order.
func (r *Run) Failing() []Case {
	return r.filter(func(c *Case) bool { return c.Outcome == Fail || c.Outcome == Error })
}

// Worst is the n matching cases (pass or XPASS) that fit Keras least, by ULP
// distance then absolute error: where a port is closest to failing.
func (r *Run) Worst(n int) []Case {
	w := r.filter(func(c *Case) bool { return c.Stats != nil && (c.Outcome == Pass || c.Outcome == XPass) })
	slices.SortStableFunc(w, func(a, b Case) int {
		switch {
		case worse(a.Stats.MaxULP, b.Stats.MaxULP):
			return -1
		case worse(b.Stats.MaxULP, a.Stats.MaxULP):
			return 1
		case worse(a.Stats.MaxAbs, b.Stats.MaxAbs):
			return -1
		case worse(b.Stats.MaxAbs, a.Stats.MaxAbs):
			return 1
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return w[:min(n, len(w))]
}

func (r *Run) filter(keep func(*Case) bool) []Case {
	var out []Case
	for i := range r.Cases {
		if keep(&r.Cases[i]) {
			out = append(out, r.Cases[i])
		}
	}
	return out
}
