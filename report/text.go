package report

import (
	"fmt"
	"strings"

	"github.com/kerasparity/kerasparity/results"
)

// stepName names a step as the conformance suite does in a case's detail:
// "step 2 (update)", or just the op for what precedes the steps.
func stepName(step int, op string) string {
	switch {
	case step < 0:
		return op
	case op == "":
		return fmt.Sprintf("step %d", step) // a finding about the case as a whole, such as nondeterminism
	}
	return fmt.Sprintf("step %d (%s)", step, op)
}

// statsText is a line of the statistics of the values compared.
func statsText(s *results.Stats) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d values outside tolerance; max abs %s, max rel %s, max %s ULP",
		s.Mismatches, s.Elements, Number(s.MaxAbs).Short(), Number(s.MaxRel).Short(), Number(s.MaxULP).ULP())
	if s.Got != nil && s.Want != nil {
		fmt.Fprintf(&b, "; worst at %s: got %s, Keras %s", formatIndex(s.WorstIndex), Number(*s.Got), Number(*s.Want))
	}
	if s.ATol != 0 || s.RTol != 0 || s.Reason != "" {
		fmt.Fprintf(&b, "; tolerance atol %s rtol %s", Number(s.ATol).Short(), Number(s.RTol).Short())
		if s.Reason != "" {
			b.WriteString(" (" + s.Reason + ")")
		}
	}
	return b.String()
}

// notCompared says why a finding of this check carries no statistics: the
// page says so instead of showing statistics of nothing.
func notCompared(check, message string) string {
	switch check {
	case results.CheckShape:
		return "the port's output and Keras's hold different numbers of elements"
	case results.CheckDType:
		return "the dtypes differ and the values could not be compared"
	case results.CheckRefused:
		return "the port returned an error where Keras returned a value"
	case results.CheckAccepted:
		return "Keras raised an error, so there is no value of Keras's to compare with"
	case results.CheckErrorKind:
		return "Keras and the port both raised errors"
	case results.CheckMissing, results.CheckDefaults:
		return "an API check compares classes and constructor defaults, not values"
	case results.CheckPanic:
		return "the port panicked"
	case results.CheckTimeout:
		return "the port's call did not return in time"
	case results.CheckMalformed:
		return "the port's output does not fit its own shape or dtype"
	case results.CheckMutated:
		return "the port wrote into an input it was handed, so the case stopped"
	case results.CheckNondeterministic:
		return "this check compares two runs of the port with each other, not with Keras"
	}
	return "this check compares no values"
}

// caseNotCompared says why a case carries no statistics at all.
func caseNotCompared(c *results.CaseResult) string {
	if len(c.Findings) > 0 {
		f := c.Findings[0]
		return notCompared(f.Check, f.Message)
	}
	switch c.Outcome {
	case results.NotPorted:
		return "the port does not implement it"
	case results.Pass, results.XPass:
		return "every step's outcome was an error on both sides, or no step returned a value"
	}
	return "no step returned a value to compare"
}

// formatIndex writes an N-d index as (i, j, ...), and "() (a scalar)" for
// the index of a 0-d output.
func formatIndex(idx []int) string {
	if len(idx) == 0 {
		return "() (a scalar)"
	}
	parts := make([]string, len(idx))
	for i, v := range idx {
		parts[i] = fmt.Sprint(v)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// outcomeLabel is how an outcome is written on the page.
func outcomeLabel(o results.Outcome) string {
	switch o {
	case results.Pass:
		return "pass"
	case results.Fail:
		return "FAIL"
	case results.Error:
		return "ERROR"
	case results.Nondeterministic:
		return "NONDETERMINISTIC"
	case results.NotPorted:
		return "not ported"
	case results.KnownDivergence:
		return "known divergence"
	case results.XPass:
		return "XPASS"
	}
	return string(o)
}

// outcomeShort is an outcome in a few letters, for dense places.
func outcomeShort(o results.Outcome) string {
	switch o {
	case results.Nondeterministic:
		return "nondet."
	case results.KnownDivergence:
		return "known div."
	}
	return outcomeLabel(o)
}
