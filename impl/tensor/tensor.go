package tensor

import (
	"errors"
	"fmt"
)

// ErrNotImplemented is wrapped by errors for a class, function or argument
// value that the port does not support (as opposed to input Keras refuses).
var ErrNotImplemented = errors.New("not implemented")

// ErrShape is wrapped by errors for shapes that do not fit together.
var ErrShape = errors.New("incompatible shapes")

// Tensor is a dense row-major tensor. Data holds len(Data) == Size() values,
// each exactly representable in DType.
type Tensor struct {
	Shape []int // empty for a scalar
	DType DType
	Data  []float64
	// Mask is the Keras mask attached to the tensor (Keras's _keras_mask),
	// nil if none: a tensor of 0/1 values, 1 where the entry is valid, with a
	// shape of its own (a sequence model's mask is (B, T) for (B, T, C)
	// predictions). Sparse categorical crossentropy with ignore_class attaches
	// one to its per-sample values so that reductions skip ignored entries.
	Mask *Tensor
}

// New returns a tensor of the given dtype and shape holding data, after
// checking that the shape is valid and data has one value per element. The
// values are rounded to dtype.
func New(dtype DType, shape []int, data []float64) (Tensor, error) {
	t := Tensor{Shape: shape, DType: dtype, Data: data}
	if err := t.Validate(); err != nil {
		return Tensor{}, err
	}
	dtype.RoundAll(data)
	return t, nil
}

// Scalar returns a rank-0 tensor holding v rounded to dtype.
func Scalar(dtype DType, v float64) Tensor {
	return Tensor{DType: dtype, Data: []float64{dtype.Round(v)}}
}

// Zeros returns a tensor of zeros.
func Zeros(dtype DType, shape ...int) Tensor {
	return Tensor{Shape: shape, DType: dtype, Data: make([]float64, Size(shape))}
}

// Validate checks that the shape has no negative dimension, that Data holds
// exactly one value per element and that a mask, if any, does too.
func (t Tensor) Validate() error {
	if t.DType >= numDTypes {
		return fmt.Errorf("tensor: invalid dtype %v", t.DType)
	}
	for _, d := range t.Shape {
		if d < 0 {
			return fmt.Errorf("tensor: negative dimension in shape %v", t.Shape)
		}
	}
	if n := Size(t.Shape); len(t.Data) != n {
		return fmt.Errorf("tensor: shape %v needs %d values, got %d", t.Shape, n, len(t.Data))
	}
	if t.Mask != nil {
		if err := t.Mask.Validate(); err != nil {
			return fmt.Errorf("mask: %w", err)
		}
	}
	return nil
}

// Size is the number of elements: the product of the shape (1 for a scalar).
func Size(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// Size is the number of elements of t.
func (t Tensor) Size() int { return Size(t.Shape) }

// Rank is the number of dimensions of t.
func (t Tensor) Rank() int { return len(t.Shape) }

// Cast returns t converted to dtype d: t itself if it already is of d,
// otherwise a copy with every value rounded to d. The mask is kept.
func (t Tensor) Cast(d DType) Tensor {
	if t.DType == d {
		return t
	}
	out := Tensor{Shape: t.Shape, DType: d, Data: make([]float64, len(t.Data)), Mask: t.Mask}
	for i, v := range t.Data {
		out.Data[i] = d.Round(v)
	}
	return out
}

// CanonicalAxis maps a possibly negative axis into [0, rank), or returns an
// error naming the axis and the rank.
func CanonicalAxis(axis, rank int) (int, error) {
	a := axis
	if a < 0 {
		a += rank
	}
	if a < 0 || a >= rank {
		return 0, fmt.Errorf("axis %d is out of bounds for a tensor of rank %d", axis, rank)
	}
	return a, nil
}

// RemoveAxis returns shape without dimension axis (a canonical axis).
func RemoveAxis(shape []int, axis int) []int {
	out := make([]int, 0, len(shape)-1)
	out = append(out, shape[:axis]...)
	return append(out, shape[axis+1:]...)
}
