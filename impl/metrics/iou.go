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

// FallibleResult is implemented by metrics whose Keras result() can raise
// (an IoU metric whose axis is neither 0 nor -1, a multi-label AUC before
// its first update). Their Result returns a NaN scalar where TryResult
// returns the error; an adapter that reports errors should call TryResult.
type FallibleResult interface {
	TryResult() (tensor.Tensor, error)
}

// The IoU family of keras/src/metrics/iou_metrics.py (_IoUBase and its
// subclasses), as Keras 3.15 computes it:
//   - update: argmax over axis for dense inputs; y_true and y_pred converted
//     to the metric dtype (by default "int": int64 on TensorFlow, int32
//     elsewhere, so float labels and weights truncate toward zero) and
//     flattened; a pair counts only if both ids lie in [0, num_classes) and
//     y_true is not ignore_class, others get weight 0; the weights are
//     scatter-added into a num_classes x num_classes confusion matrix;
//   - result: per class, denominator = column sum + row sum - diagonal, cast
//     to float32; classes with denominator > 1e-9 are valid; iou =
//     diagonal / (denominator + ε), 0 for invalid classes; the result is the
//     sum of the target classes' iou / (number of valid ones + ε), float32.

// iouBase is _IoUBase with IoU's target_class_ids.
type iouBase struct {
	Name string
	// DType is the dtype of the confusion matrix; nil is Keras's default
	// "int": int64 on TensorFlow, int32 elsewhere. A float dtype keeps
	// fractional weights.
	DType   *tensor.DType
	Backend backend.Backend
	// IgnoreClass, if not nil, drops the pairs whose y_true is that id.
	IgnoreClass *int
	// SparseYTrue and SparseYPred say the inputs hold class ids; otherwise
	// the id is the argmax over Axis.
	SparseYTrue, SparseYPred bool
	// Axis is the class axis of dense inputs. Keras also sums the per-class
	// IoUs over it, so result fails unless it is 0 or -1.
	Axis int

	numClasses int
	targets    []int
	cm         []float64 // num_classes x num_classes, rows y_true, columns y_pred
}

func newIoUBase(name string, numClasses int, targets []int) (iouBase, error) {
	if numClasses < 0 {
		return iouBase{}, fmt.Errorf("%s: num_classes must not be negative, got %d", name, numClasses)
	}
	if len(targets) == 0 {
		return iouBase{}, fmt.Errorf("%s: target_class_ids must not be empty (max() arg is an empty sequence)", name)
	}
	if hi := slices.Max(targets); hi >= numClasses {
		return iouBase{}, fmt.Errorf("%s: target class id %d is out of range, which is [0, %d)", name, hi, numClasses)
	}
	return iouBase{
		Name: name, SparseYTrue: true, SparseYPred: true, Axis: -1,
		numClasses: numClasses, targets: slices.Clone(targets), cm: make([]float64, numClasses*numClasses),
	}, nil
}

// NumClasses returns the number of classes.
func (m *iouBase) NumClasses() int { return m.numClasses }

// TargetClassIDs returns the classes whose IoUs the result averages.
func (m *iouBase) TargetClassIDs() []int { return slices.Clone(m.targets) }

// ConfusionMatrix returns the accumulated confusion matrix (rows y_true,
// columns y_pred) in the metric dtype.
func (m *iouBase) ConfusionMatrix() tensor.Tensor {
	return tensor.Tensor{Shape: []int{m.numClasses, m.numClasses}, DType: m.dtype(), Data: slices.Clone(m.cm)}
}

// accDType is the dtype update_state computes in: Keras ops on NumPy narrow
// float64 and int64 arrays (not variables) to 32 bits, so a float64 IoU
// there accumulates float32 values in its float64 variable, while result
// sums the variable in float64.
func (m *iouBase) accDType() tensor.DType { return m.Backend.Implicit(m.dtype()) }

// dtype is the confusion matrix's dtype on the metric's backend.
func (m *iouBase) dtype() tensor.DType {
	if m.DType == nil {
		if m.Backend == backend.TensorFlow { // keras/src/backend/common/dtypes.py: PYTHON_DTYPES_MAP: "int": "int64" if config.backend() == "tensorflow" else "int32"
			return tensor.Int64
		}
		return tensor.Int32
	}
	return m.Backend.Materialize(*m.DType)
}

