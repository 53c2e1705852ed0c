package metrics

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/kwargs"
	"github.com/kerasparity/kerasparity/impl/internal/parallel"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The confusion-matrix metrics of keras/src/metrics/confusion_metrics.py
// share update_confusion_matrix_variables (metrics_utils.py), ported here:
//
//   - y_true and y_pred are cast to float32, the dtype of every confusion
//     variable whatever the metric dtype (Keras's add_variable without a
//     dtype gives floatx); y_true is binarised as y_true != 0 (NaN counts as
//     positive); a prediction is positive iff y_pred > threshold, strictly;
//   - y_pred and y_true are rank-aligned; a sample weight gains a trailing
//     axis and is aligned to y_true without expanding rank 1, so (B,)
//     weights weigh rows and (1, C) weights columns; weights broadcast to
//     y_pred's shape;
//   - top_k replaces all but the k largest values of y_pred's last axis by
//     NEG_INF = -1e10 (Precision and Recall), then class_id keeps one class
//     of the last axis;
//   - evenly spaced thresholds (at least three, allclose to i/(T-1)) take
//     the optimised path: bucket = ceil(p·(T-1)) - 1 in float32 after
//     clipping p to [0, 1] (floored at 0 when the thresholds carry AUC's
//     ε endpoints), weights segment-summed by bucket, then reverse
//     cumulative sums; any other thresholds compare every prediction with
//     every threshold.

// confusionDType is the dtype of every confusion-matrix variable.
const confusionDType = tensor.Float32

// negInf is metrics_utils.NEG_INF: what top_k puts in place of the values it
// drops, and the default threshold when top_k is set.
const negInf = -1e10

// fl32 rounds to float32.
func fl32(x float64) float64 { return float64(float32(x)) }

// counts are the confusion-matrix variables a metric keeps, nil for those it
// does not: one value per threshold, or per threshold and label
// (threshold-major) for a multi-label AUC.
type counts struct {
	tp, fp, tn, fn []float64
}

func newCounts(n int, tp, fp, tn, fn bool) counts {
	mk := func(on bool) []float64 {
		if !on {
			return nil
		}
		return make([]float64, n)
	}
	return counts{mk(tp), mk(fp), mk(tn), mk(fn)}
}

func (c *counts) reset() {
	clear(c.tp)
	clear(c.fp)
	clear(c.tn)
	clear(c.fn)
}

// confusionUpdate describes one metric's call of
// update_confusion_matrix_variables.
type confusionUpdate struct {
	thresholds []float64 // as Keras holds them: Python floats
	evenly     bool      // the optimised (bucket) path
	topK       *int
	classID    *int
	multiLabel bool
	// labels is the number of labels of a multi-label AUC's variables.
	labels int
	// labelWeights (non-multi-label AUC) multiply the weights along y_pred's
	// trailing axes; nil if none.
	labelWeights *tensor.Tensor
}

