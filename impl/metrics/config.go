package metrics

import (
	"fmt"
	"slices"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/kwargs"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// wrappers maps Keras MeanMetricWrapper classes to the loss function each
// wraps, its default name and the function arguments its constructor takes
// (fewer than the function may have: BinaryCrossentropy has no axis).
var wrappers = map[string]struct {
	fn, name string
	args     []string
}{
	"BinaryCrossentropy":            {"binary_crossentropy", "binary_crossentropy", []string{"from_logits", "label_smoothing"}},
	"CategoricalCrossentropy":       {"categorical_crossentropy", "categorical_crossentropy", []string{"from_logits", "label_smoothing", "axis"}},
	"SparseCategoricalCrossentropy": {"sparse_categorical_crossentropy", "sparse_categorical_crossentropy", []string{"from_logits", "ignore_class", "axis"}},
}

// FromConfig builds the metric class named class from its Keras config,
// following backend b. Unknown keys are refused as Python refuses an
// unexpected keyword argument. An unsupported class gives an error wrapping
// tensor.ErrNotImplemented.
func FromConfig(class string, config map[string]any, b backend.Backend) (Metric, error) {
	spec, ok := wrappers[class]
	if !ok {
		return nil, fmt.Errorf("metric class %q: %w", class, tensor.ErrNotImplemented)
	}
	if !b.Valid() {
		return nil, fmt.Errorf("%s: unknown backend %v", class, b)
	}
	own := map[string]any{}
	fnArgs := map[string]any{}
	for k, v := range config {
		if slices.Contains(spec.args, k) {
			fnArgs[k] = v
		} else {
			own[k] = v
		}
	}
	mean := Mean{state: state{Name: spec.name, Backend: b}}
	d := kwargs.New(class, own)
	if v, ok := d.Raw("name"); ok && v != nil {
		d.String("name", &mean.Name)
	}
	d.DType("dtype", &mean.DType)
	if err := d.Err(); err != nil {
		return nil, err
	}
	fn, err := losses.FuncFromConfig(spec.fn, fnArgs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", class, err)
	}
	switch f := fn.(type) {
	case losses.BinaryCrossentropyFunc:
		return &BinaryCrossentropy{f, mean}, nil
	case losses.CategoricalCrossentropyFunc:
		return &CategoricalCrossentropy{f, mean}, nil
	case losses.SparseCategoricalCrossentropyFunc:
		return &SparseCategoricalCrossentropy{f, mean}, nil
	}
	return &MeanMetricWrapper{fn, mean}, nil
}