func (m *iouBase) check() error {
	if !m.Backend.Valid() {
		return fmt.Errorf("%s: unknown backend %v", m.Name, m.Backend)
	}
	if d := m.dtype(); d == tensor.Bool {
		return fmt.Errorf("%s: metric dtype %v: %w (only int and float dtypes)", m.Name, d, tensor.ErrNotImplemented)
	}
	return nil
}

// iouConvert is ops.convert_to_tensor(x, dtype=d) of a host array: integer
// dtypes truncate toward zero, NaN and values out of range giving the
// x86 "integer indefinite" (the minimum), as NumPy's cast does.
func iouConvert(d tensor.DType, x float64) float64 {
	switch d {
	case tensor.Int32:
		if !(x > math.MinInt32-1 && x < math.MaxInt32+1) {
			return math.MinInt32
		}
		return math.Trunc(x)
	case tensor.Int64:
		if !(x >= math.MinInt64 && x < math.MaxInt64) {
			return math.MinInt64
		}
		return float64(int64(x))
	}
	return d.Round(x)
}

// ids returns the values of one input that become class ids: the input
// itself if sparse, else its argmax over Axis.
func (m *iouBase) ids(what string, x tensor.Tensor, sparse bool) ([]float64, int, error) {
	if err := x.Validate(); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", what, err)
	}
	if sparse {
		return x.Data, x.Rank(), nil
	}
	am, err := argmaxAxis(m.Backend, x, m.Axis)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", what, err)
	}
	return am.Data, am.Rank(), nil
}

// argmaxAxis is ops.argmax(x, axis): int ids, ties to the first index, NaN
// as backend.Argmax treats it.
func argmaxAxis(b backend.Backend, x tensor.Tensor, axis int) (tensor.Tensor, error) {
	a, err := tensor.CanonicalAxis(axis, x.Rank())
	if err != nil {
		return tensor.Tensor{}, err
	}
	n := x.Shape[a]
	inner := tensor.Size(x.Shape[a+1:])
	outer := tensor.Size(x.Shape[:a])
	out := tensor.Tensor{Shape: tensor.RemoveAxis(x.Shape, a), DType: tensor.Int32, Data: make([]float64, outer*inner)}
	if n == 0 && outer*inner > 0 {
		return tensor.Tensor{}, fmt.Errorf("%w: argmax of an empty axis %d of shape %v", tensor.ErrShape, axis, x.Shape)
	}
	d := x.DType
	if d.IsFloat() && d != tensor.Float64 {
		d = tensor.Float32
	}
	lane := make([]float64, n)
	for o := range outer {
		for i := range inner {
			base := o*n*inner + i
			for k := range n {
				lane[k] = x.Data[base+k*inner]
			}
			out.Data[o*inner+i] = float64(b.Argmax(d, lane))
		}
	}
	return out, nil
}