// update adds the confusion counts of one batch to c.
func (c *counts) update(b backend.Backend, yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor, u *confusionUpdate) error {
	if err := yTrue.Validate(); err != nil {
		return fmt.Errorf("y_true: %w", err)
	}
	if err := yPred.Validate(); err != nil {
		return fmt.Errorf("y_pred: %w", err)
	}
	const d = confusionDType
	t, p := flushDenormals(b, yTrue.Cast(d)), flushDenormals(b, yPred.Cast(d))
	t.Mask, p.Mask = nil, nil
	p, t = tensor.SqueezeOrExpandToSameRank(p, t, true)
	var w *tensor.Tensor
	if sampleWeight != nil {
		if err := sampleWeight.Validate(); err != nil {
			return fmt.Errorf("sample_weight: %w", err)
		}
		sw := flushDenormals(b, sampleWeight.Cast(d))
		sw.Mask = nil
		sw.Shape = append(slices.Clone(sw.Shape), 1)
		_, sw = tensor.SqueezeOrExpandToSameRank(t, sw, false)
		w = &sw
	}
	var err error
	if u.topK != nil {
		if p, err = filterTopK(b, p, *u.topK); err != nil {
			return err
		}
	}
	if u.classID != nil {
		if p.Rank() == 1 {
			return fmt.Errorf("%w: when class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes), found shape %v",
				tensor.ErrShape, p.Shape)
		}
		if t, err = sliceClass(b, t, *u.classID); err != nil {
			return fmt.Errorf("y_true: %w", err)
		}
		if p, err = sliceClass(b, p, *u.classID); err != nil {
			return fmt.Errorf("y_pred: %w", err)
		}
	}
	weights, err := confusionWeights(b, p, w, u.labelWeights, u.multiLabel)
	if err != nil {
		return err
	}
	if u.multiLabel {
		if p.Rank() != 2 || p.Shape[1] != u.labels || !slices.Equal(t.Shape, p.Shape) {
			return fmt.Errorf("%w: multi-label y_true %v and y_pred %v must both be (batch, %d)", tensor.ErrShape, t.Shape, p.Shape, u.labels)
		}
	}
	if u.evenly {
		if t.Size() != p.Size() {
			return fmt.Errorf("%w: y_true %v and y_pred %v hold different numbers of values", tensor.ErrShape, t.Shape, p.Shape)
		}
		withEps := u.thresholds[0] < 0 || u.thresholds[len(u.thresholds)-1] > 1
		if u.multiLabel {
			c.bucketsMultiLabel(b, t.Data, p.Data, weights, len(u.thresholds), u.labels, withEps)
		} else {
			c.buckets(b, t.Data, p.Data, weights, len(u.thresholds), withEps)
		}
		return nil
	}
	thr := make([]float64, len(u.thresholds))
	for i, x := range u.thresholds {
		thr[i] = fl32(x)
	}
	if u.multiLabel {
		c.compareMultiLabel(b, t.Data, p.Data, weights, thr, u.labels)
		return nil
	}
	if p.Rank() == 0 {
		return fmt.Errorf("%w: y_pred must have at least one dimension, got a scalar", tensor.ErrShape)
	}
	nt, np := t.Size(), p.Size()
	if nt != np && nt != 1 && np != 1 {
		return fmt.Errorf("%w: y_true %v and y_pred %v hold %d and %d values", tensor.ErrShape, t.Shape, p.Shape, nt, np)
	}
	c.compare(b, t.Data, p.Data, weights, thr)
	return nil
}

// confusionWeights returns the float32 weight of each element of y_pred
// (row-major), or nil when every weight is 1: the sample weight broadcast to
// y_pred's shape, times the label weights broadcast along y_pred's trailing
// axes. Keras multiplies the two in their promoted dtype, which is float64
// on TensorFlow for float64 label weights, then casts to float32.
func confusionWeights(b backend.Backend, p tensor.Tensor, sw, lw *tensor.Tensor, multiLabel bool) ([]float64, error) {
	if sw == nil && (lw == nil || multiLabel) {
		return nil, nil
	}
	var ws, ls []float64
	if sw != nil {
		var err error
		if ws, err = broadcastData(*sw, p.Shape); err != nil {
			return nil, fmt.Errorf("sample_weight %v does not broadcast to y_pred %v: %w", sw.Shape, p.Shape, tensor.ErrShape)
		}
	}
	if lw != nil && !multiLabel {
		e := *lw
		e.Shape = append([]int{1}, lw.Shape...)
		bl, err := e.BroadcastTo(p.Shape)
		if err != nil {
			return nil, fmt.Errorf("label_weights %v do not broadcast to y_pred %v: %w", lw.Shape, p.Shape, tensor.ErrShape)
		}
		ls = bl.Data
	}
	if ls == nil {
		return ws, nil // read only
	}
	out := make([]float64, p.Size())
	switch {
	case ws == nil:
		for i, l := range ls {
			out[i] = fl32(l)
		}
	default:
		// NumPy and JAX narrow float64 label weights to float32 before
		// multiplying; half-precision ones promote to float32.
		wide := lw.DType == tensor.Float64 && b == backend.TensorFlow
		for i := range out {
			if wide {
				out[i] = fl32(ws[i] * ls[i])
			} else {
				out[i] = fl32(ws[i] * fl32(ls[i]))
			}
		}
	}
	return out, nil
}

