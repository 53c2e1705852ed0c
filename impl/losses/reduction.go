package losses

import (
	"fmt"
	"slices"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// ReduceWeightedValues is Keras's reduce_weighted_values
// (keras/src/losses/loss.py): it casts values, weight and mask to dtype d,
// merges the mask into the weight, aligns the weight's rank with the values'
// (SqueezeOrExpandToSameRank), multiplies, and reduces.
//
// The result is d, except that a division (sum_over_batch_size, mean,
// mean_with_sample_weight) happens in Keras's ops.divide_no_nan, whose
// result on NumPy and JAX is never float64.
func ReduceWeightedValues(b backend.Backend, values tensor.Tensor, sampleWeight, mask *tensor.Tensor,
	reduction Reduction, d tensor.DType) (tensor.Tensor, error) {
	if !reduction.Valid() {
		return tensor.Tensor{}, fmt.Errorf("invalid reduction %q", reduction)
	}
	reduction = reduction.resolve()
	values = values.Cast(d)
	var w *tensor.Tensor
	if sampleWeight != nil {
		if err := sampleWeight.Validate(); err != nil {
			return tensor.Tensor{}, fmt.Errorf("sample_weight: %w", err)
		}
		sw := sampleWeight.Cast(d)
		w = &sw
	}
	w, err := ApplyMask(b, w, mask, d, reduction)
	if err != nil {
		return tensor.Tensor{}, err
	}
	if w != nil {
		var sw tensor.Tensor
		values, sw = tensor.SqueezeOrExpandToSameRank(values, w.Cast(d), true)
		w = &sw
		values, err = tensor.Map2(values, sw, d, mul)
		if err != nil {
			return tensor.Tensor{}, fmt.Errorf("weighing losses of shape %v by sample_weight of shape %v: %w", values.Shape, sw.Shape, err)
		}
	}
	return reduceValues(b, values, w, reduction), nil
}

func mul(a, b float64) float64 { return a * b }

// ApplyMask is Keras's apply_mask: it merges a mask into a sample weight.
// For sum_over_batch_size and mean a valid entry weighs N/V (N entries, V
// valid, 0 when V is 0), so that dividing by N later divides by V; for
// other reductions the mask weighs 0 or 1.
func ApplyMask(b backend.Backend, w, mask *tensor.Tensor, d tensor.DType, reduction Reduction) (*tensor.Tensor, error) {
	if mask == nil {
		return w, nil
	}
	if err := mask.Validate(); err != nil {
		return nil, fmt.Errorf("mask: %w", err)
	}
	fm := tensor.Tensor{Shape: mask.Shape, DType: d, Data: make([]float64, len(mask.Data))}
	if reduction = reduction.resolve(); reduction == ReductionSumOverBatchSize || reduction == ReductionMean {
		md := b.Implicit(d) // divide_no_nan and where narrow float64 on NumPy
		valid := 0.0
		for _, v := range mask.Data {
			if v != 0 {
				valid++
			}
		}
		weight := divideNoNaN(md, d.Round(float64(len(mask.Data))), d.Round(valid))
		fm.DType = md
		for i, v := range mask.Data {
			if v != 0 {
				fm.Data[i] = weight
			}
		}
	} else {
		for i, v := range mask.Data {
			if v != 0 {
				fm.Data[i] = 1
			}
		}
	}
	if w == nil {
		return &fm, nil
	}
	fm, sw := tensor.SqueezeOrExpandToSameRank(fm, *w, true)
	out, err := tensor.Map2(sw, fm, d, mul)
	if err == nil && b == backend.NumPy && !slices.Equal(out.Shape, sw.Shape) { // keras/src/losses/loss.py: apply_mask: sample_weight *= mask
		// Keras writes sample_weight *= mask, in place on NumPy: the
		// product must keep the weight's shape.
		err = fmt.Errorf("%w: the in-place product has shape %v", tensor.ErrShape, out.Shape)
	}
	if err != nil {
		return nil, fmt.Errorf("masking sample_weight of shape %v with a mask of shape %v: %w", sw.Shape, fm.Shape, err)
	}
	return &out, nil
}

// divideNoNaN is ops.divide_no_nan in dtype d: 0 where the divisor is 0.
func divideNoNaN(d tensor.DType, a, b float64) float64 {
	a, b = d.Round(a), d.Round(b)
	if b == 0 {
		return 0
	}
	return d.Round(a / b)
}

// reduceValues is Keras's reduce_values. Unreduced: reduction none, a scalar,
// or an empty rank-1 tensor (returned as is: an empty batch gives an empty
// result, not 0 or NaN).
func reduceValues(b backend.Backend, values tensor.Tensor, w *tensor.Tensor, reduction Reduction) tensor.Tensor {
	if reduction == ReductionNone || values.Rank() == 0 || (values.Rank() == 1 && values.Shape[0] == 0) {
		return values
	}
	d := values.DType
	loss := b.Sum(d, values.Data, false)
	if reduction == ReductionSum {
		return tensor.Scalar(d, loss)
	}
	divisor := d.Round(float64(len(values.Data)))
	if reduction == ReductionMeanWithSampleWeight && w != nil {
		divisor = b.Sum(d, w.Data, false)
	}
	md := b.Implicit(d)
	return tensor.Scalar(md, divideNoNaN(md, loss, divisor))
}