// update accumulates the confusion matrix of y_true and y_pred, both class
// ids in the metric dtype (after ids), weighted by sampleWeight.
func (m *iouBase) update(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	if err := m.check(); err != nil {
		return err
	}
	d := m.dtype()
	t, rt, err := m.ids("y_true", yTrue, m.SparseYTrue)
	if err != nil {
		return fmt.Errorf("%s: %w", m.Name, err)
	}
	p, rp, err := m.ids("y_pred", yPred, m.SparseYPred)
	if err != nil {
		return fmt.Errorf("%s: %w", m.Name, err)
	}
	if rt == 0 && rp == 0 {
		// confusion_matrix stacks the ids along axis 1.
		return fmt.Errorf("%s: %w: y_true and y_pred are single ids; Keras needs at least one of them to be an array", m.Name, tensor.ErrShape)
	}
	n := broadcastLen(len(t), len(p))
	if len(t) != len(p) && min(len(t), len(p)) != 1 {
		return fmt.Errorf("%s: %w: y_true and y_pred hold %d and %d class ids", m.Name, tensor.ErrShape, len(t), len(p))
	}
	ad := m.accDType()
	var w []float64
	if sampleWeight != nil {
		if err := sampleWeight.Validate(); err != nil {
			return fmt.Errorf("%s: sample_weight: %w", m.Name, err)
		}
		sw := sampleWeight.Data
		if len(sampleWeight.Shape) > 0 && len(sw) != len(t) && len(sw) != 1 {
			return fmt.Errorf("%s: %w: sample_weight of shape %v does not broadcast to the %d values of y_true",
				m.Name, tensor.ErrShape, sampleWeight.Shape, len(t))
		}
		w = make([]float64, len(sw))
		for i, v := range sw {
			w[i] = ad.Round(iouConvert(d, v))
		}
	}
	at := func(xs []float64, j int) float64 {
		if len(xs) == 1 {
			return xs[0]
		}
		return xs[j]
	}
	C := float64(m.numClasses)
	ignore, hasIgnore := 0.0, m.IgnoreClass != nil
	if hasIgnore {
		ignore = ad.Round(iouConvert(d, float64(*m.IgnoreClass)))
	}
	// Ids are converted to the metric dtype (then narrowed as NumPy's ops
	// narrow them) where they are read.
	cell := func(j int) (int, float64) {
		tj, pj := ad.Round(iouConvert(d, at(t, j))), ad.Round(iouConvert(d, at(p, j)))
		if !(tj >= 0 && tj < C && pj >= 0 && pj < C) || (hasIgnore && tj == ignore) {
			return -1, 0
		}
		wj := 1.0
		if w != nil {
			wj = at(w, j)
		}
		return int(tj)*m.numClasses + int(pj), wj
	}
	if !ad.IsFloat() {
		// Integer sums wrap around but stay associative: add in parallel.
		const chunk = 1 << 15
		parts := make([][]float64, (n+chunk-1)/chunk)
		parallel.Rows(len(parts), chunk, func(lo, hi int) {
			for q := lo; q < hi; q++ {
				part := make([]float64, len(m.cm))
				for j := q * chunk; j < min((q+1)*chunk, n); j++ {
					if k, wj := cell(j); k >= 0 {
						part[k] += wj
					}
				}
				parts[q] = part
			}
		})
		for _, part := range parts {
			for k, v := range part {
				m.cm[k] = ad.Round(m.cm[k] + ad.Round(v))
			}
		}
		return nil
	}
	batch := make([]float64, len(m.cm))
	for j := range n {
		if k, wj := cell(j); k >= 0 {
			batch[k] = ad.Round(batch[k] + wj)
		}
	}
	for k, v := range batch {
		m.cm[k] = ad.Round(m.cm[k] + v)
	}
	return nil
}

// UpdateState accumulates the confusion matrix of a batch.
func (m *iouBase) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.update(yTrue, yPred, sampleWeight)
}

// ResetState zeroes the confusion matrix.
func (m *iouBase) ResetState() { clear(m.cm) }

// Result returns the mean IoU of the target classes, float32; see
// TryResult. Where Keras's result() raises it returns a NaN scalar.
func (m *iouBase) Result() tensor.Tensor {
	r, err := m.TryResult()
	if err != nil {
		return tensor.Scalar(tensor.Float32, math.NaN())
	}
	return r
}

// TryResult returns the mean IoU of the target classes, or the error Keras
// raises: the per-class IoUs are summed over Axis, which only works for 0
// and -1; a target id below -num_classes is out of bounds.
func (m *iouBase) TryResult() (tensor.Tensor, error) {
	if m.Axis != 0 && m.Axis != -1 {
		return tensor.Tensor{}, fmt.Errorf("%s: axis %d is out of bounds for the per-class IoUs, of dimension 1", m.Name, m.Axis)
	}
	C := m.numClasses
	d := m.dtype() // ops on the variable itself keep its dtype, even on NumPy
	b := m.Backend
	colSum, rowSum := make([]float64, C), make([]float64, C)
	col, row := make([]float64, C), make([]float64, C)
	for c := range C {
		for r := range C {
			col[r] = m.cm[r*C+c]
			row[r] = m.cm[c*C+r]
		}
		colSum[c], rowSum[c] = m.sum(d, col, true), m.sum(d, row, false)
	}
	eps, tiny := fl32(tensor.Epsilon), fl32(1e-9)
	ious := make([]float64, len(m.targets))
	valid := 0
	for i, id := range m.targets {
		if id < 0 {
			id += C
		}
		if id < 0 || id >= C {
			return tensor.Tensor{}, fmt.Errorf("%s: target class id %d is out of bounds for %d classes", m.Name, m.targets[i], C)
		}
		tp := m.cm[id*C+id]
		den := fl32(d.Round(d.Round(colSum[id]+rowSum[id]) - tp))
		if den > tiny {
			valid++
			ious[i] = fl32(fl32(tp) / fl32(den+eps))
		}
	}
	total := b.Sum(tensor.Float32, ious, false)
	return tensor.Scalar(tensor.Float32, total/fl32(float64(valid)+eps)), nil
}

