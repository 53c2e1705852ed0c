package losses

import (
	"fmt"
	"math"
	"slices"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Func is a Keras loss function such as keras.losses.binary_crossentropy:
// it maps y_true and y_pred to per-sample losses, with the Keras mask the
// function attaches (if any) as the result's Mask. Like the Keras function
// it computes in the dtype the backend computes in for y_pred's dtype (on
// NumPy and JAX float64 arrays become float32), takes no sample weight,
// reduces nothing and does not align ranks: a loss class does those around
// it, and a metric feeds it the inputs as given.
//
// This package's functions are structs whose fields are the Keras keyword
// arguments; their New functions return Keras's defaults.
type Func interface {
	Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error)
}

// BinaryCrossentropyFunc is keras.losses.binary_crossentropy: the mean over
// Axis of the elementwise crossentropy between labels (smoothed towards 0.5
// by LabelSmoothing) and probabilities, or logits if FromLogits.
type BinaryCrossentropyFunc struct {
	FromLogits     bool
	LabelSmoothing float64
	Axis           int
}

// NewBinaryCrossentropyFunc returns binary_crossentropy's defaults.
func NewBinaryCrossentropyFunc() BinaryCrossentropyFunc {
	return BinaryCrossentropyFunc{Axis: -1}
}

// Values implements Func.
func (f BinaryCrossentropyFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	return binaryValues("binary_crossentropy", b, yTrue, yPred, f.Axis, binaryKernel{
		fromLogits: f.FromLogits,
	}, f.LabelSmoothing)
}

// BinaryFocalCrossentropyFunc is keras.losses.binary_focal_crossentropy:
// binary crossentropy scaled by (1 - p_t)^Gamma and, if ApplyClassBalancing,
// by Alpha for positives and 1 - Alpha for negatives.
type BinaryFocalCrossentropyFunc struct {
	ApplyClassBalancing bool
	Alpha               float64
	Gamma               float64
	FromLogits          bool
	LabelSmoothing      float64
	Axis                int
}

// NewBinaryFocalCrossentropyFunc returns binary_focal_crossentropy's defaults.
func NewBinaryFocalCrossentropyFunc() BinaryFocalCrossentropyFunc {
	return BinaryFocalCrossentropyFunc{Alpha: 0.25, Gamma: 2, Axis: -1}
}

// Values implements Func.
func (f BinaryFocalCrossentropyFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	return binaryValues("binary_focal_crossentropy", b, yTrue, yPred, f.Axis, binaryKernel{
		fromLogits: f.FromLogits,
		focal:      true,
		gamma:      f.Gamma,
		balance:    f.ApplyClassBalancing,
		alpha:      f.Alpha,
		alphaNeg:   1 - f.Alpha,
	}, f.LabelSmoothing)
}

// binaryValues runs the binary kernel k over the rows of yPred along axis.
func binaryValues(name string, b backend.Backend, yTrue, yPred tensor.Tensor, axis int, k binaryKernel, ls float64) (tensor.Tensor, error) {
	if err := CheckInputs(name, b, yTrue, yPred); err != nil {
		return tensor.Tensor{}, err
	}
	if err := sameShape(name, yTrue, yPred); err != nil {
		return tensor.Tensor{}, err
	}
	ax, err := tensor.CanonicalAxis(axis, yPred.Rank())
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %w", name, err)
	}
	c := b.FloatCompute(yPred.DType)
	k.numerics = newNumerics(b, c)
	k.gamma, k.alpha, k.alphaNeg = k.s.Round(k.gamma), k.s.Round(k.alpha), k.s.Round(k.alphaNeg)
	if ls != 0 || math.IsNaN(ls) {
		k.smoothing = smoothing{on: true, keep: k.s.Round(1 - ls), shift: k.s.Round(0.5 * ls)}
	}
	t, p := yTrue.Cast(c).Data, yPred.Cast(c).Data
	lay := lanesOf(yPred.Shape, ax)
	k.strided = lay.strided()
	out := lay.each(func(_, base int, buf, _ []float64) float64 {
		return k.meanRow(t, p, base, lay.n, lay.inner, buf)
	})
	return tensor.Tensor{Shape: tensor.RemoveAxis(yPred.Shape, ax), DType: k.s, Data: out}, nil
}

// CategoricalCrossentropyFunc is keras.losses.categorical_crossentropy:
// -Σ_Axis t·log q between one-hot (or soft) labels, smoothed towards 1/C by
// LabelSmoothing, and probabilities (renormalised and clipped) or logits.
type CategoricalCrossentropyFunc struct {
	FromLogits     bool
	LabelSmoothing float64
	Axis           int
}

