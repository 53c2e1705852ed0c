package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/kerasparity/kerasparity/caseview"
	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/results"
	"github.com/kerasparity/kerasparity/suites/port"
)

// Checker runs fixture cases against a port. It holds everything a verdict
// depends on besides the case itself, and knows nothing of Ginkgo, so the
// harness's own logic is testable with plain fakes.
type Checker struct {
	Port        port.Port
	Policy      *reference.Policy
	Divergences *Divergences
	// Timeout bounds every port call (building an object, a call, an
	// update, a result); zero means no bound. A call that does not return
	// in time is an error of the case, and the run goes on without it.
	Timeout time.Duration
	// Repeat runs every case a second time on a fresh object and reports a
	// case whose two runs differ as nondeterministic.
	Repeat bool
	// Rerun makes the command line that reruns one case; Show the one that
	// prints it. Either may be nil.
	Rerun func(*reference.Case) string
	Show  func(*reference.Case) string
	// ViewLimit is the number of elements up to which an array is shown in
	// full in a failing case's view (default 32).
	ViewLimit int

	// Siblings returns the same case from the other references loaded
	// with it (the same id on other backends): their values make the band
	// of Keras's own spread that a value may also lie in. Nil for none.
	Siblings func(*reference.Case) []*reference.Case

	// What each divergence and tolerance entry did, by index.
	divUse, tolUse map[int]*entryUse
}

// errPanic marks a port that panicked, errTimeout a call that did not
// return in time: those are never known divergences.
var (
	errPanic   = errors.New("port panicked")
	errTimeout = errors.New("timed out")
)

// Check runs every step of c against the port and returns the verdict with
// every finding and the statistics of the worst-fitting value.
func (k *Checker) Check(c *reference.Case) results.CaseResult {
	res := results.CaseResult{ID: c.ID, Backend: c.Backend, Kind: c.Kind, Class: c.Class, DType: c.DType}
	run := k.run(c)
	res.Steps, res.Compared, res.Findings, res.Unclassified = run.steps, run.compared, run.findings, run.unclassified
	switch {
	case run.notPorted != "":
		res.Outcome, res.Detail = results.NotPorted, run.notPorted
	case slices.ContainsFunc(run.findings, func(f results.Finding) bool { return results.PortError(f.Check) }):
		res.Outcome = results.Error
	case len(run.findings) > 0:
		res.Outcome = results.Fail
	default:
		res.Outcome = results.Pass
	}
	if k.Repeat && (res.Outcome == results.Pass || res.Outcome == results.Fail) {
		if f := k.run(c).differs(run); f != nil {
			f.Op = c.Steps[f.Step].Op
			res.Outcome = results.Nondeterministic
			res.Findings = append(res.Findings, *f)
		}
	}
	res.Stats = results.NewStats(run.worst, true)
	k.judge(&res, c)
	if res.Outcome == results.Pass {
		res.Stats = results.NewStats(run.worst, false)
	}
	k.complete(&res, c, run)
	if _, i := k.Divergences.tolerance(c); i >= 0 && res.Outcome == results.Pass {
		k.useTolerance(i, &res)
	}
	return res
}

// tolerance is the tolerance of case c: the policy's, unless the port's
// divergence file overrides it.
func (k *Checker) tolerance(c *reference.Case) reference.Tolerance {
	if t, i := k.Divergences.tolerance(c); i >= 0 {
		return t
	}
	return k.Policy.For(c)
}

func (k *Checker) useTolerance(i int, res *results.CaseResult) {
	if k.tolUse == nil {
		k.tolUse = map[int]*entryUse{}
	}
	u := k.tolUse[i]
	if u == nil {
		u = &entryUse{}
		k.tolUse[i] = u
	}
	u.matched++
	if res.Stats != nil && !isNaN(float64(res.Stats.MaxULP)) {
		u.largestULP = max(u.largestULP, float64(res.Stats.MaxULP))
	}
}