// sum is ops.sum of confusion-matrix values along one axis, in d: integer
// sums wrap; float sums follow the backend's order.
func (m *iouBase) sum(d tensor.DType, xs []float64, strided bool) float64 {
	if !d.IsFloat() {
		s := 0.0
		for _, x := range xs {
			s = d.Round(s + x)
		}
		return s
	}
	return m.Backend.Sum(d, xs, strided)
}

// IoU is keras.metrics.IoU: the mean intersection-over-union of the target
// classes.
type IoU struct{ iouBase }

// NewIoU returns the metric for numClasses classes averaging over
// targetClassIDs (every id must be below numClasses), with Keras's
// defaults: int dtype, sparse inputs, axis -1.
func NewIoU(numClasses int, targetClassIDs []int) (*IoU, error) {
	b, err := newIoUBase("io_u", numClasses, targetClassIDs)
	return &IoU{b}, err
}

// MeanIoU is keras.metrics.MeanIoU: IoU over every class.
type MeanIoU struct{ iouBase }

// NewMeanIoU returns the metric for numClasses classes.
func NewMeanIoU(numClasses int) (*MeanIoU, error) {
	b, err := newIoUBase("mean_io_u", numClasses, allClasses(numClasses))
	return &MeanIoU{b}, err
}

func allClasses(n int) []int {
	ids := make([]int, max(n, 0))
	for i := range ids {
		ids[i] = i
	}
	return ids
}

// OneHotIoU is keras.metrics.OneHotIoU: IoU with one-hot y_true (and, by
// default, dense y_pred).
type OneHotIoU struct{ iouBase }

// NewOneHotIoU returns the metric for numClasses classes averaging over
// targetClassIDs, with dense y_true and y_pred.
func NewOneHotIoU(numClasses int, targetClassIDs []int) (*OneHotIoU, error) {
	b, err := newIoUBase("one_hot_io_u", numClasses, targetClassIDs)
	b.SparseYTrue, b.SparseYPred = false, false
	return &OneHotIoU{b}, err
}

// OneHotMeanIoU is keras.metrics.OneHotMeanIoU.
type OneHotMeanIoU struct{ iouBase }

// NewOneHotMeanIoU returns the metric for numClasses classes, with dense
// y_true and y_pred.
func NewOneHotMeanIoU(numClasses int) (*OneHotMeanIoU, error) {
	b, err := newIoUBase("one_hot_mean_io_u", numClasses, allClasses(numClasses))
	b.SparseYTrue, b.SparseYPred = false, false
	return &OneHotMeanIoU{b}, err
}

// BinaryIoU is keras.metrics.BinaryIoU: IoU of two classes, y_pred being
// class 1 where y_pred >= Threshold (in float32), class 0 elsewhere.
type BinaryIoU struct {
	iouBase
	Threshold float64
}

// NewBinaryIoU returns the metric averaging over targetClassIDs (nil:
// Keras's default, both classes) at threshold (Keras's default: 0.5).
func NewBinaryIoU(targetClassIDs []int, threshold float64) (*BinaryIoU, error) {
	if targetClassIDs == nil {
		targetClassIDs = []int{0, 1}
	}
	b, err := newIoUBase("binary_io_u", 2, targetClassIDs)
	return &BinaryIoU{b, threshold}, err
}

// UpdateState thresholds y_pred (converted to float32) and accumulates.
func (m *BinaryIoU) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	if err := yPred.Validate(); err != nil {
		return fmt.Errorf("%s: y_pred: %w", m.Name, err)
	}
	th := fl32(m.Threshold)
	p := tensor.Tensor{Shape: yPred.Shape, DType: tensor.Float32, Data: make([]float64, len(yPred.Data))}
	for i, v := range m.Backend.FlushDenormals(yPred.Cast(tensor.Float32)).Data {
		if v >= th {
			p.Data[i] = 1
		}
	}
	return m.update(yTrue, p, sampleWeight)
}

