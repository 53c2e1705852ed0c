package results

import (
	"regexp"
	"strings"

	"github.com/kerasparity/kerasparity/reference"
)

// Outcome is the verdict on one fixture case.
type Outcome string

// The outcomes a case can have.
const (
	Pass             Outcome = "pass"             // every step matched Keras
	Fail             Outcome = "fail"             // a value, shape or dtype differed, or the port refused what Keras accepted (or the reverse)
	Error            Outcome = "error"            // the port misbehaved: it panicked, hung, returned malformed output or changed its inputs
	Nondeterministic Outcome = "nondeterministic" // two runs of the same case gave different results
	NotPorted        Outcome = "not_ported"       // the port said ErrNotImplemented
	KnownDivergence  Outcome = "known_divergence" // failed, and listed in the port's known divergences
	XPass            Outcome = "xpass"            // listed as a known divergence, yet passed
)

// Outcomes lists every outcome in the order reports show them.
var Outcomes = []Outcome{Pass, Fail, Error, Nondeterministic, NotPorted, KnownDivergence, XPass}

// Known reports whether o is one of the outcomes above.
func (o Outcome) Known() bool {
	for _, k := range Outcomes {
		if o == k {
			return true
		}
	}
	return false
}

// Broken reports whether a case with this outcome fails the run.
func (o Outcome) Broken() bool { return o == Fail || o == Error || o == Nondeterministic }

// The checks a finding can name. A known divergence may select cases by the
// check that failed (see the "check" key of a divergence file).
const (
	CheckValue     = "value"      // values differ beyond the tolerance
	CheckShape     = "shape"      // the output's shape differs
	CheckDType     = "dtype"      // the output's dtype differs
	CheckAccepted  = "accepted"   // Keras raised; the port accepted the config or returned a value
	CheckRefused   = "refused"    // Keras returned a value (or accepted the config); the port returned an error
	CheckErrorKind = "error_kind" // both refused, for different kinds of error
	CheckMissing   = "missing"    // Keras exports a class the port does not have (API check)
	CheckDefaults  = "defaults"   // a constructor default differs from Keras's (API check)

	// Checks that make the outcome an error of the port: never a known divergence.
	CheckPanic            = "panic"            // the port panicked
	CheckTimeout          = "timeout"          // a port call did not return in time
	CheckMalformed        = "malformed"        // the port returned an array whose data does not fit its shape or dtype
	CheckMutated          = "mutated_input"    // the port changed an input array it was handed
	CheckNondeterministic = "nondeterministic" // a second run of the case gave a different result
	CheckCrash            = "crash"            // the process died while the case ran (a panic in a goroutine of the port, running out of memory)
)

// PortError reports whether a failed check is a misbehaviour of the port
// (outcome error) rather than a disagreement with Keras (outcome fail).
func PortError(check string) bool {
	switch check {
	case CheckPanic, CheckTimeout, CheckMalformed, CheckMutated, CheckCrash:
		return true
	}
	return false
}

// Finding is one check that failed, at one step of a case.
type Finding struct {
	Step  int    `json:"step"`
	Op    string `json:"op"`
	Check string `json:"check"`
	// Message says what differed, in a sentence without the step.
	Message string `json:"message"`
	// Stats are the value statistics of this step, when values were
	// compared (also for a shape or dtype finding whose values could still
	// be compared element by element).
	Stats *Stats `json:"stats,omitempty"`
}

