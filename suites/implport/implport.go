// Package implport adapts kerasparity's own Go port (impl/) to the contract
// the conformance suites speak (suites/port). It converts arrays at the
// border and maps the port's not-implemented errors to port.ErrNotImplemented;
// all the Keras semantics live in impl/.
package implport

import (
	"errors"
	"fmt"
	"slices"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/metrics"
	"github.com/kerasparity/kerasparity/impl/tensor"
	"github.com/kerasparity/kerasparity/suites/port"
)

// New returns the port for impl/. It also implements port.Introspector.
func New() port.Port { return implPort{} }

type implPort struct{}

var _ port.Introspector = implPort{}

// Defaults returns the config of a loss (kind "loss") or metric (kind
// "metric") class built with Keras's defaults, for the API coverage check.
func (implPort) Defaults(kind, class string) (map[string]any, error) {
	var (
		cfg map[string]any
		err error
	)
	switch kind {
	case "loss":
		cfg, err = losses.DefaultConfig(class)
	case "metric":
		cfg, err = metrics.DefaultConfig(class)
	default:
		err = fmt.Errorf("kind %q has no classes: %w", kind, port.ErrNotImplemented)
	}
	return cfg, wrap(err)
}

func (implPort) Name() string { return "kerasparity/impl" }

// NewLoss builds a loss class (kind "loss") or a plain function (kind
// "function", whose Config holds its keyword arguments).
func (implPort) NewLoss(s port.Spec) (port.Loss, error) {
	b, err := backend.Parse(s.Backend)
	if err != nil {
		return nil, wrap(err)
	}
	switch s.Kind {
	case "loss":
		l, err := losses.FromConfig(s.Class, s.Config, b)
		if err != nil {
			return nil, wrap(err)
		}
		return lossAdapter{l}, nil
	case "function":
		f, err := losses.FuncFromConfig(s.Class, s.Config)
		if err != nil {
			return nil, wrap(err)
		}
		return funcAdapter{f, b}, nil
	}
	return nil, fmt.Errorf("kind %q is not a loss: %w", s.Kind, port.ErrNotImplemented)
}

// NewMetric builds a metric class.
func (implPort) NewMetric(s port.Spec) (port.Metric, error) {
	if s.Kind != "metric" {
		return nil, fmt.Errorf("kind %q is not a metric: %w", s.Kind, port.ErrNotImplemented)
	}
	b, err := backend.Parse(s.Backend)
	if err != nil {
		return nil, wrap(err)
	}
	m, err := metrics.FromConfig(s.Class, s.Config, b)
	if err != nil {
		return nil, wrap(err)
	}
	return metricAdapter{m}, nil
}

type lossAdapter struct{ l losses.Loss }

func (a lossAdapter) Call(yTrue, yPred port.Array, sampleWeight *port.Array) (port.Array, error) {
	t, p, w, err := inputs(yTrue, yPred, sampleWeight)
	if err != nil {
		return port.Array{}, err
	}
	out, err := a.l.Call(t, p, w)
	if err != nil {
		return port.Array{}, wrap(err)
	}
	return fromTensor(out), nil
}

type funcAdapter struct {
	f losses.Func
	b backend.Backend
}

func (a funcAdapter) Call(yTrue, yPred port.Array, sampleWeight *port.Array) (port.Array, error) {
	if sampleWeight != nil {
		return port.Array{}, errors.New("a loss function takes no sample weight")
	}
	t, p, _, err := inputs(yTrue, yPred, nil)
	if err != nil {
		return port.Array{}, err
	}
	out, err := a.f.Values(a.b, t, p)
	if err != nil {
		return port.Array{}, wrap(err)
	}
	return fromTensor(out), nil
}

type metricAdapter struct{ m metrics.Metric }

func (a metricAdapter) UpdateState(yTrue, yPred port.Array, sampleWeight *port.Array) error {
	t, p, w, err := inputs(yTrue, yPred, sampleWeight)
	if err != nil {
		return err
	}
	return wrap(a.m.UpdateState(t, p, w))
}

// Result reports an error where Keras's result() raises, for the metrics
// that can (metrics.FallibleResult).
func (a metricAdapter) Result() (port.Array, error) {
	if f, ok := a.m.(metrics.FallibleResult); ok {
		t, err := f.TryResult()
		if err != nil {
			return port.Array{}, wrap(err)
		}
		return fromTensor(t), nil
	}
	return fromTensor(a.m.Result()), nil
}

func (a metricAdapter) ResetState() { a.m.ResetState() }

// inputs converts the arrays of one call.
func inputs(yTrue, yPred port.Array, sampleWeight *port.Array) (t, p tensor.Tensor, w *tensor.Tensor, err error) {
	if t, err = toTensor("y_true", yTrue); err != nil {
		return
	}
	if p, err = toTensor("y_pred", yPred); err != nil {
		return
	}
	if sampleWeight != nil {
		sw, err := toTensor("sample_weight", *sampleWeight)
		if err != nil {
			return t, p, nil, err
		}
		w = &sw
	}
	return t, p, w, nil
}

// toTensor copies an array into a tensor, checking its dtype name and size.
func toTensor(what string, a port.Array) (tensor.Tensor, error) {
	d, err := tensor.ParseDType(a.DType)
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %w", what, err)
	}
	t, err := tensor.New(d, slices.Clone(a.Shape), slices.Clone(a.Data))
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %w", what, err)
	}
	return t, nil
}

func fromTensor(t tensor.Tensor) port.Array {
	shape := t.Shape
	if shape == nil {
		shape = []int{}
	}
	return port.Array{Shape: slices.Clone(shape), DType: t.DType.String(), Data: slices.Clone(t.Data)}
}

// wrap makes the port's not-implemented errors recognisable to the suites.
func wrap(err error) error {
	if err == nil || !errors.Is(err, tensor.ErrNotImplemented) {
		return err
	}
	return fmt.Errorf("%w: %w", port.ErrNotImplemented, err)
}
