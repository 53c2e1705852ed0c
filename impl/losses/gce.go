package losses

import (
	"fmt"
	"math"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// CategoricalGeneralizedCrossEntropyFunc is
// keras.losses.categorical_generalized_cross_entropy: (1 - p^Q) / Q, p being
// y_pred's probability of the class y_true names. Keras's function has no
// default for q (the class's is 0.5) and does not check it.
//
// Like Keras it one-hot encodes y_true as is, to shape y_true.shape + (C,),
// and multiplies that by y_pred with ordinary broadcasting: labels of shape
// (B,) against (B, C) predictions give one loss per sample, but labels of
// shape (B, 1) give a (B, B) matrix, every sample's label against every
// sample's predictions. A label outside [0, C) selects nothing (p = 0, a loss
// of 1/Q), except on NumPy, where a label >= C is an error. p is not
// clipped, and a NaN or infinite probability anywhere in a row makes the
// row's loss NaN (it meets the one-hot zeros).
type CategoricalGeneralizedCrossEntropyFunc struct {
	Q float64
}

// Values implements Func.
func (f CategoricalGeneralizedCrossEntropyFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "categorical_generalized_cross_entropy"
	if err := CheckInputs(name, b, yTrue, yPred); err != nil {
		return tensor.Tensor{}, err
	}
	if yPred.Rank() == 0 {
		return tensor.Tensor{}, fmt.Errorf("%s: %w: y_pred must have a class axis, got shape %v", name, tensor.ErrShape, yPred.Shape)
	}
	if !yPred.DType.IsFloat() {
		return tensor.Tensor{}, fmt.Errorf("%s: y_pred of dtype %v: %w (only float y_pred)", name, yPred.DType, tensor.ErrNotImplemented)
	}
	c := b.FloatCompute(yPred.DType)
	n := newNumerics(b, c)
	p := yPred.Cast(c)
	classes := p.Shape[p.Rank()-1]
	rowShape := p.Shape[:p.Rank()-1]
	shape, err := tensor.BroadcastShapes(rowShape, yTrue.Shape)
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: one-hot y_true %v against y_pred %v: %w", name, yTrue.Shape, p.Shape, err)
	}
	ids, err := gceLabels(name, b, yTrue.Data, classes)
	if err != nil {
		return tensor.Tensor{}, err
	}
	walk, err := tensor.NewBroadcaster(shape, rowShape, yTrue.Shape)
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %w", name, err)
	}
	// ops.power converts q to y_pred's dtype; the division by q is an op
	// with a Python float.
	qc, qs := c.Round(f.Q), n.s.Round(f.Q)
	out := tensor.Tensor{Shape: shape, DType: n.s, Data: make([]float64, tensor.Size(shape))}
	walk.Each(func(i int, offs []int) {
		row := p.Data[offs[0]*classes : (offs[0]+1)*classes]
		py := pickOneHot(row, ids[offs[1]])
		pw := c.Round(math.Pow(py, qc))
		out.Data[i] = n.rs(c.Round(1-pw) / qs)
	})
	return out, nil
}

// pickOneHot is Σ_k row[k]·one_hot(id)[k]: row[id] (0 for an id outside
// the row), or NaN when a NaN or infinite value meets a zero of the one-hot
// vector.
func pickOneHot(row []float64, id int) float64 {
	v := 0.0
	for k, x := range row {
		if k == id {
			v = x
		} else if math.IsNaN(x) || math.IsInf(x, 0) {
			return math.NaN()
		}
	}
	return v
}

// gceLabels converts labels as ops.cast(y_true, "int") does on each backend
// (int64 on NumPy and TensorFlow, int32 with saturation on JAX) and refuses
// what NumPy's one_hot refuses: an id >= C. Other out-of-range ids become -1.
func gceLabels(name string, b backend.Backend, labels []float64, classes int) ([]int, error) {
	ids := make([]int, len(labels))
	for i, v := range labels {
		id := b.ToInt(tensor.Int64, v)
		if id >= classes && b == backend.NumPy { // keras/src/backend/numpy/nn.py: one_hot
			return nil, fmt.Errorf("%s: label %v (index %d) is out of bounds for %d classes", name, v, i, classes)
		}
		if id < 0 || id >= classes {
			id = -1
		}
		ids[i] = id
	}
	return ids, nil
}

// CategoricalGeneralizedCrossEntropy is
// keras.losses.CategoricalGeneralizedCrossEntropy. Q must lie in (0, 1).
type CategoricalGeneralizedCrossEntropy struct {
	CategoricalGeneralizedCrossEntropyFunc
	Base
}

// NewCategoricalGeneralizedCrossEntropy returns the loss with Keras's
// defaults (q=0.5, name "categorical_generalized_cross_entropy").
func NewCategoricalGeneralizedCrossEntropy() *CategoricalGeneralizedCrossEntropy {
	return &CategoricalGeneralizedCrossEntropy{
		CategoricalGeneralizedCrossEntropyFunc{Q: 0.5},
		defaultBase("categorical_generalized_cross_entropy"),
	}
}

// Call implements Loss.
func (l *CategoricalGeneralizedCrossEntropy) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	if err := l.validQ(); err != nil {
		return tensor.Tensor{}, err
	}
	return l.call(l.CategoricalGeneralizedCrossEntropyFunc, yTrue, yPred, sampleWeight)
}

// validQ is the class constructor's check of q.
func (f CategoricalGeneralizedCrossEntropyFunc) validQ() error {
	if !(f.Q > 0 && f.Q < 1) {
		return fmt.Errorf("categorical_generalized_cross_entropy: q must be in the interval (0, 1), got %v", f.Q)
	}
	return nil
}
