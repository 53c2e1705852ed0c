package losses

import "github.com/kerasparity/kerasparity/impl/tensor"

// The loss classes. Each is its function's arguments plus Base, built by its
// New function with Keras's defaults, and calls the shared Base.call.

func defaultBase(name string) Base {
	return Base{Reduction: ReductionSumOverBatchSize, Name: name, DType: tensor.Float32}
}

// BinaryCrossentropy is keras.losses.BinaryCrossentropy.
type BinaryCrossentropy struct {
	BinaryCrossentropyFunc
	Base
}

// NewBinaryCrossentropy returns the loss with Keras's defaults.
func NewBinaryCrossentropy() *BinaryCrossentropy {
	return &BinaryCrossentropy{NewBinaryCrossentropyFunc(), defaultBase("binary_crossentropy")}
}

// Call implements Loss.
func (l *BinaryCrossentropy) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.BinaryCrossentropyFunc, yTrue, yPred, sampleWeight)
}

// BinaryFocalCrossentropy is keras.losses.BinaryFocalCrossentropy.
type BinaryFocalCrossentropy struct {
	BinaryFocalCrossentropyFunc
	Base
}

// NewBinaryFocalCrossentropy returns the loss with Keras's defaults.
func NewBinaryFocalCrossentropy() *BinaryFocalCrossentropy {
	return &BinaryFocalCrossentropy{NewBinaryFocalCrossentropyFunc(), defaultBase("binary_focal_crossentropy")}
}

// Call implements Loss.
func (l *BinaryFocalCrossentropy) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.BinaryFocalCrossentropyFunc, yTrue, yPred, sampleWeight)
}

// CategoricalCrossentropy is keras.losses.CategoricalCrossentropy.
type CategoricalCrossentropy struct {
	CategoricalCrossentropyFunc
	Base
}

// NewCategoricalCrossentropy returns the loss with Keras's defaults.
func NewCategoricalCrossentropy() *CategoricalCrossentropy {
	return &CategoricalCrossentropy{NewCategoricalCrossentropyFunc(), defaultBase("categorical_crossentropy")}
}

// Call implements Loss.
func (l *CategoricalCrossentropy) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.CategoricalCrossentropyFunc, yTrue, yPred, sampleWeight)
}

// CategoricalFocalCrossentropy is keras.losses.CategoricalFocalCrossentropy.
type CategoricalFocalCrossentropy struct {
	CategoricalFocalCrossentropyFunc
	Base
}

// NewCategoricalFocalCrossentropy returns the loss with Keras's defaults.
func NewCategoricalFocalCrossentropy() *CategoricalFocalCrossentropy {
	return &CategoricalFocalCrossentropy{NewCategoricalFocalCrossentropyFunc(), defaultBase("categorical_focal_crossentropy")}
}

// Call implements Loss.
func (l *CategoricalFocalCrossentropy) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.CategoricalFocalCrossentropyFunc, yTrue, yPred, sampleWeight)
}

// SparseCategoricalCrossentropy is keras.losses.SparseCategoricalCrossentropy.
// With IgnoreClass set, ignored entries are left out of the reduction's
// denominator (they are masked), not just zeroed.
type SparseCategoricalCrossentropy struct {
	SparseCategoricalCrossentropyFunc
	Base
}

// NewSparseCategoricalCrossentropy returns the loss with Keras's defaults.
func NewSparseCategoricalCrossentropy() *SparseCategoricalCrossentropy {
	return &SparseCategoricalCrossentropy{NewSparseCategoricalCrossentropyFunc(), defaultBase("sparse_categorical_crossentropy")}
}

// Call implements Loss.
func (l *SparseCategoricalCrossentropy) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.SparseCategoricalCrossentropyFunc, yTrue, yPred, sampleWeight)
}