// broadcastData returns t's values broadcast to shape, row-major. A
// weight that repeats along trailing axes (a scalar, (B,) against (B, C)
// after alignment) is expanded without walking every index.
func broadcastData(t tensor.Tensor, shape []int) ([]float64, error) {
	if slices.Equal(t.Shape, shape) {
		return t.Data, nil
	}
	if len(t.Data) == 1 && len(t.Shape) <= len(shape) {
		out := make([]float64, tensor.Size(shape))
		for i := range out {
			out[i] = t.Data[0]
		}
		return out, nil
	}
	// Leading dimensions equal, then only ones: each value repeats.
	k := len(t.Shape)
	for k > 0 && t.Shape[k-1] == 1 {
		k--
	}
	if len(t.Shape) == len(shape) && slices.Equal(t.Shape[:k], shape[:k]) {
		rep := tensor.Size(shape[k:])
		out := make([]float64, tensor.Size(shape))
		for i, v := range t.Data {
			for j := i * rep; j < (i+1)*rep; j++ {
				out[j] = v
			}
		}
		return out, nil
	}
	bt, err := t.BroadcastTo(shape)
	return bt.Data, err
}

// filterTopK is _filter_top_k: along the last axis, all but the k largest
// values become NEG_INF (x·0 - 1e10, so NaN and ±Inf become NaN). Ties and
// NaN follow ops.top_k in Keras 3.15: NumPy takes a reversed argsort (NaN
// largest, ties highest index first), JAX and TensorFlow keep the lowest
// index first; JAX ranks NaN largest; TensorFlow's k = 1 is tfTop1, while
// its heap for k > 1 has no consistent order with NaN (taken here as
// largest). NumPy also accepts k beyond the axis length (keeping
// everything) and negative k (dropping the |k| smallest); the others refuse.
func filterTopK(b backend.Backend, p tensor.Tensor, k int) (tensor.Tensor, error) {
	if p.Rank() == 0 {
		return tensor.Tensor{}, fmt.Errorf("%w: top_k needs y_pred with at least one dimension, got a scalar", tensor.ErrShape)
	}
	n := p.Shape[p.Rank()-1]
	keep := k
	if b == backend.NumPy && n == 0 {
		// ops.one_hot(indices, 0) takes 0 classes for "unknown" and looks
		// for the largest index in an empty array.
		return tensor.Tensor{}, fmt.Errorf("%w: top_k over an empty last axis (shape %v): zero-size array to reduction operation maximum",
			tensor.ErrShape, p.Shape)
	}
	if b == backend.NumPy {
		if keep < 0 {
			keep = max(n+keep, 0)
		}
		keep = min(keep, n)
	} else if k < 0 || k > n {
		return tensor.Tensor{}, fmt.Errorf("top_k=%d must lie in [0, %d], the size of y_pred's last axis (shape %v)", k, n, p.Shape)
	}
	out := tensor.Tensor{Shape: p.Shape, DType: p.DType, Data: make([]float64, len(p.Data))}
	if n == 0 {
		return out, nil
	}
	rows := len(p.Data) / n
	// before says whether element i of row comes before element j in
	// ops.top_k's order.
	before := func(row []float64, i, j int) bool {
		if c := cmpNaNLargest(row[i], row[j]); c != 0 {
			return c > 0
		}
		if b == backend.NumPy {
			return i > j
		}
		return i < j
	}
	parallel.Rows(rows, n, func(lo, hi int) {
		idx := make([]int, 0, n)
		kept := make([]bool, n)
		for r := lo; r < hi; r++ {
			row := p.Data[r*n : (r+1)*n]
			if b == backend.TensorFlow && keep == 1 {
				idx = append(idx[:0], tfTop1(row))
			} else {
				idx = topIndices(row, keep, idx[:0], before)
			}
			clear(kept)
			for _, i := range idx {
				kept[i] = true
			}
			dst := out.Data[r*n : (r+1)*n]
			for i, x := range row {
				if kept[i] {
					dst[i] = x // x·1 + (-1e10)·0
				} else {
					dst[i] = fl32(fl32(x*0) + negInf)
				}
			}
		}
	})
	return out, nil
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

// topIndices appends to idx the indices of the k first elements of row in
// the order before defines: by insertion for small k, by sorting otherwise.
func topIndices(row []float64, k int, idx []int, before func(row []float64, i, j int) bool) []int {
	if k == 0 {
		return idx
	}
	if k > 16 {
		for i := range row {
			idx = append(idx, i)
		}
		slices.SortFunc(idx, func(i, j int) int {
			if before(row, i, j) {
				return -1
			}
			if before(row, j, i) {
				return 1
			}
			return 0
		})
		return idx[:k]
	}
	for i := range row {
		if len(idx) == k && !before(row, i, idx[k-1]) {
			continue
		}
		if len(idx) < k {
			idx = append(idx, i)
		} else {
			idx[k-1] = i
		}
		for q := len(idx) - 1; q > 0 && before(row, idx[q], idx[q-1]); q-- {
			idx[q], idx[q-1] = idx[q-1], idx[q]
		}
	}
	return idx
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

// sliceClass is x[..., id, None]: an out-of-range id is an IndexError on
// NumPy and TensorFlow, while JAX clamps it into range.
func sliceClass(b backend.Backend, x tensor.Tensor, id int) (tensor.Tensor, error) {
	r := x.Rank()
	if r == 0 {
		return tensor.Tensor{}, fmt.Errorf("%w: class_id needs a class axis, got a scalar", tensor.ErrShape)
	}
	n := x.Shape[r-1]
	i := id
	if i < 0 {
		i += n
	}
	if b == backend.JAX && n > 0 {
		i = min(max(i, 0), n-1)
	} else if i < 0 || i >= n {
		return tensor.Tensor{}, fmt.Errorf("class_id %d is out of bounds for axis %d with size %d", id, r-1, n)
	}
	shape := slices.Clone(x.Shape)
	shape[r-1] = 1
	out := tensor.Tensor{Shape: shape, DType: x.DType, Data: make([]float64, len(x.Data)/n)}
	for k := range out.Data {
		out.Data[k] = x.Data[k*n+i]
	}
	return out, nil
}

// flushDenormals returns t with float32 subnormals replaced by signed zeros
// on TensorFlow and JAX, whose CPU kernels run with denormals flushed to
// zero (FTZ/DAZ): a prediction of 1e-45 is not above a threshold of 0 there,
// and falls in AUC's bucket of p = 0. NumPy keeps subnormals. t is returned
// as is when it holds none.
func flushDenormals(b backend.Backend, t tensor.Tensor) tensor.Tensor {
	if b == backend.NumPy {
		return t
	}
	const chunk = 1 << 16
	found := make([]bool, (len(t.Data)+chunk-1)/chunk)
	parallel.Rows(len(found), chunk, func(lo, hi int) {
		for q := lo; q < hi; q++ {
			found[q] = slices.ContainsFunc(t.Data[q*chunk:min((q+1)*chunk, len(t.Data))], isSubnormal32)
		}
	})
	if !slices.Contains(found, true) {
		return t
	}
	out := t
	out.Data = slices.Clone(t.Data)
	for i, x := range out.Data {
		if isSubnormal32(x) {
			out.Data[i] = math.Copysign(0, x)
		}
	}
	return out
}

// isSubnormal32 reports whether x, a float32 value, is subnormal.
func isSubnormal32(x float64) bool { return math.Abs(x) < 0x1p-126 && x != 0 }

// broadcastLen is the length two flat operands broadcast to, where one of
// unequal lengths holds a single value.
func broadcastLen(a, b int) int {
	if a == 1 {
		return b
	}
	return a
}

// isTrue is y_true cast to bool.
func isTrue(t float64) bool { return t != 0 }

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
	c.accumulate(reverseCumsum(b, segTrue), reverseCumsum(b, segFalse), totalTrue, totalFalse, 1, 0)
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
	// Keras sums the transposed (L, B) labels over B: a strided reduction
	// except on TensorFlow, which materialises the transpose.
	strided := b != backend.TensorFlow
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
			c.accumulate(reverseCumsum(b, segTrue), reverseCumsum(b, segFalse), totalTrue, totalFalse, L, l)
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
			switch {
			case v != v:
				if b == backend.JAX {
					ids[j] = 0
				} else {
					ids[j] = -1
				}
			case v < 0:
				ids[j] = -1
			default:
				ids[j] = int32(v)
			}
		}
	})
	return ids
}

