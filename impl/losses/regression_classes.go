package losses

import "github.com/kerasparity/kerasparity/impl/tensor"

// The loss classes of the regression, hinge and probabilistic losses. Each is
// its function plus Base, built by its New function with Keras's defaults;
// Call is the shared Base.call.

// MeanSquaredError is keras.losses.MeanSquaredError, default name "mean_squared_error".
type MeanSquaredError struct {
	MeanSquaredErrorFunc
	Base
}

// NewMeanSquaredError returns the loss with Keras's defaults.
func NewMeanSquaredError() *MeanSquaredError {
	return &MeanSquaredError{NewMeanSquaredErrorFunc(), defaultBase("mean_squared_error")}
}

// Call implements Loss.
func (l *MeanSquaredError) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.MeanSquaredErrorFunc, yTrue, yPred, sampleWeight)
}

// MeanAbsoluteError is keras.losses.MeanAbsoluteError, default name "mean_absolute_error".
type MeanAbsoluteError struct {
	MeanAbsoluteErrorFunc
	Base
}

// NewMeanAbsoluteError returns the loss with Keras's defaults.
func NewMeanAbsoluteError() *MeanAbsoluteError {
	return &MeanAbsoluteError{NewMeanAbsoluteErrorFunc(), defaultBase("mean_absolute_error")}
}

// Call implements Loss.
func (l *MeanAbsoluteError) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.MeanAbsoluteErrorFunc, yTrue, yPred, sampleWeight)
}

// MeanAbsolutePercentageError is keras.losses.MeanAbsolutePercentageError, default name "mean_absolute_percentage_error".
type MeanAbsolutePercentageError struct {
	MeanAbsolutePercentageErrorFunc
	Base
}

// NewMeanAbsolutePercentageError returns the loss with Keras's defaults.
func NewMeanAbsolutePercentageError() *MeanAbsolutePercentageError {
	return &MeanAbsolutePercentageError{NewMeanAbsolutePercentageErrorFunc(), defaultBase("mean_absolute_percentage_error")}
}

// Call implements Loss.
func (l *MeanAbsolutePercentageError) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.MeanAbsolutePercentageErrorFunc, yTrue, yPred, sampleWeight)
}

// MeanSquaredLogarithmicError is keras.losses.MeanSquaredLogarithmicError, default name "mean_squared_logarithmic_error".
type MeanSquaredLogarithmicError struct {
	MeanSquaredLogarithmicErrorFunc
	Base
}

// NewMeanSquaredLogarithmicError returns the loss with Keras's defaults.
func NewMeanSquaredLogarithmicError() *MeanSquaredLogarithmicError {
	return &MeanSquaredLogarithmicError{NewMeanSquaredLogarithmicErrorFunc(), defaultBase("mean_squared_logarithmic_error")}
}

// Call implements Loss.
func (l *MeanSquaredLogarithmicError) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.MeanSquaredLogarithmicErrorFunc, yTrue, yPred, sampleWeight)
}

// CosineSimilarity is keras.losses.CosineSimilarity, default name "cosine_similarity".
// The loss is the negative similarity: -1 for vectors pointing the same way.
type CosineSimilarity struct {
	CosineSimilarityFunc
	Base
}

// NewCosineSimilarity returns the loss with Keras's defaults.
func NewCosineSimilarity() *CosineSimilarity {
	return &CosineSimilarity{NewCosineSimilarityFunc(), defaultBase("cosine_similarity")}
}

// Call implements Loss.
func (l *CosineSimilarity) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.CosineSimilarityFunc, yTrue, yPred, sampleWeight)
}

// Huber is keras.losses.Huber, default name "huber_loss".
type Huber struct {
	HuberFunc
	Base
}

// NewHuber returns the loss with Keras's defaults.
func NewHuber() *Huber {
	return &Huber{NewHuberFunc(), defaultBase("huber_loss")}
}

// Call implements Loss.
func (l *Huber) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.HuberFunc, yTrue, yPred, sampleWeight)
}

// LogCosh is keras.losses.LogCosh, default name "log_cosh".
type LogCosh struct {
	LogCoshFunc
	Base
}

// NewLogCosh returns the loss with Keras's defaults.
func NewLogCosh() *LogCosh {
	return &LogCosh{NewLogCoshFunc(), defaultBase("log_cosh")}
}

// Call implements Loss.
func (l *LogCosh) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.LogCoshFunc, yTrue, yPred, sampleWeight)
}

// Hinge is keras.losses.Hinge, default name "hinge".
type Hinge struct {
	HingeFunc
	Base
}

// NewHinge returns the loss with Keras's defaults.
func NewHinge() *Hinge {
	return &Hinge{NewHingeFunc(), defaultBase("hinge")}
}

// Call implements Loss.
func (l *Hinge) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.HingeFunc, yTrue, yPred, sampleWeight)
}

// SquaredHinge is keras.losses.SquaredHinge, default name "squared_hinge".
type SquaredHinge struct {
	SquaredHingeFunc
	Base
}

// NewSquaredHinge returns the loss with Keras's defaults.
func NewSquaredHinge() *SquaredHinge {
	return &SquaredHinge{NewSquaredHingeFunc(), defaultBase("squared_hinge")}
}

// Call implements Loss.
func (l *SquaredHinge) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.SquaredHingeFunc, yTrue, yPred, sampleWeight)
}

// CategoricalHinge is keras.losses.CategoricalHinge, default name "categorical_hinge".
type CategoricalHinge struct {
	CategoricalHingeFunc
	Base
}

// NewCategoricalHinge returns the loss with Keras's defaults.
func NewCategoricalHinge() *CategoricalHinge {
	return &CategoricalHinge{NewCategoricalHingeFunc(), defaultBase("categorical_hinge")}
}

// Call implements Loss.
func (l *CategoricalHinge) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.CategoricalHingeFunc, yTrue, yPred, sampleWeight)
}

// KLDivergence is keras.losses.KLDivergence, default name "kl_divergence".
type KLDivergence struct {
	KLDivergenceFunc
	Base
}

// NewKLDivergence returns the loss with Keras's defaults.
func NewKLDivergence() *KLDivergence {
	return &KLDivergence{NewKLDivergenceFunc(), defaultBase("kl_divergence")}
}

// Call implements Loss.
func (l *KLDivergence) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.KLDivergenceFunc, yTrue, yPred, sampleWeight)
}

// Poisson is keras.losses.Poisson, default name "poisson".
type Poisson struct {
	PoissonFunc
	Base
}

// NewPoisson returns the loss with Keras's defaults.
func NewPoisson() *Poisson {
	return &Poisson{NewPoissonFunc(), defaultBase("poisson")}
}

// Call implements Loss.
func (l *Poisson) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.PoissonFunc, yTrue, yPred, sampleWeight)
}
