package backend

import (
	"fmt"
	"math"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Argmax returns the index of the largest of xs, values of dtype d, as
// ops.argmax finds it along an axis on backend b. Ties go to the first
// index everywhere. For floats Keras first casts to at least float32 and
// replaces -0 by minus the smallest normal number, so -0 < +0 (and -0 is
// below the negative subnormals). NaN then differs:
//   - NumPy and JAX: NaN is the maximum, the first NaN wins;
//   - TensorFlow: NaN never wins, and neither does a value at or below the
//     lowest finite float; a row of only such values gives 0 (Eigen's
//     reducer starts from index 0 and the lowest finite value, replacing it
//     only with a strictly greater value).
//
// An empty row gives 0.
func (b Backend) Argmax(d tensor.DType, xs []float64) int {
	if !d.IsFloat() {
		best := 0
		for i, v := range xs {
			if v > xs[best] {
				best = i
			}
		}
		return best
	}
	tiny, lowest := 0x1p-126, -math.MaxFloat32
	if d == tensor.Float64 {
		tiny, lowest = 0x1p-1022, -math.MaxFloat64
	}
	key := func(v float64) float64 {
		if v == 0 && math.Signbit(v) {
			return -tiny
		}
		return v
	}
	if b == TensorFlow {
		best, bv := 0, lowest
		for i, v := range xs {
			if v = key(v); v > bv {
				best, bv = i, v
			}
		}
		return best
	}
	if len(xs) == 0 {
		return 0
	}
	best, bv := 0, key(xs[0])
	if bv != bv {
		return 0
	}
	for i, v := range xs[1:] {
		v = key(v)
		if v != v {
			return i + 1
		}
		if v > bv {
			best, bv = i+1, v
		}
	}
	return best
}

// InTopK is ops.in_top_k for one row: whether class target is among the k
// largest of scores (values of dtype d), ties included, on backend b. The
// backends differ outside the common case:
//   - NumPy takes the k largest values of the row sorted with NaN first
//     (a negative k drops that many from the end, as a Python slice does)
//     and checks score[target] >= any of them: NaN scores crowd the top k,
//     a NaN target score is never in it; a target outside [-C, C) is an
//     IndexError, a negative one counts from the end.
//   - JAX counts the scores strictly greater than the target's: in iff
//     1 + count <= k; a NaN target score counts as -Inf; a negative target
//     in [-C, 0) counts from the end, one outside [-C, C) reads NaN.
//   - TensorFlow (tf.math.in_top_k) wants float32 scores; a target outside
//     [0, C) or a row holding any non-finite score is never in; otherwise in
//     iff fewer than k scores are strictly greater.
func (b Backend) InTopK(d tensor.DType, target int, scores []float64, k int) (bool, error) {
	c := len(scores)
	switch b {
	case NumPy:
		if target < -c || target >= c {
			return false, fmt.Errorf("index %d is out of bounds for axis 1 with size %d", target, c)
		}
		if target < 0 {
			target += c
		}
		kk := k // the length of sorted[:k]
		if kk < 0 {
			kk = max(c+kk, 0)
		}
		kk = min(kk, c)
		tv := scores[target]
		if tv != tv {
			return false, nil
		}
		nan, greater := 0, 0
		for _, v := range scores {
			switch {
			case v != v:
				nan++
			case v > tv:
				greater++
			}
		}
		return greater < kk-nan, nil
	case JAX:
		tv := math.NaN()
		if target >= -c && target < c {
			if target < 0 {
				target += c
			}
			tv = scores[target]
		}
		if tv != tv {
			tv = math.Inf(-1)
		}
		greater := 0
		for _, v := range scores {
			if v > tv {
				greater++
			}
		}
		return 1+greater <= k, nil
	}
	if d != tensor.Float32 {
		return false, fmt.Errorf("in_top_k: predictions must be float32 on TensorFlow, got %v", d)
	}
	if target < 0 || target >= c {
		return false, nil
	}
	tv := scores[target]
	greater := 0
	for _, v := range scores {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false, nil
		}
		if v > tv {
			greater++
		}
	}
	return greater < k, nil
}
