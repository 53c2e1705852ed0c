package gomlxport

import (
	"fmt"
	"slices"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/dtypes/bfloat16"
	"github.com/gomlx/compute/dtypes/float16"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/kerasparity/kerasparity/suites/port"
)

// dtypeOf maps a Keras dtype name to GoMLX's. Every dtype the fixtures use
// has a GoMLX counterpart; anything else is not implemented.
func dtypeOf(name string) (dtypes.DType, error) {
	switch name {
	case "float16":
		return dtypes.Float16, nil
	case "bfloat16":
		return dtypes.BFloat16, nil
	case "float32":
		return dtypes.Float32, nil
	case "float64":
		return dtypes.Float64, nil
	case "int32":
		return dtypes.Int32, nil
	case "int64":
		return dtypes.Int64, nil
	case "bool":
		return dtypes.Bool, nil
	}
	return dtypes.InvalidDType, fmt.Errorf("gomlx: dtype %q: %w", name, port.ErrNotImplemented)
}

// kerasName is the inverse of dtypeOf.
func kerasName(d dtypes.DType) (string, error) {
	switch d {
	case dtypes.Float16:
		return "float16", nil
	case dtypes.BFloat16:
		return "bfloat16", nil
	case dtypes.Float32:
		return "float32", nil
	case dtypes.Float64:
		return "float64", nil
	case dtypes.Int32:
		return "int32", nil
	case dtypes.Int64:
		return "int64", nil
	case dtypes.Bool:
		return "bool", nil
	}
	return "", fmt.Errorf("gomlx returned a %s tensor, which has no Keras dtype name", d)
}

// toTensor copies an array into a GoMLX tensor of dtype as (the array's own
// dtype when as is InvalidDType). Values are rounded to the target dtype the
// way GoMLX's own conversions round them.
func toTensor(what string, a port.Array, as dtypes.DType) (*tensors.Tensor, error) {
	if len(a.Data) != a.Size() {
		return nil, fmt.Errorf("%s: %d values for shape %v", what, len(a.Data), a.Shape)
	}
	d := as
	if d == dtypes.InvalidDType {
		var err error
		if d, err = dtypeOf(a.DType); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
	}
	dims := slices.Clone(a.Shape)
	switch d {
	case dtypes.Float64:
		return tensors.FromFlatDataAndDimensions(slices.Clone(a.Data), dims...), nil
	case dtypes.Float32:
		return tensors.FromFlatDataAndDimensions(convert(a.Data, func(x float64) float32 { return float32(x) }), dims...), nil
	case dtypes.Float16:
		return tensors.FromFlatDataAndDimensions(convert(a.Data, float16.FromFloat64), dims...), nil
	case dtypes.BFloat16:
		return tensors.FromFlatDataAndDimensions(convert(a.Data, bfloat16.FromFloat64), dims...), nil
	case dtypes.Int32:
		return tensors.FromFlatDataAndDimensions(convert(a.Data, func(x float64) int32 { return int32(x) }), dims...), nil
	case dtypes.Int64:
		return tensors.FromFlatDataAndDimensions(convert(a.Data, func(x float64) int64 { return int64(x) }), dims...), nil
	case dtypes.Bool:
		return tensors.FromFlatDataAndDimensions(convert(a.Data, func(x float64) bool { return x != 0 }), dims...), nil
	}
	return nil, fmt.Errorf("%s: dtype %s: %w", what, d, port.ErrNotImplemented)
}

func convert[T any](in []float64, f func(float64) T) []T {
	out := make([]T, len(in))
	for i, x := range in {
		out[i] = f(x)
	}
	return out
}

func widen[T any](f func(T) float64) func(flat []T) []float64 {
	return func(flat []T) []float64 {
		out := make([]float64, len(flat))
		for i, x := range flat {
			out[i] = f(x)
		}
		return out
	}
}

// fromTensor copies a GoMLX tensor back into an array.
func fromTensor(t *tensors.Tensor) (port.Array, error) {
	name, err := kerasName(t.DType())
	if err != nil {
		return port.Array{}, err
	}
	shape := slices.Clone(t.Shape().Dimensions)
	if shape == nil {
		shape = []int{}
	}
	var data []float64
	switch t.DType() {
	case dtypes.Float64:
		data, err = tensors.CopyFlatData[float64](t)
	case dtypes.Float32:
		data, err = copyAs(t, func(x float32) float64 { return float64(x) })
	case dtypes.Float16:
		data, err = copyAs(t, float16.Float16.Float64)
	case dtypes.BFloat16:
		data, err = copyAs(t, bfloat16.BFloat16.Float64)
	case dtypes.Int32:
		data, err = copyAs(t, func(x int32) float64 { return float64(x) })
	case dtypes.Int64:
		data, err = copyAs(t, func(x int64) float64 { return float64(x) })
	case dtypes.Bool:
		data, err = copyAs(t, func(x bool) float64 {
			if x {
				return 1
			}
			return 0
		})
	}
	if err != nil {
		return port.Array{}, err
	}
	return port.Array{Shape: shape, DType: name, Data: data}, nil
}

func copyAs[T float32 | float16.Float16 | bfloat16.BFloat16 | int32 | int64 | bool](t *tensors.Tensor, f func(T) float64) ([]float64, error) {
	flat, err := tensors.CopyFlatData[T](t)
	if err != nil {
		return nil, err
	}
	return widen(f)(flat), nil
}
