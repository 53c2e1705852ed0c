// Package metrics is a port of Keras 3's metrics (keras.metrics): stateful
// objects that accumulate over UpdateState calls and report Result.
//
// The machinery follows keras/src/metrics/reduction_metrics.py: Sum and Mean
// reduce values to per-sample values (reduce_to_samplewise_values) and
// accumulate them in the metric dtype; MeanMetricWrapper feeds Mean with the
// per-sample values of a function computed on the inputs as given (in their
// own dtype, unlike a loss class). Most metrics are MeanMetricWrappers: the
// crossentropies, the accuracies, the regression, hinge and probabilistic
// metrics (over the functions of package losses) and the correlations.
// RootMeanSquaredError, R2Score, FBetaScore/F1Score and the confusion-matrix
// and IoU metrics convert their inputs to the metric dtype and keep states of
// their own.
//
// A metric is built with its constructor, which gives Keras's defaults, or
// by Keras class name from its config (FromConfig); DefaultConfig gives
// that config for the defaults. One table (classes.go) lists the classes,
// and every default is written once, in the constructors.
//
// # Conventions
//
// Dtypes: a metric's state lives in its dtype (float32 by default), as
// Keras's variables do; Result returns a tensor of the dtype Keras's result
// has on the backend.
//
// Backend option: the metric's Backend field, or FromConfig's argument,
// picks the backend whose numerics it follows; the zero value is
// TensorFlow.
//
// Errors: UpdateState returns an error for input Keras refuses, and never
// panics; what the port does not support gives an error wrapping
// tensor.ErrNotImplemented.
//
// Concurrency: a metric is stateful and not safe for concurrent use;
// distinct metrics are independent. UpdateState does not modify its
// arguments.
package metrics
