package losses

import (
	"fmt"
	"slices"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The overlap losses, Dice and Tversky: one minus an overlap ratio of sums
// over Axis. With Axis nil (Keras's None, the default) the sums run over
// every axis, the batch included, and the loss is a single scalar, which a
// loss class then returns as is: a scalar is never averaged, summed or
// divided by a reduction (sample weights still scale it).

// DiceFunc is keras.losses.dice: 1 - 2Σ(t·p) / (Σt + Σp + ε), each sum over
// Axis.
type DiceFunc struct {
	// Axis lists the axes to sum over. nil is Keras's None: every axis. A
	// non-nil empty slice is axis=(): no axis, an elementwise loss.
	Axis []int
}

// NewDiceFunc returns dice's defaults (axis=None).
func NewDiceFunc() DiceFunc { return DiceFunc{} }

// Values implements Func. The result has y_pred's shape without the summed
// axes (a scalar for axis None); y_true is cast to y_pred's dtype. y_true and
// y_pred broadcast against each other, and Σt and Σp each sum their own
// tensor, as in Keras.
func (f DiceFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "dice"
	n, t, p, err := overlapSetup(name, b, yTrue, yPred)
	if err != nil {
		return tensor.Tensor{}, err
	}
	c, s := n.c, n.s
	var inter, sumT, sumP tensor.Tensor
	if slices.Equal(t.Shape, p.Shape) {
		sums, shape, err := overlapSums(name, b, c, t, p, f.Axis, 3, func(q int, t, p, out []float64) {
			switch q {
			case 0:
				products(c, t, p, out)
			case 1:
				copy(out, t)
			default:
				copy(out, p)
			}
		})
		if err != nil {
			return tensor.Tensor{}, err
		}
		inter, sumT, sumP = sumTensor(shape, c, sums[0]), sumTensor(shape, c, sums[1]), sumTensor(shape, c, sums[2])
	} else {
		tb, pb, err := broadcastPair(name, t, p)
		if err != nil {
			return tensor.Tensor{}, err
		}
		sums, shape, err := overlapSums(name, b, c, tb, pb, f.Axis, 1, func(_ int, t, p, out []float64) {
			products(c, t, p, out)
		})
		if err != nil {
			return tensor.Tensor{}, err
		}
		inter = sumTensor(shape, c, sums[0])
		if sumT, err = axisSum(name, b, t, f.Axis); err != nil {
			return tensor.Tensor{}, err
		}
		if sumP, err = axisSum(name, b, p, f.Axis); err != nil {
			return tensor.Tensor{}, err
		}
	}
	eps := s.Round(tensor.Epsilon)
	den, err := tensor.Map2(sumT, sumP, c, func(a, b float64) float64 { return a + b })
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %w", name, err)
	}
	out, err := tensor.Map2(inter, den, s, func(i, d float64) float64 {
		// 1 - divide(2.0 * intersection, sum_t + sum_p + epsilon)
		return 1 - s.Round(s.Round(2*i)/s.Round(d+eps))
	})
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// TverskyFunc is keras.losses.tversky as Keras 3.15 computes it:
// 1 - TP / (TP + Alpha·Σ(1-p)·t + Beta·Σp·(1-t) + ε), each sum over Axis.
//
// Keras up to 3.15 swaps the roles its documentation gives the
// coefficients: Alpha weighs the false negatives Σ(1-p)·t and Beta the false
// positives Σp·(1-t) (Keras 3.16 exchanges them). The port follows 3.15.
// With Alpha = Beta the two agree, and the loss is Dice's.
type TverskyFunc struct {
	Alpha, Beta float64
	// Axis is as DiceFunc's.
	Axis []int
}

// NewTverskyFunc returns tversky's defaults: alpha=0.5, beta=0.5, axis=None.
func NewTverskyFunc() TverskyFunc { return TverskyFunc{Alpha: 0.5, Beta: 0.5} }

// Values implements Func, with the shapes and dtypes of DiceFunc.Values.
func (f TverskyFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "tversky"
	n, t, p, err := overlapSetup(name, b, yTrue, yPred)
	if err != nil {
		return tensor.Tensor{}, err
	}
	if t, p, err = broadcastPair(name, t, p); err != nil {
		return tensor.Tensor{}, err
	}
	c, s := n.c, n.s
	sums, shape, err := overlapSums(name, b, c, t, p, f.Axis, 3, func(q int, t, p, out []float64) {
		switch q {
		case 0: // intersection
			products(c, t, p, out)
		case 1: // Keras's "fp": (1 - y_pred) * y_true
			for j, tv := range t {
				out[j] = c.Round(c.Round(1-p[j]) * tv)
			}
		default: // Keras's "fn": y_pred * (1 - y_true)
			for j, tv := range t {
				out[j] = c.Round(p[j] * c.Round(1-tv))
			}
		}
	})
	if err != nil {
		return tensor.Tensor{}, err
	}
	alpha, beta, eps := s.Round(f.Alpha), s.Round(f.Beta), s.Round(tensor.Epsilon)
	out := tensor.Tensor{Shape: shape, DType: s, Data: make([]float64, len(sums[0]))}
	for r, i := range sums[0] {
		// intersection + fp * alpha + fn * beta + epsilon, left to right.
		den := s.Round(s.Round(s.Round(i+s.Round(sums[1][r]*alpha))+s.Round(sums[2][r]*beta)) + eps)
		out.Data[r] = s.Round(1 - s.Round(i/den))
	}
	return out, nil
}

// overlapSetup checks the inputs and converts them as dice and tversky do:
// y_pred with ops.convert_to_tensor, y_true cast to its dtype.
func overlapSetup(name string, b backend.Backend, yTrue, yPred tensor.Tensor) (n numerics, t, p tensor.Tensor, err error) {
	if err = CheckInputs(name, b, yTrue, yPred); err != nil {
		return
	}
	if !yPred.DType.IsFloat() {
		// Keras would compute in the integer dtype; only float predictions
		// (what every loss class passes) are ported.
		err = fmt.Errorf("%s: y_pred of dtype %v: %w (only float y_pred)", name, yPred.DType, tensor.ErrNotImplemented)
		return
	}
	c := b.FloatCompute(yPred.DType)
	return newNumerics(b, c), yTrue.Cast(c), yPred.Cast(c), nil
}

// broadcastPair broadcasts t and p to their common shape (a copy only for
// the one that changes).
func broadcastPair(name string, t, p tensor.Tensor) (tensor.Tensor, tensor.Tensor, error) {
	if slices.Equal(t.Shape, p.Shape) {
		return t, p, nil
	}
	shape, err := tensor.BroadcastShapes(t.Shape, p.Shape)
	var tb, pb tensor.Tensor
	if err == nil {
		if tb, err = t.BroadcastTo(shape); err == nil {
			pb, err = p.BroadcastTo(shape)
		}
	}
	if err != nil {
		return t, p, fmt.Errorf("%s: y_true %v and y_pred %v: %w", name, t.Shape, p.Shape, err)
	}
	return tb, pb, nil
}

// products writes the elementwise products t·p, in dtype c, into out.
func products(c tensor.DType, t, p, out []float64) {
	for j, tv := range t {
		out[j] = c.Round(tv * p[j])
	}
}

// sumTensor wraps one sum per group as a tensor.
func sumTensor(shape []int, d tensor.DType, sums []float64) tensor.Tensor {
	return tensor.Tensor{Shape: shape, DType: d, Data: sums}
}

// overlapSums sums k elementwise terms of t and p (of one shape) over axis,
// in dtype c and the backend's order; term(q, t, p, out) writes term q of
// stretches t and p into out.
func overlapSums(name string, b backend.Backend, c tensor.DType, t, p tensor.Tensor, axis []int, k int,
	term func(q int, t, p, out []float64)) ([][]float64, []int, error) {
	axes, err := canonicalAxes(axis, p.Rank())
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	g := groupsOf(p.Shape, axes)
	td, pd := g.contiguous(t.Data), g.contiguous(p.Data)
	return sumGroups(b, c, g, k, func(q, lo int, out []float64) {
		term(q, td[lo:lo+len(out)], pd[lo:lo+len(out)], out)
	}), g.shape, nil
}

// axisSum is ops.sum(x, axis) with Keras's axis argument.
func axisSum(name string, b backend.Backend, x tensor.Tensor, axis []int) (tensor.Tensor, error) {
	axes, err := canonicalAxes(axis, x.Rank())
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %w", name, err)
	}
	return reduceSum(b, x, axes), nil
}

// Dice is keras.losses.Dice.
type Dice struct {
	DiceFunc
	Base
}

// NewDice returns the loss with Keras's defaults (axis=None, name "dice").
func NewDice() *Dice { return &Dice{NewDiceFunc(), defaultBase("dice")} }

// Call implements Loss.
func (l *Dice) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.DiceFunc, yTrue, yPred, sampleWeight)
}

// Tversky is keras.losses.Tversky (with Keras 3.15's roles of Alpha and
// Beta, see TverskyFunc).
type Tversky struct {
	TverskyFunc
	Base
}

// NewTversky returns the loss with Keras's defaults (alpha=0.5, beta=0.5,
// axis=None, name "tversky").
func NewTversky() *Tversky { return &Tversky{NewTverskyFunc(), defaultBase("tversky")} }

// Call implements Loss.
func (l *Tversky) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.TverskyFunc, yTrue, yPred, sampleWeight)
}
