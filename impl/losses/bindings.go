package losses

import (
	"fmt"
	"math"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/kwargs"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// structuredFuncs binds the keyword arguments of ctc, dice, tversky, circle
// and categorical_generalized_cross_entropy, and of the two classes whose
// constructors differ from their functions: Circle has no reference set,
// and CategoricalGeneralizedCrossEntropy defaults q to 0.5 and requires it
// in (0, 1) (the function has no default and no check).
var structuredFuncs = map[string]func(*kwargs.Decoder) Func{
	"ctc": func(*kwargs.Decoder) Func { return CTCFunc{} },
	"dice": func(d *kwargs.Decoder) Func {
		f := NewDiceFunc()
		bindAxes(d, "axis", &f.Axis)
		return f
	},
	"tversky": func(d *kwargs.Decoder) Func {
		f := NewTverskyFunc()
		d.Float("alpha", &f.Alpha)
		d.Float("beta", &f.Beta)
		bindAxes(d, "axis", &f.Axis)
		return f
	},
	"circle": func(d *kwargs.Decoder) Func {
		f := bindCircle(d)
		bindArray(d, "ref_labels", tensor.Int32, &f.RefLabels)
		bindArray(d, "ref_embeddings", tensor.Float64, &f.RefEmbeddings)
		return f
	},
	"Circle": func(d *kwargs.Decoder) Func { return bindCircle(d) },
	"categorical_generalized_cross_entropy": func(d *kwargs.Decoder) Func {
		var f CategoricalGeneralizedCrossEntropyFunc
		if d.Recording() {
			return f // q has no default
		}
		if _, ok := d.Raw("q"); !ok {
			return missingArgument{"categorical_generalized_cross_entropy", "q"}
		}
		d.Float("q", &f.Q)
		return f
	},
	"CategoricalGeneralizedCrossEntropy": func(d *kwargs.Decoder) Func {
		f := NewCategoricalGeneralizedCrossEntropy().CategoricalGeneralizedCrossEntropyFunc
		d.Float("q", &f.Q)
		if f.validQ() != nil {
			d.Fail("q", f.Q, "a number in the interval (0, 1)")
		}
		return f
	},
}

// missingArgument is a function bound without one of its required
// arguments: like Python, it fails when called (a TypeError in Keras).
type missingArgument struct{ fn, arg string }

// Values implements Func: it always fails.
func (m missingArgument) Values(backend.Backend, tensor.Tensor, tensor.Tensor) (tensor.Tensor, error) {
	return tensor.Tensor{}, fmt.Errorf("%s() missing 1 required positional argument: '%s'", m.fn, m.arg)
}

func bindCircle(d *kwargs.Decoder) CircleFunc {
	f := NewCircleFunc()
	d.Float("gamma", &f.Gamma)
	d.Float("margin", &f.Margin)
	d.Bool("remove_diagonal", &f.RemoveDiagonal)
	return f
}

// bindAxes binds an axis argument that may be None (nil), an integer or a
// list of integers (a tuple in Keras's config).
func bindAxes(d *kwargs.Decoder, key string, dst *[]int) {
	if d.Recording() {
		var v any
		if *dst != nil {
			l := make([]any, len(*dst))
			for i, a := range *dst {
				l[i] = float64(a)
			}
			v = l
		}
		d.Record(key, v)
		return
	}
	v, ok := d.Raw(key)
	if !ok {
		return
	}
	const want = "None, an integer or a list of integers"
	switch x := v.(type) {
	case nil:
		*dst = nil
	case []any:
		axes := make([]int, len(x))
		for i, a := range x {
			n, ok := integral(a)
			if !ok {
				d.Fail(key, v, want)
				return
			}
			axes[i] = n
		}
		*dst = axes
	default:
		n, ok := integral(v)
		if !ok {
			d.Fail(key, v, want)
			return
		}
		*dst = []int{n}
	}
}

// integral reads an integer as decoded JSON holds it.
func integral(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) <= 1<<53 {
			return int(x), true
		}
	}
	return 0, false
}

// bindArray binds an array argument: None (nil), a tensor.Tensor or
// *tensor.Tensor, nested lists of numbers (as ops.convert_to_tensor would
// read a Python list; the values are rounded to dtype), or a map with
// "shape", "data" and optionally "dtype" (a flat row-major array).
func bindArray(d *kwargs.Decoder, key string, dtype tensor.DType, dst **tensor.Tensor) {
	if d.Recording() {
		d.Record(key, nil)
		return
	}
	v, ok := d.Raw(key)
	if !ok {
		return
	}
	t, err := arrayOf(v, dtype)
	if err != nil {
		d.Fail(key, v, "None, an array or nested lists of numbers ("+err.Error()+")")
		return
	}
	*dst = t
}

func arrayOf(v any, dtype tensor.DType) (*tensor.Tensor, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case tensor.Tensor:
		return &x, x.Validate()
	case *tensor.Tensor:
		if x == nil {
			return nil, nil
		}
		return x, x.Validate()
	case map[string]any:
		return arrayFromMap(x, dtype)
	}
	var shape []int
	var data []float64
	if err := flatten(v, 0, &shape, &data); err != nil {
		return nil, err
	}
	t, err := tensor.New(dtype, shape, data)
	return &t, err
}

func arrayFromMap(m map[string]any, dtype tensor.DType) (*tensor.Tensor, error) {
	if name, ok := m["dtype"].(string); ok {
		d, err := tensor.ParseDType(name)
		if err != nil {
			return nil, err
		}
		dtype = d
	}
	dims, ok := m["shape"].([]any)
	if !ok {
		return nil, fmt.Errorf("no shape list")
	}
	shape := make([]int, len(dims))
	for i, a := range dims {
		n, ok := integral(a)
		if !ok {
			return nil, fmt.Errorf("shape %v", dims)
		}
		shape[i] = n
	}
	var data []float64
	if err := flatten(m["data"], 0, &[]int{}, &data); err != nil {
		return nil, err
	}
	t, err := tensor.New(dtype, shape, data)
	return &t, err
}

// flatten appends the numbers of nested lists v (at nesting depth depth) to
// data, recording the list lengths in shape and requiring them regular.
func flatten(v any, depth int, shape *[]int, data *[]float64) error {
	l, ok := v.([]any)
	if !ok {
		switch x := v.(type) {
		case float64:
			*data = append(*data, x)
		case int:
			*data = append(*data, float64(x))
		case bool:
			b := 0.0
			if x {
				b = 1
			}
			*data = append(*data, b)
		default:
			return fmt.Errorf("%v (%T) is not a number", v, v)
		}
		if depth != len(*shape) {
			return fmt.Errorf("ragged nested lists")
		}
		return nil
	}
	if depth == len(*shape) {
		*shape = append(*shape, len(l))
	} else if depth > len(*shape) || (*shape)[depth] != len(l) {
		return fmt.Errorf("ragged nested lists")
	}
	for _, item := range l {
		if err := flatten(item, depth+1, shape, data); err != nil {
			return err
		}
	}
	return nil
}
