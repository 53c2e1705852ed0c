package backend

import (
	"math"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The elementwise ops below take x already rounded to the float dtype d and
// return a value of d, each intermediate op rounded where the backend
// materialises it. Exp, log and log1p are taken as correctly rounded, which
// the backends' own vectorised polynomial versions are only to within an ulp
// or two: that residue is what the fixtures' tolerances are for.

// MachineEpsilon is the distance from 1 to the next value of the float dtype
// d (numpy.finfo(d).eps); float32's for non-float dtypes.
func MachineEpsilon(d tensor.DType) float64 {
	switch d {
	case tensor.Float64:
		return 0x1p-52
	case tensor.Float16:
		return 0x1p-10
	case tensor.BFloat16:
		return 0x1p-7
	}
	return 0x1p-23
}

// WithPythonFloat is the dtype of an op between a tensor of dtype d and a
// Python float: d itself (Python floats are weakly typed), except for
// bfloat16 on NumPy, where ml_dtypes does not treat Python floats as weak and
// the result is float32.
func (b Backend) WithPythonFloat(d tensor.DType) tensor.DType {
	if b == NumPy && d == tensor.BFloat16 {
		return tensor.Float32
	}
	return d
}

// halfCompute is the dtype NumPy computes a transcendental ufunc of dtype d
// in: float32 for float16 (NumPy's half loops) and bfloat16 (ml_dtypes),
// rounded once to d at the end; d otherwise.
func halfCompute(d tensor.DType) tensor.DType {
	if d == tensor.Float16 || d == tensor.BFloat16 {
		return tensor.Float32
	}
	return d
}

// Sigmoid is ops.sigmoid, 1 / (1 + exp(-x)), in d. NumPy evaluates it op by
// op, and XLA expands JAX's logistic the same way; TensorFlow's is one fused
// op (Eigen's logistic), taken as correctly rounded.
func (b Backend) Sigmoid(d tensor.DType, x float64) float64 {
	if b == TensorFlow {
		return d.Round(1 / (1 + math.Exp(-x)))
	}
	return d.Round(1 / d.Round(1+d.Round(math.Exp(-x))))
}

// LogAddExp is ops.logaddexp(x, y), log(exp(x) + exp(y)), in d:
//   - NumPy: npy_logaddexp, computed in float32 for the half types:
//     x + ln 2 where x == y, else the larger plus log1p(exp(-|x - y|));
//   - JAX and TensorFlow (Keras's TensorFlow logaddexp copies jnp.logaddexp):
//     max(x, y) + log1p(exp(-|x - y|)), or x + y where x - y is NaN (a NaN,
//     or infinities of one sign).
func (b Backend) LogAddExp(d tensor.DType, x, y float64) float64 {
	if b == NumPy {
		w := halfCompute(d)
		if x == y {
			return d.Round(w.Round(x + w.Round(math.Ln2)))
		}
		switch diff := w.Round(x - y); {
		case diff > 0:
			return d.Round(w.Round(x + w.Round(math.Log1p(w.Round(math.Exp(-diff))))))
		case diff <= 0:
			return d.Round(w.Round(y + w.Round(math.Log1p(w.Round(math.Exp(diff))))))
		default:
			return diff // NaN
		}
	}
	diff := d.Round(x - y)
	if diff != diff {
		return d.Round(x + y)
	}
	return d.Round(max(x, y) + d.Round(math.Log1p(d.Round(math.Exp(-math.Abs(diff))))))
}

// softplusThreshold is TensorFlow's softplus threshold per float dtype,
// log(eps) + 2 computed in that dtype (tensorflow/core/kernels/softplus_op.h).
var softplusThreshold [4]float64

func init() {
	for _, d := range []tensor.DType{tensor.Float32, tensor.Float64, tensor.Float16, tensor.BFloat16} {
		softplusThreshold[d] = d.Round(d.Round(math.Log(MachineEpsilon(d))) + 2)
	}
}

// Softplus is ops.softplus, log(1 + exp(x)), in the float dtype d:
//   - NumPy and JAX: logaddexp(x, 0), each its own way (see LogAddExp);
//   - TensorFlow: its softplus kernel: x above -threshold, exp(x) below
//     threshold, log1p(exp(x)) between, threshold = log(eps(d)) + 2.
func (b Backend) Softplus(d tensor.DType, x float64) float64 {
	if b != TensorFlow {
		return b.LogAddExp(d, x, 0)
	}
	thr := softplusThreshold[d]
	switch {
	case x > -thr:
		return x
	case x < thr:
		return d.Round(math.Exp(x))
	}
	return d.Round(math.Log1p(d.Round(math.Exp(x))))
}

// LogSumExp is ops.logsumexp over the contiguous row x, in d; buf (which
// may be x itself, then overwritten) receives the exponentials and must be
// at least as long as x.
//   - TensorFlow (reduce_logsumexp) and JAX: log Σ exp(x - max) + max, the
//     maximum replaced by 0 when it is not finite; NaN if the row has one.
//   - NumPy (SciPy's logsumexp): the maximum's terms are taken out of the
//     sum, which becomes log1p(Σ_rest/m) + log(m) + max for m maxima; where
//     the maximum is infinite, SciPy's fallback log(Σ exp(x)) gives it back.
//
// The sums follow Sum's order for an innermost axis.
func (b Backend) LogSumExp(d tensor.DType, x, buf []float64) float64 {
	top := math.Inf(-1)
	for _, v := range x {
		if v != v {
			return v
		}
		top = max(top, v)
	}
	buf = buf[:len(x)]
	if b != NumPy {
		shift := top
		if math.IsInf(top, 0) {
			shift = 0
		}
		for j, v := range x {
			buf[j] = d.Round(math.Exp(d.Round(v - shift)))
		}
		return d.Round(d.Round(math.Log(b.Sum(d, buf, false))) + shift)
	}
	if math.IsInf(top, 0) {
		return top
	}
	m := 0.0
	for j, v := range x {
		if v == top {
			m++
			buf[j] = 0 // exp(-inf - top): the maximum's own terms
			continue
		}
		buf[j] = d.Round(math.Exp(d.Round(v - top)))
	}
	m = d.Round(m)
	rest := b.Sum(d, buf, false)
	if rest != 0 {
		rest = d.Round(rest / m)
	}
	return d.Round(d.Round(d.Round(math.Log1p(rest))+d.Round(math.Log(m))) + top)
}

// DivideBroadcast is x / y where y is one value broadcast against several
// (a reduced keepdims tensor, a scalar total), in d. On JAX XLA's algebraic
// simplifier rewrites that division as a product with the reciprocal
// 1 / y (which rounds, and overflows for a tiny y); a division by a value
// that is not broadcast stays a division. Elsewhere it is a division.
func (b Backend) DivideBroadcast(d tensor.DType, x, y float64, broadcast bool) float64 {
	if b == JAX && broadcast {
		return d.Round(x * d.Round(1/y))
	}
	return d.Round(x / y)
}
