package results

import "github.com/kerasparity/kerasparity/reference"

// Stats are the error statistics of the values a case compared, in the lean
// form a results file keeps: a passing case carries the maxima only; a case
// that does not pass also the worst element and the tolerance with its
// reason. Non-finite values are written as the strings "NaN", "+Inf" and
// "-Inf".
type Stats struct {
	Elements   int             `json:"elements"`
	Mismatches int             `json:"mismatches,omitempty"`
	MaxAbs     reference.Float `json:"max_abs"`
	MaxRel     reference.Float `json:"max_rel"`
	MaxULP     reference.Float `json:"max_ulp"`
	// Spread is the widest disagreement between Keras's own backends on
	// the values compared (the band a value may also lie in); Banded
	// counts the values that matched only within that band.
	Spread reference.Float `json:"spread,omitempty"`
	Banded int             `json:"banded,omitempty"`
	// The worst element: its index and the two values (not kept for a pass).
	WorstIndex []int            `json:"worst_index,omitempty"`
	Got        *reference.Float `json:"got,omitempty"`
	Want       *reference.Float `json:"want,omitempty"`
	ATol       reference.Float  `json:"atol,omitempty"`
	RTol       reference.Float  `json:"rtol,omitempty"`
	Reason     string           `json:"tolerance_reason,omitempty"`
}

// NewStats converts a comparison's statistics; full keeps the worst element
// and the tolerance.
func NewStats(s *reference.Stats, full bool) *Stats {
	if s == nil {
		return nil
	}
	out := &Stats{Elements: s.Elements, Mismatches: s.Mismatches,
		MaxAbs: reference.Float(s.MaxAbs), MaxRel: reference.Float(s.MaxRel), MaxULP: reference.Float(s.MaxULP),
		Spread: reference.Float(s.Spread), Banded: s.Banded}
	if full {
		got, want := reference.Float(s.Got), reference.Float(s.Want)
		out.WorstIndex, out.Got, out.Want = s.WorstIndex, &got, &want
		if out.WorstIndex == nil {
			out.WorstIndex = []int{}
		}
		out.ATol, out.RTol, out.Reason = reference.Float(s.Tolerance.ATol), reference.Float(s.Tolerance.RTol), s.Tolerance.Reason
	}
	return out
}
