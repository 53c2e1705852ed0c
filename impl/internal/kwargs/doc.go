// Package kwargs reads Keras constructor keyword arguments from a config as
// decoded from JSON (numbers are float64, None is nil), the way Python would
// bind them: unknown keys are refused like an unexpected keyword argument,
// and each value must have a type the argument accepts.
//
// The same binding code also states the defaults: run against a decoder
// made by Defaults, it records what each destination holds instead of
// decoding, so losses and metrics write each default once, in their
// constructors, and derive DefaultConfig from it.
//
// Errors accumulate in the Decoder; Err reports them all. A Decoder is not
// safe for concurrent use.
package kwargs
