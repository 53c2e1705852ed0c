package metrics

import (
	"fmt"
	"slices"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/parallel"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The accuracy family of keras/src/metrics/accuracy_metrics.py: functions
// giving 1 where a prediction matches and 0 elsewhere, in floatx
// (float32), and the MeanMetricWrapper classes averaging them. The
// functions implement losses.Func, so a MeanMetricWrapper can wrap them too.

// convert is ops.convert_to_tensor(x) without a dtype: on NumPy and JAX
// 64-bit arrays become 32-bit.
func convert(b backend.Backend, x tensor.Tensor) tensor.Tensor { return x.Cast(b.Implicit(x.DType)) }

// checkUpdate is what a metric with its own update checks first: its
// arguments (validate), its dtype and backend, and the input tensors.
func (s *state) checkUpdate(validate func() error, yTrue, yPred tensor.Tensor) error {
	if err := validate(); err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	if err := s.check(); err != nil {
		return err
	}
	return losses.CheckInputs(s.Name, s.Backend, yTrue, yPred)
}

// matches is ops.cast(ops.equal(a, b), floatx) with broadcasting.
func matches(name string, a, b tensor.Tensor) (tensor.Tensor, error) {
	out, err := tensor.Map2(a, b, tensor.Float32, func(x, y float64) float64 {
		if x == y {
			return 1
		}
		return 0
	})
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// reshape returns t with shape, which must hold as many elements.
func reshape(name string, t tensor.Tensor, shape []int) (tensor.Tensor, error) {
	if tensor.Size(shape) != t.Size() {
		return tensor.Tensor{}, fmt.Errorf("%s: %w: cannot reshape %v (%d elements) to %v",
			name, tensor.ErrShape, t.Shape, t.Size(), shape)
	}
	t.Shape = slices.Clone(shape)
	return t, nil
}

// AccuracyFunc is Keras's accuracy: y_true converted to y_pred's dtype,
// ranks aligned, then elementwise exact equality (broadcasting).
type AccuracyFunc struct{}

// Values implements losses.Func.
func (AccuracyFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "accuracy"
	if err := losses.CheckInputs(name, b, yTrue, yPred); err != nil {
		return tensor.Tensor{}, err
	}
	p := convert(b, yPred)
	t := yTrue.Cast(p.DType)
	t, p = tensor.SqueezeOrExpandToSameRank(t, p, true)
	return matches(name, t, p)
}

// BinaryAccuracyFunc is keras.metrics.binary_accuracy: y_true == (y_pred >
// Threshold), strictly greater, with the threshold a float32 tensor (so 0.3
// means 0.30000001192092896) and the 0/1 predictions cast to y_true's dtype
// (soft labels never match).
type BinaryAccuracyFunc struct {
	Threshold float64
}

// NewBinaryAccuracyFunc returns binary_accuracy's defaults.
func NewBinaryAccuracyFunc() BinaryAccuracyFunc { return BinaryAccuracyFunc{Threshold: 0.5} }

// Values implements losses.Func.
func (f BinaryAccuracyFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "binary_accuracy"
	if err := losses.CheckInputs(name, b, yTrue, yPred); err != nil {
		return tensor.Tensor{}, err
	}
	p, t := convert(b, yPred), convert(b, yTrue)
	t, p = tensor.SqueezeOrExpandToSameRank(t, p, true)
	thr := tensor.Float32.Round(f.Threshold)
	pd := p.DType
	if !pd.IsFloat() {
		pd = tensor.Float32 // an integer tensor meets a float32 one
	}
	above := func(v float64) float64 {
		if pd.Round(v) > thr {
			return 1
		}
		return 0
	}
	if !slices.Equal(t.Shape, p.Shape) {
		return matches(name, t, mapValues(p, above))
	}
	out := tensor.Tensor{Shape: slices.Clone(p.Shape), DType: tensor.Float32, Data: make([]float64, len(p.Data))}
	parallel.Rows(len(out.Data), 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if t.Data[i] == above(p.Data[i]) {
				out.Data[i] = 1
			}
		}
	})
	return out, nil
}

// mapValues applies f to every element of t, keeping its shape and dtype.
func mapValues(t tensor.Tensor, f func(float64) float64) tensor.Tensor {
	out := tensor.Tensor{Shape: t.Shape, DType: t.DType, Data: make([]float64, len(t.Data))}
	for i, v := range t.Data {
		out.Data[i] = f(v)
	}
	return out
}

