package losses

import (
	"fmt"
	"slices"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// This file is the core of the losses that compute an elementwise value from
// y_true and y_pred and then reduce each row along the last axis (the mean
// squared error, the hinges, KL divergence, ...). Like the crossentropy
// kernels, every Keras op that materialises a tensor is one rounding to the
// dtype its result has on the backend, and row sums and means go through the
// backend's reduction order (backend.Sum, backend.Mean).

// pair is y_true and y_pred ready for an elementwise loss: y_pred converted
// as ops.convert_to_tensor converts it (float64 becomes float32 on NumPy and
// JAX), y_true cast to that dtype, and, if the function aligns them, their
// ranks aligned with squeeze_or_expand_to_same_rank.
type pair struct {
	numerics
	name string
	t, p tensor.Tensor
}

// newPair checks the inputs and converts them. Integer and bool predictions
// are refused as not implemented: Keras computes some of these losses in
// integer arithmetic for them, some in float64, and refuses others,
// depending on the backend.
func newPair(name string, b backend.Backend, yTrue, yPred tensor.Tensor, align bool) (pair, error) {
	if err := CheckInputs(name, b, yTrue, yPred); err != nil {
		return pair{}, err
	}
	if !yPred.DType.IsFloat() {
		return pair{}, fmt.Errorf("%s: y_pred of dtype %v: %w (only float predictions)", name, yPred.DType, tensor.ErrNotImplemented)
	}
	c := b.FloatCompute(yPred.DType)
	q := pair{numerics: newNumerics(b, c), name: name, t: yTrue.Cast(c), p: yPred.Cast(c)}
	q.t.Mask, q.p.Mask = nil, nil
	if align {
		q.t, q.p = tensor.SqueezeOrExpandToSameRank(q.t, q.p, true)
	}
	return q, nil
}

// broadcast expands y_true and y_pred to their common shape, as the first
// elementwise op between them does.
func (q *pair) broadcast() error {
	if slices.Equal(q.t.Shape, q.p.Shape) {
		return nil
	}
	shape, err := tensor.BroadcastShapes(q.t.Shape, q.p.Shape)
	if err != nil {
		return fmt.Errorf("%s: y_true %v and y_pred %v: %w", q.name, q.t.Shape, q.p.Shape, err)
	}
	if q.t, err = q.t.BroadcastTo(shape); err != nil {
		return fmt.Errorf("%s: %w", q.name, err)
	}
	if q.p, err = q.p.BroadcastTo(shape); err != nil {
		return fmt.Errorf("%s: %w", q.name, err)
	}
	return nil
}

// rowReduction is how a row of elementwise values becomes one value.
type rowReduction uint8

const (
	rowMean rowReduction = iota // ops.mean(x, axis=-1)
	rowSum                      // ops.sum(x, axis=-1)
)

// lastAxisRows broadcasts y_true and y_pred and lays them out as rows along
// the last axis. A scalar is refused as the backends refuse reducing axis -1
// of a 0-d tensor, unless scalarOK, where it is one row of one element whose
// result is a scalar (NumPy's sum of a NumPy scalar ignores the axis).
func (q *pair) lastAxisRows(scalarOK bool) (lanes, []int, error) {
	if err := q.broadcast(); err != nil {
		return lanes{}, nil, err
	}
	rank := q.p.Rank()
	if rank == 0 {
		if !scalarOK {
			return lanes{}, nil, fmt.Errorf("%s: %w: axis -1 is out of bounds for y_true and y_pred of rank 0", q.name, tensor.ErrShape)
		}
		return lanes{1, 1, 1}, []int{}, nil
	}
	return lanesOf(q.p.Shape, rank-1), slices.Clone(q.p.Shape[:rank-1]), nil
}

// reduceLast computes elem for every pair of elements (after broadcasting)
// and reduces each row along the last axis with red in dtype d, giving a
// tensor of dtype d with the last dimension removed. elem must round its
// result to d.
func (q *pair) reduceLast(d tensor.DType, red rowReduction, scalarOK bool, elem func(t, p float64) float64) (tensor.Tensor, error) {
	lay, shape, err := q.lastAxisRows(scalarOK)
	if err != nil {
		return tensor.Tensor{}, err
	}
	t, p := q.t.Data, q.p.Data
	out := lay.each(func(_, base int, buf, _ []float64) float64 {
		buf = buf[:lay.n]
		for j := range buf {
			buf[j] = elem(t[base+j], p[base+j])
		}
		if red == rowSum {
			return q.b.Sum(d, buf, false)
		}
		return q.b.Mean(d, buf, false)
	})
	return tensor.Tensor{Shape: shape, DType: d, Data: out}, nil
}

// ---------------------------------------------------------------------------
// Elementwise functions as the backends compute them.

// clipInto is clip(x, lo, hi); NaN passes through, as on every backend.
func clipInto(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}
