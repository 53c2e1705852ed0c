// Package losses is a port of Keras 3's losses (keras.losses): the loss
// classes with their reductions, sample weights and masks, the plain loss
// functions they wrap, and construction from a Keras config.
//
// A loss class works like keras.losses.Loss.__call__: it converts y_true and
// y_pred to the loss dtype, aligns their ranks, computes per-sample values
// with its Func, then weighs, masks and reduces them. Every step rounds where
// Keras materialises a tensor, on the backend the loss is configured for, so
// results match Keras to the last bits the backends agree on.
//
// A loss is built with its constructor (NewHuber, ...), which gives Keras's
// defaults, or by Keras class name from the config Keras's get_config
// returns (FromConfig); DefaultConfig gives that config for the defaults.
// One table lists the classes, and every default is written once, in the
// constructors.
//
// # Conventions
//
// Dtypes: a loss computes in its Base.DType (float32 by default; Keras's
// dtype argument, or a mixed policy's compute dtype), narrowed as the
// backend narrows it (float64 becomes float32 on JAX). A Func computes in
// the dtype Keras's function would, from y_pred's dtype.
//
// Backend option: Base.Backend, or FromConfig's argument, picks the backend
// whose numerics a loss follows; the zero value is TensorFlow.
//
// Errors: invalid input (shapes that do not fit, a bad reduction, labels
// Keras refuses) gives an error, never a panic; what the port does not
// support gives an error wrapping tensor.ErrNotImplemented.
//
// Concurrency: Call does not modify the loss or its arguments, so a loss
// may be called from several goroutines at once. Large inputs are split
// over goroutines internally without changing any result.
package losses