// reverseCumsum is flip(cumsum(flip(x))) in float32. NumPy and TensorFlow
// scan sequentially; XLA on CPU rewrites JAX's cumsum into a tree of scans
// over blocks of 16 (xla/hlo/transforms/simplifiers/reduce_window_rewriter).
func reverseCumsum(b backend.Backend, x []float64) []float64 {
	f := slices.Clone(x)
	slices.Reverse(f)
	if b == backend.JAX {
		f = xlaCumsum(f, 16)
	} else {
		s := 0.0
		for i, v := range f {
			s = fl32(s + v)
			f[i] = s
		}
	}
	slices.Reverse(f)
	return f
}

// xlaCumsum is XLA's tree-structured inclusive scan: pad to a multiple of
// base, scan each block sequentially, scan the block totals (recursively,
// exclusive) and add each block's offset to its elements.
func xlaCumsum(x []float64, base int) []float64 {
	n := len(x)
	out := make([]float64, n)
	if n <= base {
		s := 0.0
		for i, v := range x {
			s = fl32(s + v)
			out[i] = s
		}
		return out
	}
	blocks := (n + base - 1) / base
	totals := make([]float64, blocks)
	for k := range blocks {
		s := 0.0
		for i := k * base; i < min((k+1)*base, n); i++ {
			s = fl32(s + x[i])
			out[i] = s
		}
		totals[k] = s
	}
	incl := xlaCumsum(totals, base)
	for k := 1; k < blocks; k++ {
		for i := k * base; i < min((k+1)*base, n); i++ {
			out[i] = fl32(out[i] + incl[k-1])
		}
	}
	return out
}