// complete fills what a case that did not pass carries besides its verdict:
// its detail line, params and edges, a rerun line and a view of its steps.
func (k *Checker) complete(res *results.CaseResult, c *reference.Case, run *caseRun) {
	if len(res.Findings) > 0 && res.Detail == "" {
		f := res.Findings[0]
		res.Detail = stepName(f.Step, f.Op) + ": " + f.Message
		if n := len(res.Findings); n > 1 {
			res.Detail += fmt.Sprintf(" (and %d more finding%s)", n-1, plural(n-1))
		}
	}
	// A passing or not-ported case is written lean: a port that lacks
	// most classes has tens of thousands of them. A known divergence keeps
	// its findings; only a case that fails the run carries its view.
	if res.Outcome == results.Pass || res.Outcome == results.NotPorted {
		return
	}
	res.Params, res.Edges = c.Params, c.Edges
	if k.Rerun != nil {
		res.Rerun = k.Rerun(c)
	}
	if res.Outcome.Broken() && run != nil {
		res.View = k.view(c, run)
	}
}

// caseRun is what one run of a case's steps produced.
type caseRun struct {
	steps     int
	notPorted string
	findings  []results.Finding
	worst     *reference.Stats
	compared  int
	// outputs holds what the port returned at each step (nil where it
	// returned nothing), errs what it refused with.
	outputs []*port.Array
	errs    []error
	// buildErr is the port's error when it refused a config Keras accepted.
	buildErr error
	// unclassified counts refusals, where Keras raised too, whose kind the
	// port did not say.
	unclassified int
}

// run builds the object and runs every step. It goes on past a step that
// does not match, so that every finding of the case is reported, and stops
// only where the port's state can no longer be trusted (a panic, a hung
// call, malformed output, changed inputs) or it said not implemented.
func (k *Checker) run(c *reference.Case) *caseRun {
	r := &caseRun{outputs: make([]*port.Array, len(c.Steps)), errs: make([]error, len(c.Steps))}
	spec := port.Spec{Kind: c.Kind, Class: c.Class, Config: c.Config, Backend: c.Backend}
	obj, err := call(k.Timeout, func() (any, error) { return k.build(spec) })
	if construct := c.Steps[0]; construct.Op == "construct" {
		r.steps = 1
		r.errs[0] = err
		switch {
		case errors.Is(err, port.ErrNotImplemented):
			r.notPorted = err.Error()
		case err == nil:
			r.add(0, "construct", results.CheckAccepted, "Keras raised "+kerasErr(construct.Expect.Error)+"; the port accepted the config")
		default:
			if check := errorCheck(err); check != "" {
				r.add(0, "construct", check, err.Error())
			} else {
				r.refused(0, "construct", construct.Expect.Error, err)
			}
		}
		return r
	}
	switch {
	case errors.Is(err, port.ErrNotImplemented):
		r.notPorted = err.Error()
		return r
	case err != nil:
		r.buildErr = err
		check := cmpOr(errorCheck(err), results.CheckRefused)
		r.add(-1, "construct", check, describeErr(err, check)+"; Keras accepted the config")
		return r
	}

	tol := k.tolerance(c)
	for i, st := range c.Steps {
		r.steps = i + 1
		inputs := freshInputs(st)
		got, err := call(k.Timeout, func() (port.Array, error) { return perform(obj, st, inputs) })
		r.errs[i] = err
		if msg := mutated(st, inputs); msg != "" {
			r.add(i, st.Op, results.CheckMutated, msg)
			return r
		}
		if errors.Is(err, port.ErrNotImplemented) {
			if len(r.findings) == 0 {
				r.notPorted = stepName(i, st.Op) + ": " + err.Error()
			} else {
				r.add(i, st.Op, results.CheckRefused, err.Error())
			}
			return r
		}
		if check := errorCheck(err); check != "" {
			r.add(i, st.Op, check, err.Error())
			return r
		}
		if want := st.Expect.Error; want != nil {
			if err == nil {
				r.add(i, st.Op, results.CheckAccepted, fmt.Sprintf("Keras raised %s; the port returned a value of shape %v", kerasErr(want), got.Shape))
			} else {
				r.refused(i, st.Op, want, err)
			}
			continue
		}
		want := *st.Expect.Value.Array
		if err != nil {
			// The port's state is no longer Keras's: later steps of a metric
			// stream would only repeat this finding, so the case ends here,
			// as the generator ends a stream where Keras raised.
			r.add(i, st.Op, results.CheckRefused, fmt.Sprintf("the port returned an error: %v; Keras returned a %s value of shape %v", err, want.DType, want.Shape))
			return r
		}
		r.outputs[i] = &got
		if msg := malformed(got); msg != "" {
			r.add(i, st.Op, results.CheckMalformed, msg)
			return r
		}
		r.compare(i, st.Op, got, want, tol, k.band(c, i, want))
	}
	return r
}

