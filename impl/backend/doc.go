// Package backend holds the numerics in which the Keras backends differ: the
// one place where the port says how NumPy, JAX and TensorFlow compute an op.
//
// Keras 3 computes the same loss differently on different backends: a sum
// adds in a different order, softplus has a different formula, float64
// becomes float32 on JAX (64-bit types are off) and on NumPy inside Keras
// ops, a float16 op computes in float32 on NumPy and op by op in float16 on
// JAX, subnormals flush to zero on TensorFlow's and XLA's CPU kernels. A
// Backend value names one backend, and its methods compute each op the way
// that backend does: the reductions (Sum, Mean, SumChunks, SumSparse,
// ColumnSums), the elementwise ops (Sigmoid, Softplus, LogAddExp), the row
// ops (LogSumExp, Argmax, InTopK, TopK, ReverseCumsum), conversions (ToInt,
// FlushDenormals) and the dtype rules (Materialize, Implicit, FloatCompute,
// WithPythonFloat, WithConvertedFloat).
//
// # Conventions
//
// Dtypes: values are float64 holding values of a tensor.DType; a method
// taking a dtype d expects its inputs already rounded to d and returns a
// value of d, with every intermediate result rounded where the backend
// materialises it. Exp, log and log1p are taken as correctly rounded; the
// backends' own are within an ulp or two, which is what the conformance
// tolerances absorb.
//
// Backend option: the zero Backend is TensorFlow, Keras's default. Losses
// and metrics take a Backend in their Backend field or in FromConfig.
//
// Errors: the ops never fail; those whose Keras op can refuse an input
// (InTopK, TopKCount, Index) say so with an error or a bool, and never
// panic on one.
//
// Concurrency: a Backend is a small value and every method is safe for
// concurrent use; no method modifies its arguments, except where a buffer
// argument is documented as written.
//
// Loss and metric code may compare backends only where it mirrors a branch
// of Keras's own Python, and then cites it; a test keeps it so.
package backend