// compare is the general update over flattened y_true and y_pred (one of
// them may hold a single value, broadcast): each prediction against each
// float32 threshold. Unweighted counts are exact; weighted ones are the
// backend's float32 sum of where(condition, w, 0) over all elements.
func (c *counts) compare(b backend.Backend, t, p, w, thr []float64) {
	n := broadcastLen(len(t), len(p))
	vars := [4][]float64{c.tp, c.fp, c.tn, c.fn}
	if w == nil && len(t) == n && len(p) == n {
		for i, th := range thr {
			cnt := countConditions(t, p, th)
			for k, v := range vars {
				if v != nil {
					v[i] = fl32(v[i] + fl32(float64(cnt[k])))
				}
			}
		}
		return
	}
	at := func(xs []float64, j int) float64 {
		if len(xs) == 1 {
			return xs[0]
		}
		return xs[j]
	}
	var buf [4][]float64
	for k, v := range vars {
		if v != nil && w != nil {
			buf[k] = make([]float64, n)
		}
	}
	for i, th := range thr {
		var cnt [4]int
		parallel.Rows(n, 1, func(lo, hi int) {
			for j := lo; j < hi; j++ {
				k := condition(isTrue(at(t, j)), at(p, j) > th)
				for q, bq := range buf {
					if bq == nil {
						continue
					}
					if q == k {
						bq[j] = at(w, j)
					} else {
						bq[j] = 0
					}
				}
			}
		})
		if w == nil {
			for j := range n {
				cnt[condition(isTrue(at(t, j)), at(p, j) > th)]++
			}
		}
		for k, v := range vars {
			if v == nil {
				continue
			}
			s := fl32(float64(cnt[k]))
			if w != nil {
				s = b.Sum(confusionDType, buf[k], false)
			}
			v[i] = fl32(v[i] + s)
		}
	}
}

