// Package tensor holds the dense tensors the Keras port computes on: shapes,
// dtypes and the rounding that makes float64 arithmetic land on the values a
// backend computing in float32, float16 or bfloat16 produces, plus the
// NumPy-style broadcasting and Keras's rank alignment rule.
//
// # Conventions
//
// Dtypes: a Tensor holds its values as float64, each exactly representable
// in its DType; DType.Round maps a float64 result to the nearest value of a
// dtype (round to nearest even, overflow to ±Inf; integer dtypes truncate
// and wrap like a C cast). The zero DType is Float32, Keras's floatx.
//
// Errors: constructors and shape functions return errors, never panic on
// input; shape errors wrap ErrShape, and what the port does not support
// wraps ErrNotImplemented, so callers can tell a refusal Keras would make
// from a gap in the port with errors.Is.
//
// Concurrency: a Tensor is a value whose Data and Shape slices may be
// shared; functions in this package never modify their arguments' data, so
// tensors may be read from several goroutines at once.
package tensor
