package metrics

import (
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The probabilistic metrics of keras/src/metrics/probabilistic_metrics.py
// other than the crossentropies (crossentropy.go): MeanMetricWrappers over
// the loss functions, computed on the inputs as given.

// KLDivergence is keras.metrics.KLDivergence: Σ t·log(t/p) over the last axis
// with t and p clipped to [ε, 1], averaged.
type KLDivergence struct {
	losses.KLDivergenceFunc
	Mean
}

// NewKLDivergence returns the metric with Keras's defaults.
func NewKLDivergence() *KLDivergence {
	return &KLDivergence{losses.NewKLDivergenceFunc(), newMean("kl_divergence")}
}

// UpdateState accumulates the values of a batch.
func (m *KLDivergence) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.KLDivergenceFunc, yTrue, yPred, sampleWeight)
}

// Poisson is keras.metrics.Poisson: mean(p − t·log(p + ε)) over the last
// axis, averaged.
type Poisson struct {
	losses.PoissonFunc
	Mean
}

// NewPoisson returns the metric with Keras's defaults.
func NewPoisson() *Poisson { return &Poisson{losses.NewPoissonFunc(), newMean("poisson")} }

// UpdateState accumulates the values of a batch.
func (m *Poisson) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.PoissonFunc, yTrue, yPred, sampleWeight)
}
