package tensor

import (
	"fmt"
	"slices"
)

// BroadcastShapes returns the shape NumPy broadcasting gives the shapes:
// aligned at their trailing dimensions, each pair of dimensions must be equal
// or one of them 1.
func BroadcastShapes(shapes ...[]int) ([]int, error) {
	rank := 0
	for _, s := range shapes {
		rank = max(rank, len(s))
	}
	out := make([]int, rank)
	for i := range out {
		out[i] = 1
	}
	for _, s := range shapes {
		off := rank - len(s)
		for i, d := range s {
			switch o := out[off+i]; {
			case o == d || d == 1:
			case o == 1:
				out[off+i] = d
			default:
				return nil, fmt.Errorf("%w: cannot broadcast shapes %v", ErrShape, shapes)
			}
		}
	}
	return out, nil
}

// Broadcaster walks the elements of a broadcast shape in row-major order and
// tracks, for each operand, the offset of the element that broadcasting
// pairs with the current one.
type Broadcaster struct {
	shape   []int
	strides [][]int // per operand, per dimension of shape; 0 where broadcast
}

// NewBroadcaster prepares a walk over shape for operands of the given shapes,
// each of which must broadcast to shape.
func NewBroadcaster(shape []int, operands ...[]int) (*Broadcaster, error) {
	b := &Broadcaster{shape: shape, strides: make([][]int, len(operands))}
	for k, s := range operands {
		st, err := broadcastStrides(s, shape)
		if err != nil {
			return nil, err
		}
		b.strides[k] = st
	}
	return b, nil
}

// broadcastStrides returns the element strides of an operand of shape from
// expressed in the dimensions of to, with 0 for broadcast dimensions.
func broadcastStrides(from, to []int) ([]int, error) {
	if len(from) > len(to) {
		return nil, fmt.Errorf("%w: cannot broadcast %v to %v", ErrShape, from, to)
	}
	st := make([]int, len(to))
	off := len(to) - len(from)
	stride := 1
	for i := len(from) - 1; i >= 0; i-- {
		switch d := from[i]; {
		case d == to[off+i]:
			if d != 1 {
				st[off+i] = stride
			}
		case d == 1:
		default:
			return nil, fmt.Errorf("%w: cannot broadcast %v to %v", ErrShape, from, to)
		}
		stride *= from[i]
	}
	return st, nil
}

// Each calls f for every element of the broadcast shape, in row-major order,
// with the element's flat index and the operands' offsets (the slice is
// reused between calls).
func (b *Broadcaster) Each(f func(i int, offs []int)) {
	n := Size(b.shape)
	if n == 0 {
		return
	}
	rank := len(b.shape)
	idx := make([]int, rank)
	offs := make([]int, len(b.strides))
	for i := 0; i < n; i++ {
		f(i, offs)
		// Advance the multi-index like an odometer, keeping offsets in step.
		for d := rank - 1; d >= 0; d-- {
			idx[d]++
			for k, st := range b.strides {
				offs[k] += st[d]
			}
			if idx[d] < b.shape[d] {
				break
			}
			for k, st := range b.strides {
				offs[k] -= st[d] * b.shape[d]
			}
			idx[d] = 0
		}
	}
}

// Map2 applies f to each pair of elements of a and b paired by broadcasting,
// rounding each result to dtype d. It is how one Keras elementwise binary op
// is reproduced.
func Map2(a, b Tensor, d DType, f func(x, y float64) float64) (Tensor, error) {
	if slices.Equal(a.Shape, b.Shape) {
		out := Tensor{Shape: slices.Clone(a.Shape), DType: d, Data: make([]float64, len(a.Data))}
		for i, x := range a.Data {
			out.Data[i] = d.Round(f(x, b.Data[i]))
		}
		return out, nil
	}
	shape, err := BroadcastShapes(a.Shape, b.Shape)
	if err != nil {
		return Tensor{}, err
	}
	w, err := NewBroadcaster(shape, a.Shape, b.Shape)
	if err != nil {
		return Tensor{}, err
	}
	out := Tensor{Shape: shape, DType: d, Data: make([]float64, Size(shape))}
	w.Each(func(i int, o []int) { out.Data[i] = d.Round(f(a.Data[o[0]], b.Data[o[1]])) })
	return out, nil
}

// BroadcastTo returns t expanded to shape by broadcasting (a copy), or an
// error if t's shape does not broadcast to it. The mask is not carried.
func (t Tensor) BroadcastTo(shape []int) (Tensor, error) {
	if slices.Equal(t.Shape, shape) {
		return Tensor{Shape: t.Shape, DType: t.DType, Data: t.Data}, nil
	}
	w, err := NewBroadcaster(shape, t.Shape)
	if err != nil {
		return Tensor{}, err
	}
	out := Tensor{Shape: slices.Clone(shape), DType: t.DType, Data: make([]float64, Size(shape))}
	w.Each(func(i int, o []int) { out.Data[i] = t.Data[o[0]] })
	return out, nil
}
