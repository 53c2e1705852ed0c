package report

import (
	"math"
	"strconv"

	"github.com/kerasparity/kerasparity/reference"
)

// Number is a float64 whose JSON form survives non-finite values: NaN, +Inf
// and -Inf are written as the strings "NaN", "+Inf" and "-Inf" (plain JSON
// has no literal for them, and a comparison that met a NaN must still be
// reported). It reads numbers and those strings back.
type Number float64

// MarshalJSON writes finite values as JSON numbers, the others as strings.
func (n Number) MarshalJSON() ([]byte, error) { return reference.Float(n).MarshalJSON() }

// UnmarshalJSON reads what MarshalJSON writes.
func (n *Number) UnmarshalJSON(b []byte) error { return (*reference.Float)(n).UnmarshalJSON(b) }

// String formats the shortest decimal that reads back to the same float64,
// and NaN, +Inf and -Inf for the non-finite values.
func (n Number) String() string {
	f := float64(n)
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// Short formats n with 3 significant digits, for error magnitudes where more
// digits are noise.
func (n Number) Short() string {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return n.String()
	}
	return strconv.FormatFloat(f, 'g', 3, 64)
}

// ULP formats a ULP distance: whole numbers in full up to 2^53, others with
// 3 significant digits.
func (n Number) ULP() string {
	f := float64(n)
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return strconv.FormatInt(int64(f), 10)
	}
	return n.Short()
}

// worse reports whether ULP distance a is worse than b: NaN ranks above
// +Inf, which ranks above every finite value.
func worse(a, b float64) bool {
	switch {
	case math.IsNaN(a):
		return !math.IsNaN(b)
	case math.IsNaN(b):
		return false
	}
	return a > b
}
