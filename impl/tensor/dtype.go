package tensor

import (
	"fmt"
	"math"
)

// DType is the element type of a tensor. Values are always held as float64,
// which represents every value of every DType exactly; the DType says which
// values a tensor may hold, and Round maps a float64 result to the nearest of
// them, the way a backend materialises the result of an operation.
//
// The zero value is Float32, Keras's default floatx.
type DType uint8

// The dtypes Keras losses and metrics meet.
const (
	Float32 DType = iota
	Float64
	Float16
	BFloat16
	Int32
	Int64
	Bool
	numDTypes
)

var dtypeNames = [numDTypes]string{
	Float32:  "float32",
	Float64:  "float64",
	Float16:  "float16",
	BFloat16: "bfloat16",
	Int32:    "int32",
	Int64:    "int64",
	Bool:     "bool",
}

// String returns the Keras name of the dtype.
func (d DType) String() string {
	if d < numDTypes {
		return dtypeNames[d]
	}
	return fmt.Sprintf("DType(%d)", uint8(d))
}

// ParseDType returns the dtype with the given Keras name.
func ParseDType(name string) (DType, error) {
	for d, n := range dtypeNames {
		if n == name {
			return DType(d), nil
		}
	}
	return 0, fmt.Errorf("unknown dtype %q (known: float32, float64, float16, bfloat16, int32, int64, bool)", name)
}

// IsFloat reports whether d is a floating-point dtype.
func (d DType) IsFloat() bool { return d <= BFloat16 }

// Round returns the value of dtype d nearest to x: round to nearest, ties to
// even, overflowing to ±Inf for floats; truncation toward zero with
// wrap-around for integers (a C cast); x != 0 for bool. NaN stays NaN for
// floats. Round is what makes a float64 computation land where a backend's
// float32 or float16 computation lands.
func (d DType) Round(x float64) float64 {
	// The common cases stay small enough to inline into the kernels' loops.
	switch d {
	case Float32:
		return float64(float32(x))
	case Float64:
		return x
	}
	return d.roundOther(x)
}

func (d DType) roundOther(x float64) float64 {
	switch d {
	case Float16:
		return roundBinary(x, float16Format)
	case BFloat16:
		return roundBinary(x, bfloat16Format)
	case Int32:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return math.MinInt32 // what x86 conversions give for NaN and overflow
		}
		return float64(int32(int64(math.Trunc(x))))
	case Int64:
		if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) >= 1<<63 {
			return math.MinInt64
		}
		return float64(int64(x))
	case Bool:
		if x != 0 {
			return 1
		}
		return 0
	}
	return x
}

// RoundAll rounds every element of data to d in place.
func (d DType) RoundAll(data []float64) {
	if d == Float64 {
		return
	}
	for i, v := range data {
		data[i] = d.Round(v)
	}
}

// binaryFormat describes an IEEE-754-style binary floating-point format.
type binaryFormat struct {
	mantBits int     // explicit fraction bits
	minExp   int     // exponent of the smallest normal number: 2^minExp
	max      float64 // largest finite value
}

var (
	float16Format  = binaryFormat{mantBits: 10, minExp: -14, max: 65504}
	bfloat16Format = binaryFormat{mantBits: 7, minExp: -126, max: 0x1.fep127}
)

// roundBinary rounds x to the nearest value of format f, ties to even. It
// works on float64 directly (not through float32), so no double rounding
// occurs: a float64 just above a float16 tie rounds up, as a correctly
// rounding conversion must.
func roundBinary(x float64, f binaryFormat) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	_, e := math.Frexp(x) // |x| in [2^(e-1), 2^e)
	exp := e - 1
	if exp < f.minExp {
		exp = f.minExp // subnormal: fixed quantum
	}
	quantum := math.Ldexp(1, exp-f.mantBits)
	// x/quantum and the product are exact: both are scalings by powers of two
	// well inside float64's range.
	r := math.RoundToEven(x/quantum) * quantum
	if math.Abs(r) > f.max {
		return math.Copysign(math.Inf(1), x)
	}
	if r == 0 {
		return math.Copysign(0, x)
	}
	return r
}

// Epsilon is Keras's fuzz factor (keras.backend.epsilon()) as a Python
// float. Where it meets a tensor it is rounded to the tensor's dtype.
const Epsilon = 1e-7

// ClipBounds returns the bounds Keras's crossentropies clip probabilities to
// in dtype d: epsilon and 1 - epsilon, each computed in Python's float64 and
// then rounded to d. In float32 the upper bound is 1 - 2^-23, not
// 1 - 1e-7, which makes clipped crossentropy asymmetric; in float16 and
// bfloat16 it is exactly 1, so log(1 - p) can reach -Inf.
func ClipBounds(d DType) (lo, hi float64) {
	return d.Round(Epsilon), d.Round(1 - Epsilon)
}

// Size is the number of bytes an element of d takes.
func (d DType) Size() int {
	switch d {
	case Float64, Int64:
		return 8
	case Float16, BFloat16:
		return 2
	case Bool:
		return 1
	}
	return 4
}

// Accumulator is the dtype a backend accumulates a reduction of d in before
// rounding the result to d: float32 for float16 and bfloat16 (NumPy's
// pairwise sum, XLA and Eigen all upcast halves), d itself otherwise.
func (d DType) Accumulator() DType {
	if d == Float16 || d == BFloat16 {
		return Float32
	}
	return d
}
