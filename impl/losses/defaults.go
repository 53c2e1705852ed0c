package losses

import (
	"fmt"
	"maps"
	"slices"

	"github.com/kerasparity/kerasparity/impl/internal/kwargs"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// elementwiseFuncs binds the keyword arguments of the loss functions that
// compute elementwise values and reduce the last axis (regression.go,
// cosine.go).
var elementwiseFuncs = map[string]func(*kwargs.Decoder) Func{
	"mean_squared_error":             func(*kwargs.Decoder) Func { return NewMeanSquaredErrorFunc() },
	"mean_absolute_error":            func(*kwargs.Decoder) Func { return NewMeanAbsoluteErrorFunc() },
	"mean_absolute_percentage_error": func(*kwargs.Decoder) Func { return NewMeanAbsolutePercentageErrorFunc() },
	"mean_squared_logarithmic_error": func(*kwargs.Decoder) Func { return NewMeanSquaredLogarithmicErrorFunc() },
	"cosine_similarity": func(d *kwargs.Decoder) Func {
		f := NewCosineSimilarityFunc()
		d.Int("axis", &f.Axis)
		return f
	},
	"huber": func(d *kwargs.Decoder) Func {
		f := NewHuberFunc()
		d.Float("delta", &f.Delta)
		return f
	},
	"log_cosh":          func(*kwargs.Decoder) Func { return NewLogCoshFunc() },
	"hinge":             func(*kwargs.Decoder) Func { return NewHingeFunc() },
	"squared_hinge":     func(*kwargs.Decoder) Func { return NewSquaredHingeFunc() },
	"categorical_hinge": func(*kwargs.Decoder) Func { return NewCategoricalHingeFunc() },
	"kl_divergence":     func(*kwargs.Decoder) Func { return NewKLDivergenceFunc() },
	"poisson":           func(*kwargs.Decoder) Func { return NewPoissonFunc() },
}

// FuncDefaults returns the keyword arguments of the loss function with Keras
// name name (such as "huber") with their defaults, as decoded JSON gives
// them (numbers are float64, None is nil, lists are []any). An unknown
// function gives an error wrapping tensor.ErrNotImplemented.
func FuncDefaults(name string) (map[string]any, error) {
	d := kwargs.Defaults(name)
	if _, err := bindFunc(name, d); err != nil {
		return nil, err
	}
	values, missing := d.Recorded()
	if len(missing) > 0 {
		return nil, fmt.Errorf("loss function %q: the defaults of arguments %q are not recorded", name, missing)
	}
	return values, nil
}

// DefaultConfig returns the config of the loss class named class built with
// Keras's defaults: every constructor argument (name, reduction, dtype and
// the class's own) with its default, as decoded JSON gives it; dtype is nil
// (Keras's None, meaning floatx). FromConfig accepts it. Every class
// FromConfig knows has one; another class gives an error wrapping
// tensor.ErrNotImplemented.
func DefaultConfig(class string) (map[string]any, error) {
	c, ok := classes[class]
	if !ok {
		return nil, fmt.Errorf("loss class %q: %w", class, tensor.ErrNotImplemented)
	}
	cfg, err := FuncDefaults(c.fn)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", class, err)
	}
	base := c.defaults()
	cfg["name"] = base.Name
	cfg["reduction"] = string(base.Reduction.resolve())
	cfg["dtype"] = nil // the constructors' float32 is Keras's None: floatx
	return cfg, nil
}

// Classes returns the names of the loss classes FromConfig knows, sorted.
func Classes() []string {
	return slices.Sorted(maps.Keys(classes))
}