// argmaxLast is ops.argmax(x, axis=-1): one id per row of the last axis.
// Rows are independent, so large inputs are split over goroutines.
func argmaxLast(name string, b backend.Backend, x tensor.Tensor) (tensor.Tensor, error) {
	if x.Rank() == 0 {
		return tensor.Tensor{}, fmt.Errorf("%s: %w: argmax over the last axis of a scalar", name, tensor.ErrShape)
	}
	n := x.Shape[x.Rank()-1]
	out := tensor.Tensor{Shape: slices.Clone(x.Shape[:x.Rank()-1]), DType: tensor.Int32}
	out.Data = make([]float64, tensor.Size(out.Shape))
	if n == 0 && len(out.Data) > 0 {
		return tensor.Tensor{}, fmt.Errorf("%s: %w: argmax of an empty axis (shape %v)", name, tensor.ErrShape, x.Shape)
	}
	parallel.Rows(len(out.Data), n, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			out.Data[r] = float64(b.Argmax(x.DType, x.Data[r*n:(r+1)*n]))
		}
	})
	return out, nil
}

// CategoricalAccuracyFunc is keras.metrics.categorical_accuracy:
// argmax(y_true) == argmax(y_pred) over the last axis (ties to the first
// index; NaN as each backend's argmax treats it).
type CategoricalAccuracyFunc struct{}

// Values implements losses.Func.
func (CategoricalAccuracyFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "categorical_accuracy"
	if err := losses.CheckInputs(name, b, yTrue, yPred); err != nil {
		return tensor.Tensor{}, err
	}
	t, err := argmaxLast(name, b, convert(b, yTrue))
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("y_true: %w", err)
	}
	p := convert(b, yPred)
	t = t.Cast(p.DType)
	org := t.Shape
	reshapeMatches := false
	if t.Rank() == p.Rank() {
		if t.Rank() == 0 || t.Shape[t.Rank()-1] != 1 {
			return tensor.Tensor{}, fmt.Errorf("%s: %w: cannot squeeze the last axis of argmax(y_true), shape %v",
				name, tensor.ErrShape, t.Shape)
		}
		t.Shape = t.Shape[:t.Rank()-1]
		reshapeMatches = true
	}
	ids, err := argmaxLast(name, b, p)
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("y_pred: %w", err)
	}
	m, err := matches(name, t, ids.Cast(t.DType))
	if err != nil || !reshapeMatches {
		return m, err
	}
	return reshape(name, m, org)
}

// SparseCategoricalAccuracyFunc is keras.metrics.sparse_categorical_accuracy:
// y_true (ids, converted to y_pred's dtype) == argmax(y_pred). A trailing
// axis of 1 on y_true is squeezed when y_true has y_pred's rank, and one on
// the result is squeezed too. Ids out of range, negative or fractional never
// match.
type SparseCategoricalAccuracyFunc struct{}

// Values implements losses.Func.
func (SparseCategoricalAccuracyFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "sparse_categorical_accuracy"
	if err := losses.CheckInputs(name, b, yTrue, yPred); err != nil {
		return tensor.Tensor{}, err
	}
	p := convert(b, yPred)
	t := yTrue.Cast(p.DType)
	org := t.Shape
	reshapeMatches := false
	if t.Rank() == p.Rank() && t.Rank() > 0 && t.Shape[t.Rank()-1] == 1 {
		t.Shape = t.Shape[:t.Rank()-1]
		reshapeMatches = true
	}
	ids, err := argmaxLast(name, b, p)
	if err != nil {
		return tensor.Tensor{}, err
	}
	m, err := matches(name, t, ids.Cast(t.DType))
	if err != nil {
		return tensor.Tensor{}, err
	}
	if reshapeMatches {
		if m, err = reshape(name, m, org); err != nil {
			return tensor.Tensor{}, err
		}
	}
	if r := m.Rank(); r > 1 && m.Shape[r-1] == 1 {
		m.Shape = m.Shape[:r-1]
	}
	return m, nil
}

// TopKCategoricalAccuracyFunc is keras.metrics.top_k_categorical_accuracy:
// whether argmax(y_true) is among the K largest predictions, ties included
// (ops.in_top_k; see backend.InTopK for how the backends differ). Inputs of
// rank > 2 are flattened to rows.
type TopKCategoricalAccuracyFunc struct {
	K int
}

// NewTopKCategoricalAccuracyFunc returns top_k_categorical_accuracy's defaults.
func NewTopKCategoricalAccuracyFunc() TopKCategoricalAccuracyFunc {
	return TopKCategoricalAccuracyFunc{K: 5}
}

