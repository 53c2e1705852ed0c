package metrics

import (
	"fmt"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/kwargs"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Metric is a stateful Keras metric.
type Metric interface {
	UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error
	Result() tensor.Tensor
	ResetState()
}

// metricName gives the table of classes (classes.go) a constructed metric's
// name: the class's default name.
func (s *state) metricName() string { return s.Name }

// state is what Sum and Mean share: the configuration and the running
// total, held in the metric dtype.
type state struct {
	Name    string
	DType   tensor.DType // a float dtype; float32 (the zero value) is Keras's default
	Backend backend.Backend
	total   float64
}

// dtype is the dtype the metric's variables actually have on its backend.
func (s *state) dtype() tensor.DType { return s.Backend.Materialize(s.DType) }

func (s *state) check() error {
	if !s.DType.IsFloat() {
		return fmt.Errorf("%s: metric dtype %v: %w (only float dtypes)", s.Name, s.DType, tensor.ErrNotImplemented)
	}
	if !s.Backend.Valid() {
		return fmt.Errorf("%s: unknown backend %v", s.Name, s.Backend)
	}
	return nil
}

// add is variable.assign_add(x) for a variable of dtype d on backend b:
// assign(variable + x), where the sum is an ops.add, which on NumPy (and
// JAX) converts float64 operands to float32 first.
func add(b backend.Backend, d tensor.DType, v *float64, x float64) {
	k := b.Implicit(d)
	*v = d.Round(k.Round(k.Round(*v) + k.Round(x)))
}

// update reduces values to per-sample values (with the mean if mean is set,
// else the sum) and adds them to the total. It returns them with the
// per-sample weights (nil without a weight) and the metric dtype.
func (s *state) update(values tensor.Tensor, sampleWeight *tensor.Tensor, mean bool) (tensor.Tensor, *tensor.Tensor, tensor.DType, error) {
	if err := s.check(); err != nil {
		return tensor.Tensor{}, nil, 0, err
	}
	d := s.dtype()
	v, w, err := reduceToSamplewise(s.Backend, values, sampleWeight, mean, d)
	if err != nil {
		return tensor.Tensor{}, nil, 0, fmt.Errorf("%s: %w", s.Name, err)
	}
	add(s.Backend, d, &s.total, s.Backend.Sum(d, v.Data, false))
	return v, w, d, nil
}

// Sum is keras.metrics.Sum: the weighted sum of all values seen.
type Sum struct{ state }

// NewSum returns a Sum with Keras's defaults.
func NewSum() *Sum { return &Sum{state{Name: "sum"}} }

// UpdateState adds values, weighted by sampleWeight if not nil.
func (m *Sum) UpdateState(values tensor.Tensor, sampleWeight *tensor.Tensor) error {
	_, _, _, err := m.update(values, sampleWeight, false)
	return err
}

// Result returns the total.
func (m *Sum) Result() tensor.Tensor { return tensor.Scalar(m.dtype(), m.total) }

// ResetState zeroes the total.
func (m *Sum) ResetState() { m.total = 0 }

// Mean is keras.metrics.Mean: total / count, where each update adds its
// per-sample values (weighted) to total and the number of samples (or the
// sum of the per-sample weights) to count.
type Mean struct {
	state
	count float64
}

// NewMean returns a Mean with Keras's defaults.
func NewMean() *Mean { return &Mean{state: state{Name: "mean"}} }

// UpdateState accumulates values, weighted by sampleWeight if not nil.
//
// Values are first reduced to one per sample (the mean over every axis but
// the first). A scalar weight therefore weighs the whole batch as one
// sample: each update counts w once, whatever its batch size. A mask on
// values counts only when a weight is given.
func (m *Mean) UpdateState(values tensor.Tensor, sampleWeight *tensor.Tensor) error {
	v, w, d, err := m.update(values, sampleWeight, true)
	if err != nil {
		return err
	}
	switch {
	case w != nil:
		add(m.Backend, d, &m.count, m.Backend.Sum(d, w.Data, false))
	case v.Rank() >= 1:
		add(m.Backend, d, &m.count, float64(v.Shape[0]))
	default:
		add(m.Backend, d, &m.count, 1)
	}
	return nil
}

// Result returns divide_no_nan(total, count): 0 before any sample. Its dtype
// is the metric dtype, except that float64 becomes float32 on NumPy and JAX
// (Keras divides with an op that narrows it there).
func (m *Mean) Result() tensor.Tensor {
	d := m.dtype()
	md := m.Backend.Implicit(d)
	total, count := md.Round(m.total), md.Round(m.count)
	if count == 0 {
		return tensor.Scalar(md, 0)
	}
	return tensor.Scalar(md, total/count)
}

// ResetState zeroes total and count.
func (m *Mean) ResetState() { m.total, m.count = 0, 0 }

// reduceToSamplewise is Keras's reduce_to_samplewise_values: values cast to
// d; with a weight, the values' mask (if any) is merged into it, ranks are
// aligned, values are reduced to the weight's rank, weighted, and the weight
// reduced to one per sample; finally values are reduced to one per sample.
// reduce is the mean if mean is set, else the sum.
func reduceToSamplewise(b backend.Backend, values tensor.Tensor, sampleWeight *tensor.Tensor, mean bool, d tensor.DType) (
	tensor.Tensor, *tensor.Tensor, error) {
	if err := values.Validate(); err != nil {
		return tensor.Tensor{}, nil, fmt.Errorf("values: %w", err)
	}
	mask := values.Mask
	v := values.Cast(d)
	v.Mask = nil
	if sampleWeight == nil {
		return reduceTrailing(b, v, 1, mean), nil, nil
	}
	if err := sampleWeight.Validate(); err != nil {
		return tensor.Tensor{}, nil, fmt.Errorf("sample_weight: %w", err)
	}
	sw := sampleWeight.Cast(d)
	if mask != nil {
		masked, err := losses.ApplyMask(b, &sw, mask, d, losses.ReductionSum)
		if err != nil {
			return tensor.Tensor{}, nil, err
		}
		sw = *masked
	}
	v, sw = tensor.SqueezeOrExpandToSameRank(v, sw, true)
	r := sw.Rank()
	v = reduceTrailing(b, v, r, mean)
	sw, err := sw.BroadcastTo(v.Shape)
	if err != nil {
		return tensor.Tensor{}, nil, fmt.Errorf("sample_weight: %w", err)
	}
	if v, err = tensor.Map2(v, sw, d, func(a, b float64) float64 { return a * b }); err != nil {
		return tensor.Tensor{}, nil, err
	}
	if r > 1 {
		sw = reduceTrailing(b, sw, 1, mean)
	}
	return reduceTrailing(b, v, 1, mean), &sw, nil
}

// reduceTrailing is reduce_fn(t, axis=[k, ...]) for reduce_fn ops.sum (which
// keeps t's dtype) or ops.mean (which converts t first, so float64 becomes
// float32 on NumPy and JAX).
func reduceTrailing(b backend.Backend, t tensor.Tensor, k int, mean bool) tensor.Tensor {
	if k >= t.Rank() {
		return t
	}
	if mean {
		t = t.Cast(b.Implicit(t.DType))
	}
	return b.ReduceTrailing(t, k, mean)
}

// MeanMetricWrapper is keras.metrics.MeanMetricWrapper: the Mean of a loss
// function's per-sample values, computed on y_true and y_pred as given.
type MeanMetricWrapper struct {
	Fn losses.Func
	Mean
}

// UpdateState computes Fn's values and accumulates them.
func (m *MeanMetricWrapper) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.Fn, yTrue, yPred, sampleWeight)
}

