package metrics

import (
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The probabilistic metrics of keras/src/metrics/probabilistic_metrics.py
// that are crossentropies: MeanMetricWrappers over the loss functions. The
// weighted result is Σ w·l / Σ w, where the loss class gives Σ w·l / N.

// BinaryCrossentropy is keras.metrics.BinaryCrossentropy. Keras's metric has
// no axis argument; Axis stays at the function's default, -1.
type BinaryCrossentropy struct {
	losses.BinaryCrossentropyFunc
	Mean
}

// NewBinaryCrossentropy returns the metric with Keras's defaults.
func NewBinaryCrossentropy() *BinaryCrossentropy {
	return &BinaryCrossentropy{losses.NewBinaryCrossentropyFunc(), Mean{state: state{Name: "binary_crossentropy"}}}
}

// UpdateState accumulates the crossentropy of a batch.
func (m *BinaryCrossentropy) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.BinaryCrossentropyFunc, yTrue, yPred, sampleWeight)
}

// CategoricalCrossentropy is keras.metrics.CategoricalCrossentropy.
type CategoricalCrossentropy struct {
	losses.CategoricalCrossentropyFunc
	Mean
}

// NewCategoricalCrossentropy returns the metric with Keras's defaults.
func NewCategoricalCrossentropy() *CategoricalCrossentropy {
	return &CategoricalCrossentropy{losses.NewCategoricalCrossentropyFunc(), Mean{state: state{Name: "categorical_crossentropy"}}}
}

// UpdateState accumulates the crossentropy of a batch.
func (m *CategoricalCrossentropy) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.CategoricalCrossentropyFunc, yTrue, yPred, sampleWeight)
}

// SparseCategoricalCrossentropy is keras.metrics.SparseCategoricalCrossentropy.
// With IgnoreClass, ignored samples add 0 but still count, unless a sample
// weight is given: Keras honours the mask on the values only then.
type SparseCategoricalCrossentropy struct {
	losses.SparseCategoricalCrossentropyFunc
	Mean
}

// NewSparseCategoricalCrossentropy returns the metric with Keras's defaults.
func NewSparseCategoricalCrossentropy() *SparseCategoricalCrossentropy {
	return &SparseCategoricalCrossentropy{losses.NewSparseCategoricalCrossentropyFunc(), Mean{state: state{Name: "sparse_categorical_crossentropy"}}}
}

// UpdateState accumulates the crossentropy of a batch.
func (m *SparseCategoricalCrossentropy) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.SparseCategoricalCrossentropyFunc, yTrue, yPred, sampleWeight)
}
