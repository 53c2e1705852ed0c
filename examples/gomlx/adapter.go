// Package gomlxport plugs GoMLX (github.com/gomlx/gomlx v0.28.2, on its
// pure-Go backend) into the kerasparity conformance harness.
//
// It is written the way a GoMLX maintainer would write it: every Keras class
// or function that GoMLX has an equivalent for is mapped to GoMLX's own code
// (packages ml/train/loss and ml/train/metric), called the way GoMLX's
// trainer calls it, and GoMLX's answer is passed through unchanged, even
// where it differs from Keras (a mean where Keras returns per-sample values,
// no EPSILON clip, a different dtype). Everything GoMLX cannot express
// (classes it lacks, config values such as label_smoothing or a reduction it
// has no argument for) is refused with an error wrapping
// port.ErrNotImplemented that names the class and the value.
//
// How arrays are fed to GoMLX: a GoMLX graph computes in the dtype of its
// inputs. The float inputs of a loss class are converted to the class's
// `dtype` (Keras casts them the same way; a null dtype is float32); a plain
// loss function and a metric get the arrays in the dtypes the case gives
// them (GoMLX metrics have no dtype, so a metric `dtype` other than float32
// is not implemented). Integer class ids keep their dtype; sparse ids of
// shape (B, ...) get a trailing axis of 1, the layout GoMLX's sparse losses
// and metrics require. A sample weight is passed as GoMLX's losses and
// metrics take weights, an extra labels tensor after the labels, in the
// [batchSize] layout GoMLX documents (see perExample).
//
// Errors: GoMLX reports errors by panicking while it builds a graph; its
// Exec turns those into returned errors, and so does this adapter (the
// construction-time panics of loss.MakeHuberLoss are caught with GoMLX's
// exceptions.TryCatch). Such an error is passed on as a refusal, not as
// not-implemented, except where the backend says an op is not implemented
// (compute.ErrNotImplemented).
package gomlxport

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/gobackend"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/support/exceptions"

	"github.com/kerasparity/kerasparity/suites/port"
)

// Version is the GoMLX release this adapter is built against (go.mod).
const Version = "v0.28.2"

// New returns the GoMLX port. The Go backend is created on first use.
func New() port.Port { return &gomlxPort{execs: map[string]*Exec{}} }

type gomlxPort struct {
	once    sync.Once
	backend compute.Backend
	err     error

	mu    sync.Mutex
	execs map[string]*Exec // compiled loss graphs by (kind, class, config); Exec caches per input shapes
}

func (p *gomlxPort) Name() string { return "gomlx " + Version + " (go backend)" }

func (p *gomlxPort) compute() (compute.Backend, error) {
	p.once.Do(func() { p.backend, p.err = gobackend.New("") })
	return p.backend, p.err
}

// lossSpec is a GoMLX loss function with how to call it.
type lossSpec struct {
	fn     loss.LossFn
	sparse bool // labels are class ids, of shape (..., 1)
}

