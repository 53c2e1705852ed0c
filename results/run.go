package results

import "github.com/kerasparity/kerasparity/reference"

// RunInfo describes a run as a whole: what was checked against what. It is
// the first line of a results file.
type RunInfo struct {
	Port     string `json:"port"`
	Fixtures string `json:"fixtures"`
	// Suite is the Go package of the suite that ran, Selection the label
	// filter, focus or case list that narrowed it ("" for every case).
	Suite     string         `json:"suite,omitempty"`
	Selection string         `json:"selection,omitempty"`
	Manifests []ManifestInfo `json:"manifests"`
	// Options are the harness options in force (timeout, repeat, strict).
	Options map[string]string `json:"options,omitempty"`
	// Rerun is the template of the per-case rerun line ({case}, {out}).
	Rerun string `json:"rerun,omitempty"`
	// Show is the template of the command that prints a case ({case}).
	Show string `json:"show,omitempty"`
}

// ManifestInfo is the provenance of one backend's fixtures.
type ManifestInfo struct {
	Backend   string                  `json:"backend"`
	Versions  map[string]string       `json:"versions"`
	Generator reference.Generator     `json:"generator"`
	Keras     reference.KerasSettings `json:"keras"`
	Cases     int                     `json:"cases"`
	// APIChecks is the number of API coverage checks registered for this
	// manifest's exported classes (zero for a port without introspection).
	APIChecks int `json:"api_checks,omitempty"`
}

// End closes a complete run: how it ended, what the known-divergence and
// tolerance entries did, and the parameter values the run exercised.
type End struct {
	// Error is set when the run could not start or broke down as a whole
	// (fixtures that did not load, a divergence file refused, an
	// interrupted suite): no verdict on the port can be drawn from it.
	Error string `json:"error,omitempty"`
	// Failures are suite-level failures besides the cases (strict-mode
	// violations, Ginkgo's own reasons).
	Failures []string `json:"failures,omitempty"`
	Counts   Counts   `json:"counts"`
	Seconds  float64  `json:"seconds"`
	// Entries are the divergence and tolerance entries of the port, with
	// what each touched.
	Entries  []EntryUse `json:"entries,omitempty"`
	Warnings []string   `json:"warnings,omitempty"`
	// Params counts, per parameter and value, the cases that ran with it.
	Params map[string]map[string]int `json:"params,omitempty"`
}

// EntryUse is one entry of a port's divergence file and what it did in the run.
type EntryUse struct {
	Kind    string `json:"kind"` // "divergence" or "tolerance"
	Index   int    `json:"index"`
	Summary string `json:"summary"` // the entry's selectors, in a line
	Reason  string `json:"reason"`
	Link    string `json:"link,omitempty"`
	// Matched counts the selected cases that the entry covers (for a
	// divergence: that failed and were excused, or passed: XPASS).
	Matched int `json:"matched"`
	XPass   int `json:"xpass,omitempty"`
	// LargestULP is the largest ULP distance the entry admitted.
	LargestULP float64 `json:"largest_ulp,omitempty"`
}

// Counts counts cases per outcome.
type Counts struct {
	Total            int `json:"total"`
	Pass             int `json:"pass"`
	Fail             int `json:"fail"`
	Error            int `json:"error"`
	Nondeterministic int `json:"nondeterministic,omitempty"`
	NotPorted        int `json:"not_ported"`
	KnownDivergence  int `json:"known_divergence"`
	XPass            int `json:"xpass"`
}

// Add counts one case with outcome o; an unknown outcome counts as an error.
func (c *Counts) Add(o Outcome) {
	c.Total++
	switch o {
	case Pass:
		c.Pass++
	case Fail:
		c.Fail++
	case Nondeterministic:
		c.Nondeterministic++
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

// Of returns the count of outcome o.
func (c Counts) Of(o Outcome) int {
	switch o {
	case Pass:
		return c.Pass
	case Fail:
		return c.Fail
	case Error:
		return c.Error
	case Nondeterministic:
		return c.Nondeterministic
	case NotPorted:
		return c.NotPorted
	case KnownDivergence:
		return c.KnownDivergence
	case XPass:
		return c.XPass
	}
	return 0
}

// Matching is the number of cases whose values matched Keras (pass and XPASS).
func (c Counts) Matching() int { return c.Pass + c.XPass }

// Broken is the number of cases that fail the run.
func (c Counts) Broken() int { return c.Fail + c.Error + c.Nondeterministic }

// Checked is the number of cases the port was really held to: every case
// but the not ported ones.
func (c Counts) Checked() int { return c.Total - c.NotPorted }
