package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/kerasparity/kerasparity/results"
)

// Verdict is the answer of a run as a whole.
type Verdict string

// The verdicts; see the package documentation for how one is decided. Only
// VerdictPass lets a CI gate through.
const (
	VerdictPass   Verdict = "pass"   // no case failed and some case was compared
	VerdictFail   Verdict = "fail"   // a case failed, errored or was nondeterministic, or the suite failed
	VerdictEmpty  Verdict = "empty"  // nothing was checked: no case ran, or none was ported
	VerdictBroken Verdict = "broken" // the run crashed, was interrupted or could not start
)

// Run is a conformance run as the report sees it: the results file, the
// summary drawn from it, and its failing cases grouped by cause.
type Run struct {
	File    *results.File
	Summary Summary
	// Groups are the causes of the failing cases, largest first; together
	// they hold every failing case exactly once.
	Groups []Group
	// NotPorted groups the not ported cases by class and normalised reason.
	NotPorted []Group
}

// Summary is what a run amounts to: the verdict, the reason for it, and the
// counts and maxima behind it.
type Summary struct {
	Verdict Verdict
	// Reason says in a sentence why the verdict is what it is.
	Reason string
	// Counts are recounted from the cases the file holds (a crashed run
	// has no end line to take them from).
	Counts    results.Counts
	ByBackend map[string]results.Counts
	ByClass   map[string]results.Counts // by kind and class ("loss/Huber")
	ByDType   map[string]results.Counts
	// MaxULP is the largest ULP distance of every compared value, failing
	// cases included, per backend then dtype; MaxULPMatching the same over
	// the cases that matched Keras (pass and XPASS): how close the port is
	// to its tolerance.
	MaxULP, MaxULPMatching map[string]map[string]Number
	// Failures are the suite's own failures (End.Failures); Warnings what
	// deserves a look even in a passing run.
	Failures []string
	Warnings []string
}

// Load reads a results file and summarises it. An error names the file;
// a file that is readable but tells of a crashed or empty run is not an
// error but a run with the verdict broken or empty.
func Load(resultsPath string) (*Run, error) {
	f, err := results.Read(resultsPath)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return New(f), nil
}

// New summarises a results file already read and groups its cases.
func New(f *results.File) *Run {
	r := &Run{File: f}
	s := Summary{
		ByBackend: map[string]results.Counts{}, ByClass: map[string]results.Counts{}, ByDType: map[string]results.Counts{},
		MaxULP: map[string]map[string]Number{}, MaxULPMatching: map[string]map[string]Number{},
	}
	for i := range f.Cases {
		c := &f.Cases[i]
		s.Counts.Add(c.Outcome)
		addTo(s.ByBackend, c.Backend, c.Outcome)
		addTo(s.ByClass, c.Target(), c.Outcome)
		addTo(s.ByDType, cmp.Or(c.DType, "none"), c.Outcome)
		if c.Stats == nil {
			continue
		}
		u := float64(c.Stats.MaxULP)
		raise(s.MaxULP, c.Backend, cmp.Or(c.DType, "none"), u)
		if c.Outcome == results.Pass || c.Outcome == results.XPass {
			raise(s.MaxULPMatching, c.Backend, cmp.Or(c.DType, "none"), u)
		}
	}
	if f.End != nil {
		s.Failures = slices.Clone(f.End.Failures)
		s.Warnings = slices.Clone(f.End.Warnings)
		if f.End.Error == "" && f.End.Counts != s.Counts {
			s.Warnings = append(s.Warnings, fmt.Sprintf("the end line counts %d cases, the file holds %d: results were lost or written twice", f.End.Counts.Total, s.Counts.Total))
		}
	}
	if f.Truncated {
		s.Warnings = append(s.Warnings, "the last line of the results file was cut short (a crash in the middle of a write): that case is missing")
	}
	if w := coverageWarning(f, s.Counts.Total); w != "" {
		s.Warnings = append(s.Warnings, w)
	}
	r.Groups = groupCases(f.Cases, func(c *results.CaseResult) (string, string, bool) {
		if !failing(c) {
			return "", "", false
		}
		check, msg := causeOf(c)
		return check, msg, true
	})
	r.NotPorted = groupCases(f.Cases, func(c *results.CaseResult) (string, string, bool) {
		return string(results.NotPorted), normalizeCase(c, c.Detail), c.Outcome == results.NotPorted
	})
	s.Verdict, s.Reason = decide(f, s.Counts, len(r.Groups))
	r.Summary = s
	return r
}

func addTo(m map[string]results.Counts, key string, o results.Outcome) {
	c := m[key]
	c.Add(o)
	m[key] = c
}

func raise(m map[string]map[string]Number, backend, dtype string, u float64) {
	byDType := m[backend]
	if byDType == nil {
		byDType = map[string]Number{}
		m[backend] = byDType
	}
	if old, ok := byDType[dtype]; !ok || worse(u, float64(old)) {
		byDType[dtype] = Number(u)
	}
}

