package metrics

import (
	"math"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/parallel"
)

// The optimised update for evenly spaced thresholds: bucket ids, segment
// sums and reverse cumulative sums (update_confusion_matrix_variables's
// _update_confusion_matrix_variables_optimized).

// buckets is the optimised update over flattened y_true, y_pred and weights
// (nil: all 1) for T evenly spaced thresholds.
func (c *counts) buckets(b backend.Backend, t, p, w []float64, T int, withEps bool) {
	ids := bucketIDs(b, p, T, withEps)
	var segTrue, segFalse []float64
	var totalTrue, totalFalse float64
	if w == nil {
		// Unit weights: the segment sums are counts, exact in any order.
		segTrue, segFalse, totalTrue, totalFalse = bucketCounts(t, ids, T)
	} else {
		segTrue, segFalse, totalTrue, totalFalse = bucketSums(b, t, w, ids, T, c.tn != nil || c.fn != nil)
	}
	c.accumulate(b.ReverseCumsum(segTrue), b.ReverseCumsum(segFalse), totalTrue, totalFalse, 1, 0)
}

// bucketCounts counts positive and negative labels per bucket, in parallel
// chunks.
func bucketCounts(t []float64, ids []int32, T int) (segTrue, segFalse []float64, totalTrue, totalFalse float64) {
	const chunk = 1 << 15
	type part struct {
		pos, neg  []int
		positives int
	}
	parts := make([]part, (len(ids)+chunk-1)/chunk)
	parallel.Rows(len(parts), chunk, func(lo, hi int) {
		for q := lo; q < hi; q++ {
			pt := part{pos: make([]int, T), neg: make([]int, T)}
			for j := q * chunk; j < min((q+1)*chunk, len(ids)); j++ {
				pos := isTrue(t[j])
				if pos {
					pt.positives++
				}
				if id := ids[j]; id >= 0 {
					if pos {
						pt.pos[id]++
					} else {
						pt.neg[id]++
					}
				}
			}
			parts[q] = pt
		}
	})
	segTrue, segFalse = make([]float64, T), make([]float64, T)
	positives := 0
	for _, pt := range parts {
		for i := range T {
			segTrue[i] += float64(pt.pos[i])
			segFalse[i] += float64(pt.neg[i])
		}
		positives += pt.positives
	}
	for i := range T {
		segTrue[i], segFalse[i] = fl32(segTrue[i]), fl32(segFalse[i])
	}
	return segTrue, segFalse, fl32(float64(positives)), fl32(float64(len(ids) - positives))
}

// bucketSums is the weighted segment sum: t·w and (1-t)·w in float32, added
// to their bucket in index order (as TensorFlow's unsorted_segment_sum and
// JAX's scatter-add do), and, if totals is set, their backend sums.
func bucketSums(b backend.Backend, t, w []float64, ids []int32, T int, totals bool) (segTrue, segFalse []float64, totalTrue, totalFalse float64) {
	n := len(ids)
	trueLabels, falseLabels := make([]float64, n), make([]float64, n)
	parallel.Rows(n, 1, func(lo, hi int) {
		for j := lo; j < hi; j++ {
			tb := 0.0
			if isTrue(t[j]) {
				tb = 1
			}
			trueLabels[j], falseLabels[j] = fl32(tb*w[j]), fl32((1-tb)*w[j])
		}
	})
	segTrue, segFalse = make([]float64, T), make([]float64, T)
	for j, id := range ids {
		if id >= 0 {
			segTrue[id] = fl32(segTrue[id] + trueLabels[j])
			segFalse[id] = fl32(segFalse[id] + falseLabels[j])
		}
	}
	if totals {
		totalTrue = b.Sum(confusionDType, trueLabels, false)
		totalFalse = b.Sum(confusionDType, falseLabels, false)
	}
	return segTrue, segFalse, totalTrue, totalFalse
}

// bucketsMultiLabel is the optimised update of a multi-label AUC: y_true,
// y_pred and the weights are (B, L); each label has its own buckets, and
// labels are independent, so they run in parallel.
func (c *counts) bucketsMultiLabel(b backend.Backend, t, p, w []float64, T, L int, withEps bool) {
	rows := len(p) / max(L, 1)
	ids := bucketIDs(b, p, T, withEps)
	// Keras sums the transposed (L, B) labels over B.
	strided := b.TransposeIsView()
	parallel.Rows(L, rows*4, func(lo, hi int) {
		col, colFalse := make([]float64, rows), make([]float64, rows)
		segTrue, segFalse := make([]float64, T), make([]float64, T)
		for l := lo; l < hi; l++ {
			clear(segTrue)
			clear(segFalse)
			for r := range rows {
				j := r*L + l
				tb := 0.0
				if isTrue(t[j]) {
					tb = 1
				}
				wj := 1.0
				if w != nil {
					wj = w[j]
				}
				tl, fl := fl32(tb*wj), fl32((1-tb)*wj)
				col[r], colFalse[r] = tl, fl
				if id := ids[j]; id >= 0 {
					segTrue[id] = fl32(segTrue[id] + tl)
					segFalse[id] = fl32(segFalse[id] + fl)
				}
			}
			totalTrue := b.Sum(confusionDType, col, strided)
			totalFalse := b.Sum(confusionDType, colFalse, strided)
			c.accumulate(b.ReverseCumsum(segTrue), b.ReverseCumsum(segFalse), totalTrue, totalFalse, L, l)
		}
	})
}

// accumulate adds one batch's tp and fp per threshold (and tn, fn derived
// from the totals) to the variables at offsets off, off+stride, ...
func (c *counts) accumulate(tp, fp []float64, totalTrue, totalFalse float64, stride, off int) {
	for i := range tp {
		k := i*stride + off
		if c.tp != nil {
			c.tp[k] = fl32(c.tp[k] + tp[i])
		}
		if c.fp != nil {
			c.fp[k] = fl32(c.fp[k] + fp[i])
		}
		if c.tn != nil {
			c.tn[k] = fl32(c.tn[k] + fl32(totalFalse-fp[i]))
		}
		if c.fn != nil {
			c.fn[k] = fl32(c.fn[k] + fl32(totalTrue-tp[i]))
		}
	}
}

// bucketIDs returns each prediction's bucket, -1 for none: y_pred clipped
// to [0, 1], ceil(p·(T-1)) - 1 in float32, floored at 0 with ε endpoints,
// cast to int32. NaN stays NaN through the clip and the floor; the cast
// makes it INT_MIN on NumPy and TensorFlow (dropped as a negative segment
// id) and 0 on JAX (XLA's conversion).
func bucketIDs(b backend.Backend, p []float64, T int, withEps bool) []int32 {
	ids := make([]int32, len(p))
	scale := fl32(float64(T - 1))
	parallel.Rows(len(p), 1, func(lo, hi int) {
		for j := lo; j < hi; j++ {
			x := p[j]
			if x < 0 {
				x = 0
			} else if x > 1 {
				x = 1
			}
			v := math.Ceil(fl32(x*scale)) - 1
			if withEps && v < 0 {
				v = 0
			}
			// ops.cast(..., "int32"): NaN is 0 on JAX, negative elsewhere;
			// a negative id is no bucket.
			ids[j] = int32(max(b.ToInt32(v), -1))
		}
	})
	return ids
}
