package losses

import (
	"fmt"
	"maps"
	"slices"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

// elementwiseFuncs binds the keyword arguments of the loss functions that
// compute elementwise values and reduce the last axis (regression.go,
// cosine.go).
var elementwiseFuncs = map[string]func(binder) Func{
	"mean_squared_error":             func(binder) Func { return NewMeanSquaredErrorFunc() },
	"mean_absolute_error":            func(binder) Func { return NewMeanAbsoluteErrorFunc() },
	"mean_absolute_percentage_error": func(binder) Func { return NewMeanAbsolutePercentageErrorFunc() },
	"mean_squared_logarithmic_error": func(binder) Func { return NewMeanSquaredLogarithmicErrorFunc() },
	"cosine_similarity": func(d binder) Func {
		f := NewCosineSimilarityFunc()
		d.Int("axis", &f.Axis)
		return f
	},
	"huber": func(d binder) Func {
		f := NewHuberFunc()
		d.Float("delta", &f.Delta)
		return f
	},
	"log_cosh":          func(binder) Func { return NewLogCoshFunc() },
	"hinge":             func(binder) Func { return NewHingeFunc() },
	"squared_hinge":     func(binder) Func { return NewSquaredHingeFunc() },
	"categorical_hinge": func(binder) Func { return NewCategoricalHingeFunc() },
	"kl_divergence":     func(binder) Func { return NewKLDivergenceFunc() },
	"poisson":           func(binder) Func { return NewPoissonFunc() },
}

// binder is what bindFunc binds keyword arguments with: a *kwargs.Decoder,
// which reads them from a config, or a defaultsRecorder, which writes down
// the defaults the arguments have before binding.
type binder interface {
	Raw(key string) (any, bool)
	Fail(key string, v any, want string)
	Bool(key string, dst *bool)
	Float(key string, dst *float64)
	Int(key string, dst *int)
	OptionalInt(key string, dst **int)
	String(key string, dst *string)
	FloatOrList(key string, scalar *float64, list *[]float64)
	DType(key string, dst *tensor.DType)
}

// defaultsRecorder is a binder that binds nothing: it records, for each
// argument, the value its destination holds (the default), as decoded JSON
// would give it.
type defaultsRecorder struct {
	values  map[string]any
	unknown []string // arguments read with Raw, whose default it cannot see
}

func (r *defaultsRecorder) Raw(key string) (any, bool) {
	r.unknown = append(r.unknown, key)
	return nil, false
}

func (r *defaultsRecorder) Fail(string, any, string) {}

func (r *defaultsRecorder) Bool(key string, dst *bool)        { r.values[key] = *dst }
func (r *defaultsRecorder) Float(key string, dst *float64)    { r.values[key] = *dst }
func (r *defaultsRecorder) Int(key string, dst *int)          { r.values[key] = float64(*dst) }
func (r *defaultsRecorder) String(key string, dst *string)    { r.values[key] = *dst }
func (r *defaultsRecorder) DType(key string, _ *tensor.DType) { r.values[key] = nil } // None: floatx

func (r *defaultsRecorder) OptionalInt(key string, dst **int) {
	if *dst == nil {
		r.values[key] = nil
		return
	}
	r.values[key] = float64(**dst)
}

func (r *defaultsRecorder) FloatOrList(key string, scalar *float64, list *[]float64) {
	if *list == nil {
		r.values[key] = *scalar
		return
	}
	l := make([]any, len(*list))
	for i, v := range *list {
		l[i] = v
	}
	r.values[key] = l
}

// FuncDefaults returns the keyword arguments of the loss function with Keras
// name name (such as "huber") with their defaults, as decoded JSON gives
// them (numbers are float64, None is nil, lists are []any). An unknown
// function gives an error wrapping tensor.ErrNotImplemented.
func FuncDefaults(name string) (map[string]any, error) {
	r := &defaultsRecorder{values: map[string]any{}}
	if _, err := bindFunc(name, r); err != nil {
		return nil, err
	}
	for _, k := range r.unknown {
		if _, ok := r.values[k]; !ok {
			return nil, fmt.Errorf("loss function %q: the default of argument %q is not recorded", name, k)
		}
	}
	return r.values, nil
}

// DefaultConfig returns the config of the loss class named class built with
// Keras's defaults: every constructor argument (name, reduction, dtype and
// the class's own) with its default, as decoded JSON gives it; dtype is nil
// (Keras's None, meaning floatx). FromConfig accepts it. Every class
// FromConfig knows has one; another class gives an error wrapping
// tensor.ErrNotImplemented.
func DefaultConfig(class string) (map[string]any, error) {
	spec, ok := classes[class]
	if !ok {
		return nil, fmt.Errorf("loss class %q: %w", class, tensor.ErrNotImplemented)
	}
	cfg, err := FuncDefaults(spec.fn)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", class, err)
	}
	cfg["name"] = spec.name
	cfg["reduction"] = string(ReductionSumOverBatchSize)
	cfg["dtype"] = nil
	return cfg, nil
}

// Classes returns the names of the loss classes FromConfig knows, sorted.
func Classes() []string {
	return slices.Sorted(maps.Keys(classes))
}
