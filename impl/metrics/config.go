package metrics

import (
	"fmt"
	"maps"
	"slices"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/kwargs"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// class is one Keras metric class the port has, as the registry holds it.
type class struct {
	// args are the constructor's optional arguments in Keras's signature
	// order, each with Keras's default as decoded JSON gives it (float64
	// numbers, nil for None, []any for lists). Name and dtype are among them.
	args []arg
	// name is the metric's default name: the default of args' "name", or
	// what Keras derives when that default is None.
	name string
	// build binds the arguments other than name and dtype from d (cfg is
	// the raw config, for classes that take **kwargs) and returns the
	// metric around base, which holds the name, dtype and backend.
	build func(d *kwargs.Decoder, cfg map[string]any, base state) (Metric, error)
	// ownDType says build binds dtype itself (the IoU metrics take integer
	// dtypes), so base.DType is left at its zero value.
	ownDType bool
}

// arg is a constructor argument and its default.
type arg struct {
	name string
	def  any
}

// registry maps Keras metric class names to the port's classes. Each file
// registers its own classes from an init function.
var registry = map[string]class{}

// register adds a class to the registry; registering a name twice is a
// programming error.
func register(name string, c class) {
	if _, dup := registry[name]; dup {
		panic("metrics: class " + name + " registered twice")
	}
	registry[name] = c
}

// nameDType are the arguments every metric has, with their defaults.
func nameDType(name string) []arg { return []arg{{"name", name}, {"dtype", nil}} }

// FromConfig builds the metric class named class from its Keras config,
// following backend b. Unknown keys are refused as Python refuses an
// unexpected keyword argument. An unsupported class gives an error wrapping
// tensor.ErrNotImplemented.
func FromConfig(class string, config map[string]any, b backend.Backend) (Metric, error) {
	c, ok := registry[class]
	if !ok {
		return nil, fmt.Errorf("metric class %q: %w", class, tensor.ErrNotImplemented)
	}
	if !b.Valid() {
		return nil, fmt.Errorf("%s: unknown backend %v", class, b)
	}
	base := state{Name: c.name, Backend: b}
	d := kwargs.New(class, config)
	if v, ok := d.Raw("name"); ok && v != nil {
		d.String("name", &base.Name)
	}
	if !c.ownDType {
		d.DType("dtype", &base.DType)
	}
	m, err := c.build(d, config, base)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", class, err)
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

// DefaultConfig returns the config of the metric class built with Keras's
// defaults: every optional constructor argument with its default, as decoded
// JSON gives it (float64 numbers, nil for None, []any for lists). An unknown
// class gives an error wrapping tensor.ErrNotImplemented.
func DefaultConfig(class string) (map[string]any, error) {
	c, ok := registry[class]
	if !ok {
		return nil, fmt.Errorf("metric class %q: %w", class, tensor.ErrNotImplemented)
	}
	out := make(map[string]any, len(c.args))
	for _, a := range c.args {
		if l, ok := a.def.([]any); ok {
			out[a.name] = slices.Clone(l)
		} else {
			out[a.name] = a.def
		}
	}
	return out, nil
}

// Classes returns the names of the metric classes the port has, sorted.
func Classes() []string { return slices.Sorted(maps.Keys(registry)) }

// funcClass is a MeanMetricWrapper subclass over the Keras function named
// fn: its arguments are name, dtype and fnArgs (the function arguments its
// constructor takes, with their defaults), and wrap builds the metric from
// the function bound to the config's values of fnArgs.
func funcClass(name, fn string, fnArgs []arg, wrap func(f losses.Func, m Mean) Metric) class {
	return class{
		args: append(nameDType(name), fnArgs...),
		name: name,
		build: func(d *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
			kw := map[string]any{}
			for _, a := range fnArgs {
				if v, ok := d.Raw(a.name); ok {
					kw[a.name] = v
				}
			}
			f, err := FuncFromConfig(fn, kw)
			if err != nil {
				return nil, err
			}
			return wrap(f, Mean{state: base}), nil
		},
	}
}