// refused checks a refusal where Keras raised too: a port that says what
// kind of error it returned (port.Errorf) must name a kind that matches
// Keras's exception class; one that does not is counted as unclassified.
func (r *caseRun) refused(step int, op string, want *reference.KerasError, err error) {
	kind := port.KindOf(err)
	if kind == "" {
		r.unclassified++
		return
	}
	if kinds := port.KerasErrorKinds(want.Type); kinds != nil && !slices.Contains(kinds, kind) {
		r.add(step, op, results.CheckErrorKind, fmt.Sprintf("Keras raised %s; the port refused with a %s error: %v", kerasErr(want), kind, err))
	}
}

func (r *caseRun) add(step int, op, check, msg string) {
	r.findings = append(r.findings, results.Finding{Step: step, Op: op, Check: check, Message: msg})
}

// compare checks one output against Keras's: shape, dtype, then values.
// Values are compared even when the shape or the dtype differs, as long as
// the element counts agree, so a wrong shape of right values reads as such;
// statistics are only ever reported for values that were compared.
func (r *caseRun) compare(step int, op string, got, want port.Array, tol reference.Tolerance, band *reference.Band) {
	first := len(r.findings)
	if !slices.Equal(got.Shape, want.Shape) {
		msg := fmt.Sprintf("shape %s, Keras %s", fmtShape(got.Shape), fmtShape(want.Shape))
		if len(got.Data) != len(want.Data) {
			msg += fmt.Sprintf(" (%d values vs %d: not compared)", len(got.Data), len(want.Data))
		}
		r.add(step, op, results.CheckShape, msg)
		if len(got.Data) != len(want.Data) {
			return
		}
		got.Shape = want.Shape
	}
	if got.DType != want.DType {
		r.add(step, op, results.CheckDType, fmt.Sprintf("dtype %s, Keras %s", got.DType, want.DType))
		got.DType = want.DType
	}
	stats, err := reference.CompareWithin(got, want, tol, band)
	r.compared += len(want.Data)
	if r.worst == nil || err != nil || worse(stats, *r.worst) {
		r.worst = &stats
	}
	if err != nil {
		r.add(step, op, results.CheckValue, err.Error())
	}
	for i := first; i < len(r.findings); i++ {
		r.findings[i].Stats = results.NewStats(&stats, true)
	}
}

// band spans what the other references computed for step i of c, or is
// nil when c has no siblings with a value there.
func (k *Checker) band(c *reference.Case, i int, want port.Array) *reference.Band {
	if k.Siblings == nil {
		return nil
	}
	var others []port.Array
	for _, o := range k.Siblings(c) {
		if i < len(o.Steps) && o.Steps[i].Op == c.Steps[i].Op && o.Steps[i].Expect.Value != nil && o.Steps[i].Expect.Value.Array != nil {
			others = append(others, *o.Steps[i].Expect.Value.Array)
		}
	}
	if len(others) == 0 {
		return nil
	}
	return reference.NewBand(want, others)
}

