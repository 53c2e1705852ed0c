package reference

import "math"

// Keras computes in float16 and bfloat16 as well as float32 and float64. Go
// has neither 16-bit format, so this file converts between them and float64
// (which holds both exactly) and measures distances in their units in the
// last place.

// float16ToFloat64 decodes an IEEE 754 binary16 bit pattern.
func float16ToFloat64(b uint16) float64 {
	e := int(b>>10) & 0x1f
	m := float64(b & 0x3ff)
	var v float64
	switch e {
	case 0:
		v = math.Ldexp(m, -24) // zero or subnormal
	case 0x1f:
		if m != 0 {
			return math.NaN()
		}
		v = math.Inf(1)
	default:
		v = math.Ldexp(1024+m, e-25)
	}
	if b&0x8000 != 0 {
		v = -v
	}
	return v
}

// Binary formats as (exponent bits, mantissa bits).
const (
	f16Exp, f16Mant   = 5, 10
	bf16Exp, bf16Mant = 8, 7
)

// roundBits rounds x (not NaN) to nearest, ties to even, in a binary format
// with expBits exponent bits and mantBits stored mantissa bits, with
// subnormals and overflow to infinity, and returns the bit pattern. Rounding
// straight from float64 avoids the double rounding of going through float32.
func roundBits(x float64, expBits, mantBits uint) uint64 {
	var sign uint64
	if math.Signbit(x) {
		sign = 1 << (expBits + mantBits)
	}
	a := math.Abs(x)
	bias := 1<<(expBits-1) - 1
	infField := uint64(1)<<expBits - 1
	switch {
	case a == 0:
		return sign
	case math.IsInf(a, 0):
		return sign | infField<<mantBits
	}
	_, e := math.Frexp(a)
	exp := e - 1 // a = 1.f * 2^exp
	emin := 1 - bias
	if exp < emin {
		// Subnormal: count in units of the smallest subnormal. A result of
		// 1<<mantBits is the smallest normal, whose bits are the same number.
		return sign | uint64(math.RoundToEven(math.Ldexp(a, int(mantBits)-emin)))
	}
	r := uint64(math.RoundToEven(math.Ldexp(a, int(mantBits)-exp)))
	if r == 1<<(mantBits+1) {
		r >>= 1
		exp++
	}
	field := uint64(exp + bias)
	if field >= infField {
		return sign | infField<<mantBits
	}
	return sign | field<<mantBits | (r - 1<<mantBits)
}

// orderedBits maps a sign-magnitude bit pattern to an integer that grows
// with the value it encodes, so that the distance between two encodings is
// the number of representable values between them (+0 and -0 coincide).
func orderedBits(bits uint64, signBit uint) int64 {
	mag := int64(bits &^ (1 << signBit))
	if bits&(1<<signBit) != 0 {
		return -mag
	}
	return mag
}

// ulpDistance counts the representable values of dtype between got and want,
// both finite. Each is first rounded to dtype, so a difference below half an
// ULP counts as zero. Integer and bool dtypes use the plain difference.
func ulpDistance(got, want float64, dtype string) float64 {
	var a, b int64
	switch dtype {
	case "float32":
		a = orderedBits(uint64(math.Float32bits(float32(got))), 31)
		b = orderedBits(uint64(math.Float32bits(float32(want))), 31)
	case "float16":
		a = orderedBits(roundBits(got, f16Exp, f16Mant), f16Exp+f16Mant)
		b = orderedBits(roundBits(want, f16Exp, f16Mant), f16Exp+f16Mant)
	case "bfloat16":
		a = orderedBits(roundBits(got, bf16Exp, bf16Mant), bf16Exp+bf16Mant)
		b = orderedBits(roundBits(want, bf16Exp, bf16Mant), bf16Exp+bf16Mant)
	case "int32", "int64", "bool":
		return math.Abs(got - want)
	default: // float64
		a = orderedBits(math.Float64bits(got), 63)
		b = orderedBits(math.Float64bits(want), 63)
		if (a < 0) != (b < 0) {
			// The difference may overflow int64; a float64 sum is close enough.
			return math.Abs(float64(a)) + math.Abs(float64(b))
		}
	}
	d := a - b
	if d < 0 {
		d = -d
	}
	return float64(d)
}

// isBFloat16 reports whether x is exactly a bfloat16 value, that is a float32
// whose low 16 bits are zero. NaNs pass: their payload is not a value.
func isBFloat16(x float64) bool {
	f := float32(x)
	if float64(f) != x && !math.IsNaN(x) {
		return false
	}
	return math.IsNaN(x) || math.Float32bits(f)&0xffff == 0
}
