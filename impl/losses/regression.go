package losses

import (
	"fmt"
	"math"
	"sync/atomic"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/parallel"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The regression, hinge and probabilistic loss functions of
// keras/src/losses/losses.py. Each computes in the dtype y_pred converts to
// (see Func), rounds every op where Keras materialises a tensor, and reduces
// the last axis with the backend's summation order.
//
// A Python float meeting a tensor takes the tensor's dtype, except on NumPy
// with bfloat16, where ml_dtypes promotes it to float32 (numerics.s); Keras's
// own ops (ops.maximum, ops.where, ...) keep bfloat16. Which of the two a
// step uses decides the dtype of the result, as noted per function.

// MeanSquaredErrorFunc is keras.losses.mean_squared_error:
// mean((y_true - y_pred)²) over the last axis. It aligns the ranks of its
// inputs itself.
type MeanSquaredErrorFunc struct{}

// NewMeanSquaredErrorFunc returns mean_squared_error.
func NewMeanSquaredErrorFunc() MeanSquaredErrorFunc { return MeanSquaredErrorFunc{} }

// Values implements Func.
func (MeanSquaredErrorFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	q, err := newPair("mean_squared_error", b, yTrue, yPred, true)
	if err != nil {
		return tensor.Tensor{}, err
	}
	c := q.c
	return q.reduceLast(c, rowMean, false, func(t, p float64) float64 {
		e := c.Round(t - p)
		return c.Round(e * e)
	})
}

// MeanAbsoluteErrorFunc is keras.losses.mean_absolute_error:
// mean(|y_true - y_pred|) over the last axis. It aligns ranks itself.
type MeanAbsoluteErrorFunc struct{}

// NewMeanAbsoluteErrorFunc returns mean_absolute_error.
func NewMeanAbsoluteErrorFunc() MeanAbsoluteErrorFunc { return MeanAbsoluteErrorFunc{} }

// Values implements Func.
func (MeanAbsoluteErrorFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	q, err := newPair("mean_absolute_error", b, yTrue, yPred, true)
	if err != nil {
		return tensor.Tensor{}, err
	}
	c := q.c
	return q.reduceLast(c, rowMean, false, func(t, p float64) float64 {
		return math.Abs(c.Round(t - p))
	})
}

// MeanAbsolutePercentageErrorFunc is
// keras.losses.mean_absolute_percentage_error:
// 100·mean(|(y_true - y_pred) / max(|y_true|, ε)|) over the last axis, ε
// rounded to the compute dtype; y_true = 0 gives |y_pred|/ε·100. It aligns
// ranks itself. The factor 100 is a Python float: on NumPy with bfloat16
// the result is float32.
type MeanAbsolutePercentageErrorFunc struct{}

// NewMeanAbsolutePercentageErrorFunc returns mean_absolute_percentage_error.
func NewMeanAbsolutePercentageErrorFunc() MeanAbsolutePercentageErrorFunc {
	return MeanAbsolutePercentageErrorFunc{}
}

// Values implements Func.
func (MeanAbsolutePercentageErrorFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	q, err := newPair("mean_absolute_percentage_error", b, yTrue, yPred, true)
	if err != nil {
		return tensor.Tensor{}, err
	}
	c, s := q.c, q.s
	eps := c.Round(tensor.Epsilon)
	out, err := q.reduceLast(c, rowMean, false, func(t, p float64) float64 {
		return math.Abs(c.Round(c.Round(t-p) / max(math.Abs(t), eps)))
	})
	if err != nil {
		return tensor.Tensor{}, err
	}
	for i, v := range out.Data {
		out.Data[i] = s.Round(100 * v)
	}
	out.DType = s
	return out, nil
}

// MeanSquaredLogarithmicErrorFunc is
// keras.losses.mean_squared_logarithmic_error:
// mean((log(max(y_pred, ε) + 1) - log(max(y_true, ε) + 1))²) over the last
// axis, so zeros and negatives count as ε. It aligns ranks itself.
//
// Keras makes ε a tensor of floatx (float32) without naming a dtype: on
// NumPy and TensorFlow that tensor is float32 and promotes float16 and
// bfloat16 inputs, so the function computes and returns float32 for them
// (and uses float32's ε in float64); on JAX it is weakly typed and takes
// the input's dtype.
type MeanSquaredLogarithmicErrorFunc struct{}

// NewMeanSquaredLogarithmicErrorFunc returns mean_squared_logarithmic_error.
func NewMeanSquaredLogarithmicErrorFunc() MeanSquaredLogarithmicErrorFunc {
	return MeanSquaredLogarithmicErrorFunc{}
}

// Values implements Func.
func (MeanSquaredLogarithmicErrorFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	q, err := newPair("mean_squared_logarithmic_error", b, yTrue, yPred, true)
	if err != nil {
		return tensor.Tensor{}, err
	}
	m := b.WithConvertedFloat(q.c) // ops.maximum(y_pred, convert_to_tensor(epsilon))
	eps := m.Round(tensor.Float32.Round(tensor.Epsilon))
	logp1 := func(x float64) float64 { return m.Round(math.Log(m.Round(max(x, eps) + 1))) }
	return q.reduceLast(m, rowMean, false, func(t, p float64) float64 {
		e := m.Round(logp1(p) - logp1(t))
		return m.Round(e * e)
	})
}

// HuberFunc is keras.losses.huber: the mean over the last axis of ½e² where
// |e| ≤ Delta and Delta·|e| - ½Delta² elsewhere, e = y_pred - y_true. Delta
// is converted to the compute dtype. It aligns ranks itself.
type HuberFunc struct {
	Delta float64
}

// NewHuberFunc returns huber's defaults.
func NewHuberFunc() HuberFunc { return HuberFunc{Delta: 1} }

// Values implements Func.
func (f HuberFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	q, err := newPair("huber", b, yTrue, yPred, true)
	if err != nil {
		return tensor.Tensor{}, err
	}
	c := q.c
	delta := c.Round(f.Delta)
	halfDelta2 := c.Round(0.5 * c.Round(delta*delta))
	return q.reduceLast(c, rowMean, false, func(t, p float64) float64 {
		e := c.Round(p - t)
		a := math.Abs(e)
		if a <= delta {
			return c.Round(0.5 * c.Round(e*e))
		}
		return c.Round(c.Round(delta*a) - halfDelta2)
	})
}

// LogCoshFunc is keras.losses.log_cosh: the mean over the last axis of
// log(cosh(e)), e = y_pred - y_true, computed as e + softplus(-2e) - log 2,
// which does not overflow. log 2 is float32's (Keras takes ops.log(2.0)),
// converted to the compute dtype. It aligns ranks itself. On NumPy with
// bfloat16, -2e is a product with a Python float and the result is float32.
type LogCoshFunc struct{}

// NewLogCoshFunc returns log_cosh.
func NewLogCoshFunc() LogCoshFunc { return LogCoshFunc{} }

// Values implements Func.
func (LogCoshFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	q, err := newPair("log_cosh", b, yTrue, yPred, true)
	if err != nil {
		return tensor.Tensor{}, err
	}
	c, s := q.c, q.s
	log2 := c.Round(tensor.Float32.Round(math.Ln2))
	return q.reduceLast(s, rowMean, false, func(t, p float64) float64 {
		e := c.Round(p - t)
		return s.Round(s.Round(e+b.Softplus(s, s.Round(e*-2))) - log2)
	})
}

// HingeFunc is keras.losses.hinge: mean(max(1 - t·y_pred, 0)) over the last
// axis, where t = 2·y_true - 1 if every element of y_true is 0 or 1, and
// t = y_true otherwise. It does not align ranks: y_true and y_pred broadcast.
type HingeFunc struct{}

// NewHingeFunc returns hinge.
func NewHingeFunc() HingeFunc { return HingeFunc{} }

// Values implements Func.
func (HingeFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	return hingeValues("hinge", b, yTrue, yPred, false)
}

// SquaredHingeFunc is keras.losses.squared_hinge: mean(max(1 - t·y_pred, 0)²)
// over the last axis, with t as in HingeFunc. It does not align ranks.
type SquaredHingeFunc struct{}

// NewSquaredHingeFunc returns squared_hinge.
func NewSquaredHingeFunc() SquaredHingeFunc { return SquaredHingeFunc{} }

// Values implements Func.
func (SquaredHingeFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	return hingeValues("squared_hinge", b, yTrue, yPred, true)
}

// hingeValues is hinge and squared_hinge. The labels are converted (or not)
// as a whole before broadcasting, as convert_binary_labels_to_hinge does;
// 1 - t·p and what follows are ops with Python floats, in s (float32 on
// NumPy with bfloat16). The product t·p is in s when the labels were
// converted (2.0·y_true is in s) and in the compute dtype otherwise.
func hingeValues(name string, b backend.Backend, yTrue, yPred tensor.Tensor, squared bool) (tensor.Tensor, error) {
	q, err := newPair(name, b, yTrue, yPred, false)
	if err != nil {
		return tensor.Tensor{}, err
	}
	c, s := q.c, q.s
	convert := binaryLabels(q.t.Data)
	prod := c
	if convert {
		prod = s
	}
	return q.reduceLast(s, rowMean, false, func(t, p float64) float64 {
		if convert {
			t = s.Round(s.Round(2*t) - 1)
		}
		h := max(s.Round(1-prod.Round(t*p)), 0)
		if squared {
			return s.Round(h * h)
		}
		return h
	})
}

// binaryLabels reports whether every label is 0 or 1 (true for none).
func binaryLabels(t []float64) bool {
	var other atomic.Bool
	parallel.Rows(len(t), 1, func(lo, hi int) {
		for _, v := range t[lo:hi] {
			// Zero exactly when v is 0 or 1 (NaN and ±Inf give NaN and
			// +Inf); one rarely taken branch instead of two unpredictable.
			if v*(v-1) != 0 {
				other.Store(true)
				return
			}
		}
	})
	return !other.Load()
}

// CategoricalHingeFunc is keras.losses.categorical_hinge:
// max(neg - pos + 1, 0) with pos = Σ y_true·y_pred and
// neg = max((1 - y_true)·y_pred) over the last axis. Labels are used as
// given (no 0/1 conversion). It does not align ranks. 1 - y_true is an op
// with a Python float, so neg and the result are in s (float32 on NumPy
// with bfloat16) and pos in the compute dtype. A last axis of length 0 is
// refused, as every backend refuses the max of nothing; TensorFlow refuses
// any empty tensor, an empty batch too.
type CategoricalHingeFunc struct{}

// NewCategoricalHingeFunc returns categorical_hinge.
func NewCategoricalHingeFunc() CategoricalHingeFunc { return CategoricalHingeFunc{} }

// Values implements Func.
func (CategoricalHingeFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "categorical_hinge"
	q, err := newPair(name, b, yTrue, yPred, false)
	if err != nil {
		return tensor.Tensor{}, err
	}
	lay, shape, err := q.lastAxisRows(b.ReducesScalarOverAxis())
	if err != nil {
		return tensor.Tensor{}, err
	}
	if lay.n == 0 || (b == backend.TensorFlow && len(q.p.Data) == 0) { // keras/src/backend/tensorflow/numpy.py: max: tf.assert_greater(size(x), 0) refuses an empty tensor
		return tensor.Tensor{}, fmt.Errorf("%s: %w: the maximum over the last axis of an empty tensor (y_pred %v)", name, tensor.ErrShape, q.p.Shape)
	}
	c, s := q.c, q.s
	t, p := q.t.Data, q.p.Data
	out := lay.each(func(_, base int, buf, _ []float64) float64 {
		buf = buf[:lay.n]
		neg := math.Inf(-1)
		for j := range buf {
			i := base + j
			buf[j] = c.Round(t[i] * p[i])
			neg = max(neg, s.Round(s.Round(1-t[i])*p[i]))
		}
		pos := q.b.Sum(c, buf, false)
		return max(s.Round(s.Round(neg-pos)+1), 0)
	})
	return tensor.Tensor{Shape: shape, DType: s, Data: out}, nil
}

// KLDivergenceFunc is keras.losses.kl_divergence: Σ t·log(t/p) over the last
// axis with t and p clipped to [ε, 1] (so a 0 label contributes ε·log(ε/p),
// and the total can be slightly negative). It does not align ranks.
type KLDivergenceFunc struct{}

// NewKLDivergenceFunc returns kl_divergence.
func NewKLDivergenceFunc() KLDivergenceFunc { return KLDivergenceFunc{} }

// Values implements Func.
func (KLDivergenceFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	q, err := newPair("kl_divergence", b, yTrue, yPred, false)
	if err != nil {
		return tensor.Tensor{}, err
	}
	c := q.c
	lo := c.Round(tensor.Epsilon)
	return q.reduceLast(c, rowSum, b.ReducesScalarOverAxis(), func(t, p float64) float64 {
		t, p = clipInto(t, lo, 1), clipInto(p, lo, 1)
		return c.Round(t * c.Round(math.Log(c.Round(t/p))))
	})
}

// PoissonFunc is keras.losses.poisson: mean(y_pred - y_true·log(y_pred + ε))
// over the last axis; ε is added, not clipped, so a negative prediction
// gives NaN. It does not align ranks.
type PoissonFunc struct{}

// NewPoissonFunc returns poisson.
func NewPoissonFunc() PoissonFunc { return PoissonFunc{} }

// Values implements Func.
func (PoissonFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	q, err := newPair("poisson", b, yTrue, yPred, false)
	if err != nil {
		return tensor.Tensor{}, err
	}
	c := q.c
	eps := c.Round(tensor.Epsilon)
	return q.reduceLast(c, rowMean, false, func(t, p float64) float64 {
		return c.Round(p - c.Round(t*c.Round(math.Log(c.Round(p+eps)))))
	})
}
