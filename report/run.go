package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// Run is one conformance run as the report sees it: every case with its
// result, the Ginkgo suites that ran them, the run's description, and the
// summary computed from them.
type Run struct {
	Info   RunInfo
	Suites []Suite
	// Start and End span every suite; Duration is the sum of their run times.
	Start, End time.Time
	Duration   time.Duration
	// Cases holds one entry per case, sorted by id then backend.
	Cases []Case
	// Ignored counts specs that are not cases of this run: specs a label
	// filter left out, and passing specs that attached no CaseResult (a
	// suite's own checks).
	Ignored int
	Summary Summary
}

// Suite is one Ginkgo suite of a run, as Ginkgo reported it.
type Suite struct {
	Description string
	Path        string
	Succeeded   bool
	Start, End  time.Time
	RunTime     time.Duration
	LabelFilter string
	// Focus holds the --focus and --skip strings of the run, as
	// "focus: s" and "skip: s".
	Focus []string
	// FailureReasons are the reasons Ginkgo gave for failing the suite as a
	// whole (interrupted, programmatic focus, ...).
	FailureReasons []string
}

// Case is the result for one fixture case, with the Ginkgo spec that ran it.
type Case struct {
	CaseResult
	// Spec is the Ginkgo spec text, which --focus matches.
	Spec string
	// State is Ginkgo's state of the spec: passed, failed, skipped, panicked...
	State   string
	RunTime time.Duration
}

// newRun collects the cases of the Ginkgo reports and summarises them.
func newRun(reports []ginkgoReport, info RunInfo, warnings []string) *Run {
	r := &Run{Info: info}
	for _, rep := range reports {
		s := Suite{
			Description: rep.SuiteDescription, Path: rep.SuitePath, Succeeded: rep.SuiteSucceeded,
			Start: rep.StartTime, End: rep.EndTime, RunTime: rep.RunTime,
			LabelFilter: rep.SuiteConfig.LabelFilter, FailureReasons: rep.SpecialSuiteFailureReasons,
		}
		for _, f := range rep.SuiteConfig.FocusStrings {
			s.Focus = append(s.Focus, "focus: "+f)
		}
		for _, f := range rep.SuiteConfig.SkipStrings {
			s.Focus = append(s.Focus, "skip: "+f)
		}
		r.Suites = append(r.Suites, s)
		if r.Start.IsZero() || s.Start.Before(r.Start) {
			r.Start = s.Start
		}
		if s.End.After(r.End) {
			r.End = s.End
		}
		r.Duration += s.RunTime
		for i := range rep.SpecReports {
			if c, ok := caseOf(&rep.SpecReports[i], rep.SuitePath); ok {
				r.Cases = append(r.Cases, c)
			} else {
				r.Ignored++
			}
		}
		for _, reason := range s.FailureReasons {
			// Ginkgo failed the suite for a reason that no spec carries:
			// the run must not pass.
			r.Cases = append(r.Cases, Case{CaseResult: CaseResult{
				ID: "[suite] " + s.Description, Kind: "suite", Class: suiteClass, Backend: suiteBackend, Outcome: Error,
				Detail: "Ginkgo failed the suite: " + reason,
			}, State: "failed"})
		}
	}
	if r.Info.LabelFilter == "" && len(r.Suites) > 0 {
		r.Info.LabelFilter = r.Suites[0].LabelFilter
	}
	slices.SortStableFunc(r.Cases, func(a, b Case) int {
		return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.Backend, b.Backend))
	})
	r.Summary = summarize(r.Cases, r.Info, r.Filtered(), warnings)
	return r
}

// Filtered reports whether the run was restricted to a subset of the
// fixture cases, by a label filter or a focus.
func (r *Run) Filtered() bool {
	if r.Info.LabelFilter != "" {
		return true
	}
	for _, s := range r.Suites {
		if len(s.Focus) > 0 {
			return true
		}
	}
	return false
}

// The class and backend of the cases that stand for suite-level failures
// (a failed BeforeSuite, an interrupted run), which belong to no fixture case.
const (
	suiteClass   = "(suite)"
	suiteBackend = "(all)"
)

