package metrics

import (
	"fmt"
	"math"
	"slices"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/kwargs"
	"github.com/kerasparity/kerasparity/impl/internal/parallel"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// FBetaScore and F1Score (keras/src/metrics/f_score_metrics.py), as Keras
// 3.15.1 computes them.

// buildFBeta builds FBetaScore, or F1Score (no beta) if withBeta is unset.
// Average "" and a nil Threshold are None.
func buildFBeta(d *kwargs.Decoder, base state, withBeta bool) (Metric, error) {
	m := NewFBetaScore()
	m.state = base
	d.Record("average", nil)
	if v, ok := d.Raw("average"); ok && v != nil {
		s, isStr := v.(string)
		if !isStr {
			return nil, fmt.Errorf("invalid average %v: expected one of None, micro, macro, weighted", v)
		}
		m.Average = s
	}
	if withBeta {
		d.Record("beta", m.Beta)
		if v, ok := d.Raw("beta"); ok {
			// Keras wants a Python float; JSON cannot tell 2 from 2.0, so
			// any number is taken.
			b, isNum := v.(float64)
			if !isNum {
				return nil, fmt.Errorf("invalid beta %v (%T): it should be a Python float", v, v)
			}
			m.Beta = b
		}
	}
	d.Record("threshold", nil)
	if v, ok := d.Raw("threshold"); ok && v != nil {
		t, isNum := v.(float64)
		if !isNum {
			return nil, fmt.Errorf("invalid threshold %v (%T): it should be a Python float", v, v)
		}
		m.Threshold = &t
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// FBetaScore is keras.metrics.FBetaScore (F1Score is the same with Beta 1).
//
// Inputs are converted to the metric dtype and must be 2-D (batch, classes).
// Predictions are binarised: with Threshold, p > Threshold (the threshold
// rounded to the metric dtype); without, p >= the row's maximum and
// |p| > 1e-9 (ties give several positives, a NaN in the row none). Per
// class (one scalar for "micro") it accumulates weighted true positives,
// false positives, false negatives and y_true. The result adds epsilon to
// every denominator, so a perfect score is 0.9999998.
//
// Keras 3.15.1 expands the sample weight on axis 1: a rank-1 (batch,)
// weight works, a scalar one is refused, and a (batch, 1) weight is refused
// except with "micro" average (where it scales every count alike).
type FBetaScore struct {
	Average   string   // "" (Keras's None: per class), "micro", "macro" or "weighted"
	Beta      float64  // > 0
	Threshold *float64 // nil: the row's maximum; else in (0, 1]
	state

	built          bool
	classes        int
	tp, fp, fn, iw []float64 // per class, or one value for micro
}

// NewFBetaScore returns the metric with Keras's defaults.
func NewFBetaScore() *FBetaScore { return &FBetaScore{Beta: 1, state: state{Name: "fbeta_score"}} }

// NewF1Score returns keras.metrics.F1Score with Keras's defaults.
func NewF1Score() *FBetaScore { return &FBetaScore{Beta: 1, state: state{Name: "f1_score"}} }

// validate is the constructor's argument check.
func (m *FBetaScore) validate() error {
	switch m.Average {
	case "", "micro", "macro", "weighted":
	default:
		return fmt.Errorf("invalid average %q: expected one of None, micro, macro, weighted", m.Average)
	}
	if !(m.Beta > 0) {
		return fmt.Errorf("invalid beta %v: it should be > 0", m.Beta)
	}
	if t := m.Threshold; t != nil && !(*t > 0 && *t <= 1) {
		return fmt.Errorf("invalid threshold %v: it should verify 0 < threshold <= 1", *t)
	}
	return nil
}

// UpdateState accumulates the counts of a batch.
func (m *FBetaScore) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	if err := m.checkUpdate(m.validate, yTrue, yPred); err != nil {
		return err
	}
	d := m.dtype()
	kd := m.Backend.Implicit(d) // the dtype of ops.* results
	t, p := yTrue.Cast(d), yPred.Cast(d)
	if !m.built {
		if t.Rank() != 2 || p.Rank() != 2 {
			return fmt.Errorf("%s: %w: FBetaScore expects 2D inputs with shape (batch_size, output_dim), got y_pred %v and y_true %v",
				m.Name, tensor.ErrShape, p.Shape, t.Shape)
		}
		m.classes = p.Shape[1]
		n := m.classes
		if m.Average == "micro" {
			n = 1
		}
		m.tp, m.fp, m.fn, m.iw = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		m.built = true
	}
	if _, err := tensor.BroadcastShapes(t.Shape, p.Shape); err != nil {
		return fmt.Errorf("%s: %w", m.Name, err)
	}
	if p.Rank() == 0 {
		return fmt.Errorf("%s: %w: y_pred is a scalar", m.Name, tensor.ErrShape)
	}
	var w *tensor.Tensor
	if sampleWeight != nil {
		if err := sampleWeight.Validate(); err != nil {
			return fmt.Errorf("%s: sample_weight: %w", m.Name, err)
		}
		if sampleWeight.Rank() == 0 {
			return fmt.Errorf("%s: %w: sample_weight: axis 1 is out of bounds for an array of dimension 1 (Keras 3.15 expands a scalar weight on axis 1)",
				m.Name, tensor.ErrShape)
		}
		sw := sampleWeight.Cast(d)
		sw.Shape = slices.Insert(slices.Clone(sw.Shape), 1, 1) // expand_dims(w, 1)
		w = &sw
	}
	pos, err := m.positives(d, p)
	if err != nil {
		return err
	}
	var sums [4][]float64
	if t.Rank() == 2 && slices.Equal(t.Shape, p.Shape) && (w == nil || slices.Equal(w.Shape, []int{t.Shape[0], 1})) {
		sums, err = m.sumsRowwise(d, kd, t, pos, w)
	} else {
		sums, err = m.sumsBroadcast(d, kd, t, p, pos, w)
	}
	if err != nil {
		return err
	}
	for i, dst := range [][]float64{m.tp, m.fp, m.fn, m.iw} {
		for k := range dst {
			dst[k] = d.Round(kd.Round(dst[k] + sums[i][k%len(sums[i])]))
		}
	}
	return nil
}

// stats are the four weighted products of one element, in Keras's order of
// operations: p̂·t, p̂·(1 − t), (1 − p̂)·t and t, each times the weight
// (an ops.multiply, in kd) if there is one.
func stats(d, kd tensor.DType, pos, t float64, w *float64) [4]float64 {
	v := [4]float64{d.Round(pos * t), d.Round(pos * d.Round(1-t)), d.Round(d.Round(1-pos) * t), t}
	if w != nil {
		for i := range v {
			v[i] = kd.Round(v[i] * *w)
		}
	}
	return v
}

// sumsRowwise sums the products of (batch, classes) inputs weighed by row
// (or not at all) in one pass, without storing them unless the average is
// micro (a sum over everything, in the backend's order).
func (m *FBetaScore) sumsRowwise(d, kd tensor.DType, t tensor.Tensor, pos func(int) float64, w *tensor.Tensor) ([4][]float64, error) {
	var out [4][]float64
	vd := d
	if w != nil {
		vd = kd
	}
	rows, cols := t.Shape[0], t.Shape[1]
	if m.Average == "micro" {
		var all [4][]float64
		for i := range all {
			all[i] = make([]float64, len(t.Data))
		}
		for i, tv := range t.Data {
			var wr *float64
			if w != nil {
				wr = &w.Data[i/cols]
			}
			v := stats(d, kd, pos(i), tv, wr)
			for s := range all {
				all[s][i] = v[s]
			}
		}
		for s := range out {
			out[s] = []float64{m.Backend.Sum(vd, all[s], false)}
		}
		return out, nil
	}
	if cols != len(m.tp) && cols != 1 {
		return out, fmt.Errorf("%s: %w: the per-class sums have shape [%d], the state has shape [%d]", m.Name, tensor.ErrShape, cols, len(m.tp))
	}
	var acc [4]*backend.ColumnSums
	for s := range acc {
		acc[s] = m.Backend.NewColumnSums(vd, cols)
	}
	// Columns are independent: split them over goroutines.
	parallel.Rows(cols, rows, func(lo, hi int) {
		for r := range rows {
			var wr *float64
			if w != nil {
				wr = &w.Data[r]
			}
			for k := lo; k < hi; k++ {
				i := r*cols + k
				v := stats(d, kd, pos(i), t.Data[i], wr)
				for s := range acc {
					acc[s].Add(k, v[s])
				}
			}
		}
	})
	for s := range out {
		out[s] = acc[s].Sums()
	}
	return out, nil
}

// sumsBroadcast sums the products for any shapes Keras broadcasts: y_true
// against the binarised predictions, then against the weight expanded on
// axis 1 (which can add an axis: a (batch, 1) weight gives a (batch, batch,
// classes) product).
func (m *FBetaScore) sumsBroadcast(d, kd tensor.DType, t, p tensor.Tensor, posAt func(int) float64, w *tensor.Tensor) ([4][]float64, error) {
	var out [4][]float64
	pos := tensor.Tensor{Shape: p.Shape, DType: d, Data: make([]float64, len(p.Data))}
	for i := range pos.Data {
		pos.Data[i] = posAt(i)
	}
	one := func(x float64) float64 { return d.Round(1 - x) }
	factors := [4][2]tensor.Tensor{{pos, t}, {pos, mapValues(t, one)}, {mapValues(pos, one), t}, {t, {}}}
	for i, f := range factors {
		val := f[0]
		var err error
		if f[1].Data != nil {
			if val, err = tensor.Map2(f[0], f[1], d, mul); err != nil {
				return out, fmt.Errorf("%s: %w", m.Name, err)
			}
		}
		vd := d
		if w != nil {
			if val, err = tensor.Map2(val, *w, kd, mul); err != nil {
				return out, fmt.Errorf("%s: sample_weight: %w", m.Name, err)
			}
			vd = kd
		}
		if out[i], err = m.reduce(vd, val, len(m.tp)); err != nil {
			return out, err
		}
	}
	return out, nil
}

func mul(a, b float64) float64 { return a * b }

// positives binarises predictions: it returns pos(i), 1 if element i of p
// is a positive, else 0. Without a threshold it takes the maximum of each
// row, which TensorFlow's ops.max refuses for an empty tensor and NumPy and
// JAX for rows of no element.
func (m *FBetaScore) positives(d tensor.DType, p tensor.Tensor) (func(i int) float64, error) {
	if m.Threshold != nil {
		thr := m.Backend.WithPythonFloat(d).Round(*m.Threshold) // a Python float meets a d tensor
		return func(i int) float64 {
			if p.Data[i] > thr {
				return 1
			}
			return 0
		}, nil
	}
	c := p.Shape[p.Rank()-1]
	rows := tensor.Size(p.Shape[:p.Rank()-1])
	if (m.Backend == backend.TensorFlow && p.Size() == 0) || (c == 0 && rows > 0) { // keras/src/backend/tensorflow/numpy.py: max: tf.assert_greater(size(x), 0) refuses an empty tensor
		return nil, fmt.Errorf("%s: %w: cannot compute the max of y_pred of shape %v", m.Name, tensor.ErrShape, p.Shape)
	}
	top := make([]float64, rows) // ops.max(y_pred, axis=-1): NaN propagates
	for r := range top {
		top[r] = math.Inf(-1)
		for _, v := range p.Data[r*c : (r+1)*c] {
			if v > top[r] || v != v {
				top[r] = v
				if v != v {
					break
				}
			}
		}
	}
	kd := m.Backend.Implicit(d)
	floor := tensor.Float32.Round(1e-9) // ops.abs(y_pred) > 1e-9: a float32 constant
	return func(i int) float64 {
		if v := p.Data[i]; v >= top[i/c] && kd.Round(math.Abs(v)) > floor {
			return 1
		}
		return 0
	}, nil
}

// reduce sums val over axis 0 (or over everything for micro) and checks
// that the result can be added to a state of n values, as the variable's
// assign requires.
func (m *FBetaScore) reduce(d tensor.DType, val tensor.Tensor, n int) ([]float64, error) {
	if m.Average == "micro" {
		return []float64{m.Backend.Sum(d, val.Data, false)}, nil
	}
	if val.Rank() != 2 || (val.Shape[1] != n && val.Shape[1] != 1) {
		return nil, fmt.Errorf("%s: %w: the per-class sums have shape %v, the state has shape [%d]",
			m.Name, tensor.ErrShape, val.Shape[1:], n)
	}
	return columnSums(m.Backend, d, val), nil
}

// columnSums is ops.sum(x, axis=0) for a 2-D tensor.
func columnSums(b backend.Backend, d tensor.DType, x tensor.Tensor) []float64 {
	rows, cols := x.Shape[0], x.Shape[1]
	acc := b.NewColumnSums(d, cols)
	for r := range rows {
		acc.AddRow(x.Data[r*cols : (r+1)*cols])
	}
	return acc.Sums()
}

// Result returns the F-beta score: per class for average None, else one
// value (NaN before any update). Each Keras op rounds to the dtype its
// result has on the backend: ops.add and ops.divide narrow float64 on
// NumPy and JAX; an op between a bfloat16 NumPy array and a Python float
// (ε, β²) gives float32; JAX divides a vector of several elements by a
// scalar as a product with the scalar's reciprocal (which overflows
// float16 for a tiny divisor: 0 · Inf = NaN).
func (m *FBetaScore) Result() tensor.Tensor {
	b := m.Backend
	d := m.dtype()
	kd := b.Implicit(d)
	py := func(x tensor.DType) tensor.DType { return b.WithPythonFloat(x) }
	div := func(x, y tensor.DType) tensor.DType { return b.Implicit(tensor.PromoteFloat(x, y)) }
	eps := tensor.Epsilon
	n := len(m.tp)
	b2 := m.Beta * m.Beta
	denD := py(kd)      // TP + FP (ops.add) + ε
	pd := div(kd, denD) // precision, recall
	ad := py(d)         // β²·precision + recall
	md := div(d, ad)    // ops.divide(precision·recall, add + ε)
	fd := py(md)        // mean · (1 + β²)
	f := make([]float64, n)
	for k := range n {
		tp := kd.Round(m.tp[k])
		prec := d.Round(pd.Round(tp / denD.Round(kd.Round(tp+kd.Round(m.fp[k]))+eps)))
		rec := d.Round(pd.Round(tp / denD.Round(kd.Round(tp+kd.Round(m.fn[k]))+eps)))
		mulv := d.Round(prec * rec)
		add := ad.Round(ad.Round(ad.Round(b2)*prec) + rec)
		mean := md.Round(md.Round(mulv) / md.Round(ad.Round(add+eps)))
		f[k] = fd.Round(mean * fd.Round(1+b2))
	}
	switch m.Average {
	case "weighted":
		// ops.divide(iw, ops.sum(iw) + ε), then ops.sum(f1 · weights).
		total := py(d).Round(b.Sum(d, m.iw, false) + eps)
		wd := div(kd, py(d))
		pr := tensor.PromoteFloat(fd, wd)
		prod := make([]float64, n)
		for k := range n {
			w := b.DivideBroadcast(wd, wd.Round(m.iw[k]), wd.Round(total), n > 1)
			prod[k] = pr.Round(f[k] * w)
		}
		return tensor.Scalar(pr, b.Sum(pr, prod, false))
	case "micro", "macro":
		if n == 0 {
			return tensor.Scalar(b.Implicit(fd), math.NaN())
		}
		return tensor.Scalar(b.Implicit(fd), b.Mean(b.Implicit(fd), f, false))
	}
	return tensor.Tensor{Shape: []int{n}, DType: fd, Data: f}
}

// ResetState zeroes the counts; the number of classes stays.
func (m *FBetaScore) ResetState() {
	for _, s := range [][]float64{m.tp, m.fp, m.fn, m.iw} {
		clear(s)
	}
}