// differs compares two runs of one case bit for bit and describes the first
// difference, or returns nil when they agree.
func (r *caseRun) differs(first *caseRun) *results.Finding {
	for i := range first.outputs {
		a, b := first.outputs[i], r.outputs[i]
		ea, eb := first.errs[i] != nil, r.errs[i] != nil
		switch {
		case ea != eb:
			return &results.Finding{Step: i, Check: results.CheckNondeterministic,
				Message: fmt.Sprintf("first run: %s; second run: %s", outcomeText(first.errs[i]), outcomeText(r.errs[i]))}
		case a == nil || b == nil:
			if (a == nil) != (b == nil) {
				return &results.Finding{Step: i, Check: results.CheckNondeterministic, Message: "one run returned a value, the other none"}
			}
		case !slices.Equal(a.Shape, b.Shape) || len(a.Data) != len(b.Data):
			return &results.Finding{Step: i, Check: results.CheckNondeterministic,
				Message: fmt.Sprintf("first run gave shape %v, second %v", a.Shape, b.Shape)}
		default:
			for j := range a.Data {
				if math.Float64bits(a.Data[j]) != math.Float64bits(b.Data[j]) && !(math.IsNaN(a.Data[j]) && math.IsNaN(b.Data[j])) {
					return &results.Finding{Step: i, Check: results.CheckNondeterministic,
						Message: fmt.Sprintf("element %d: first run %v, second run %v", j, a.Data[j], b.Data[j])}
				}
			}
		}
	}
	return nil
}

func outcomeText(err error) string {
	if err == nil {
		return "a value"
	}
	return "error " + err.Error()
}

// build asks the port for the object a spec names.
func (k *Checker) build(spec port.Spec) (any, error) {
	if spec.Kind == "metric" {
		return k.Port.NewMetric(spec)
	}
	return k.Port.NewLoss(spec)
}

// stepInputs are the arrays one step hands to the port: fresh copies, so
// that a port that writes into its inputs cannot change the fixtures.
type stepInputs struct {
	yTrue, yPred port.Array
	weight       *port.Array
}

func freshInputs(st *reference.Step) stepInputs {
	var in stepInputs
	if st.YTrue != nil {
		in.yTrue = cloneArray(*st.YTrue.Array)
	}
	if st.YPred != nil {
		in.yPred = cloneArray(*st.YPred.Array)
	}
	if st.SampleWeight != nil {
		w := cloneArray(*st.SampleWeight.Array)
		in.weight = &w
	}
	return in
}

func cloneArray(a port.Array) port.Array {
	return port.Array{Shape: slices.Clone(a.Shape), DType: a.DType, Data: slices.Clone(a.Data)}
}

// mutated names an input the port changed during the call, or returns "".
func mutated(st *reference.Step, in stepInputs) string {
	check := func(name string, ref *reference.ArrayRef, got *port.Array) string {
		if ref == nil || got == nil {
			return ""
		}
		want := ref.Array
		if got.DType != want.DType || !slices.Equal(got.Shape, want.Shape) || len(got.Data) != len(want.Data) {
			return "the port changed the shape or dtype of " + name + " it was handed"
		}
		for i := range want.Data {
			if math.Float64bits(got.Data[i]) != math.Float64bits(want.Data[i]) {
				return fmt.Sprintf("the port wrote into %s (element %d was %v, is %v): inputs are read-only", name, i, want.Data[i], got.Data[i])
			}
		}
		return ""
	}
	return cmpOr(check("y_true", st.YTrue, &in.yTrue), check("y_pred", st.YPred, &in.yPred), check("sample_weight", st.SampleWeight, in.weight))
}

// perform runs one step on the object the port built and returns what it
// produced. The step's op, not the object's type, decides what is called.
func perform(obj any, st *reference.Step, in stepInputs) (port.Array, error) {
	if st.Op == "call" {
		l, ok := obj.(port.Loss)
		if !ok {
			return port.Array{}, fmt.Errorf("op call needs a port.Loss; the port built a %T", obj)
		}
		return l.Call(in.yTrue, in.yPred, in.weight)
	}
	m, ok := obj.(port.Metric)
	if !ok {
		return port.Array{}, fmt.Errorf("op %s needs a port.Metric; the port built a %T", st.Op, obj)
	}
	switch st.Op {
	case "update":
		if err := m.UpdateState(in.yTrue, in.yPred, in.weight); err != nil {
			return port.Array{}, err
		}
	case "reset":
		m.ResetState()
	default:
		return port.Array{}, fmt.Errorf("unknown op %q", st.Op)
	}
	return m.Result()
}

