package backend

import (
	"math"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

// ToInt is how backend b converts a value to the integer dtype d when Keras
// asks for an integer tensor (ops.convert_to_tensor(x, d), ops.cast(x, d);
// "int" is int64): the tensor is of dtype b.Materialize(d), so int32 on JAX.
// NumPy and TensorFlow truncate like a C cast (NaN and overflow give the x86
// "integer indefinite", the dtype's minimum); JAX (XLA) truncates and
// saturates, with NaN giving 0.
func (b Backend) ToInt(d tensor.DType, v float64) int {
	d = b.Materialize(d)
	if b != JAX {
		return int(d.Round(v))
	}
	lo, hi := float64(math.MinInt32), float64(math.MaxInt32)
	if d == tensor.Int64 {
		lo, hi = math.MinInt64, math.MaxInt64
	}
	switch {
	case v != v:
		return 0
	case v >= hi:
		return int(hi)
	case v <= lo:
		return int(lo)
	}
	return int(v)
}

// ToInt32 is ToInt(tensor.Int32, v).
func (b Backend) ToInt32(v float64) int { return b.ToInt(tensor.Int32, v) }
