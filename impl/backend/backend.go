package backend

import (
	"fmt"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Backend is a Keras backend. The zero value is TensorFlow, Keras's default.
type Backend uint8

// The backends the port follows.
const (
	TensorFlow Backend = iota
	JAX
	NumPy
	numBackends
)

var names = [numBackends]string{TensorFlow: "tensorflow", JAX: "jax", NumPy: "numpy"}

// String returns the name KERAS_BACKEND uses for b.
func (b Backend) String() string {
	if b < numBackends {
		return names[b]
	}
	return fmt.Sprintf("Backend(%d)", uint8(b))
}

// Parse returns the backend named as KERAS_BACKEND names it.
func Parse(name string) (Backend, error) {
	for b, n := range names {
		if n == name {
			return Backend(b), nil
		}
	}
	return 0, fmt.Errorf("unknown Keras backend %q (known: tensorflow, jax, numpy)", name)
}

// Valid reports whether b is one of the known backends.
func (b Backend) Valid() bool { return b < numBackends }

// Materialize is the dtype a tensor actually gets when dtype d is asked for
// explicitly (ops.convert_to_tensor(x, dtype=d), a Loss or Metric dtype).
// JAX runs with 64-bit types disabled, so float64 becomes float32 and int64
// int32; the other backends honour the request.
func (b Backend) Materialize(d tensor.DType) tensor.DType {
	if b == JAX {
		return narrow(d)
	}
	return d
}

// Implicit is the dtype a Keras op gives a result computed from operands of
// dtype d without an explicit dtype (ops.convert_to_tensor(x),
// ops.divide_no_nan, ops.where, ...). Keras's dtype lattice on NumPy and JAX
// has no 64-bit types unless JAX's x64 mode is on, so float64 arrays become
// float32 there, even on NumPy, whose own arrays keep float64: NumPy-backend
// code that calls NumPy directly (the backend's crossentropy kernels) keeps
// float64 while Keras ops around it do not. TensorFlow keeps float64.
func (b Backend) Implicit(d tensor.DType) tensor.DType {
	if b == TensorFlow {
		return d
	}
	return narrow(d)
}

func narrow(d tensor.DType) tensor.DType {
	switch d {
	case tensor.Float64:
		return tensor.Float32
	case tensor.Int64:
		return tensor.Int32
	}
	return d
}

// FloatCompute is the floating-point dtype a Keras loss function computes in
// when handed y_pred of dtype d: Implicit(d) for floats; integer and bool
// predictions become floatx (float32), as the first float op promotes them.
func (b Backend) FloatCompute(d tensor.DType) tensor.DType {
	if !d.IsFloat() {
		return tensor.Float32
	}
	return b.Implicit(d)
}

// WithConvertedFloat is the dtype of an op between a float tensor of dtype d
// and a Python float made a tensor by ops.convert_to_tensor (a float32
// tensor, such as convert_to_tensor(backend.epsilon())): on JAX that tensor
// stays weakly typed and d wins; elsewhere it is a float32 tensor and the two
// promote (tensor.PromoteFloat).
func (b Backend) WithConvertedFloat(d tensor.DType) tensor.DType {
	if b == JAX {
		return d
	}
	return tensor.PromoteFloat(d, tensor.Float32)
}

// ReducesScalarOverAxis reports whether ops.sum and ops.max over axis -1
// accept operands of rank 0: on NumPy an op between 0-d arrays gives a NumPy
// scalar, and np.sum and np.max of a NumPy scalar ignore the axis; JAX and
// TensorFlow refuse the axis.
func (b Backend) ReducesScalarOverAxis() bool { return b == NumPy }

// TransposeIsView reports whether ops.transpose gives a view, so that a
// reduction along the transposed tensor's last axis runs strided through
// memory (NumPy, and XLA, which fuses the transpose into the reduction);
// TensorFlow materialises the transpose, and the reduction is contiguous.
func (b Backend) TransposeIsView() bool { return b != TensorFlow }

// Index is the position x[..., i] reads along an axis of n elements, and
// whether the backend accepts i: a negative i counts from the end; out of
// range, NumPy and TensorFlow raise an IndexError while JAX clamps i into
// [0, n) (its default out-of-bounds mode for a static index).
func (b Backend) Index(i, n int) (int, bool) {
	if i < 0 {
		i += n
	}
	if b == JAX && n > 0 {
		return min(max(i, 0), n-1), true
	}
	return i, i >= 0 && i < n
}