// CaseResult is the result of one case. Passing cases carry only what
// identifies them and their statistics; the other fields are filled for
// cases that do not pass.
type CaseResult struct {
	ID      string  `json:"id"`
	Backend string  `json:"backend"`
	Kind    string  `json:"kind"`
	Class   string  `json:"class"`
	DType   string  `json:"dtype,omitempty"`
	Outcome Outcome `json:"outcome"`
	// Steps is the number of steps run.
	Steps int `json:"steps"`
	// Stats are the statistics of the worst-fitting value compared over
	// every step, nil when no value was compared.
	Stats *Stats `json:"stats,omitempty"`
	// Compared counts the output values compared with Keras's.
	Compared int `json:"compared,omitempty"`
	// Unclassified counts the port's refusals, where Keras raised too,
	// that did not say their kind (port.Errorf), so whether the port
	// refused for Keras's reason was not checked.
	Unclassified int `json:"unclassified,omitempty"`

	// Detail says in a sentence what went wrong (the first finding), or
	// why the case is not ported.
	Detail   string            `json:"detail,omitempty"`
	Findings []Finding         `json:"findings,omitempty"`
	Params   map[string]string `json:"params,omitempty"`
	Edges    []string          `json:"edges,omitempty"`
	// Divergence is the reason of the known-divergence entry that matched.
	Divergence string `json:"divergence,omitempty"`
	// Rerun is a command line that reruns just this case.
	Rerun string `json:"rerun,omitempty"`
	// View shows the case's config, inputs and outputs.
	View *View `json:"view,omitempty"`
}

// Target names what a case checks, kind and class together ("loss/Huber",
// "metric/BinaryCrossentropy"): a loss and a metric can share a class name.
func (c CaseResult) Target() string { return c.Kind + "/" + c.Class }

// Key is the case's identity within a run: the same id exists once per backend.
func (c CaseResult) Key() string { return SpecText(c.Backend, c.ID) }

// View is what a person needs to see of a failing case: its config and,
// step by step, the inputs, Keras's output and the port's.
type View struct {
	Config string     `json:"config"`
	Steps  []StepView `json:"steps"`
	// Show is a command that prints the case in full.
	Show string `json:"show,omitempty"`
}

// StepView is one step of a View. Arrays are rendered as text: small ones
// in full, large ones as a summary (shape, dtype, min, max).
type StepView struct {
	Op     string            `json:"op"`
	Inputs map[string]string `json:"inputs,omitempty"`
	Keras  string            `json:"keras"`
	Port   string            `json:"port"`
}

// SpecText is the name of a case's spec, "[backend] id": what a person
// searches for and what a focus or -kerasparity.case selects.
func SpecText(backend, id string) string { return "[" + backend + "] " + id }

// ParseSpecText splits "[backend] id" into its parts; a plain id comes back
// with an empty backend.
func ParseSpecText(s string) (backend, id string) {
	if rest, ok := strings.CutPrefix(s, "["); ok {
		if b, i, ok := strings.Cut(rest, "] "); ok {
			return b, i
		}
	}
	return "", s
}

// Labels are a case's Ginkgo labels: class, kind, backend, dtype, reduction
// and every edge it exercises, so that a label filter selects any subset.
// The loader has checked that none of them is empty or carries a character
// Ginkgo refuses; a stray one is replaced all the same.
func Labels(c *reference.Case) []string {
	l := []string{"class:" + c.Class, "kind:" + c.Kind, "backend:" + c.Backend}
	if c.DType != "" {
		l = append(l, "dtype:"+c.DType)
	}
	if r, ok := c.Params["reduction"]; ok && r != "" {
		l = append(l, "reduction:"+r)
	}
	for _, e := range c.Edges {
		if e != "" {
			l = append(l, "edge:"+e)
		}
	}
	for i := range l {
		l[i] = labelSafe.Replace(l[i])
	}
	return l
}

// labelSafe replaces the characters Ginkgo refuses in labels.
var labelSafe = strings.NewReplacer("&", "_", "|", "_", "!", "_", ",", "_", "(", "_", ")", "_", "/", "_", " ", "_")

// ShellQuote quotes s for a POSIX shell: inside single quotes nothing but a
// single quote is special, and that one is closed, escaped and reopened. No
// character of s can reach the shell as syntax.
func ShellQuote(s string) string {
	if s != "" && shellPlain.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

var shellPlain = regexp.MustCompile(`^[A-Za-z0-9_./=:+-]+$`)