// bindIoUDType reads an IoU dtype: None (the int default), an int or a
// float dtype name or policy.
func bindIoUDType(d *kwargs.Decoder, dst **tensor.DType) {
	d.Record("dtype", nil)
	v, ok := d.Raw("dtype")
	if !ok || v == nil {
		return
	}
	var name string
	switch x := v.(type) {
	case string:
		name = x
	case map[string]any:
		if c, ok := x["config"].(map[string]any); ok {
			name, _ = c["name"].(string)
		}
	}
	if name == "int" {
		return
	}
	dt, err := tensor.ParseDType(name)
	if err != nil || dt == tensor.Bool {
		// Let the float decoder word the error (and accept policies).
		var f tensor.DType
		sub := kwargs.New("", map[string]any{"dtype": v})
		sub.DType("dtype", &f)
		if sub.Err() != nil {
			d.Fail("dtype", v, "a dtype name or policy")
			return
		}
		dt = f
	}
	*dst = &dt
}

// bindIDs reads a list of integer class ids.
func bindIDs(d *kwargs.Decoder, key string, dst *[]int) {
	if d.Recording() {
		l := make([]any, len(*dst))
		for i, id := range *dst {
			l[i] = float64(id)
		}
		d.Record(key, l)
		return
	}
	v, ok := d.Raw(key)
	if !ok {
		return
	}
	items, ok := v.([]any)
	if !ok {
		d.Fail(key, v, "a list of integers")
		return
	}
	ids := make([]int, len(items))
	for i, it := range items {
		var x int
		sub := kwargs.New(key, map[string]any{"id": it})
		sub.Int("id", &x)
		if sub.Err() != nil {
			d.Fail(key, v, "a list of integers")
			return
		}
		ids[i] = x
	}
	*dst = ids
}

// iouClass is one of the IoU metric classes.
type iouClass struct {
	class             string
	targets, oneHot   bool
	binary, meanOfAll bool
}

// buildIoU builds the IoU class c. num_classes, and target_class_ids where
// the class takes them, are required; a recording decoder (kwargs.Defaults)
// goes on without them, with 2 classes, to see the other defaults.
func buildIoU(c iouClass) build {
	return func(d *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
		var dt *tensor.DType
		bindIoUDType(d, &dt)
		var m iouBase
		var threshold float64
		if c.binary {
			b, err := NewBinaryIoU(nil, 0.5)
			if err != nil {
				return nil, err
			}
			ids := b.TargetClassIDs()
			threshold = b.Threshold
			bindIDs(d, "target_class_ids", &ids)
			d.Float("threshold", &threshold)
			if b, err = NewBinaryIoU(ids, threshold); err != nil {
				return nil, err
			}
			m = b.iouBase
		} else {
			n := 2
			if _, ok := d.Raw("num_classes"); !ok && !d.Recording() {
				return nil, fmt.Errorf(`missing required argument "num_classes"`)
			}
			d.Int("num_classes", &n)
			ids := allClasses(n)
			if c.targets {
				if _, ok := d.Raw("target_class_ids"); !ok && !d.Recording() {
					return nil, fmt.Errorf(`missing required argument "target_class_ids"`)
				}
				bindIDs(d, "target_class_ids", &ids)
			}
			var err error
			if m, err = newIoUBase(base.Name, n, ids); err != nil {
				return nil, err
			}
			d.OptionalInt("ignore_class", &m.IgnoreClass)
			if c.oneHot {
				m.SparseYTrue, m.SparseYPred = false, false
			} else {
				d.Bool("sparse_y_true", &m.SparseYTrue)
			}
			d.Bool("sparse_y_pred", &m.SparseYPred)
			d.Int("axis", &m.Axis)
		}
		m.Name, m.Backend, m.DType = base.Name, base.Backend, dt
		switch {
		case c.binary:
			return &BinaryIoU{m, threshold}, nil
		case c.class == "IoU":
			return &IoU{m}, nil
		case c.class == "MeanIoU":
			return &MeanIoU{m}, nil
		case c.class == "OneHotIoU":
			return &OneHotIoU{m}, nil
		}
		return &OneHotMeanIoU{m}, nil
	}
}
