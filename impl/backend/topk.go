package backend

import (
	"cmp"
	"fmt"
	"math"
	"slices"

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

// TopKCount is how many values ops.top_k(x, k) keeps along an axis of n
// values on backend b, and whether b accepts k at all. NumPy slices a
// reversed argsort, so k beyond n keeps everything and a negative k drops
// the |k| smallest; JAX and TensorFlow refuse k outside [0, n].
func (b Backend) TopKCount(k, n int) (keep int, ok bool) {
	if b != NumPy {
		return k, k >= 0 && k <= n
	}
	if k < 0 {
		k = max(n+k, 0)
	}
	return min(k, n), true
}

// TopK appends to idx the indices of the keep largest values of row, in the
// order ops.top_k returns them on backend b (keep from TopKCount). Ties and
// NaN follow Keras 3.15: NumPy takes a reversed argsort (NaN largest, ties
// highest index first); JAX and TensorFlow keep the lowest index first; JAX
// ranks NaN largest; TensorFlow's k = 1 is its own kernel (see tfTop1),
// while its heap for k > 1 has no consistent order with NaN (taken here as
// largest).
func (b Backend) TopK(row []float64, keep int, idx []int) []int {
	if b == TensorFlow && keep == 1 {
		return append(idx, tfTop1(row))
	}
	// before says whether element i of row comes before element j.
	before := func(i, j int) bool {
		if c := cmpNaNLargest(row[i], row[j]); c != 0 {
			return c > 0
		}
		if b == NumPy {
			return i > j
		}
		return i < j
	}
	if keep == 0 {
		return idx
	}
	start := len(idx)
	if keep > 16 {
		for i := range row {
			idx = append(idx, i)
		}
		slices.SortFunc(idx[start:], func(i, j int) int {
			if before(i, j) {
				return -1
			}
			if before(j, i) {
				return 1
			}
			return 0
		})
		return idx[:start+keep]
	}
	// Insertion into a sorted prefix of at most keep indices.
	for i := range row {
		top := idx[start:]
		if len(top) == keep && !before(i, top[keep-1]) {
			continue
		}
		if len(top) < keep {
			idx = append(idx, i)
			top = idx[start:]
		} else {
			top[keep-1] = i
		}
		for q := len(top) - 1; q > 0 && before(top[q], top[q-1]); q-- {
			top[q], top[q-1] = top[q-1], top[q]
		}
	}
	return idx
}

// tfTop1 is TensorFlow's TopK for k = 1 (tensorflow/core/kernels/
// topk_op.cc): Eigen's max reduction of the row, m = (x < m) ? m : x from
// the lowest float (a NaN takes over, the next number replaces it), then the
// first index holding m, or 0 when m is NaN. Without NaN it is the first
// maximum.
func tfTop1(row []float64) int {
	m := -math.MaxFloat32
	for _, x := range row {
		if !(x < m) {
			m = x
		}
	}
	for i, x := range row {
		if x == m {
			return i
		}
	}
	return 0
}

// cmpNaNLargest orders floats with NaN above +Inf, as NumPy's sort does.
func cmpNaNLargest(a, b float64) int {
	an, bn := math.IsNaN(a), math.IsNaN(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return cmp.Compare(a, b)
}