// lossFor maps a Keras loss (class or function name, with its config or
// keyword arguments) to GoMLX's loss function.
func lossFor(c config) (lossSpec, error) {
	switch c.class {
	case "MeanSquaredError", "mean_squared_error":
		return lossSpec{fn: loss.MeanSquaredError}, nil
	case "MeanAbsoluteError", "mean_absolute_error":
		return lossSpec{fn: loss.MeanAbsoluteError}, nil
	case "Huber", "huber":
		delta, err := c.float("delta", 1.0)
		if err != nil {
			return lossSpec{}, err
		}
		var fn loss.LossFn
		// MakeHuberLoss panics for delta <= 0: that is GoMLX refusing the
		// argument, reported as an error.
		if err := exceptions.TryCatch[error](func() { fn = loss.MakeHuberLoss(delta) }); err != nil {
			return lossSpec{}, fmt.Errorf("gomlx: loss.MakeHuberLoss(%v): %w", delta, err)
		}
		return lossSpec{fn: fn}, nil
	case "BinaryCrossentropy", "binary_crossentropy":
		if err := cmp.Or(c.noLabelSmoothing(), c.only("axis", -1.0)); err != nil {
			return lossSpec{}, err
		}
		logits, err := c.bool("from_logits", false)
		if err != nil {
			return lossSpec{}, err
		}
		if logits {
			return lossSpec{fn: loss.BinaryCrossentropyLogits}, nil
		}
		return lossSpec{fn: loss.BinaryCrossentropy}, nil
	case "CategoricalCrossentropy", "categorical_crossentropy":
		if err := cmp.Or(c.noLabelSmoothing(), c.only("axis", -1.0)); err != nil {
			return lossSpec{}, err
		}
		logits, err := c.bool("from_logits", false)
		if err != nil {
			return lossSpec{}, err
		}
		if logits {
			return lossSpec{fn: loss.CategoricalCrossEntropyLogits}, nil
		}
		return lossSpec{fn: loss.CategoricalCrossEntropy}, nil
	case "SparseCategoricalCrossentropy", "sparse_categorical_crossentropy":
		// GoMLX has only the logits form, and no ignore_class (its masks
		// are a separate input, not a class id).
		if err := cmp.Or(c.only("from_logits", true), c.only("ignore_class", nil), c.only("axis", -1.0)); err != nil {
			return lossSpec{}, err
		}
		if !c.has("from_logits") {
			return lossSpec{}, fmt.Errorf("gomlx: %s(from_logits=false): %w", c.class, port.ErrNotImplemented)
		}
		return lossSpec{fn: loss.SparseCategoricalCrossEntropyLogits, sparse: true}, nil
	}
	return lossSpec{}, fmt.Errorf("gomlx: %s: %w", c.class, port.ErrNotImplemented)
}

// NewLoss builds a loss class (kind "loss") or a plain function (kind
// "function").
//
// Reductions: GoMLX's losses have no reduction argument; every one of them
// returns ReduceAllMean of the (weighted) element losses, and GoMLX's
// trainer takes ReduceAllMean of whatever a loss returns. So the Keras
// reductions that are a mean ("sum_over_batch_size", the default, and
// "mean") get GoMLX's answer as it is, and the others ("sum", "none", None,
// "mean_with_sample_weight", and values Keras refuses) are not implemented:
// a GoMLX user cannot ask for them. A plain Keras function returns
// per-sample values; GoMLX's function of the same name is called as it is
// and its mean is passed through: that is the divergence the report shows.
func (p *gomlxPort) NewLoss(s port.Spec) (port.Loss, error) {
	c := config{class: s.Class, cfg: s.Config}
	if s.Kind != "loss" && s.Kind != "function" {
		return nil, fmt.Errorf("gomlx: kind %q is not a loss: %w", s.Kind, port.ErrNotImplemented)
	}
	ls, err := lossFor(c)
	if err != nil {
		return nil, err
	}
	as := dtypes.InvalidDType // functions: the arrays' own dtypes
	if s.Kind == "loss" {
		if err := c.only("reduction", "sum_over_batch_size", "mean"); err != nil {
			return nil, err
		}
		if as, err = computeDType(c); err != nil {
			return nil, err
		}
	}
	e, err := p.lossExec(s, ls)
	if err != nil {
		return nil, err
	}
	return &lossAdapter{exec: e, sparse: ls.sparse, as: as, function: s.Kind == "function"}, nil
}

// computeDType is the dtype a class computes in: its `dtype`, float32 when
// null or absent.
func computeDType(c config) (dtypes.DType, error) {
	v, ok := c.cfg["dtype"]
	if !ok || v == nil {
		return dtypes.Float32, nil
	}
	name, ok := v.(string)
	if !ok {
		return dtypes.InvalidDType, c.notImplemented("dtype")
	}
	d, err := dtypeOf(name)
	if err != nil || !d.IsFloat() {
		return dtypes.InvalidDType, c.notImplemented("dtype")
	}
	return d, nil
}

// lossExec returns the graph executor of a loss, shared by every object of
// the same (kind, class, config): GoMLX's Exec compiles one graph per input
// shapes and caches it, which is what makes 27,000 cases run in minutes.
func (p *gomlxPort) lossExec(s port.Spec, ls lossSpec) (*Exec, error) {
	b, err := p.compute()
	if err != nil {
		return nil, err
	}
	key := cacheKey(s)
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.execs[key]; ok {
		return e, nil
	}
	// inputs: y_true, y_pred and, when given, the sample weight, which
	// GoMLX takes as an extra labels tensor.
	e, err := NewExec(b, func(inputs []*Node) *Node {
		labels := append([]*Node{inputs[0]}, inputs[2:]...)
		return ls.fn(labels, []*Node{inputs[1]})
	})
	if err != nil {
		return nil, err
	}
	e.SetMaxCache(-1)
	p.execs[key] = e
	return e, nil
}