// Values implements losses.Func.
func (f TopKCategoricalAccuracyFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "top_k_categorical_accuracy"
	if err := losses.CheckInputs(name, b, yTrue, yPred); err != nil {
		return tensor.Tensor{}, err
	}
	p := convert(b, yPred)
	t, err := argmaxLast(name, b, yTrue.Cast(p.DType))
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("y_true: %w", err)
	}
	ids := make([]int, len(t.Data))
	for i, v := range t.Data {
		ids[i] = int(v)
	}
	return inTopK(name, b, ids, t.Shape, p, f.K)
}

// inTopK is ops.in_top_k over the rows of scores (flattened to (N, C) if of
// rank > 2) for targets, reshaped to shape.
func inTopK(name string, b backend.Backend, targets []int, shape []int, scores tensor.Tensor, k int) (tensor.Tensor, error) {
	// JAX alone takes a scalar target against a vector of scores.
	r := scores.Rank()
	if (len(shape) == 0) != (r == 1) || r == 0 || (r == 1 && b != backend.JAX) { // keras/src/backend/jax/math.py: in_top_k
		return tensor.Tensor{}, fmt.Errorf("%s: %w: in_top_k needs 2-D predictions and 1-D targets, got predictions %v and targets %v",
			name, tensor.ErrShape, scores.Shape, shape)
	}
	c := scores.Shape[r-1]
	rows := 1
	if c > 0 {
		rows = scores.Size() / c
	} else if r >= 2 {
		rows = tensor.Size(scores.Shape[:r-1])
	}
	if rows != len(targets) {
		return tensor.Tensor{}, fmt.Errorf("%s: %w: %d rows of predictions (shape %v) for %d targets",
			name, tensor.ErrShape, rows, scores.Shape, len(targets))
	}
	if c == 0 && rows > 0 {
		return tensor.Tensor{}, fmt.Errorf("%s: %w: no classes in predictions of shape %v", name, tensor.ErrShape, scores.Shape)
	}
	out := tensor.Tensor{Shape: slices.Clone(shape), DType: tensor.Float32, Data: make([]float64, rows)}
	errs := make([]error, rows)
	parallel.Rows(rows, c, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			in, err := b.InTopK(scores.DType, targets[i], scores.Data[i*c:(i+1)*c], k)
			if err != nil {
				errs[i] = fmt.Errorf("%s: row %d: %w", name, i, err)
				return
			}
			if in {
				out.Data[i] = 1
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			return tensor.Tensor{}, err
		}
	}
	return out, nil
}

// SparseTopKCategoricalAccuracyFunc is keras.metrics.sparse_top_k_categorical_accuracy:
// whether the id y_true (cast to int32) is among the K largest predictions,
// ties included. With FromSortedIDs, y_pred holds class ids sorted best
// first and the match is y_true ∈ y_pred[:, :K].
type SparseTopKCategoricalAccuracyFunc struct {
	K             int
	FromSortedIDs bool
}

// NewSparseTopKCategoricalAccuracyFunc returns sparse_top_k_categorical_accuracy's defaults.
func NewSparseTopKCategoricalAccuracyFunc() SparseTopKCategoricalAccuracyFunc {
	return SparseTopKCategoricalAccuracyFunc{K: 5}
}

// Values implements losses.Func.
func (f SparseTopKCategoricalAccuracyFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "sparse_top_k_categorical_accuracy"
	if err := losses.CheckInputs(name, b, yTrue, yPred); err != nil {
		return tensor.Tensor{}, err
	}
	p := convert(b, yPred)
	if !f.FromSortedIDs {
		ids := make([]int, len(yTrue.Data))
		for i, v := range yTrue.Data {
			ids[i] = b.ToInt32(v)
		}
		return inTopK(name, b, ids, yTrue.Shape, p, f.K)
	}
	t := yTrue.Cast(p.DType)
	if p.Rank() < 2 || t.Rank() == 0 {
		return tensor.Tensor{}, fmt.Errorf("%s: %w: from_sorted_ids needs 2-D predictions and 1-D labels, got y_pred %v and y_true %v",
			name, tensor.ErrShape, p.Shape, t.Shape)
	}
	c := p.Shape[p.Rank()-1]
	rows := tensor.Size(p.Shape[:p.Rank()-1])
	// ops.equal(expand_dims(y_true, 1), y_pred[:, :k]) broadcasts the rows.
	bs, err := tensor.BroadcastShapes([]int{len(t.Data)}, []int{rows})
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %d labels against %d rows of predictions: %w", name, len(t.Data), rows, err)
	}
	n := bs[0]
	// y_pred[:, :k] as a Python slice.
	k := f.K
	if k < 0 {
		k = max(c+k, 0)
	}
	k = min(k, c)
	out := tensor.Tensor{Shape: []int{n}, DType: tensor.Float32, Data: make([]float64, n)}
	for i := range n {
		target := t.Data[min(i, len(t.Data)-1)]
		base := min(i, rows-1) * c
		for _, v := range p.Data[base : base+k] {
			if v == target {
				out.Data[i] = 1
				break
			}
		}
	}
	if t.Rank() > 1 {
		return reshape(name, out, t.Shape)
	}
	return out, nil
}