// The conditions, indexing counts' variables in compare: tp, fp, tn, fn.
func condition(label, pos bool) int { return conditionOf[b2i(label)<<1|b2i(pos)] }

// conditionOf maps label<<1 | positive to the condition.
var conditionOf = [4]int{2, 1, 3, 0}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// countConditions counts tp, fp, tn, fn of equal-length y_true and y_pred
// at one threshold, over row chunks in parallel (counts add exactly).
func countConditions(t, p []float64, th float64) [4]int {
	const chunk = 1 << 15
	parts := make([][4]int, (len(p)+chunk-1)/chunk)
	parallel.Rows(len(parts), chunk, func(lo, hi int) {
		for q := lo; q < hi; q++ {
			var c [4]int
			for j := q * chunk; j < min((q+1)*chunk, len(p)); j++ {
				c[condition(isTrue(t[j]), p[j] > th)]++
			}
			parts[q] = c
		}
	})
	var total [4]int
	for _, c := range parts {
		for k := range total {
			total[k] += c[k]
		}
	}
	return total
}

// compareMultiLabel is the general update of a multi-label AUC: (B, L)
// inputs, sums over the batch axis (a strided reduction on every backend).
func (c *counts) compareMultiLabel(b backend.Backend, t, p, w, thr []float64, L int) {
	rows := len(p) / max(L, 1)
	col := make([]float64, rows)
	vars := [4][]float64{c.tp, c.fp, c.tn, c.fn}
	for i, th := range thr {
		for l := range L {
			for k, v := range vars {
				if v == nil {
					continue
				}
				cnt := 0
				for r := range rows {
					j := r*L + l
					col[r] = 0
					if condition(isTrue(t[j]), p[j] > th) == k {
						cnt++
						if w != nil {
							col[r] = w[j]
						}
					}
				}
				s := fl32(float64(cnt))
				if w != nil {
					s = b.Sum(confusionDType, col, true)
				}
				v[i*L+l] = fl32(v[i*L+l] + s)
			}
		}
	}
}

// evenlyDistributed is is_evenly_distributed_thresholds: at least three
// thresholds, allclose (atol 1e-7, rtol 1e-5) to arange(T)/(T-1) in float32.
func evenlyDistributed(thr []float64) bool {
	n := len(thr)
	if n < 3 {
		return false
	}
	for i, t := range thr {
		e := fl32(float64(i) / float64(n-1))
		if !(math.Abs(t-e) <= 1e-7+1e-5*math.Abs(e)) {
			return false
		}
	}
	return true
}

// divNoNaN32 is ops.divide_no_nan in float32.
func divNoNaN32(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return fl32(a / b)
}

// parseThresholds is parse_init_thresholds: nil gives [def]; every given
// threshold must lie in [0, 1].
func parseThresholds(thresholds []float64, def float64) ([]float64, error) {
	if thresholds == nil {
		return []float64{def}, nil
	}
	var bad []float64
	for _, t := range thresholds {
		if t < 0 || t > 1 { // as Python compares: NaN passes
			bad = append(bad, t)
		}
	}
	if bad != nil {
		return nil, fmt.Errorf("threshold values must be in [0, 1], got %v", bad)
	}
	return slices.Clone(thresholds), nil
}

// bindThresholds reads a thresholds argument: None, a number or a list of
// numbers; nil means None.
func bindThresholds(d *kwargs.Decoder) []float64 {
	v, ok := d.Raw("thresholds")
	if !ok || v == nil {
		return nil
	}
	var one float64
	var list []float64
	d.FloatOrList("thresholds", &one, &list)
	if list == nil {
		if _, isList := v.([]any); isList {
			return []float64{} // an empty list
		}
		return []float64{one}
	}
	return list
}

