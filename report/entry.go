// Package report turns a conformance run into what people and CI systems
// read: one self-contained HTML page and a compact JSON summary (JUnit XML
// comes from Ginkgo itself). Its input is Ginkgo's JSON report, in which the
// conformance suites attach a CaseResult to every spec, and the RunInfo file
// the suites write beside it.
package report

import "github.com/kerasparity/kerasparity/reference"

// EntryName is the name of the Ginkgo report entry that carries a CaseResult.
const EntryName = "kerasparity"

// RunInfoFile is the name of the file, in the output folder, that holds RunInfo.
const RunInfoFile = "run.json"

// Outcome is the verdict on one fixture case.
type Outcome string

// The outcomes a case can have.
const (
	Pass            Outcome = "pass"             // every step matched Keras
	Fail            Outcome = "fail"             // a value, shape, dtype or error/value outcome differed
	Error           Outcome = "error"            // the port misbehaved: panicked, or returned malformed output
	NotPorted       Outcome = "not_ported"       // the port said ErrNotImplemented
	KnownDivergence Outcome = "known_divergence" // failed, and listed in the port's known divergences
	XPass           Outcome = "xpass"            // listed as a known divergence, yet passed
)

// CaseResult is attached to every conformance spec as a report entry.
type CaseResult struct {
	ID      string            `json:"id"`
	Kind    string            `json:"kind"`
	Class   string            `json:"class"`
	Backend string            `json:"backend"`
	DType   string            `json:"dtype"`
	Params  map[string]string `json:"params,omitempty"`
	Edges   []string          `json:"edges,omitempty"`
	Outcome Outcome           `json:"outcome"`
	// Detail says what went wrong, at which step, in a sentence.
	Detail string `json:"detail,omitempty"`
	// Steps is the number of steps run; Stats the worst-fitting value step's
	// statistics (nil when no value was compared).
	Steps int              `json:"steps"`
	Stats *reference.Stats `json:"stats,omitempty"`
	// Divergence is the reason recorded for a known divergence or XPASS.
	Divergence string `json:"divergence,omitempty"`
	// Rerun is a command line that runs just this case.
	Rerun string `json:"rerun"`
}

// Target names what a case checks, kind and class together ("loss/Huber",
// "metric/BinaryCrossentropy"): a loss and a metric can share a class name.
func (c CaseResult) Target() string { return c.Kind + "/" + c.Class }

// RunInfo describes a run as a whole: what was checked against what.
type RunInfo struct {
	Port        string          `json:"port"`
	Fixtures    string          `json:"fixtures"`
	LabelFilter string          `json:"label_filter,omitempty"`
	Manifests   []ManifestInfo  `json:"manifests"`
	Divergences []DivergenceUse `json:"divergences"`
	Warnings    []string        `json:"warnings,omitempty"`
}

// ManifestInfo is the provenance of one backend's fixtures.
type ManifestInfo struct {
	Backend   string                  `json:"backend"`
	Versions  map[string]string       `json:"versions"`
	Generator reference.Generator     `json:"generator"`
	Keras     reference.KerasSettings `json:"keras"`
	Cases     int                     `json:"cases"`
	// APIChecks is the number of API coverage specs registered for this
	// manifest's exported classes (zero for a port without introspection).
	APIChecks int `json:"api_checks,omitempty"`
}

// DivergenceUse is one known-divergence entry and how many cases it matched.
type DivergenceUse struct {
	Pattern string `json:"pattern"`
	Backend string `json:"backend,omitempty"`
	Reason  string `json:"reason"`
	Link    string `json:"link,omitempty"`
	Matched int    `json:"matched"`
}
