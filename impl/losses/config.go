package losses

import (
	"fmt"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/kwargs"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// class is a Keras loss class: its constructor, which holds its defaults
// (Keras's), the loss function whose keyword arguments the constructor takes
// besides name, reduction and dtype, and how to assemble the class from that
// function bound to a config and its Base.
type class struct {
	new  func() Loss
	fn   string
	wrap func(Func, Base) Loss
}

// defaults returns the Base the constructor gives.
func (c class) defaults() Base { return *c.new().(interface{ base() *Base }).base() }

// lossClass makes the class entry for a loss class L over the function F
// named fn: the constructor newL, and wrap, which puts a bound function and a
// Base together as newL does.
func lossClass[F Func, L Loss](fn string, newL func() L, wrap func(F, Base) L) class {
	return class{
		new:  func() Loss { return newL() },
		fn:   fn,
		wrap: func(f Func, b Base) Loss { return wrap(f.(F), b) },
	}
}

// classes is the table of the loss classes: FromConfig and DefaultConfig
// read it, and every default comes from a constructor in it.
var classes = map[string]class{
	"BinaryCrossentropy": lossClass("binary_crossentropy", NewBinaryCrossentropy,
		func(f BinaryCrossentropyFunc, b Base) *BinaryCrossentropy { return &BinaryCrossentropy{f, b} }),
	"BinaryFocalCrossentropy": lossClass("binary_focal_crossentropy", NewBinaryFocalCrossentropy,
		func(f BinaryFocalCrossentropyFunc, b Base) *BinaryFocalCrossentropy {
			return &BinaryFocalCrossentropy{f, b}
		}),
	"CategoricalCrossentropy": lossClass("categorical_crossentropy", NewCategoricalCrossentropy,
		func(f CategoricalCrossentropyFunc, b Base) *CategoricalCrossentropy {
			return &CategoricalCrossentropy{f, b}
		}),
	"CategoricalFocalCrossentropy": lossClass("categorical_focal_crossentropy", NewCategoricalFocalCrossentropy,
		func(f CategoricalFocalCrossentropyFunc, b Base) *CategoricalFocalCrossentropy {
			return &CategoricalFocalCrossentropy{f, b}
		}),
	"SparseCategoricalCrossentropy": lossClass("sparse_categorical_crossentropy", NewSparseCategoricalCrossentropy,
		func(f SparseCategoricalCrossentropyFunc, b Base) *SparseCategoricalCrossentropy {
			return &SparseCategoricalCrossentropy{f, b}
		}),
	"MeanSquaredError": lossClass("mean_squared_error", NewMeanSquaredError,
		func(f MeanSquaredErrorFunc, b Base) *MeanSquaredError { return &MeanSquaredError{f, b} }),
	"MeanAbsoluteError": lossClass("mean_absolute_error", NewMeanAbsoluteError,
		func(f MeanAbsoluteErrorFunc, b Base) *MeanAbsoluteError { return &MeanAbsoluteError{f, b} }),
	"MeanAbsolutePercentageError": lossClass("mean_absolute_percentage_error", NewMeanAbsolutePercentageError,
		func(f MeanAbsolutePercentageErrorFunc, b Base) *MeanAbsolutePercentageError {
			return &MeanAbsolutePercentageError{f, b}
		}),
	"MeanSquaredLogarithmicError": lossClass("mean_squared_logarithmic_error", NewMeanSquaredLogarithmicError,
		func(f MeanSquaredLogarithmicErrorFunc, b Base) *MeanSquaredLogarithmicError {
			return &MeanSquaredLogarithmicError{f, b}
		}),
	"CosineSimilarity": lossClass("cosine_similarity", NewCosineSimilarity,
		func(f CosineSimilarityFunc, b Base) *CosineSimilarity { return &CosineSimilarity{f, b} }),
	"Huber":   lossClass("huber", NewHuber, func(f HuberFunc, b Base) *Huber { return &Huber{f, b} }),
	"LogCosh": lossClass("log_cosh", NewLogCosh, func(f LogCoshFunc, b Base) *LogCosh { return &LogCosh{f, b} }),
	"Hinge":   lossClass("hinge", NewHinge, func(f HingeFunc, b Base) *Hinge { return &Hinge{f, b} }),
	"SquaredHinge": lossClass("squared_hinge", NewSquaredHinge,
		func(f SquaredHingeFunc, b Base) *SquaredHinge { return &SquaredHinge{f, b} }),
	"CategoricalHinge": lossClass("categorical_hinge", NewCategoricalHinge,
		func(f CategoricalHingeFunc, b Base) *CategoricalHinge { return &CategoricalHinge{f, b} }),
	"KLDivergence": lossClass("kl_divergence", NewKLDivergence,
		func(f KLDivergenceFunc, b Base) *KLDivergence { return &KLDivergence{f, b} }),
	"Poisson": lossClass("poisson", NewPoisson, func(f PoissonFunc, b Base) *Poisson { return &Poisson{f, b} }),
	"CTC":     lossClass("ctc", NewCTC, func(f CTCFunc, b Base) *CTC { return &CTC{f, b} }),
	"Dice":    lossClass("dice", NewDice, func(f DiceFunc, b Base) *Dice { return &Dice{f, b} }),
	"Tversky": lossClass("tversky", NewTversky, func(f TverskyFunc, b Base) *Tversky { return &Tversky{f, b} }),
	// Circle and CategoricalGeneralizedCrossEntropy bind their constructors'
	// arguments (structuredFuncs), which differ from their functions'.
	"Circle": lossClass("Circle", NewCircle, func(f CircleFunc, b Base) *Circle { return &Circle{f, b} }),
	"CategoricalGeneralizedCrossEntropy": lossClass("CategoricalGeneralizedCrossEntropy", NewCategoricalGeneralizedCrossEntropy,
		func(f CategoricalGeneralizedCrossEntropyFunc, b Base) *CategoricalGeneralizedCrossEntropy {
			return &CategoricalGeneralizedCrossEntropy{f, b}
		}),
}

// FromConfig builds the loss class named class from its Keras config (what
// get_config returns, decoded from JSON), following backend b. Like
// cls(**config) it refuses unknown keys and an invalid reduction. An
// unsupported class gives an error wrapping tensor.ErrNotImplemented.
func FromConfig(class string, config map[string]any, b backend.Backend) (Loss, error) {
	c, ok := classes[class]
	if !ok {
		return nil, fmt.Errorf("loss class %q: %w", class, tensor.ErrNotImplemented)
	}
	if !b.Valid() {
		return nil, fmt.Errorf("%s: unknown backend %v", class, b)
	}
	d := kwargs.New(class, config)
	base := c.defaults()
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
	fn, err := bindFunc(c.fn, d)
	if err != nil {
		return nil, err
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return c.wrap(fn, base), nil
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

func bindFunc(name string, d *kwargs.Decoder) (Func, error) {
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
func bindCrossentropy(d *kwargs.Decoder, fromLogits *bool, labelSmoothing *float64, axis *int) {
	d.Bool("from_logits", fromLogits)
	if labelSmoothing != nil {
		d.Float("label_smoothing", labelSmoothing)
	}
	d.Int("axis", axis)
}
