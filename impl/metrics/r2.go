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

// buildR2 binds R2Score's arguments onto NewR2Score's.
func buildR2(d *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
	m := NewR2Score()
	m.state = base
	d.Record("class_aggregation", m.ClassAggregation)
	if v, ok := d.Raw("class_aggregation"); ok {
		s, isStr := v.(string)
		if v != nil && !isStr {
			return nil, fmt.Errorf("invalid class_aggregation %v: expected one of None, uniform_average, variance_weighted_average", v)
		}
		m.ClassAggregation = s
	}
	d.Float("num_regressors", &m.NumRegressors)
	if err := m.validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// R2Score is keras.metrics.R2Score, the coefficient of determination, as
// Keras 3.15.1 computes it.
//
// Inputs are converted to the metric dtype, ranks aligned, and must be 2-D
// (batch, outputs). A sample weight of rank 1 weighs rows; any other is
// broadcast to y_true's shape. Per output it accumulates Σw·t, Σt·(w·t),
// Σw·(t−p)² and Σw, in float32 whatever the metric dtype (Keras creates the
// state variables without a dtype), and it counts the elements of y_true
// (num_samples, used by the adjusted score; Keras 3.16 counts the rows with
// a non-zero weight instead).
type R2Score struct {
	ClassAggregation string  // "uniform_average" (Keras's default), "variance_weighted_average" or "" (Keras's None: per output)
	NumRegressors    float64 // >= 0; non-zero gives the adjusted R²
	state

	built                            bool
	sum, squaredSum, residual, count []float64
	numSamples                       float64
}

// NewR2Score returns the metric with Keras's defaults.
func NewR2Score() *R2Score {
	return &R2Score{ClassAggregation: "uniform_average", state: state{Name: "r2_score"}}
}

func (m *R2Score) validate() error {
	switch m.ClassAggregation {
	case "", "uniform_average", "variance_weighted_average":
	default:
		return fmt.Errorf("invalid class_aggregation %q: expected one of None, uniform_average, variance_weighted_average", m.ClassAggregation)
	}
	if m.NumRegressors < 0 || m.NumRegressors != m.NumRegressors {
		return fmt.Errorf("invalid num_regressors %v: expected a value >= 0", m.NumRegressors)
	}
	return nil
}

// UpdateState accumulates the sums of a batch.
func (m *R2Score) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	if err := m.checkUpdate(m.validate, yTrue, yPred); err != nil {
		return err
	}
	d := m.dtype()
	// variable + sum is an ops.add between a float32 variable and a d
	// tensor: float32 unless d is float64 (kept on TensorFlow only).
	ad := tensor.Float32
	if d == tensor.Float64 {
		ad = m.Backend.Implicit(d)
	}
	t, p := tensor.SqueezeOrExpandToSameRank(yTrue.Cast(d), yPred.Cast(d), true)
	if !m.built {
		if t.Rank() != 2 || p.Rank() != 2 {
			return fmt.Errorf("%s: %w: R2Score expects 2D inputs with shape (batch_size, output_dim), got y_pred %v and y_true %v",
				m.Name, tensor.ErrShape, p.Shape, t.Shape)
		}
		k := p.Shape[1]
		m.sum, m.squaredSum, m.residual, m.count = make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
		m.built = true
	}
	if t.Rank() != 2 || p.Rank() != 2 {
		return fmt.Errorf("%s: %w: R2Score expects 2D inputs, got y_pred %v and y_true %v", m.Name, tensor.ErrShape, p.Shape, t.Shape)
	}
	w := tensor.Scalar(d, 1)
	if sampleWeight != nil {
		if err := sampleWeight.Validate(); err != nil {
			return fmt.Errorf("%s: sample_weight: %w", m.Name, err)
		}
		w = sampleWeight.Cast(d)
		if w.Rank() == 1 {
			w.Shape = []int{w.Shape[0], 1}
		}
	}
	if _, err := tensor.BroadcastShapes(t.Shape, p.Shape); err != nil {
		return fmt.Errorf("%s: %w", m.Name, err)
	}
	var sums [4][]float64
	var err error
	if slices.Equal(t.Shape, p.Shape) {
		sums, err = m.sumsSameShape(d, t, p, w)
	} else {
		sums, err = m.sumsBroadcast(d, t, p, w)
	}
	if err != nil {
		return err
	}
	for i, dst := range [][]float64{m.sum, m.squaredSum, m.residual, m.count} {
		col := sums[i]
		for j := range dst {
			dst[j] = tensor.Float32.Round(ad.Round(dst[j] + ad.Round(col[j%len(col)])))
		}
	}
	m.numSamples = tensor.Float32.Round(m.numSamples + float64(t.Size()))
	return nil
}