// vectorResult is a confusion metric's result: the value per threshold, a
// scalar when there is one threshold.
func vectorResult(v []float64) tensor.Tensor {
	if len(v) == 1 {
		return tensor.Scalar(confusionDType, v[0])
	}
	return tensor.Tensor{Shape: []int{len(v)}, DType: confusionDType, Data: slices.Clone(v)}
}

// thresholded is what the metrics with a thresholds argument share.
type thresholded struct {
	state
	thresholds []float64
	evenly     bool
	acc        counts
}

func newThresholded(name string, thresholds []float64, def float64, tp, fp, tn, fn bool) (thresholded, error) {
	thr, err := parseThresholds(thresholds, def)
	if err != nil {
		return thresholded{}, fmt.Errorf("%s: %w", name, err)
	}
	return thresholded{
		state:      state{Name: name},
		thresholds: thr,
		evenly:     evenlyDistributed(thr),
		acc:        newCounts(len(thr), tp, fp, tn, fn),
	}, nil
}

// Thresholds returns the thresholds the metric counts at.
func (m *thresholded) Thresholds() []float64 { return slices.Clone(m.thresholds) }

func (m *thresholded) update(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor, topK, classID *int) error {
	if err := m.check(); err != nil {
		return err
	}
	u := confusionUpdate{thresholds: m.thresholds, evenly: m.evenly, topK: topK, classID: classID}
	if err := m.acc.update(m.Backend, yTrue, yPred, sampleWeight, &u); err != nil {
		return fmt.Errorf("%s: %w", m.Name, err)
	}
	return nil
}

// ResetState zeroes the counts.
func (m *thresholded) ResetState() { m.acc.reset() }

// conditionCount is _ConfusionMatrixConditionCount: the weighted count of
// one cell of the confusion matrix per threshold.
type conditionCount struct{ thresholded }

func newConditionCount(name string, thresholds []float64, cell int) (conditionCount, error) {
	t, err := newThresholded(name, thresholds, 0.5, cell == 0, cell == 1, cell == 2, cell == 3)
	return conditionCount{thresholded: t}, err
}

func (m *conditionCount) values() []float64 {
	for _, v := range [][]float64{m.acc.tp, m.acc.fp, m.acc.tn, m.acc.fn} {
		if v != nil {
			return v
		}
	}
	return nil
}

// UpdateState adds the batch's weighted count at each threshold.
func (m *conditionCount) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.update(yTrue, yPred, sampleWeight, nil, nil)
}

// Result returns the counts, a scalar for one threshold.
func (m *conditionCount) Result() tensor.Tensor { return vectorResult(m.values()) }

// TruePositives is keras.metrics.TruePositives: the weighted number of
// positive labels (y_true != 0) predicted positive (y_pred > threshold).
type TruePositives struct{ conditionCount }

// FalsePositives is keras.metrics.FalsePositives.
type FalsePositives struct{ conditionCount }

// TrueNegatives is keras.metrics.TrueNegatives.
type TrueNegatives struct{ conditionCount }

// FalseNegatives is keras.metrics.FalseNegatives.
type FalseNegatives struct{ conditionCount }

// NewTruePositives returns the metric counting at thresholds (nil: Keras's
// default, 0.5). Thresholds outside [0, 1] are refused, as Keras refuses them.
func NewTruePositives(thresholds []float64) (*TruePositives, error) {
	c, err := newConditionCount("true_positives", thresholds, 0)
	return &TruePositives{c}, err
}

// NewFalsePositives is NewTruePositives for false positives.
func NewFalsePositives(thresholds []float64) (*FalsePositives, error) {
	c, err := newConditionCount("false_positives", thresholds, 1)
	return &FalsePositives{c}, err
}

// NewTrueNegatives is NewTruePositives for true negatives.
func NewTrueNegatives(thresholds []float64) (*TrueNegatives, error) {
	c, err := newConditionCount("true_negatives", thresholds, 2)
	return &TrueNegatives{c}, err
}

