package losses

import (
	"fmt"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/kwargs"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// classes maps Keras loss class names to the function each wraps and its
// default name.
var classes = map[string]struct{ fn, name string }{
	"BinaryCrossentropy":            {"binary_crossentropy", "binary_crossentropy"},
	"BinaryFocalCrossentropy":       {"binary_focal_crossentropy", "binary_focal_crossentropy"},
	"CategoricalCrossentropy":       {"categorical_crossentropy", "categorical_crossentropy"},
	"CategoricalFocalCrossentropy":  {"categorical_focal_crossentropy", "categorical_focal_crossentropy"},
	"SparseCategoricalCrossentropy": {"sparse_categorical_crossentropy", "sparse_categorical_crossentropy"},
	"MeanSquaredError":              {"mean_squared_error", "mean_squared_error"},
	"MeanAbsoluteError":             {"mean_absolute_error", "mean_absolute_error"},
	"MeanAbsolutePercentageError":   {"mean_absolute_percentage_error", "mean_absolute_percentage_error"},
	"MeanSquaredLogarithmicError":   {"mean_squared_logarithmic_error", "mean_squared_logarithmic_error"},
	"CosineSimilarity":              {"cosine_similarity", "cosine_similarity"},
	"Huber":                         {"huber", "huber_loss"},
	"LogCosh":                       {"log_cosh", "log_cosh"},
	"Hinge":                         {"hinge", "hinge"},
	"SquaredHinge":                  {"squared_hinge", "squared_hinge"},
	"CategoricalHinge":              {"categorical_hinge", "categorical_hinge"},
	"KLDivergence":                  {"kl_divergence", "kl_divergence"},
	"Poisson":                       {"poisson", "poisson"},
	// structuredFuncs (bindings.go); Circle and CategoricalGeneralizedCrossEntropy
	// bind their constructors' arguments, which differ from their functions'.
	"CTC":                                {"ctc", "ctc"},
	"Dice":                               {"dice", "dice"},
	"Tversky":                            {"tversky", "tversky"},
	"Circle":                             {"Circle", "circle"},
	"CategoricalGeneralizedCrossEntropy": {"CategoricalGeneralizedCrossEntropy", "categorical_generalized_cross_entropy"},
}

// FromConfig builds the loss class named class from its Keras config (what
// get_config returns, decoded from JSON), following backend b. Like
// cls(**config) it refuses unknown keys and an invalid reduction. An
// unsupported class gives an error wrapping tensor.ErrNotImplemented.
func FromConfig(class string, config map[string]any, b backend.Backend) (Loss, error) {
	spec, ok := classes[class]
	if !ok {
		return nil, fmt.Errorf("loss class %q: %w", class, tensor.ErrNotImplemented)
	}
	if !b.Valid() {
		return nil, fmt.Errorf("%s: unknown backend %v", class, b)
	}
	d := kwargs.New(class, config)
	base := defaultBase(spec.name)
	base.Backend = b
	if v, ok := d.Raw("name"); ok && v != nil {
		d.String("name", &base.Name)
	}
	if v, ok := d.Raw("reduction"); ok {
		r, err := ParseReduction(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", class, err)
		}
		base.Reduction = r
	}
	d.DType("dtype", &base.DType)
	fn, err := bindFunc(spec.fn, d)
	if err != nil {
		return nil, err
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	if f, ok := fn.(interface{ newClass(Base) Loss }); ok {
		return f.newClass(base), nil
	}
	switch f := fn.(type) {
	case BinaryCrossentropyFunc:
		return &BinaryCrossentropy{f, base}, nil
	case BinaryFocalCrossentropyFunc:
		return &BinaryFocalCrossentropy{f, base}, nil
	case CategoricalCrossentropyFunc:
		return &CategoricalCrossentropy{f, base}, nil
	case CategoricalFocalCrossentropyFunc:
		return &CategoricalFocalCrossentropy{f, base}, nil
	case SparseCategoricalCrossentropyFunc:
		return &SparseCategoricalCrossentropy{f, base}, nil
	}
	return &Wrapper{fn, base}, nil
}

// ParseReduction reads a reduction from a config value: one of Keras's names,
// or nil (Python's None), which means no reduction.
func ParseReduction(v any) (Reduction, error) {
	if v == nil {
		return ReductionNone, nil
	}
	if s, ok := v.(string); ok && s != "" && Reduction(s).Valid() {
		return Reduction(s), nil
	}
	return "", fmt.Errorf("invalid reduction %v: expected one of sum_over_batch_size, sum, mean, mean_with_sample_weight, none or None", v)
}

// FuncFromConfig returns the loss function with Keras name name (such as
// "binary_crossentropy") bound to the keyword arguments kw.
func FuncFromConfig(name string, kw map[string]any) (Func, error) {
	d := kwargs.New(name, kw)
	fn, err := bindFunc(name, d)
	if err != nil {
		return nil, err
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return fn, nil
}

func bindFunc(name string, d binder) (Func, error) {
	switch name {
	case "binary_crossentropy":
		f := NewBinaryCrossentropyFunc()
		bindCrossentropy(d, &f.FromLogits, &f.LabelSmoothing, &f.Axis)
		return f, nil
	case "binary_focal_crossentropy":
		f := NewBinaryFocalCrossentropyFunc()
		bindCrossentropy(d, &f.FromLogits, &f.LabelSmoothing, &f.Axis)
		d.Bool("apply_class_balancing", &f.ApplyClassBalancing)
		d.Float("alpha", &f.Alpha)
		d.Float("gamma", &f.Gamma)
		return f, nil
	case "categorical_crossentropy":
		f := NewCategoricalCrossentropyFunc()
		bindCrossentropy(d, &f.FromLogits, &f.LabelSmoothing, &f.Axis)
		return f, nil
	case "categorical_focal_crossentropy":
		f := NewCategoricalFocalCrossentropyFunc()
		bindCrossentropy(d, &f.FromLogits, &f.LabelSmoothing, &f.Axis)
		d.FloatOrList("alpha", &f.Alpha, &f.AlphaPerClass)
		d.Float("gamma", &f.Gamma)
		return f, nil
	case "sparse_categorical_crossentropy":
		f := NewSparseCategoricalCrossentropyFunc()
		bindCrossentropy(d, &f.FromLogits, nil, &f.Axis)
		d.OptionalInt("ignore_class", &f.IgnoreClass)
		return f, nil
	}
	if bind, ok := elementwiseFuncs[name]; ok {
		return bind(d), nil
	}
	if bind, ok := structuredFuncs[name]; ok {
		return bind(d), nil
	}
	return nil, fmt.Errorf("loss function %q: %w", name, tensor.ErrNotImplemented)
}

// bindCrossentropy binds the arguments the crossentropies share; a nil
// labelSmoothing means the function has none.
func bindCrossentropy(d binder, fromLogits *bool, labelSmoothing *float64, axis *int) {
	d.Bool("from_logits", fromLogits)
	if labelSmoothing != nil {
		d.Float("label_smoothing", labelSmoothing)
	}
	d.Int("axis", axis)
}