// caseOf turns a spec report into a case. A spec with a CaseResult entry
// is that case, unless the spec broke down after attaching it (panicked,
// timed out...) while the result claimed success: then it is an error. A
// spec without the entry is an error when it failed (it broke down before
// attaching one, or is a suite node such as BeforeSuite that failed) and is
// not a case otherwise (filtered out, or a passing check of the suite's own).
func caseOf(s *ginkgoSpec, suitePath string) (Case, bool) {
	c := Case{CaseResult: resultFromSpec(s, suitePath), Spec: s.LeafNodeText, State: s.State.String(), RunTime: s.RunTime}
	failed := s.State.Is(types.SpecStateFailureStates)
	entry, found := "", false
	for _, e := range s.ReportEntries {
		if e.Name == EntryName {
			entry, found = e.Value.AsJSON, true // the last one wins (flake retries)
		}
	}
	if !found {
		c.Outcome, c.Detail = Error, "the spec "+c.State+" before attaching a result: "+failureText(s)
		return c, failed
	}
	// reference.Stats reads the strings "NaN", "+Inf" and "-Inf" that stand
	// for non-finite statistics in JSON.
	var res CaseResult
	if err := json.Unmarshal([]byte(entry), &res); err != nil {
		c.Outcome, c.Detail = Error, "the spec's result could not be decoded: "+err.Error()
		return c, true
	}
	res.ID = cmp.Or(res.ID, c.ID)
	res.Backend = cmp.Or(res.Backend, c.Backend)
	res.Class = cmp.Or(res.Class, c.Class)
	res.Kind = cmp.Or(res.Kind, c.Kind)
	res.DType = cmp.Or(res.DType, c.DType)
	res.Rerun = cmp.Or(res.Rerun, c.Rerun)
	switch {
	case !res.Outcome.known():
		res.Detail = strings.TrimSpace(fmt.Sprintf("the result has an unknown outcome %q. %s", res.Outcome, res.Detail))
		res.Outcome = Error
	case failed && res.Outcome != Fail && res.Outcome != Error:
		res.Detail = strings.TrimSpace("the result said " + string(res.Outcome) + ", but then the spec " + c.State + ": " + failureText(s) + " " + res.Detail)
		res.Outcome = Error
	}
	c.CaseResult = res
	return c, true
}

// resultFromSpec is what a spec's text and labels say about its case, for
// specs that carry no CaseResult. The conformance suites name a spec
// "[backend] id" and label it class:, kind:, backend: and dtype:. Its rerun
// line focuses Ginkgo on the spec's text.
func resultFromSpec(s *ginkgoSpec, suitePath string) CaseResult {
	r := CaseResult{ID: s.LeafNodeText}
	if s.LeafNodeType.Is(types.NodeTypeIt) && suitePath != "" {
		r.Rerun = "go tool ginkgo --focus=" + shellQuote(regexp.QuoteMeta(s.LeafNodeText)+"$") + " " + shellQuote(suitePath)
	}
	if !s.LeafNodeType.Is(types.NodeTypeIt) {
		r.ID = "[" + s.LeafNodeType.String() + "] " + strings.TrimSpace(s.LeafNodeText+" "+s.LeafNodeLocation.String())
		r.Kind, r.Class, r.Backend = "suite", suiteClass, suiteBackend
	}
	if rest, ok := strings.CutPrefix(r.ID, "["); ok {
		if backend, id, ok := strings.Cut(rest, "] "); ok && r.Kind != "suite" {
			r.Backend, r.ID = backend, id
		}
	}
	for _, l := range s.LeafNodeLabels {
		if key, value, ok := strings.Cut(l, ":"); ok {
			switch key {
			case "class":
				r.Class = value
			case "kind":
				r.Kind = value
			case "backend":
				r.Backend = value
			case "dtype":
				r.DType = value
			}
		}
	}
	if r.Class == "" {
		r.Class, _, _ = strings.Cut(r.ID, "/")
	}
	return r
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// failureText is a spec's failure message, with the panic value when it panicked.
func failureText(s *ginkgoSpec) string {
	msg := strings.TrimSpace(s.Failure.Message)
	if p := strings.TrimSpace(s.Failure.ForwardedPanic); p != "" {
		// The location of a panic is inside the runtime: leave it out.
		return strings.TrimSpace(msg + ": " + p)
	}
	if s.Failure.Location.FileName != "" {
		msg += " (at " + s.Failure.Location.String() + ")"
	}
	return cmp.Or(strings.TrimSpace(msg), "no failure message")
}

// known reports whether o is one of the outcomes the report knows.
func (o Outcome) known() bool {
	switch o {
	case Pass, Fail, Error, NotPorted, KnownDivergence, XPass:
		return true
	}
	return false
}