// knownDTypes are the dtype names an output may carry.
var knownDTypes = map[string]bool{"float16": true, "bfloat16": true, "float32": true, "float64": true,
	"int8": true, "int16": true, "int32": true, "int64": true, "uint8": true, "bool": true}

// malformed is the one rule for output a port cannot mean: a negative or
// overflowing shape, an unknown dtype, or data that does not fill the
// shape. Such output is an error of the port, never a mismatch with Keras.
func malformed(a port.Array) string {
	n := a.Size()
	switch {
	case n < 0:
		return fmt.Sprintf("the port returned shape %v, which has a negative dimension or overflows", a.Shape)
	case !knownDTypes[a.DType]:
		return fmt.Sprintf("the port returned dtype %q, which is not a dtype name", a.DType)
	case len(a.Data) != n:
		return fmt.Sprintf("the port returned %d values for shape %v (%d elements)", len(a.Data), a.Shape, n)
	}
	return ""
}

// errorCheck classifies an error that makes the case an error of the port
// (a panic, a call that timed out), or returns "".
func errorCheck(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, errPanic):
		return results.CheckPanic
	case errors.Is(err, errTimeout):
		return results.CheckTimeout
	}
	return ""
}

func describeErr(err error, check string) string {
	if check == results.CheckRefused {
		return "the port returned an error: " + err.Error()
	}
	return err.Error()
}

// call runs f, turning a panic into an error and, with a timeout, giving up
// on a call that does not return in time. A call given up on keeps running
// in its goroutine; the case is over, and its object is not used again.
func call[T any](timeout time.Duration, f func() (T, error)) (T, error) {
	if timeout <= 0 {
		return guard(f)
	}
	type out struct {
		v   T
		err error
	}
	ch := make(chan out, 1)
	go func() {
		v, err := guard(f)
		ch <- out{v, err}
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case o := <-ch:
		return o.v, o.err
	case <-t.C:
		var zero T
		return zero, fmt.Errorf("%w after %v", errTimeout, timeout)
	}
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

func stepName(i int, op string) string {
	if i < 0 {
		return op
	}
	return fmt.Sprintf("step %d (%s)", i, op)
}

func fmtShape(s []int) string {
	if s == nil {
		s = []int{}
	}
	return fmt.Sprint(s)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// view renders a failing case for the report: its config, and per step its
// inputs, Keras's output and the port's.
func (k *Checker) view(c *reference.Case, run *caseRun) *results.View {
	limit := k.ViewLimit
	if limit <= 0 {
		limit = 32
	}
	cfg, _ := json.Marshal(c.Config)
	v := &results.View{Config: string(cfg)}
	if k.Show != nil {
		v.Show = k.Show(c)
	}
	if run.buildErr != nil {
		v.Steps = append(v.Steps, results.StepView{Op: "construct", Keras: "accepted the config", Port: "error: " + run.buildErr.Error()})
	}
	for i, st := range c.Steps {
		sv := results.StepView{Op: st.Op, Inputs: map[string]string{}}
		for name, ref := range map[string]*reference.ArrayRef{"y_true": st.YTrue, "y_pred": st.YPred, "sample_weight": st.SampleWeight} {
			if ref != nil && ref.Array != nil {
				sv.Inputs[name] = caseview.Array(*ref.Array, limit)
			}
		}
		switch {
		case st.Expect.Error != nil:
			sv.Keras = "raised " + kerasErr(st.Expect.Error)
		case st.Expect.Value != nil && st.Expect.Value.Array != nil:
			sv.Keras = caseview.Array(*st.Expect.Value.Array, limit)
		}
		switch {
		case i >= run.steps:
			sv.Port = "(not run)"
		case run.errs[i] != nil:
			sv.Port = "error: " + run.errs[i].Error()
		case run.outputs[i] != nil:
			sv.Port = caseview.Array(*run.outputs[i], limit)
		case i == 0 && st.Op == "construct":
			sv.Port = "accepted the config"
		default:
			sv.Port = "(no output)"
		}
		v.Steps = append(v.Steps, sv)
	}
	return v
}
