package losses

import (
	"fmt"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Loss is a Keras loss object: Call is loss(y_true, y_pred, sample_weight),
// with a nil sampleWeight when none is passed.
type Loss interface {
	Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error)
}

// Reduction is how a loss reduces its weighted per-sample values. The zero
// value means ReductionSumOverBatchSize, Keras's default.
type Reduction string

// Keras's reductions. Keras also accepts None, which acts as ReductionNone.
const (
	// ReductionSumOverBatchSize divides the sum by the number of values
	// (valid values, under a mask), not by the sum of the weights.
	ReductionSumOverBatchSize Reduction = "sum_over_batch_size"
	ReductionSum              Reduction = "sum"
	// ReductionMean is the same as ReductionSumOverBatchSize.
	ReductionMean Reduction = "mean"
	// ReductionMeanWithSampleWeight divides the sum by the sum of the
	// sample weights as passed (after rank alignment, before broadcasting).
	ReductionMeanWithSampleWeight Reduction = "mean_with_sample_weight"
	// ReductionNone returns the weighted values unreduced.
	ReductionNone Reduction = "none"
)

// Valid reports whether r is one of Keras's reductions (or the zero value).
func (r Reduction) Valid() bool {
	switch r.resolve() {
	case ReductionSumOverBatchSize, ReductionSum, ReductionMean, ReductionMeanWithSampleWeight, ReductionNone:
		return true
	}
	return false
}

func (r Reduction) resolve() Reduction {
	if r == "" {
		return ReductionSumOverBatchSize
	}
	return r
}

// Base holds what every Keras loss has besides its function's arguments:
// the reduction, the name, the dtype it computes in and the backend whose
// numerics it follows.
type Base struct {
	Reduction Reduction
	Name      string
	DType     tensor.DType // a float dtype; float32 (the zero value) is Keras's default
	Backend   backend.Backend
}

// base gives the table of classes access to a class's Base.
func (l *Base) base() *Base { return l }

// call is Loss.__call__ followed by LossFunctionWrapper.call: convert, align
// ranks, compute per-sample values with fn, then weigh, mask and reduce.
func (l *Base) call(fn Func, yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	if err := l.check(); err != nil {
		return tensor.Tensor{}, err
	}
	if err := yTrue.Validate(); err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: y_true: %w", l.Name, err)
	}
	if err := yPred.Validate(); err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: y_pred: %w", l.Name, err)
	}
	d := l.Backend.Materialize(l.DType)
	inMask := yPred.Mask
	t, p := tensor.SqueezeOrExpandToSameRank(yTrue.Cast(d), yPred.Cast(d), true)
	p.Mask = nil
	values, err := fn.Values(l.Backend, t, p)
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %w", l.Name, err)
	}
	mask, err := mergeMasks(inMask, values.Mask)
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %w", l.Name, err)
	}
	values.Mask = nil
	out, err := ReduceWeightedValues(l.Backend, values, sampleWeight, mask, l.Reduction, d)
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %w", l.Name, err)
	}
	return out, nil
}

func (l *Base) check() error {
	if !l.Reduction.Valid() {
		return fmt.Errorf("%s: invalid reduction %q: expected one of sum_over_batch_size, sum, mean, mean_with_sample_weight, none", l.Name, l.Reduction)
	}
	if !l.DType.IsFloat() {
		return fmt.Errorf("%s: loss dtype %v: %w (only float dtypes)", l.Name, l.DType, tensor.ErrNotImplemented)
	}
	if !l.Backend.Valid() {
		return fmt.Errorf("%s: unknown backend %v", l.Name, l.Backend)
	}
	return nil
}

// mergeMasks is in_mask & out_mask when both exist, else whichever does.
func mergeMasks(in, out *tensor.Tensor) (*tensor.Tensor, error) {
	switch {
	case in == nil:
		return out, nil
	case out == nil:
		return in, nil
	}
	m, err := tensor.Map2(*in, *out, tensor.Bool, func(a, b float64) float64 {
		if a != 0 && b != 0 {
			return 1
		}
		return 0
	})
	if err != nil {
		return nil, fmt.Errorf("merging masks: %w", err)
	}
	return &m, nil
}

// Wrapper is a loss class around any Func (Keras's LossFunctionWrapper): the
// way to use a loss function with reductions and weights.
type Wrapper struct {
	Fn Func
	Base
}

// Call implements Loss.
func (w *Wrapper) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return w.call(w.Fn, yTrue, yPred, sampleWeight)
}
