// Package port is the contract between the conformance suites and an
// implementation of Keras losses and metrics. The suites speak only to these
// interfaces, so any Go port (or a bridge to a port in another language) can
// be checked by writing one adapter that satisfies Port.
package port

import (
	"errors"
	"fmt"

	"github.com/kerasparity/kerasparity/reference"
)

// Array is the neutral tensor form used at this border.
type Array = reference.Array

// ErrNotImplemented is returned (possibly wrapped) by a port for a class,
// function or config value it does not support. The suites report such a case
// as not ported, which is different from failing.
var ErrNotImplemented = errors.New("not implemented")

// Spec says which Keras object to build.
type Spec struct {
	Kind    string         // "loss", "metric" or "function"
	Class   string         // Keras class name, or function name for kind "function"
	Config  map[string]any // Keras get_config() as decoded JSON, or a function's keyword arguments
	Backend string         // the Keras backend whose numerics to follow: numpy, jax, tensorflow
}

// Port builds losses and metrics from Keras specs.
type Port interface {
	// Name identifies the port in reports, for example "kerasparity/impl".
	Name() string
	// NewLoss builds a loss class (kind "loss") or a plain loss function
	// (kind "function", called with a nil sample weight).
	NewLoss(Spec) (Loss, error)
	// NewMetric builds a stateful metric (kind "metric").
	NewMetric(Spec) (Metric, error)
}

// Loss is a Keras loss: Call is loss(y_true, y_pred, sample_weight).
// sampleWeight is nil when no weight is passed.
type Loss interface {
	Call(yTrue, yPred Array, sampleWeight *Array) (Array, error)
}

// Metric is a stateful Keras metric.
type Metric interface {
	UpdateState(yTrue, yPred Array, sampleWeight *Array) error
	Result() (Array, error)
	ResetState()
}

// Introspector is optional. A port that implements it is also checked against
// the classes the pinned Keras exports and their constructor defaults (the
// API coverage check), so a missing class or a default that differs from
// Keras's is caught even where no fixture case exercises it.
type Introspector interface {
	// Defaults returns the config of an object of the class built with no
	// arguments: argument name to value, as decoded JSON gives it (numbers
	// are float64, None is nil). An error wrapping ErrNotImplemented says
	// the class is missing.
	Defaults(kind, class string) (map[string]any, error)
}

// ErrorKind says why a port refused, in the terms of Keras's exception
// classes, so the harness can check that a port refuses for the reason Keras
// does (a wrong dtype is not a bad value). A port that returns plain errors
// is still accepted wherever Keras raised; the report counts its refusals as
// unclassified.
type ErrorKind string

// The kinds of refusal. Keras's exception classes map to them as
// KerasErrorKinds says.
const (
	InvalidArgument ErrorKind = "invalid_argument" // ValueError, numpy's AxisError, TensorFlow's InvalidArgumentError
	TypeMismatch    ErrorKind = "type"             // TypeError: an argument or input of the wrong type or dtype
	IndexOutOfRange ErrorKind = "index"            // IndexError (and numpy's AxisError): an index or label out of range
)

// Error is a refusal with its kind.
type Error struct {
	Kind ErrorKind
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an error of the given kind, formatted as fmt.Errorf does
// (%w included).
func Errorf(kind ErrorKind, format string, args ...any) error {
	return &Error{Kind: kind, Err: fmt.Errorf(format, args...)}
}

// KindOf returns the kind of a refusal, or "" when the port did not
// classify it.
func KindOf(err error) ErrorKind {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Kind
	}
	return ""
}

// KerasErrorKinds returns the kinds that match a Keras exception class, as
// recorded in the fixtures ("ValueError", "TypeError", ...), or nil for a
// class it does not know, against which any refusal is accepted.
func KerasErrorKinds(exception string) []ErrorKind {
	switch exception {
	case "ValueError", "InvalidArgumentError":
		return []ErrorKind{InvalidArgument}
	case "TypeError":
		return []ErrorKind{TypeMismatch}
	case "IndexError":
		return []ErrorKind{IndexOutOfRange}
	case "AxisError": // numpy's AxisError is both a ValueError and an IndexError
		return []ErrorKind{InvalidArgument, IndexOutOfRange}
	}
	return nil
}
