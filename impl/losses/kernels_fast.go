package losses

import (
	"math"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// This file holds shortcuts for the categorical kernels of kernels.go on the
// rows that dominate real use: one-hot or sparse labels, finite predictions.
// Keras computes a term for every class and sums them; when all terms but
// one are known to be zero, that term is the sum in every backend's order
// (adding ±0 to a nonzero x gives x exactly, and partial sums of zeros stay
// zeros), so one log or one subtraction per row gives the result bit for
// bit. Each shortcut proves its precondition from values it must compute
// anyway (the row sum, the row maximum and log-sum-exp) and otherwise
// reports ok == false, and the caller computes the row in full. The proofs
// rest on two facts:
//   - a sum that includes a NaN is NaN, and one that includes ±Inf is ±Inf
//     or NaN, in any order: a finite row sum means every term was finite;
//   - rounding is monotonic: if the smallest and the largest input of a
//     chain of rounded subtractions give finite results, every input does.
//
// kernels_fast_test.go checks every shortcut against the full computation on
// rows full of edge values, on every backend and dtype.

// denseRowOneHot is denseRow for a row whose labels have exactly one
// nonzero value, without label smoothing. For probabilities, a finite
// nonzero row sum s makes every p/s a number, so every zero label's term
// is +0 (Keras multiplies 0 by a finite log) and no log but the label's is
// needed. For logits, finite log-softmax values make every zero label's
// term ±0 and only the label's log-softmax value is needed; the
// log-sum-exp still takes every exponential.
func (k *categoricalKernel) denseRowOneHot(t, p []float64, base, n, st int, buf []float64) (float64, bool) {
	if k.smoothing.on {
		return 0, false
	}
	j := soleNonzero(t, base, n, st)
	if j < 0 {
		return 0, false
	}
	i := base + j*st
	switch {
	case !k.fromLogits:
		s := k.rowSum(k.c, p, base, n, st, buf)
		if !isFinite(s) || s == 0 {
			return 0, false
		}
		term := k.rs(t[i] * k.rs(math.Log(k.clip(k.rc(p[i]/s)))))
		return -term, term != 0 && term == term
	case k.b == backend.TensorFlow:
		d := xentDType(k.c, false)
		lo, ok := laneMinFinite(p, base, n, st)
		if !ok {
			return 0, false
		}
		m, lse := k.logSumExp(d, p, base, n, st, buf)
		// Every factor lse - (x - m) lies between lse and the one of the
		// smallest x.
		if !isFinite(lse) || !isFinite(d.Round(lse-d.Round(lo-m))) {
			return 0, false
		}
		term := d.Round(t[i] * d.Round(lse-d.Round(p[i]-m)))
		return k.rc(term), term != 0 && term == term
	default:
		lo, ok := laneMinFinite(p, base, n, st)
		if !ok {
			return 0, false
		}
		m, lse := k.logSumExp(k.c, p, base, n, st, buf)
		// Every log-softmax value lies between -lse and the one of the
		// smallest x.
		if !isFinite(lse) || !isFinite(k.rc(k.rc(lo-m)-lse)) {
			return 0, false
		}
		// Without smoothing the labels' dtype is c.
		term := k.rc(t[i] * k.rc(k.rc(p[i]-m)-lse))
		return -term, term != 0 && term == term
	}
}

// sparseRowFinite is sparseRow on NumPy and JAX for a row whose
// probabilities have a finite nonzero sum, or whose logits give finite
// log-softmax values: no value in the row can then poison the one-hot
// product, and only the label's log-probability is computed.
func (k *categoricalKernel) sparseRowFinite(label int, p []float64, base, n, st int, buf []float64) (float64, bool) {
	inRange := label >= 0 && label < n
	if !k.fromLogits {
		s := k.rowSum(k.c, p, base, n, st, buf)
		if !isFinite(s) || s == 0 {
			return 0, false
		}
		if !inRange {
			return math.Copysign(0, -1), true
		}
		return -k.rs(math.Log(k.clip(k.rc(p[base+label*st] / s)))), true
	}
	lo, ok := laneMinFinite(p, base, n, st)
	if !ok {
		return 0, false
	}
	m, lse := k.logSumExp(k.c, p, base, n, st, buf)
	if !isFinite(lse) || !isFinite(k.rc(k.rc(lo-m)-lse)) {
		return 0, false
	}
	if !inRange {
		return math.Copysign(0, -1), true
	}
	return -k.rc(k.rc(p[base+label*st]-m) - lse), true
}

// rowSum is Σ over a row in dtype d, in the backend's order, as laneSum
// computes it; a contiguous row is summed in place rather than copied.
func (k *categoricalKernel) rowSum(d tensor.DType, p []float64, base, n, st int, buf []float64) float64 {
	if st == 1 {
		return k.sum(d, p[base:base+n])
	}
	return k.sum(d, gather(buf, p, base, n, st))
}

// soleNonzero returns the position in its row of the only label that is not
// zero (NaN counts as not zero), or -1 if there are none or several.
func soleNonzero(t []float64, base, n, st int) int {
	found := -1
	for j, i := 0, base; j < n; j, i = j+1, i+st {
		if t[i] != 0 {
			if found >= 0 {
				return -1
			}
			found = j
		}
	}
	return found
}

// laneMinFinite returns the smallest value of a row, and false if the row
// is empty or holds a NaN or an infinity.
func laneMinFinite(x []float64, base, n, st int) (float64, bool) {
	lo := math.Inf(1)
	for j, i := 0, base; j < n; j, i = j+1, i+st {
		v := x[i]
		if !isFinite(v) {
			return 0, false
		}
		lo = min(lo, v)
	}
	return lo, n > 0
}

// isFinite reports whether x is neither NaN nor infinite.
func isFinite(x float64) bool { return x-x == 0 }