// NewCategoricalCrossentropyFunc returns categorical_crossentropy's defaults.
func NewCategoricalCrossentropyFunc() CategoricalCrossentropyFunc {
	return CategoricalCrossentropyFunc{Axis: -1}
}

// Values implements Func.
func (f CategoricalCrossentropyFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "categorical_crossentropy"
	k, t, p, ax, err := categoricalSetup(name, b, yTrue, yPred, f.FromLogits, f.LabelSmoothing, f.Axis)
	if err != nil {
		return tensor.Tensor{}, err
	}
	if err := sameShape(name, t, p); err != nil {
		return tensor.Tensor{}, err
	}
	lay := lanesOf(p.Shape, ax)
	k.strided = lay.strided()
	out := lay.each(func(_, base int, buf, _ []float64) float64 {
		return k.denseRow(t.Data, p.Data, base, lay.n, lay.inner, buf)
	})
	return tensor.Tensor{Shape: tensor.RemoveAxis(p.Shape, ax), DType: k.denseDType(), Data: out}, nil
}

// CategoricalFocalCrossentropyFunc is keras.losses.categorical_focal_crossentropy:
// Σ_Axis α·(1 - q)^Gamma·(-t·log q). Alpha weighs every class alike unless
// AlphaPerClass is set (Keras's alpha given as a list), which is broadcast on
// the last dimension.
type CategoricalFocalCrossentropyFunc struct {
	Alpha          float64
	AlphaPerClass  []float64
	Gamma          float64
	FromLogits     bool
	LabelSmoothing float64
	Axis           int
}

// NewCategoricalFocalCrossentropyFunc returns categorical_focal_crossentropy's defaults.
func NewCategoricalFocalCrossentropyFunc() CategoricalFocalCrossentropyFunc {
	return CategoricalFocalCrossentropyFunc{Alpha: 0.25, Gamma: 2, Axis: -1}
}