// The accuracy metrics: MeanMetricWrappers over the functions above.

// Accuracy is keras.metrics.Accuracy.
type Accuracy struct {
	AccuracyFunc
	Mean
}

// NewAccuracy returns the metric with Keras's defaults.
func NewAccuracy() *Accuracy { return &Accuracy{AccuracyFunc{}, newMean("accuracy")} }

// UpdateState accumulates the matches of a batch.
func (m *Accuracy) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.AccuracyFunc, yTrue, yPred, sampleWeight)
}

// BinaryAccuracy is keras.metrics.BinaryAccuracy.
type BinaryAccuracy struct {
	BinaryAccuracyFunc
	Mean
}

// NewBinaryAccuracy returns the metric with Keras's defaults.
func NewBinaryAccuracy() *BinaryAccuracy {
	return &BinaryAccuracy{NewBinaryAccuracyFunc(), newMean("binary_accuracy")}
}

// UpdateState accumulates the matches of a batch.
func (m *BinaryAccuracy) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.BinaryAccuracyFunc, yTrue, yPred, sampleWeight)
}

// CategoricalAccuracy is keras.metrics.CategoricalAccuracy.
type CategoricalAccuracy struct {
	CategoricalAccuracyFunc
	Mean
}

// NewCategoricalAccuracy returns the metric with Keras's defaults.
func NewCategoricalAccuracy() *CategoricalAccuracy {
	return &CategoricalAccuracy{CategoricalAccuracyFunc{}, newMean("categorical_accuracy")}
}

// UpdateState accumulates the matches of a batch.
func (m *CategoricalAccuracy) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.CategoricalAccuracyFunc, yTrue, yPred, sampleWeight)
}

// SparseCategoricalAccuracy is keras.metrics.SparseCategoricalAccuracy.
type SparseCategoricalAccuracy struct {
	SparseCategoricalAccuracyFunc
	Mean
}

// NewSparseCategoricalAccuracy returns the metric with Keras's defaults.
func NewSparseCategoricalAccuracy() *SparseCategoricalAccuracy {
	return &SparseCategoricalAccuracy{SparseCategoricalAccuracyFunc{}, newMean("sparse_categorical_accuracy")}
}

// UpdateState accumulates the matches of a batch.
func (m *SparseCategoricalAccuracy) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.SparseCategoricalAccuracyFunc, yTrue, yPred, sampleWeight)
}

// TopKCategoricalAccuracy is keras.metrics.TopKCategoricalAccuracy.
type TopKCategoricalAccuracy struct {
	TopKCategoricalAccuracyFunc
	Mean
}

// NewTopKCategoricalAccuracy returns the metric with Keras's defaults.
func NewTopKCategoricalAccuracy() *TopKCategoricalAccuracy {
	return &TopKCategoricalAccuracy{NewTopKCategoricalAccuracyFunc(), newMean("top_k_categorical_accuracy")}
}

// UpdateState accumulates the matches of a batch.
func (m *TopKCategoricalAccuracy) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.TopKCategoricalAccuracyFunc, yTrue, yPred, sampleWeight)
}

// SparseTopKCategoricalAccuracy is keras.metrics.SparseTopKCategoricalAccuracy.
type SparseTopKCategoricalAccuracy struct {
	SparseTopKCategoricalAccuracyFunc
	Mean
}

// NewSparseTopKCategoricalAccuracy returns the metric with Keras's defaults.
func NewSparseTopKCategoricalAccuracy() *SparseTopKCategoricalAccuracy {
	return &SparseTopKCategoricalAccuracy{NewSparseTopKCategoricalAccuracyFunc(), newMean("sparse_top_k_categorical_accuracy")}
}

// UpdateState accumulates the matches of a batch.
func (m *SparseTopKCategoricalAccuracy) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.SparseTopKCategoricalAccuracyFunc, yTrue, yPred, sampleWeight)
}