// decide gives the verdict and its reason, in the order the package
// documentation states: broken, empty (nothing ran), fail, empty (nothing
// compared), fail (the suite's own failures), pass.
func decide(f *results.File, c results.Counts, causes int) (Verdict, string) {
	finished := plural(c.Total, "case", "cases") + " finished"
	if f.End == nil {
		cut := ""
		if f.Truncated {
			cut = " (its last result was cut short)"
		}
		if f.Running != "" {
			return VerdictBroken, fmt.Sprintf("the run crashed while running case %s: %s%s; no verdict on the port can be drawn", f.Running, finished, cut)
		}
		return VerdictBroken, fmt.Sprintf("the run stopped before its end (it crashed, was killed, or is still running; the case it was running is unknown): %s%s", finished, cut)
	}
	if e := f.End.Error; e != "" {
		if c.Total > 0 {
			return VerdictBroken, fmt.Sprintf("the run broke down after %s: %s", finished, e)
		}
		if strings.Contains(e, "fixture") {
			return VerdictBroken, "the fixtures did not load, so nothing was checked: " + e
		}
		return VerdictBroken, "the run could not start, so nothing was checked: " + e
	}
	for _, why := range f.End.Failures {
		if strings.HasPrefix(why, "Interrupted") || strings.HasPrefix(why, "Suite Timeout Elapsed") {
			return VerdictBroken, fmt.Sprintf("the run was stopped (%s) after %s: its results are incomplete", why, finished)
		}
	}
	// suite says what the suite itself failed on, if anything.
	suite := ""
	if n := len(f.End.Failures); n > 0 {
		suite = f.End.Failures[0]
		if n > 1 {
			suite += fmt.Sprintf(" (and %d more)", n-1)
		}
	}
	switch {
	case c.Total == 0:
		sel := "the fixtures hold no case"
		if f.Info.Selection != "" {
			sel = "the selection (" + f.Info.Selection + ") matched nothing"
		}
		return VerdictEmpty, "no case ran: " + sel + ", so nothing was checked"
	case c.Broken() > 0:
		verb := "do not match"
		if c.Broken() == 1 {
			verb = "does not match"
		}
		reason := fmt.Sprintf("%d of %d cases %s Keras (%s), from %s",
			c.Broken(), c.Total, verb, brokenText(c), plural(causes, "cause", "causes"))
		if suite != "" {
			reason += "; the suite failed: " + suite
		}
		return VerdictFail, reason
	case c.Checked() == 0:
		return VerdictEmpty, fmt.Sprintf("nothing was compared: the port implements none of the %s that ran", plural(c.Total, "case", "cases"))
	case suite != "":
		return VerdictFail, "every checked case matches Keras, but the suite failed: " + suite
	}
	reason := fmt.Sprintf("all %d checked cases match Keras", c.Checked())
	if c.Checked() == 1 {
		reason = "the 1 checked case matches Keras"
	}
	if c.KnownDivergence > 0 {
		reason = fmt.Sprintf("all %d checked cases match Keras (%d) or are known divergences (%d)", c.Checked(), c.Matching(), c.KnownDivergence)
	}
	if c.NotPorted > 0 {
		reason += fmt.Sprintf("; %d not ported", c.NotPorted)
	}
	return VerdictPass, reason
}

// ExitCode is the exit status a command gives for the run: 0 pass, 1 fail,
// 3 empty (nothing selected, or nothing compared), 4 broken (the fixtures
// did not load, the run crashed or was interrupted). 2 is left to usage
// errors of the command itself.
func (r *Run) ExitCode() int {
	switch r.Summary.Verdict {
	case VerdictPass:
		return 0
	case VerdictFail:
		return 1
	case VerdictEmpty:
		return 3
	}
	return 4
}

func brokenText(c results.Counts) string {
	var parts []string
	for _, p := range []struct {
		n         int
		one, many string
	}{{c.Fail, "failure", "failures"}, {c.Error, "error", "errors"}, {c.Nondeterministic, "nondeterministic", "nondeterministic"}} {
		if p.n > 0 {
			parts = append(parts, plural(p.n, p.one, p.many))
		}
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

// coverageWarning flags a complete run without any selection that ran a
// different number of cases than its manifests hold (with their API
// checks): some cases were not registered or not recorded.
func coverageWarning(f *results.File, total int) string {
	if f.End == nil || f.End.Error != "" || f.Info.Selection != "" || len(f.Info.Manifests) == 0 {
		return ""
	}
	want := 0
	for _, m := range f.Info.Manifests {
		want += m.Cases + m.APIChecks
	}
	if want == total {
		return ""
	}
	return fmt.Sprintf("the manifests hold %d cases but %d ran without a selection: some cases were not registered or not recorded", want, total)
}

// Failing is every case that fails the run, in the order of its causes.
func (r *Run) Failing() []*results.CaseResult {
	var out []*results.CaseResult
	for i := range r.Groups {
		out = append(out, r.Groups[i].Cases...)
	}
	return out
}

// Worst is the n matching cases (pass or XPASS) that fit Keras least, by ULP
// distance then absolute error: where the port is closest to failing.
func (r *Run) Worst(n int) []*results.CaseResult {
	var w []*results.CaseResult
	for i := range r.File.Cases {
		c := &r.File.Cases[i]
		if c.Stats != nil && (c.Outcome == results.Pass || c.Outcome == results.XPass) {
			w = append(w, c)
		}
	}
	slices.SortStableFunc(w, func(a, b *results.CaseResult) int {
		switch {
		case worse(float64(a.Stats.MaxULP), float64(b.Stats.MaxULP)):
			return -1
		case worse(float64(b.Stats.MaxULP), float64(a.Stats.MaxULP)):
			return 1
		case worse(float64(a.Stats.MaxAbs), float64(b.Stats.MaxAbs)):
			return -1
		case worse(float64(b.Stats.MaxAbs), float64(a.Stats.MaxAbs)):
			return 1
		}
		return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.Backend, b.Backend))
	})
	return w[:min(n, len(w))]
}

// WorstCount is how many matching cases the summary and the page list as the
// worst-fitting ones.
const WorstCount = 20
