package metrics

import (
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The hinge metrics of keras/src/metrics/hinge_metrics.py: MeanMetricWrappers
// over the hinge loss functions, computed on the inputs as given.

// Hinge is keras.metrics.Hinge: mean(max(1 − t·p, 0)) over the last axis,
// with 0/1 labels turned into ±1 when every label is 0 or 1.
type Hinge struct {
	losses.HingeFunc
	Mean
}

// NewHinge returns the metric with Keras's defaults.
func NewHinge() *Hinge { return &Hinge{losses.NewHingeFunc(), newMean("hinge")} }

// UpdateState accumulates the values of a batch.
func (m *Hinge) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.HingeFunc, yTrue, yPred, sampleWeight)
}

// SquaredHinge is keras.metrics.SquaredHinge: mean(max(1 − t·p, 0)²) over the
// last axis, labels converted as for Hinge.
type SquaredHinge struct {
	losses.SquaredHingeFunc
	Mean
}

// NewSquaredHinge returns the metric with Keras's defaults.
func NewSquaredHinge() *SquaredHinge {
	return &SquaredHinge{losses.NewSquaredHingeFunc(), newMean("squared_hinge")}
}

// UpdateState accumulates the values of a batch.
func (m *SquaredHinge) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.SquaredHingeFunc, yTrue, yPred, sampleWeight)
}

// CategoricalHinge is keras.metrics.CategoricalHinge:
// max(0, 1 + max((1 − t)·p) − Σ t·p) per sample; labels are never converted.
type CategoricalHinge struct {
	losses.CategoricalHingeFunc
	Mean
}

// NewCategoricalHinge returns the metric with Keras's defaults.
func NewCategoricalHinge() *CategoricalHinge {
	return &CategoricalHinge{losses.NewCategoricalHingeFunc(), newMean("categorical_hinge")}
}

// UpdateState accumulates the values of a batch.
func (m *CategoricalHinge) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.CategoricalHingeFunc, yTrue, yPred, sampleWeight)
}