// updateWith is MeanMetricWrapper.update_state with function fn: a mask on
// y_pred becomes (part of) the weight, then Mean.UpdateState.
func (m *Mean) updateWith(fn losses.Func, yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	if err := m.check(); err != nil {
		return err
	}
	values, err := fn.Values(m.Backend, yTrue, yPred)
	if err != nil {
		return fmt.Errorf("%s: %w", m.Name, err)
	}
	if yPred.Mask != nil {
		d := m.dtype()
		var w *tensor.Tensor
		if sampleWeight != nil {
			sw := sampleWeight.Cast(d)
			w = &sw
		}
		if sampleWeight, err = losses.ApplyMask(m.Backend, w, yPred.Mask, d, losses.ReductionSum); err != nil {
			return fmt.Errorf("%s: %w", m.Name, err)
		}
	}
	return m.UpdateState(values, sampleWeight)
}

func newMean(name string) Mean { return Mean{state: state{Name: name}} }

// FuncFromConfig returns the Keras metric or loss function named name
// (such as "binary_accuracy" or "mean_squared_error") bound to the keyword
// arguments kw: the metric functions of this package first, then those of
// package losses. An unknown name gives an error wrapping
// tensor.ErrNotImplemented.
func FuncFromConfig(name string, kw map[string]any) (losses.Func, error) {
	bind, ok := funcs[name]
	if !ok {
		return losses.FuncFromConfig(name, kw)
	}
	d := kwargs.New(name, kw)
	f := bind(d)
	if err := d.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// FuncDefaults returns the keyword arguments of the metric or loss function
// named name with their defaults, as decoded JSON gives them; see
// FuncFromConfig.
func FuncDefaults(name string) (map[string]any, error) {
	bind, ok := funcs[name]
	if !ok {
		return losses.FuncDefaults(name)
	}
	d := kwargs.Defaults(name)
	bind(d)
	defaults, _ := d.Recorded()
	return defaults, nil
}

// fnName reads MeanMetricWrapper's serialised fn: the name of a plain
// function, as get_config writes it ({"class_name": "function", "config":
// name, ...}) or as a bare string.
func fnName(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case map[string]any:
		if name, ok := x["config"].(string); ok && x["class_name"] == "function" {
			return name, nil
		}
	}
	return "", fmt.Errorf("fn=%v: %w (only plain functions, serialised by name)", v, tensor.ErrNotImplemented)
}

// Values adapts Mean and Sum, whose update_state takes values and a sample
// weight, to the Metric interface: the values are y_pred and y_true is
// ignored.
type Values struct {
	M interface {
		UpdateState(values tensor.Tensor, sampleWeight *tensor.Tensor) error
		Result() tensor.Tensor
		ResetState()
	}
}

// UpdateState accumulates yPred, weighted by sampleWeight.
func (v *Values) UpdateState(_, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return v.M.UpdateState(yPred, sampleWeight)
}

// Result returns the metric's result.
func (v *Values) Result() tensor.Tensor { return v.M.Result() }

// ResetState resets the metric.
func (v *Values) ResetState() { v.M.ResetState() }
