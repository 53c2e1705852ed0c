package caseview

import (
	"math"
	"strconv"
	"strings"
)

// Number formats one element of an array of the given Keras dtype, following
// the package conventions: enough digits to read back exactly in that dtype,
// a decimal point or exponent on every float, nan/inf/-inf, integers as
// integers and bools as true/false.
func Number(x float64, dtype string) string {
	switch {
	case dtype == "bool":
		return strconv.FormatBool(x != 0)
	case isInt(dtype):
		if isFinite(x) && x == math.Trunc(x) {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		// Not an integer although the dtype says so: show it as it is
		// rather than hide the problem.
	}
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	return floatLook(floatDigits(x, dtype))
}

// floatDigits is the shortest decimal that reads back as x in dtype.
func floatDigits(x float64, dtype string) string {
	switch dtype {
	case "float32":
		// The shortest float32 decimal is read by NumPy as a float64 first and
		// then rounded to float32; that double rounding can land elsewhere when
		// the decimal sits near the midpoint between two float32s. Use it only
		// when it survives that path, else 9 digits, which always do.
		s := strconv.FormatFloat(x, 'g', -1, 32)
		if v, err := strconv.ParseFloat(s, 64); err == nil && float64(float32(v)) == x {
			return s
		}
		return strconv.FormatFloat(x, 'g', 9, 64)
	case "float16", "bfloat16":
		// 5 significant digits are within 5e-5 (relative) of x, far inside
		// half a float16 or bfloat16 ulp (>= 2.4e-4), on any rounding path.
		return strconv.FormatFloat(x, 'g', 5, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// floatLook makes a float's digits read as a float in Python: "2" -> "2.0".
func floatLook(s string) string {
	if strings.ContainsAny(s, ".e") {
		return s
	}
	return s + ".0"
}

func isInt(dtype string) bool {
	return strings.HasPrefix(dtype, "int") || strings.HasPrefix(dtype, "uint")
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