// NewFalseNegatives is NewTruePositives for false negatives.
func NewFalseNegatives(thresholds []float64) (*FalseNegatives, error) {
	c, err := newConditionCount("false_negatives", thresholds, 3)
	return &FalseNegatives{c}, err
}

// precisionRecall is what Precision and Recall share: thresholds (NEG_INF
// by default when top_k is set), top_k and class_id.
type precisionRecall struct {
	thresholded
	topK, classID *int
	recall        bool
}

func newPrecisionRecall(name string, thresholds []float64, topK, classID *int, recall bool) (precisionRecall, error) {
	def := 0.5
	if topK != nil {
		def = negInf
	}
	t, err := newThresholded(name, thresholds, def, true, !recall, false, recall)
	return precisionRecall{t, clonePtr(topK), clonePtr(classID), recall}, err
}

func clonePtr(p *int) *int {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// UpdateState adds the batch's true positives and false positives (or
// false negatives, for Recall).
func (m *precisionRecall) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.update(yTrue, yPred, sampleWeight, m.topK, m.classID)
}

// Result returns divide_no_nan(TP, TP + FP) (Recall: TP + FN) per
// threshold, a scalar for one threshold.
func (m *precisionRecall) Result() tensor.Tensor {
	other := m.acc.fp
	if m.recall {
		other = m.acc.fn
	}
	out := make([]float64, len(m.acc.tp))
	for i, tp := range m.acc.tp {
		out[i] = divNoNaN32(tp, fl32(tp+other[i]))
	}
	return vectorResult(out)
}

// Precision is keras.metrics.Precision: TP / (TP + FP) at each threshold,
// optionally over the top_k predictions of each row and for one class_id.
type Precision struct{ precisionRecall }

// Recall is keras.metrics.Recall: TP / (TP + FN).
type Recall struct{ precisionRecall }

// NewPrecision returns the metric with the given thresholds (nil: 0.5, or
// NEG_INF when topK is set), top_k and class_id (nil: None).
func NewPrecision(thresholds []float64, topK, classID *int) (*Precision, error) {
	p, err := newPrecisionRecall("precision", thresholds, topK, classID, false)
	return &Precision{p}, err
}

// NewRecall is NewPrecision for recall.
func NewRecall(thresholds []float64, topK, classID *int) (*Recall, error) {
	p, err := newPrecisionRecall("recall", thresholds, topK, classID, true)
	return &Recall{p}, err
}

func init() {
	cells := []struct {
		class, name string
		cell        int
	}{
		{"TruePositives", "true_positives", 0},
		{"FalsePositives", "false_positives", 1},
		{"TrueNegatives", "true_negatives", 2},
		{"FalseNegatives", "false_negatives", 3},
	}
	for _, c := range cells {
		register(c.class, class{
			args: []arg{{"thresholds", nil}, {"name", nil}, {"dtype", nil}},
			name: c.name,
			build: func(d *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
				m, err := newConditionCount(c.name, bindThresholds(d), c.cell)
				if err != nil {
					return nil, err
				}
				m.state = base
				switch c.cell {
				case 0:
					return &TruePositives{m}, nil
				case 1:
					return &FalsePositives{m}, nil
				case 2:
					return &TrueNegatives{m}, nil
				}
				return &FalseNegatives{m}, nil
			},
		})
	}
	for _, recall := range []bool{false, true} {
		cls, name := "Precision", "precision"
		if recall {
			cls, name = "Recall", "recall"
		}
		register(cls, class{
			args: []arg{{"thresholds", nil}, {"top_k", nil}, {"class_id", nil}, {"name", nil}, {"dtype", nil}},
			name: name,
			build: func(d *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
				thr := bindThresholds(d)
				var topK, classID *int
				d.OptionalInt("top_k", &topK)
				d.OptionalInt("class_id", &classID)
				m, err := newPrecisionRecall(name, thr, topK, classID, recall)
				if err != nil {
					return nil, err
				}
				m.state = base
				if recall {
					return &Recall{m}, nil
				}
				return &Precision{m}, nil
			},
		})
	}
}
