package reference

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Compare checks got against want in the order that makes the first failure
// the most telling: shape (exactly; a scalar has shape []), then dtype (the
// exact name), then values. Values agree when |got-want| <= ATol +
// RTol*|want|; NaN agrees only with NaN, and +Inf and -Inf only with
// themselves, since a port that turns an overflow into a large finite number
// (or the reverse) computes something else.
//
// The Stats are filled as far as the comparison got, and always carry tol.
// The error is nil when the values agree, and otherwise a one-line message
// fit for a test failure.
func Compare(got, want Array, tol Tolerance) (Stats, error) {
	return CompareWithin(got, want, tol, nil)
}

// CompareWithin is Compare with a second way for a value to match: lying
// within the band of what Keras's own backends computed for the same case
// (see Band), widened by the tolerance. Stats.Spread reports the widest band
// used and Stats.Banded how many values only the band admitted.
func CompareWithin(got, want Array, tol Tolerance, band *Band) (Stats, error) {
	st := Stats{Tolerance: tol}
	if err := checkTolerance(tol); err != nil {
		return st, err
	}
	if err := checkData("got", got); err != nil {
		return st, err
	}
	if err := checkData("want", want); err != nil {
		return st, err
	}
	if !slices.Equal(got.Shape, want.Shape) {
		return st, fmt.Errorf("shape: got %v want %v", fmtShape(got.Shape), fmtShape(want.Shape))
	}
	if got.DType != want.DType {
		return st, fmt.Errorf("dtype: got %s want %s", got.DType, want.DType)
	}
	if band != nil && (len(band.Lo) != len(want.Data) || len(band.Hi) != len(want.Data)) {
		band = nil
	}
	st.Elements = len(want.Data)
	worst := -1 // index of the worst violation, else of the largest abs error
	var worstExcess, worstAbs float64
	for i, w := range want.Data {
		g := got.Data[i]
		bad, excess, abs := compareValue(g, w, tol, want.DType, &st)
		if band != nil {
			if width := band.Hi[i] - band.Lo[i]; width > st.Spread {
				st.Spread = width
			}
			if bad && band.admits(i, g, w, tol) {
				bad = false
				st.Banded++
			}
		}
		switch {
		case bad:
			if st.Mismatches == 0 || excess > worstExcess || (excess == worstExcess && abs > worstAbs) {
				worst, worstExcess, worstAbs = i, excess, abs
			}
			st.Mismatches++
		case st.Mismatches == 0 && (worst < 0 || abs > worstAbs):
			worst, worstAbs = i, abs
		}
	}
	if worst >= 0 {
		st.WorstIndex = unravel(worst, want.Shape)
		st.Got, st.Want = got.Data[worst], want.Data[worst]
	}
	if st.Mismatches == 0 {
		return st, nil
	}
	return st, fmt.Errorf("values: %d of %d elements differ beyond atol=%g rtol=%g; worst at %v: %s",
		st.Mismatches, st.Elements, tol.ATol, tol.RTol, fmtShape(st.WorstIndex), describePair(st.Got, st.Want, tol, want.DType))
}

// compareValue compares one pair, updates the maxima in st, and returns
// whether the pair violates tol, by how many tolerances it does, and its
// absolute error.
func compareValue(g, w float64, tol Tolerance, dtype string, st *Stats) (bad bool, excess, abs float64) {
	gNaN, wNaN := math.IsNaN(g), math.IsNaN(w)
	if gNaN || wNaN || math.IsInf(g, 0) || math.IsInf(w, 0) {
		if (gNaN && wNaN) || g == w {
			return false, 0, 0
		}
		return true, math.Inf(1), math.Inf(1)
	}
	abs = math.Abs(g - w)
	st.MaxAbs = max(st.MaxAbs, abs)
	if math.Abs(w) > tol.ATol {
		st.MaxRel = max(st.MaxRel, abs/math.Abs(w))
		st.MaxULP = max(st.MaxULP, ulpDistance(g, w, dtype))
	}
	allowed := tol.ATol + tol.RTol*math.Abs(w)
	if abs <= allowed {
		return false, 0, abs
	}
	// How many tolerances the error spans; with no tolerance at all, any
	// error is infinitely beyond it and the abs error breaks the tie.
	return true, abs / allowed, abs
}

// describePair renders a worst pair: both values in the precision of dtype,
// then the errors that mean something for it.
func describePair(g, w float64, tol Tolerance, dtype string) string {
	s := fmt.Sprintf("got %s want %s", fmtValue(g, dtype), fmtValue(w, dtype))
	if !isFinite(g) || !isFinite(w) {
		return s + " (non-finite mismatch)"
	}
	abs := math.Abs(g - w)
	if math.Abs(w) <= tol.ATol {
		return s + fmt.Sprintf(" (abs %.2g; |want| <= atol, no rel or ulp)", abs)
	}
	return s + fmt.Sprintf(" (abs %.2g, rel %.2g, %s ulp)", abs, abs/math.Abs(w),
		strconv.FormatFloat(ulpDistance(g, w, dtype), 'g', 4, 64))
}

// fmtValue writes x with as many digits as tell it apart within dtype: the
// shortest float32 form for the 32- and 16-bit dtypes, unless x is not a
// float32 (a port's value may carry more precision than its dtype).
func fmtValue(x float64, dtype string) string {
	switch dtype {
	case "float32", "float16", "bfloat16":
		if float64(float32(x)) == x {
			return strconv.FormatFloat(x, 'g', -1, 32)
		}
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func fmtShape(s []int) string {
	if s == nil {
		s = []int{}
	}
	return fmt.Sprint(s)
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// unravel turns a row-major offset into an N-d index; a scalar's is [].
func unravel(i int, shape []int) []int {
	idx := make([]int, len(shape))
	for k := len(shape) - 1; k >= 0; k-- {
		if shape[k] > 0 {
			idx[k] = i % shape[k]
			i /= shape[k]
		}
	}
	return idx
}

// checkTolerance refuses tolerances under which every comparison is
// meaningless: negative or NaN bounds.
func checkTolerance(t Tolerance) error {
	if !(t.ATol >= 0) || !(t.RTol >= 0) {
		return fmt.Errorf("tolerance: atol=%g rtol=%g must be >= 0", t.ATol, t.RTol)
	}
	return nil
}

// checkData refuses an array whose data does not fill its shape, which would
// otherwise index out of range.
func checkData(which string, a Array) error {
	n := a.Size()
	if n < 0 {
		return fmt.Errorf("%s: shape %v has a negative dimension or too many elements", which, a.Shape)
	}
	if len(a.Data) != n {
		return fmt.Errorf("%s: %d values for shape %s (%d elements)", which, len(a.Data), fmtShape(a.Shape), n)
	}
	if strings.TrimSpace(a.DType) == "" {
		return fmt.Errorf("%s: no dtype", which)
	}
	return nil
}
