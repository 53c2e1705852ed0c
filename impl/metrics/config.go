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

// class is one Keras metric class the port has, as the table of classes
// (classes.go) holds it.
type class struct {
	// args are the names of the constructor's optional arguments, name and
	// dtype among them. Their defaults are not written here: DefaultConfig
	// records them from build (see kwargs.Defaults), which binds onto the
	// values the constructors give.
	args []string
	// name is the metric's default name, the one its constructor gives
	// (nameOf); it is also the config's default for name unless the
	// constructor's name argument defaults to None (nameNone).
	name     string
	nameNone bool
	// build binds the arguments other than name and dtype from d (cfg is
	// the raw config, for classes that take **kwargs) and returns the
	// metric around base, which holds the name, dtype and backend.
	build build
	// ownDType says build binds dtype itself (the IoU metrics take integer
	// dtypes), so base.DType is left at its zero value.
	ownDType bool
}

// build is how a class binds its config; see class.
type build func(d *kwargs.Decoder, cfg map[string]any, base state) (Metric, error)

// args lists argument names in Keras's signature order.
func args(names ...string) []string { return names }

// anyList is a list argument as decoded JSON holds it, nil for None.
func anyList(xs []float64) any {
	if xs == nil {
		return nil
	}
	l := make([]any, len(xs))
	for i, x := range xs {
		l[i] = x
	}
	return l
}

// FromConfig builds the metric class named class from its Keras config,
// following backend b. Unknown keys are refused as Python refuses an
// unexpected keyword argument. An unsupported class gives an error wrapping
// tensor.ErrNotImplemented.
func FromConfig(class string, config map[string]any, b backend.Backend) (Metric, error) {
	c, ok := classes[class]
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
// JSON gives it (float64 numbers, nil for None, []any for lists). The
// defaults are those of the constructors, which build binds onto. An
// unknown class gives an error wrapping tensor.ErrNotImplemented.
func DefaultConfig(class string) (map[string]any, error) {
	c, ok := classes[class]
	if !ok {
		return nil, fmt.Errorf("metric class %q: %w", class, tensor.ErrNotImplemented)
	}
	d := kwargs.Defaults(class)
	if _, err := c.build(d, nil, state{Name: c.name}); err != nil {
		return nil, fmt.Errorf("%s: recording the defaults: %w", class, err)
	}
	recorded, _ := d.Recorded()
	out := make(map[string]any, len(c.args))
	for _, a := range c.args {
		switch a {
		case "name":
			out[a] = c.name
			if c.nameNone {
				out[a] = nil
			}
		case "dtype":
			out[a] = nil // floatx (or, for IoU, "int")
		default:
			v, ok := recorded[a]
			if !ok {
				return nil, fmt.Errorf("%s: the default of argument %q is not recorded", class, a)
			}
			out[a] = v
		}
	}
	return out, nil
}

// Classes returns the names of the metric classes the port has, sorted.
func Classes() []string { return slices.Sorted(maps.Keys(classes)) }

// funcClass is a MeanMetricWrapper subclass over the Keras function named
// fn, whose default name is the one its constructor newM gives: its arguments are name, dtype and fnArgs
// (the function arguments its constructor takes, which may be fewer than
// the function has), and wrap builds the metric from the function bound to
// the config's values of fnArgs, with the function's defaults for the rest.
func funcClass[M interface {
	Metric
	metricName() string
}](newM func() M, fn string, fnArgs []string, wrap func(f losses.Func, m Mean) Metric) class {
	return class{
		args: append(args("name", "dtype"), fnArgs...),
		name: nameOf(newM),
		build: func(d *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
			if d.Recording() {
				defs, err := FuncDefaults(fn)
				for _, a := range fnArgs {
					d.Record(a, defs[a])
				}
				return nil, err
			}
			kw := map[string]any{}
			for _, a := range fnArgs {
				if v, ok := d.Raw(a); ok {
					kw[a] = v
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
