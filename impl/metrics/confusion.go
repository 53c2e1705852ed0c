package metrics

import (
	"fmt"
	"slices"

	"github.com/kerasparity/kerasparity/impl/backend"
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
	t, p := b.FlushDenormals(yTrue.Cast(d)), b.FlushDenormals(yPred.Cast(d))
	t.Mask, p.Mask = nil, nil
	p, t = tensor.SqueezeOrExpandToSameRank(p, t, true)
	var w *tensor.Tensor
	if sampleWeight != nil {
		if err := sampleWeight.Validate(); err != nil {
			return fmt.Errorf("sample_weight: %w", err)
		}
		sw := b.FlushDenormals(sampleWeight.Cast(d))
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
		wide := b.Implicit(lw.DType) == tensor.Float64
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
// values become NEG_INF (x·0 - 1e10, so NaN and ±Inf become NaN). Which
// values are the k largest, and which k the backend accepts, is ops.top_k's
// business: backend.TopK and backend.TopKCount.
func filterTopK(b backend.Backend, p tensor.Tensor, k int) (tensor.Tensor, error) {
	if p.Rank() == 0 {
		return tensor.Tensor{}, fmt.Errorf("%w: top_k needs y_pred with at least one dimension, got a scalar", tensor.ErrShape)
	}
	n := p.Shape[p.Rank()-1]
	if b == backend.NumPy && n == 0 { // keras/src/backend/numpy/nn.py: one_hot
		// ops.one_hot(indices, 0) takes 0 classes for "unknown" and looks
		// for the largest index in an empty array.
		return tensor.Tensor{}, fmt.Errorf("%w: top_k over an empty last axis (shape %v): zero-size array to reduction operation maximum",
			tensor.ErrShape, p.Shape)
	}
	keep, ok := b.TopKCount(k, n)
	if !ok {
		return tensor.Tensor{}, fmt.Errorf("top_k=%d must lie in [0, %d], the size of y_pred's last axis (shape %v)", k, n, p.Shape)
	}
	out := tensor.Tensor{Shape: p.Shape, DType: p.DType, Data: make([]float64, len(p.Data))}
	if n == 0 {
		return out, nil
	}
	rows := len(p.Data) / n
	parallel.Rows(rows, n, func(lo, hi int) {
		idx := make([]int, 0, n)
		kept := make([]bool, n)
		for r := lo; r < hi; r++ {
			row := p.Data[r*n : (r+1)*n]
			idx = b.TopK(row, keep, idx[:0])
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

// sliceClass is x[..., id, None]: an out-of-range id is an IndexError on
// NumPy and TensorFlow, while JAX clamps it into range.
func sliceClass(b backend.Backend, x tensor.Tensor, id int) (tensor.Tensor, error) {
	r := x.Rank()
	if r == 0 {
		return tensor.Tensor{}, fmt.Errorf("%w: class_id needs a class axis, got a scalar", tensor.ErrShape)
	}
	n := x.Shape[r-1]
	i, ok := b.Index(id, n)
	if !ok {
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