// sumsSameShape computes the four column sums of y_true and y_pred of the
// same (batch, outputs) shape in one pass: Σw·t, Σt·(w·t), Σ(t−p)²·w, Σw.
func (m *R2Score) sumsSameShape(d tensor.DType, t, p, w tensor.Tensor) ([4][]float64, error) {
	var out [4][]float64
	rows, cols := t.Shape[0], t.Shape[1]
	if w.Rank() > 2 {
		return out, fmt.Errorf("%s: sample_weight: %w: cannot broadcast %v to %v", m.Name, tensor.ErrShape, w.Shape, t.Shape)
	}
	wr, wc := 1, 1
	if w.Rank() == 2 {
		wr, wc = w.Shape[0], w.Shape[1]
	}
	if (wr != 1 && wr != rows) || (wc != 1 && wc != cols) {
		return out, fmt.Errorf("%s: sample_weight: %w: cannot broadcast %v to %v", m.Name, tensor.ErrShape, w.Shape, t.Shape)
	}
	if err := m.fits(cols); err != nil {
		return out, err
	}
	var acc [4]*backend.ColumnSums
	for s := range acc {
		acc[s] = m.Backend.NewColumnSums(d, cols)
	}
	// Columns are independent: split them over goroutines.
	parallel.Rows(cols, rows, func(lo, hi int) {
		for r := range rows {
			for k := lo; k < hi; k++ {
				i := r*cols + k
				wv := w.Data[min(r, wr-1)*wc+min(k, wc-1)]
				tv := t.Data[i]
				wt := d.Round(tv * wv)
				e := d.Round(tv - p.Data[i])
				acc[0].Add(k, wt)
				acc[1].Add(k, d.Round(tv*wt))
				acc[2].Add(k, d.Round(d.Round(e*e)*wv))
				acc[3].Add(k, wv)
			}
		}
	})
	for s := range out {
		out[s] = acc[s].Sums()
	}
	return out, nil
}

// sumsBroadcast computes the column sums for y_true and y_pred of
// different shapes that broadcast (a (batch, 1) y_true against (batch,
// outputs) predictions): the weight takes y_true's shape, the residual the
// broadcast shape.
func (m *R2Score) sumsBroadcast(d tensor.DType, t, p, w tensor.Tensor) ([4][]float64, error) {
	var out [4][]float64
	w, err := w.BroadcastTo(t.Shape)
	if err != nil {
		return out, fmt.Errorf("%s: sample_weight: %w", m.Name, err)
	}
	wt, err := tensor.Map2(t, w, d, mul)
	if err != nil {
		return out, err
	}
	sq, err := tensor.Map2(t, wt, d, mul)
	if err != nil {
		return out, err
	}
	diff, err := tensor.Map2(t, p, d, func(a, b float64) float64 { return a - b })
	if err != nil {
		return out, fmt.Errorf("%s: %w", m.Name, err)
	}
	res, err := tensor.Map2(mapValues(diff, func(x float64) float64 { return d.Round(x * x) }), w, d, mul)
	if err != nil {
		return out, fmt.Errorf("%s: sample_weight: %w", m.Name, err)
	}
	for i, x := range []tensor.Tensor{wt, sq, res, w} {
		if err := m.fits(x.Shape[1]); err != nil {
			return out, err
		}
		out[i] = columnSums(m.Backend, d, x)
	}
	return out, nil
}

// fits checks that column sums of n outputs can be added to the state.
func (m *R2Score) fits(n int) error {
	if k := len(m.sum); n != k && n != 1 {
		return fmt.Errorf("%s: %w: sums of shape [%d] cannot be added to the state of shape [%d]", m.Name, tensor.ErrShape, n, k)
	}
	return nil
}

// Result returns R², per output if ClassAggregation is "" (None), else one
// value; always float32. An output whose total sum of squares is 0 scores 0
// (Keras replaces ±Inf by 0), an output without weight scores NaN.
func (m *R2Score) Result() tensor.Tensor {
	f := tensor.Float32
	k := len(m.sum)
	total := make([]float64, k)
	raw := make([]float64, k)
	for j := range k {
		mean := f.Round(m.sum[j] / m.count[j])
		total[j] = f.Round(m.squaredSum[j] - f.Round(m.sum[j]*mean))
		raw[j] = f.Round(1 - f.Round(m.residual[j]/total[j]))
		if math.IsInf(raw[j], 0) {
			raw[j] = 0
		}
	}
	var r2 []float64
	switch m.ClassAggregation {
	case "uniform_average":
		r2 = []float64{m.meanOf(raw)}
	case "variance_weighted_average":
		prod := make([]float64, k)
		for j := range k {
			prod[j] = f.Round(total[j] * raw[j])
		}
		r2 = []float64{f.Round(m.Backend.Sum(f, prod, false) / m.Backend.Sum(f, total, false))}
	default:
		r2 = raw
	}
	if p := m.NumRegressors; p != 0 {
		// Python compares num_regressors with a float32 tensor, so in float32.
		n, pf := m.numSamples, f.Round(p)
		if pf < f.Round(n-1) {
			for i, v := range r2 {
				num := f.Round(f.Round(1-v) * f.Round(n-1))
				den := f.Round(f.Round(n-pf) - 1)
				r2[i] = f.Round(1 - f.Round(num/den))
			}
		}
	}
	if m.ClassAggregation == "" {
		return tensor.Tensor{Shape: []int{k}, DType: f, Data: r2}
	}
	return tensor.Scalar(f, r2[0])
}

func (m *R2Score) meanOf(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	return m.Backend.Mean(tensor.Float32, xs, false)
}

// ResetState zeroes every sum; the number of outputs stays.
func (m *R2Score) ResetState() {
	for _, s := range [][]float64{m.sum, m.squaredSum, m.residual, m.count} {
		clear(s)
	}
	m.numSamples = 0
}
