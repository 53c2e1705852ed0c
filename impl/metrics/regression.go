package metrics

import (
	"fmt"
	"math"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The regression metrics of keras/src/metrics/regression_metrics.py that
// wrap a loss function in a MeanMetricWrapper: the function runs on the
// inputs as given (in their dtype, so float64 inputs compute in float64 on
// TensorFlow), and the weighted result is Σ w·v / Σ w.

// CosineSimilarityFunc is the function of keras.metrics.CosineSimilarity:
// +Σ n(y_true)·n(y_pred) along Axis, the loss function
// keras.losses.cosine_similarity without its minus sign (so the same
// normalisation on every backend, bit for bit).
type CosineSimilarityFunc struct {
	Axis int
}

// NewCosineSimilarityFunc returns the function's defaults.
func NewCosineSimilarityFunc() CosineSimilarityFunc { return CosineSimilarityFunc{Axis: -1} }

// Values implements losses.Func.
func (f CosineSimilarityFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	v, err := losses.CosineSimilarityFunc{Axis: f.Axis}.Values(b, yTrue, yPred)
	if err != nil {
		return tensor.Tensor{}, err
	}
	for i, x := range v.Data {
		v.Data[i] = -x
	}
	return v, nil
}

// CosineSimilarity is keras.metrics.CosineSimilarity: the mean cosine
// similarity between y_true and y_pred along Axis (1 for parallel vectors,
// 0 for orthogonal ones or a zero vector). Keras's get_config leaves the
// axis out.
type CosineSimilarity struct {
	CosineSimilarityFunc
	Mean
}

// NewCosineSimilarity returns the metric with Keras's defaults.
func NewCosineSimilarity() *CosineSimilarity {
	return &CosineSimilarity{NewCosineSimilarityFunc(), newMean("cosine_similarity")}
}

// UpdateState accumulates the similarities of a batch.
func (m *CosineSimilarity) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.CosineSimilarityFunc, yTrue, yPred, sampleWeight)
}

// RootMeanSquaredError is keras.metrics.RootMeanSquaredError: the square
// root of the weighted mean of (y_pred − y_true)². Unlike the wrapper
// metrics it converts y_true and y_pred to the metric dtype first and aligns
// their ranks; a weight then weighs the squared errors as Mean weighs values.
type RootMeanSquaredError struct {
	Mean
}

// NewRootMeanSquaredError returns the metric with Keras's defaults.
func NewRootMeanSquaredError() *RootMeanSquaredError {
	return &RootMeanSquaredError{newMean("root_mean_squared_error")}
}

// UpdateState accumulates the squared errors of a batch.
func (m *RootMeanSquaredError) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	if err := m.checkUpdate(func() error { return nil }, yTrue, yPred); err != nil {
		return err
	}
	d := m.dtype()
	kd := m.Backend.Implicit(d) // ops.square narrows float64 on NumPy
	t, p := tensor.SqueezeOrExpandToSameRank(yTrue.Cast(d), yPred.Cast(d), true)
	sq, err := tensor.Map2(p, t, kd, func(a, b float64) float64 {
		e := d.Round(a - b)
		return e * e
	})
	if err != nil {
		return fmt.Errorf("%s: %w", m.Name, err)
	}
	return m.Mean.UpdateState(sq, sampleWeight)
}

// Result returns sqrt(total / count), 0 before any sample.
func (m *RootMeanSquaredError) Result() tensor.Tensor {
	r := m.Mean.Result()
	r.Data[0] = r.DType.Round(math.Sqrt(r.Data[0]))
	return r
}

// MeanSquaredError is keras.metrics.MeanSquaredError: the mean of (y_pred −
// y_true)² over the last axis, averaged.
type MeanSquaredError struct {
	losses.MeanSquaredErrorFunc
	Mean
}

// NewMeanSquaredError returns the metric with Keras's defaults.
func NewMeanSquaredError() *MeanSquaredError {
	return &MeanSquaredError{losses.NewMeanSquaredErrorFunc(), newMean("mean_squared_error")}
}

// UpdateState accumulates the values of a batch.
func (m *MeanSquaredError) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.MeanSquaredErrorFunc, yTrue, yPred, sampleWeight)
}

// MeanAbsoluteError is keras.metrics.MeanAbsoluteError: the mean of |y_pred −
// y_true| over the last axis, averaged.
type MeanAbsoluteError struct {
	losses.MeanAbsoluteErrorFunc
	Mean
}

// NewMeanAbsoluteError returns the metric with Keras's defaults.
func NewMeanAbsoluteError() *MeanAbsoluteError {
	return &MeanAbsoluteError{losses.NewMeanAbsoluteErrorFunc(), newMean("mean_absolute_error")}
}

// UpdateState accumulates the values of a batch.
func (m *MeanAbsoluteError) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.MeanAbsoluteErrorFunc, yTrue, yPred, sampleWeight)
}

// MeanAbsolutePercentageError is keras.metrics.MeanAbsolutePercentageError:
// 100 · mean(|t − p| / max(|t|, ε)) over the last axis, averaged.
type MeanAbsolutePercentageError struct {
	losses.MeanAbsolutePercentageErrorFunc
	Mean
}

// NewMeanAbsolutePercentageError returns the metric with Keras's defaults.
func NewMeanAbsolutePercentageError() *MeanAbsolutePercentageError {
	return &MeanAbsolutePercentageError{losses.NewMeanAbsolutePercentageErrorFunc(), newMean("mean_absolute_percentage_error")}
}

// UpdateState accumulates the values of a batch.
func (m *MeanAbsolutePercentageError) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.MeanAbsolutePercentageErrorFunc, yTrue, yPred, sampleWeight)
}

// MeanSquaredLogarithmicError is keras.metrics.MeanSquaredLogarithmicError:
// mean((log(max(p, ε) + 1) − log(max(t, ε) + 1))²) over the last axis,
// averaged.
type MeanSquaredLogarithmicError struct {
	losses.MeanSquaredLogarithmicErrorFunc
	Mean
}

// NewMeanSquaredLogarithmicError returns the metric with Keras's defaults.
func NewMeanSquaredLogarithmicError() *MeanSquaredLogarithmicError {
	return &MeanSquaredLogarithmicError{losses.NewMeanSquaredLogarithmicErrorFunc(), newMean("mean_squared_logarithmic_error")}
}

// UpdateState accumulates the values of a batch.
func (m *MeanSquaredLogarithmicError) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.MeanSquaredLogarithmicErrorFunc, yTrue, yPred, sampleWeight)
}

// LogCoshError is keras.metrics.LogCoshError (default name
// "logcosh"): the mean of log(cosh(p − t)) over the last axis, averaged.
type LogCoshError struct {
	losses.LogCoshFunc
	Mean
}

// NewLogCoshError returns the metric with Keras's defaults.
func NewLogCoshError() *LogCoshError {
	return &LogCoshError{losses.NewLogCoshFunc(), newMean("logcosh")}
}

// UpdateState accumulates the values of a batch.
func (m *LogCoshError) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.LogCoshFunc, yTrue, yPred, sampleWeight)
}