// Values implements Func.
func (f CategoricalFocalCrossentropyFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "categorical_focal_crossentropy"
	k, t, p, ax, err := categoricalSetup(name, b, yTrue, yPred, f.FromLogits, f.LabelSmoothing, f.Axis)
	if err != nil {
		return tensor.Tensor{}, err
	}
	// Keras multiplies -t·log q elementwise, so labels broadcast against the
	// predictions; only the broadcasts that leave y_pred's shape are ported.
	if !slices.Equal(t.Shape, p.Shape) {
		shape, err := tensor.BroadcastShapes(t.Shape, p.Shape)
		if err != nil {
			return tensor.Tensor{}, fmt.Errorf("%s: %w", name, err)
		}
		if !slices.Equal(shape, p.Shape) {
			return tensor.Tensor{}, fmt.Errorf("%s: y_true %v broadcasting y_pred %v to %v: %w",
				name, t.Shape, p.Shape, shape, tensor.ErrNotImplemented)
		}
		if t, err = t.BroadcastTo(p.Shape); err != nil {
			return tensor.Tensor{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	k.gamma = k.s.Round(f.Gamma)
	lastDim := p.Shape[p.Rank()-1]
	if f.AlphaPerClass == nil {
		k.ad, k.alpha = k.s, []float64{k.s.Round(f.Alpha)}
	} else {
		// A list becomes a float32 tensor and promotes the product.
		k.ad = tensor.PromoteFloat(k.s, tensor.Float32)
		if n := len(f.AlphaPerClass); n != 1 && n != lastDim {
			return tensor.Tensor{}, fmt.Errorf("%s: %w: alpha has %d values, which cannot broadcast against y_pred of shape %v",
				name, tensor.ErrShape, n, p.Shape)
		}
		k.alpha = make([]float64, len(f.AlphaPerClass))
		for i, a := range f.AlphaPerClass {
			k.alpha[i] = tensor.Float32.Round(a)
		}
	}
	lay := lanesOf(p.Shape, ax)
	k.strided = lay.strided()
	out := lay.each(func(_, base int, buf, probs []float64) float64 {
		return k.focalRow(t.Data, p.Data, base, lay.n, lay.inner, lastDim, buf, probs)
	})
	return tensor.Tensor{Shape: tensor.RemoveAxis(p.Shape, ax), DType: k.focalDType(), Data: out}, nil
}

// categoricalSetup does what categorical_crossentropy and its focal variant
// share before the backend op: checks, the compute dtype, the cast of labels
// to it, the label smoothing with C = y_true.shape[-1] (Keras 3.15; 3.16
// uses y_pred.shape[axis], equal for the last axis) and the axis.
func categoricalSetup(name string, b backend.Backend, yTrue, yPred tensor.Tensor, fromLogits bool, ls float64, axis int) (
	k categoricalKernel, t, p tensor.Tensor, ax int, err error) {
	if err = CheckInputs(name, b, yTrue, yPred); err != nil {
		return
	}
	if yPred.Rank() == 0 || yTrue.Rank() == 0 {
		err = fmt.Errorf("%s: %w: y_true and y_pred must be at least rank 1, got y_true %v and y_pred %v",
			name, tensor.ErrShape, yTrue.Shape, yPred.Shape)
		return
	}
	if ax, err = tensor.CanonicalAxis(axis, yPred.Rank()); err != nil {
		err = fmt.Errorf("%s: %w", name, err)
		return
	}
	c := b.FloatCompute(yPred.DType)
	k = categoricalKernel{numerics: newNumerics(b, c), fromLogits: fromLogits}
	if ls != 0 || math.IsNaN(ls) {
		// ls / C with C cast to c: a Python float over a c tensor.
		classes := c.Round(float64(yTrue.Shape[yTrue.Rank()-1]))
		k.smoothing = smoothing{on: true, keep: k.s.Round(1 - ls), shift: k.s.Round(k.s.Round(ls) / classes)}
	}
	return k, yTrue.Cast(c), yPred.Cast(c), ax, nil
}

// SparseCategoricalCrossentropyFunc is keras.losses.sparse_categorical_crossentropy:
// crossentropy between integer class labels and probabilities or logits
// along Axis. Labels equal to IgnoreClass (when set) give 0 and are masked
// out of a loss's reduction.
type SparseCategoricalCrossentropyFunc struct {
	FromLogits  bool
	IgnoreClass *int
	Axis        int
}

// NewSparseCategoricalCrossentropyFunc returns sparse_categorical_crossentropy's defaults.
func NewSparseCategoricalCrossentropyFunc() SparseCategoricalCrossentropyFunc {
	return SparseCategoricalCrossentropyFunc{Axis: -1}
}

// Values implements Func. On NumPy and JAX the result is float32 for float16
// and bfloat16 inputs: Keras multiplies the log-probabilities by a float32
// one-hot tensor.
func (f SparseCategoricalCrossentropyFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "sparse_categorical_crossentropy"
	if err := CheckInputs(name, b, yTrue, yPred); err != nil {
		return tensor.Tensor{}, err
	}
	rank := yPred.Rank()
	if rank == 0 {
		return tensor.Tensor{}, fmt.Errorf("%s: %w: y_pred must be at least rank 1, got shape %v", name, tensor.ErrShape, yPred.Shape)
	}
	ax, err := tensor.CanonicalAxis(f.Axis, rank)
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %w", name, err)
	}
	labels := yTrue
	if labels.Rank() == rank {
		ta, err := tensor.CanonicalAxis(f.Axis, labels.Rank())
		if err != nil {
			return tensor.Tensor{}, fmt.Errorf("%s: y_true: %w", name, err)
		}
		if labels.Shape[ta] == 1 {
			labels.Shape = tensor.RemoveAxis(labels.Shape, ta)
		}
	}
	c := sparseCompute(b, yPred.DType, f.IgnoreClass != nil)
	p := yPred.Cast(c)
	resShape := tensor.RemoveAxis(p.Shape, ax)

	var valid []bool
	if f.IgnoreClass != nil {
		if !slices.Equal(labels.Shape, resShape) {
			return tensor.Tensor{}, fmt.Errorf("%s: %w: with ignore_class, y_true %v must match y_pred %v without its class axis",
				name, tensor.ErrShape, labels.Shape, p.Shape)
		}
		// ops.cast(ignore_class, y_pred.dtype), before any narrowing.
		ignore := float64(*f.IgnoreClass)
		if yPred.DType.IsFloat() {
			ignore = yPred.DType.Round(ignore)
		}
		valid = make([]bool, len(labels.Data))
		for i, v := range labels.Data {
			valid[i] = v != ignore
		}
	}

	// The backend op.
	if b == backend.TensorFlow && ax != rank-1 {
		return tensor.Tensor{}, fmt.Errorf("%s: only axis=-1 is supported on TensorFlow, got axis=%d", name, f.Axis)
	}
	if n := labels.Rank(); n == rank && labels.Shape[n-1] == 1 {
		labels.Shape = labels.Shape[:n-1]
	}
	if !slices.Equal(labels.Shape, p.Shape[:rank-1]) {
		return tensor.Tensor{}, fmt.Errorf("%s: %w: y_true must have the shape of y_pred up until the last dimension, got y_true %v and y_pred %v",
			name, tensor.ErrShape, yTrue.Shape, p.Shape)
	}
	if ax != rank-1 {
		// NumPy and JAX check shapes as if the class axis were last; shapes
		// that pass that check with another axis are a coincidence not ported.
		return tensor.Tensor{}, fmt.Errorf("%s: axis=%d with y_pred %v: %w", name, f.Axis, p.Shape, tensor.ErrNotImplemented)
	}
	classes := p.Shape[ax]
	ids, err := sparseLabels(name, b, labels.Data, valid, classes)
	if err != nil {
		return tensor.Tensor{}, err
	}

	k := categoricalKernel{numerics: newNumerics(b, c), fromLogits: f.FromLogits}
	lay := lanesOf(p.Shape, ax)
	out := lay.each(func(r, base int, buf, _ []float64) float64 {
		if valid != nil && !valid[r] {
			return 0 // where(valid, loss, 0)
		}
		return k.sparseRow(ids[r], p.Data, base, lay.n, lay.inner, buf)
	})
	res := tensor.Tensor{Shape: resShape, DType: c, Data: out}
	if b != backend.TensorFlow {
		// The log-probabilities (in s, or c from logits) meet a float32 one-hot.
		d := k.c
		if !f.FromLogits {
			d = k.s
		}
		res.DType = tensor.PromoteFloat(d, tensor.Float32)
	}
	if valid != nil {
		mask := tensor.Tensor{Shape: resShape, DType: tensor.Bool, Data: make([]float64, len(valid))}
		for i, v := range valid {
			if v {
				mask.Data[i] = 1
			}
		}
		res.Mask = &mask
	}
	return res, nil
}

// sparseCompute is the dtype sparse crossentropy computes in. Unlike the
// other crossentropies the Keras function does not convert y_pred, so on
// NumPy float64 survives, unless ignore_class routes y_pred through ops.where,
// which narrows it.
func sparseCompute(b backend.Backend, d tensor.DType, ignore bool) tensor.DType {
	if b == backend.NumPy && !ignore && d.IsFloat() {
		return d
	}
	return b.FloatCompute(d)
}

// sparseLabels converts labels to class ids as each backend casts them, and
// refuses the labels the backend refuses: NumPy casts to int32 and fails on
// ids >= C (negative ids select nothing); JAX casts with saturation (NaN is
// 0) and never fails; TensorFlow casts to int64 and fails on any id outside
// [0, C). Ignored entries (valid false) have label 0.
func sparseLabels(name string, b backend.Backend, labels []float64, valid []bool, classes int) ([]int, error) {
	ids := make([]int, len(labels))
	for i, v := range labels {
		if valid != nil && !valid[i] {
			continue
		}
		var id int
		switch b {
		case backend.NumPy:
			id = int(tensor.Int32.Round(v))
			if id >= classes {
				return nil, fmt.Errorf("%s: label %v (index %d) is out of bounds for %d classes", name, v, i, classes)
			}
		case backend.JAX:
			id = backend.JAX.ToInt32(v)
		default:
			id = int(tensor.Int64.Round(v))
			if id < 0 || id >= classes {
				return nil, fmt.Errorf("%s: label %v (index %d) is outside the valid range [0, %d)", name, v, i, classes)
			}
		}
		ids[i] = id
	}
	return ids, nil
}

// sameShape refuses y_true and y_pred of different shapes, as the backends'
// crossentropy ops do.
func sameShape(name string, yTrue, yPred tensor.Tensor) error {
	if slices.Equal(yTrue.Shape, yPred.Shape) {
		return nil
	}
	return fmt.Errorf("%s: %w: y_true and y_pred must have the same shape, got y_true %v and y_pred %v",
		name, tensor.ErrShape, yTrue.Shape, yPred.Shape)
}

// CheckInputs refuses malformed tensors and unknown backends before any
// arithmetic, so that no input can make a kernel index out of range. The
// metrics call it too.
func CheckInputs(name string, b backend.Backend, yTrue, yPred tensor.Tensor) error {
	if !b.Valid() {
		return fmt.Errorf("%s: unknown backend %v", name, b)
	}
	if err := yTrue.Validate(); err != nil {
		return fmt.Errorf("%s: y_true: %w", name, err)
	}
	if err := yPred.Validate(); err != nil {
		return fmt.Errorf("%s: y_pred: %w", name, err)
	}
	return nil
}
