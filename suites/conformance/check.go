package conformance

import (
	"errors"
	"fmt"
	"math"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/report"
	"github.com/kerasparity/kerasparity/suites/port"
)

// Checker runs fixture cases against a port. It holds everything a verdict
// depends on besides the case itself, and knows nothing of Ginkgo, so the
// harness's own logic is testable with plain fakes.
type Checker struct {
	Port        port.Port
	Policy      *reference.Policy
	Divergences *Divergences
	// Rerun makes the command line that reruns one case.
	Rerun func(*reference.Case) string
}

// Check runs every step of c against the port and returns the verdict with
// the statistics of the worst-fitting value.
func (k *Checker) Check(c *reference.Case) report.CaseResult {
	res := k.result(c)
	res.Outcome, res.Detail, res.Stats, res.Steps = k.steps(c)
	k.judge(&res, c)
	return res
}

// result is the part of a verdict that comes from the case alone.
func (k *Checker) result(c *reference.Case) report.CaseResult {
	res := report.CaseResult{
		ID: c.ID, Kind: c.Kind, Class: c.Class, Backend: c.Backend, DType: c.DType,
		Params: c.Params, Edges: c.Edges,
	}
	if k.Rerun != nil {
		res.Rerun = k.Rerun(c)
	}
	return res
}

// judge applies the port's known divergences to a verdict.
func (k *Checker) judge(res *report.CaseResult, c *reference.Case) {
	d := k.Divergences.match(c)
	if d == nil {
		return
	}
	switch res.Outcome {
	case report.Fail:
		res.Outcome, res.Divergence = report.KnownDivergence, d.Reason
	case report.Pass:
		res.Outcome, res.Divergence = report.XPass, d.Reason
		res.Detail = "listed as a known divergence (" + d.Pattern + ") but matches Keras: remove the entry"
	}
}

// errPanic marks a port that panicked: that is never a known divergence.
var errPanic = errors.New("port panicked")

// steps builds the object and runs the steps in order, stopping at the first
// step that does not match.
func (k *Checker) steps(c *reference.Case) (report.Outcome, string, *reference.Stats, int) {
	spec := port.Spec{Kind: c.Kind, Class: c.Class, Config: c.Config, Backend: c.Backend}
	obj, err := guard(func() (any, error) { return k.build(spec) })
	if construct := c.Steps[0]; construct.Op == "construct" {
		switch {
		case errors.Is(err, errPanic):
			return report.Error, "construct: " + err.Error(), nil, 1
		case errors.Is(err, port.ErrNotImplemented):
			return report.NotPorted, err.Error(), nil, 1
		case err == nil:
			return report.Fail, "construct: Keras raised " + kerasErr(construct.Expect.Error) + "; the port accepted the config", nil, 1
		}
		return report.Pass, "", nil, 1
	}
	if outcome, detail, failed := verdictOnError("construct", err); failed {
		return outcome, detail + "; Keras accepted the config", nil, 0
	}

	tol := k.Policy.For(c)
	var worst *reference.Stats
	for i, st := range c.Steps {
		where := fmt.Sprintf("step %d (%s)", i, st.Op)
		got, err := guard(func() (port.Array, error) { return run(obj, st) })
		if want := st.Expect.Error; want != nil {
			if errors.Is(err, port.ErrNotImplemented) || errors.Is(err, errPanic) {
				outcome, detail, _ := verdictOnError(where, err)
				return outcome, detail, worst, i + 1
			}
			if err == nil {
				return report.Fail, fmt.Sprintf("%s: Keras raised %s; the port returned a value of shape %v", where, kerasErr(want), got.Shape), worst, i + 1
			}
			continue
		}
		want := st.Expect.Value.Array
		if outcome, detail, failed := verdictOnError(where, err); failed {
			return outcome, fmt.Sprintf("%s; Keras returned a %s value of shape %v", detail, want.DType, want.Shape), worst, i + 1
		}
		if len(got.Data) != got.Size() {
			return report.Error, fmt.Sprintf("%s: the port returned %d values for shape %v", where, len(got.Data), got.Shape), worst, i + 1
		}
		stats, cmpErr := reference.Compare(got, *want, tol)
		if worst == nil || cmpErr != nil || worse(stats, *worst) {
			worst = &stats
		}
		if cmpErr != nil {
			return report.Fail, where + ": " + cmpErr.Error(), worst, i + 1
		}
	}
	return report.Pass, "", worst, len(c.Steps)
}

// build asks the port for the object a spec names.
func (k *Checker) build(spec port.Spec) (any, error) {
	if spec.Kind == "metric" {
		return k.Port.NewMetric(spec)
	}
	return k.Port.NewLoss(spec)
}

// run performs one step on the object the port built and returns what it
// produced. The step's op, not the object's type, decides what is called.
func run(obj any, st *reference.Step) (port.Array, error) {
	if st.Op == "call" {
		l, ok := obj.(port.Loss)
		if !ok {
			return port.Array{}, fmt.Errorf("op call needs a port.Loss; the port built a %T", obj)
		}
		return l.Call(*st.YTrue.Array, *st.YPred.Array, weight(st))
	}
	m, ok := obj.(port.Metric)
	if !ok {
		return port.Array{}, fmt.Errorf("op %s needs a port.Metric; the port built a %T", st.Op, obj)
	}
	switch st.Op {
	case "update":
		if err := m.UpdateState(*st.YTrue.Array, *st.YPred.Array, weight(st)); err != nil {
			return port.Array{}, err
		}
	case "reset":
		m.ResetState()
	default:
		return port.Array{}, fmt.Errorf("unknown op %q", st.Op)
	}
	return m.Result()
}

func weight(st *reference.Step) *port.Array {
	if st.SampleWeight == nil {
		return nil
	}
	return st.SampleWeight.Array
}

// verdictOnError classifies an error the port returned where Keras returned a
// value (or accepted a config).
func verdictOnError(where string, err error) (report.Outcome, string, bool) {
	switch {
	case err == nil:
		return report.Pass, "", false
	case errors.Is(err, errPanic):
		return report.Error, where + ": " + err.Error(), true
	case errors.Is(err, port.ErrNotImplemented):
		return report.NotPorted, where + ": " + err.Error(), true
	}
	return report.Fail, where + ": the port returned an error: " + err.Error(), true
}

// guard turns a panic in port code into an error, so one broken case cannot
// take the whole run down.
func guard[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errPanic, r)
		}
	}()
	return f()
}

// worse orders statistics by how badly they fit: mismatches first, then ULP
// distance, then absolute error.
func worse(a, b reference.Stats) bool {
	if a.Mismatches != b.Mismatches {
		return a.Mismatches > b.Mismatches
	}
	if ua, ub := nanLow(a.MaxULP), nanLow(b.MaxULP); ua != ub {
		return ua > ub
	}
	return nanLow(a.MaxAbs) > nanLow(b.MaxAbs)
}

func nanLow(x float64) float64 {
	if math.IsNaN(x) {
		return math.Inf(-1)
	}
	return x
}

func kerasErr(e *reference.KerasError) string {
	if e.Message == "" {
		return e.Type
	}
	return e.Type + " (" + e.Message + ")"
}
