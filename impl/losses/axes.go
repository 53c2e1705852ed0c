package losses

import (
	"fmt"
	"slices"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/parallel"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Reductions over a set of axes (ops.sum(x, axis=...) with axis None, an int
// or a tuple), for the losses whose axis argument may name several axes.

// canonicalAxes maps Keras's axis argument to sorted canonical axes of a
// tensor of rank rank: nil (Python's None) is every axis; a non-nil empty
// slice is no axis at all, as axis=() is. Out-of-range and repeated axes are
// refused, as NumPy refuses them.
func canonicalAxes(axis []int, rank int) ([]int, error) {
	if axis == nil {
		out := make([]int, rank)
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	out := make([]int, len(axis))
	for i, a := range axis {
		c, err := tensor.CanonicalAxis(a, rank)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	slices.Sort(out)
	if len(slices.Compact(slices.Clone(out))) != len(out) {
		return nil, fmt.Errorf("axis %v repeats an axis", axis)
	}
	return out, nil
}

// groups views a reduction of a tensor over some axes: one group of n
// elements per element of the result, in row-major order of the kept axes;
// within a group, elements run in row-major order of the reduced axes.
type groups struct {
	shape []int // the result's shape: the input's without the reduced axes
	n     int   // elements per group
	// offs are a group's element offsets from its first element, and bases
	// each group's first element; both nil when every group is a contiguous
	// run of the input (no kept axis of size > 1 inside a reduced one).
	offs, bases []int
}

func groupsOf(shape, axes []int) groups {
	reduced := make([]bool, len(shape))
	for _, a := range axes {
		reduced[a] = true
	}
	strides := make([]int, len(shape))
	stride := 1
	for i := len(shape) - 1; i >= 0; i-- {
		strides[i] = stride
		stride *= shape[i]
	}
	g := groups{shape: []int{}, n: 1}
	var keptDims, redDims, keptStrides, redStrides []int
	for i, d := range shape {
		if reduced[i] {
			g.n *= d
			redDims, redStrides = append(redDims, d), append(redStrides, strides[i])
		} else {
			g.shape = append(g.shape, d)
			keptDims, keptStrides = append(keptDims, d), append(keptStrides, strides[i])
		}
	}
	// Groups are contiguous when no kept dimension (of size > 1) lies inside
	// a reduced one: then NumPy, XLA and Eigen all reduce innermost.
	lastKept, firstReduced := -1, len(shape)
	for i, d := range shape {
		switch {
		case d == 1:
		case reduced[i]:
			firstReduced = min(firstReduced, i)
		default:
			lastKept = i
		}
	}
	if lastKept > firstReduced {
		g.offs = offsets(redDims, redStrides)
		g.bases = offsets(keptDims, keptStrides)
	}
	return g
}

// offsets lists the flat offsets of a row-major walk over dims (outermost
// first) with the given strides.
func offsets(dims, strides []int) []int {
	out := []int{0}
	for k, d := range dims {
		next := make([]int, 0, len(out)*d)
		for _, o := range out {
			for j := range d {
				next = append(next, o+j*strides[k])
			}
		}
		out = next
	}
	return out
}

// strided reports whether the groups run along a non-innermost axis, which
// changes every backend's summation order.
func (g groups) strided() bool { return g.offs != nil }

// contiguous returns x laid out group after group: x itself when the groups
// already are contiguous, otherwise a permuted copy.
func (g groups) contiguous(x []float64) []float64 {
	if g.offs == nil {
		return x
	}
	out := make([]float64, 0, len(x))
	for _, base := range g.bases {
		for _, o := range g.offs {
			out = append(out, x[base+o])
		}
	}
	return out
}

// sumGroups returns, for each of k terms and each group, the sum of the
// term over the group's elements, in dtype d and backend b's order.
// term(q, lo, out) writes term q of the elements lo, lo+1, ... of the inputs
// laid out group after group (groups.contiguous) into out; a stretch never
// crosses groups. Terms are computed a stretch at a time and never held all
// at once; groups run in parallel, and so do the halves of a single long
// sum.
func sumGroups(b backend.Backend, d tensor.DType, g groups, k int, term func(q, lo int, out []float64)) [][]float64 {
	rows := tensor.Size(g.shape)
	res := make([][]float64, k)
	for q := range res {
		res[q] = make([]float64, rows)
	}
	parallel.Rows(rows, g.n*k, func(lo, hi int) {
		scratch := make([]float64, min(g.n, backend.ChunkLen))
		for r := lo; r < hi; r++ {
			for q := range res {
				res[q][r] = b.SumChunks(d, g.n, g.strided(), scratch, func(at int, buf []float64) {
					term(q, r*g.n+at, buf)
				})
			}
		}
	})
	return res
}

// reduceSum is ops.sum(x, axis) for canonical axes: x's dtype, backend b's
// order.
func reduceSum(b backend.Backend, x tensor.Tensor, axes []int) tensor.Tensor {
	g := groupsOf(x.Shape, axes)
	data := g.contiguous(x.Data)
	s := sumGroups(b, x.DType, g, 1, func(_, lo int, out []float64) { copy(out, data[lo:]) })
	return tensor.Tensor{Shape: g.shape, DType: x.DType, Data: s[0]}
}