type lossAdapter struct {
	exec     *Exec
	sparse   bool
	as       dtypes.DType
	function bool
}

func (a *lossAdapter) Call(yTrue, yPred port.Array, sampleWeight *port.Array) (port.Array, error) {
	if a.function && sampleWeight != nil {
		return port.Array{}, errors.New("gomlx: a loss function takes no sample weight")
	}
	args, err := inputs(yTrue, yPred, sampleWeight, a.as, a.sparse)
	if err != nil {
		return port.Array{}, err
	}
	out, err := a.exec.Exec(args...)
	if err != nil {
		return port.Array{}, execError(err)
	}
	if len(out) != 1 {
		return port.Array{}, fmt.Errorf("gomlx: the loss graph returned %d outputs", len(out))
	}
	return fromTensor(out[0])
}

// inputs converts the arrays of one call into GoMLX tensors: float arrays
// to dtype as (unless it is InvalidDType), integer ids as they are, sparse
// ids given one axis fewer than the predictions with a trailing axis of 1.
func inputs(yTrue, yPred port.Array, sampleWeight *port.Array, as dtypes.DType, sparse bool) ([]any, error) {
	floatAs := func(a port.Array) dtypes.DType {
		if as == dtypes.InvalidDType {
			return as
		}
		if d, err := dtypeOf(a.DType); err == nil && !d.IsFloat() {
			return dtypes.InvalidDType // keep integer ids and booleans
		}
		return as
	}
	if sparse && len(yTrue.Shape) == len(yPred.Shape)-1 {
		yTrue.Shape = append(append([]int{}, yTrue.Shape...), 1)
	}
	t, err := toTensor("y_true", yTrue, floatAs(yTrue))
	if err != nil {
		return nil, err
	}
	p, err := toTensor("y_pred", yPred, floatAs(yPred))
	if err != nil {
		return nil, err
	}
	args := []any{t, p}
	if sampleWeight != nil {
		w, err := toTensor("sample_weight", perExample(*sampleWeight, yPred), floatAs(*sampleWeight))
		if err != nil {
			return nil, err
		}
		args = append(args, w)
	}
	return args, nil
}

// perExample gives a Keras sample weight the layout GoMLX documents for
// the weights of every loss and metric, "a float value of shape
// [batchSize] with the relative weights to be applied to each example": a
// scalar weight is repeated for each example, a (B, 1) column becomes (B,).
// Any other weight (Keras's per-element weights) is passed as it is: GoMLX
// documents none, and its functions accept or refuse it as they do.
func perExample(w, yPred port.Array) port.Array {
	if len(yPred.Shape) == 0 {
		return w
	}
	b := yPred.Shape[0]
	switch {
	case len(w.Shape) == 0 && len(w.Data) == 1:
		data := make([]float64, b)
		for i := range data {
			data[i] = w.Data[0]
		}
		return port.Array{Shape: []int{b}, DType: w.DType, Data: data}
	case len(w.Shape) == 2 && w.Shape[0] == b && w.Shape[1] == 1:
		return port.Array{Shape: []int{b}, DType: w.DType, Data: w.Data}
	}
	return w
}

// execError passes on an error of GoMLX's Exec (usually a graph-building
// panic GoMLX turned into an error), marking the backend's "op not
// implemented" as not implemented.
func execError(err error) error {
	if errors.Is(err, compute.ErrNotImplemented) {
		return fmt.Errorf("gomlx: %w: %w", port.ErrNotImplemented, err)
	}
	return fmt.Errorf("gomlx: %w", err)
}

// cacheKey identifies a (kind, class, config): objects with the same key
// compute the same graph.
func cacheKey(s port.Spec) string {
	cfg := map[string]any{}
	for k, v := range s.Config {
		if k != "name" {
			cfg[k] = v
		}
	}
	data, _ := json.Marshal(cfg) // map keys are sorted
	return s.Kind + "/" + s.Class + "/" + string(data)
}
