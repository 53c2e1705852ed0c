package reference

import (
	"errors"
	"fmt"
)

// Policy decides the tolerance of each case from layers, each later one
// overriding the earlier: a default per dtype, then rules per class (kind
// and class), then rules per case-id pattern (optionally for one backend),
// then a port's own overrides. Within a layer the rule added last wins. Every
// rule carries the reason it exists, so a report can say why any case was
// allowed the error it was.
//
// A Policy is not safe for concurrent modification; once built, For may be
// called from any number of goroutines.
type Policy struct {
	defaults  map[string]Tolerance // by dtype
	classes   []classRule
	cases     []Rule
	overrides []Rule
}

// Rule sets the tolerance of the cases whose id matches Pattern (see
// MatchPattern), on Backend only when it is not empty.
type Rule struct {
	Pattern string
	Backend string
	Tolerance
}

type classRule struct {
	kind, class string
	Tolerance
}

// Default tolerances per dtype. They are tight on purpose: a port that
// follows Keras's order of operations lands within a few ULP, and a wider
// bound would hide real divergences. Each is widened only by a rule with a
// reason.
var defaultTolerances = map[string]Tolerance{
	// float64 carries 2^-52 ≈ 2.2e-16 of relative precision. Keras reduces
	// with pairwise or tree sums while a Go port sums in its own order; over
	// the thousands of terms the largest fixtures reduce, rounding in a
	// different order drifts by up to a few thousand ULP, i.e. ~1e-12.
	"float64": {ATol: 1e-12, RTol: 1e-12,
		Reason: "float64 default: summation order differs from Keras's pairwise/tree reductions; ~4500 ulp (1e-12) covers reductions over thousands of terms"},
	// float32: 8 ULP relative (8 × 2^-23 ≈ 9.5e-7) absorbs a handful of
	// intermediates rounded at different points; an absolute floor of 2 ULP
	// at 1.0 (2^-22 ≈ 2.4e-7) covers results near zero that come from
	// cancelling O(1) terms (a loss of a near-perfect prediction, 1 - p),
	// whose error is set by the terms, not by the tiny result.
	"float32": {ATol: 0x1p-22, RTol: 0x1p-20,
		Reason: "float32 default: 8 ulp relative (2^-20) for intermediates rounded at different points; atol 2 ulp at 1.0 (2^-22) for results near zero from cancelling O(1) terms"},
	// float16: 10 mantissa bits, epsilon 2^-10. A Go port computes float16
	// in float32 or float64 and rounds once, while Keras's backends round
	// some intermediates to float16 (and others not, depending on the
	// backend): each such rounding costs up to half an ULP. 4 ULP relative
	// and 1 ULP at 1.0 absolute allow a few of them.
	"float16": {ATol: 0x1p-10, RTol: 0x1p-8,
		Reason: "float16 default: Keras rounds some intermediates to float16, a port rounds once: 4 ulp relative (4 × 2^-10), atol 1 ulp at 1.0 (2^-10)"},
	// bfloat16: 7 mantissa bits, epsilon 2^-7; same reasoning as float16.
	"bfloat16": {ATol: 0x1p-7, RTol: 0x1p-5,
		Reason: "bfloat16 default: Keras rounds some intermediates to bfloat16, a port rounds once: 4 ulp relative (4 × 2^-7), atol 1 ulp at 1.0 (2^-7)"},
	// Integers and bools (counts, labels, thresholds met) are exact in every
	// backend; any difference is a bug.
	"int32": {Reason: "int32 default: integer results are exact"},
	"int64": {Reason: "int64 default: integer results are exact"},
	"bool":  {Reason: "bool default: boolean results are exact"},
}

// DefaultPolicy returns a policy holding only the per-dtype defaults.
func DefaultPolicy() *Policy {
	p := &Policy{defaults: make(map[string]Tolerance, len(defaultTolerances))}
	for dt, t := range defaultTolerances {
		p.defaults[dt] = t
	}
	return p
}

// SetDefault replaces the default tolerance of a dtype.
func (p *Policy) SetDefault(dtype string, t Tolerance) error {
	if dtype == "" {
		return errors.New("tolerance default: no dtype")
	}
	if err := checkRule(t); err != nil {
		return fmt.Errorf("tolerance default for %s: %w", dtype, err)
	}
	if p.defaults == nil {
		p.defaults = make(map[string]Tolerance)
	}
	p.defaults[dtype] = t
	return nil
}

// AddClass sets the tolerance of every case of a Keras class of the given
// kind ("loss", "metric" or "function"; "" for any kind).
func (p *Policy) AddClass(kind, class string, t Tolerance) error {
	if class == "" {
		return errors.New("tolerance class rule: no class")
	}
	if err := checkRule(t); err != nil {
		return fmt.Errorf("tolerance class rule %s %s: %w", kind, class, err)
	}
	p.classes = append(p.classes, classRule{kind: kind, class: class, Tolerance: t})
	return nil
}

// Add adds a case rule: the layer for what the reference itself knows about
// particular cases (a backend whose reduction order loses more precision, an
// edge case that amplifies rounding).
func (p *Policy) Add(r Rule) error {
	if err := checkPatternRule(r); err != nil {
		return fmt.Errorf("tolerance case rule: %w", err)
	}
	p.cases = append(p.cases, r)
	return nil
}

// Override adds a port's own rule, the last layer: a port that computes
// differently from Keras, on purpose and with a reason, says so here.
func (p *Policy) Override(r Rule) error {
	if err := checkPatternRule(r); err != nil {
		return fmt.Errorf("tolerance override: %w", err)
	}
	p.overrides = append(p.overrides, r)
	return nil
}

func checkPatternRule(r Rule) error {
	if r.Pattern == "" {
		return errors.New("no pattern")
	}
	if err := checkRule(r.Tolerance); err != nil {
		return fmt.Errorf("pattern %q: %w", r.Pattern, err)
	}
	return nil
}

// checkRule requires a reason and sane bounds. An infinite bound is allowed:
// it is the honest way to say values are not compared.
func checkRule(t Tolerance) error {
	if t.Reason == "" {
		return errors.New("every tolerance needs a reason")
	}
	if !(t.ATol >= 0) || !(t.RTol >= 0) {
		return fmt.Errorf("atol=%g rtol=%g must be >= 0", t.ATol, t.RTol)
	}
	return nil
}

// For returns the tolerance for comparing the values of case c.
func (p *Policy) For(c *Case) Tolerance {
	dt := ExpectedDType(c)
	t, ok := p.defaults[dt]
	if !ok {
		t = Tolerance{Reason: fmt.Sprintf("no default for dtype %q: exact", dt)}
	}
	for _, r := range p.classes {
		if (r.kind == "" || r.kind == c.Kind) && r.class == c.Class {
			t = r.Tolerance
		}
	}
	for _, layer := range [][]Rule{p.cases, p.overrides} {
		for _, r := range layer {
			if (r.Backend == "" || r.Backend == c.Backend) && MatchPattern(r.Pattern, c.ID) {
				t = r.Tolerance
			}
		}
	}
	return t
}

// ExpectedDType is the dtype the values of c are compared in: that of the
// first expected value, or the case's dtype when no step expects a value.
func ExpectedDType(c *Case) string {
	for _, s := range c.Steps {
		if s != nil && s.Expect.Value != nil && s.Expect.Value.DType != "" {
			return s.Expect.Value.DType
		}
	}
	return c.DType
}
