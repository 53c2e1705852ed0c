package backend

import (
	"math"
	"slices"

	"github.com/kerasparity/kerasparity/impl/internal/parallel"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// FlushDenormals returns t, a float32 tensor, as backend b's CPU kernels see
// it: TensorFlow and JAX run with denormals flushed to zero (FTZ/DAZ), so
// their subnormals become signed zeros (a prediction of 1e-45 is not above
// a threshold of 0 there); NumPy keeps subnormals. t is returned as is, not
// copied, when nothing changes.
func (b Backend) FlushDenormals(t tensor.Tensor) tensor.Tensor {
	if b == NumPy {
		return t
	}
	const chunk = 1 << 16
	found := make([]bool, (len(t.Data)+chunk-1)/chunk)
	parallel.Rows(len(found), chunk, func(lo, hi int) {
		for q := lo; q < hi; q++ {
			found[q] = slices.ContainsFunc(t.Data[q*chunk:min((q+1)*chunk, len(t.Data))], isSubnormal32)
		}
	})
	if !slices.Contains(found, true) {
		return t
	}
	out := t
	out.Data = slices.Clone(t.Data)
	for i, x := range out.Data {
		if isSubnormal32(x) {
			out.Data[i] = math.Copysign(0, x)
		}
	}
	return out
}

// isSubnormal32 reports whether x, a float32 value, is subnormal.
func isSubnormal32(x float64) bool { return math.Abs(x) < 0x1p-126 && x != 0 }

// ReverseCumsum is flip(cumsum(flip(x))) of float32 values x, in float32, as
// backend b computes it. NumPy and TensorFlow scan sequentially; XLA on CPU
// rewrites JAX's cumsum into a tree of scans over blocks of 16
// (xla/hlo/transforms/simplifiers/reduce_window_rewriter).
func (b Backend) ReverseCumsum(x []float64) []float64 {
	f := slices.Clone(x)
	slices.Reverse(f)
	if b == JAX {
		f = xlaCumsum(f, 16)
	} else {
		scan32(f, f)
	}
	slices.Reverse(f)
	return f
}

// scan32 writes the inclusive float32 running sums of x to out.
func scan32(out, x []float64) float64 {
	s := 0.0
	for i, v := range x {
		s = float64(float32(s + v))
		out[i] = s
	}
	return s
}

// xlaCumsum is XLA's tree-structured inclusive scan: pad to a multiple of
// base, scan each block sequentially, scan the block totals (recursively,
// exclusive) and add each block's offset to its elements.
func xlaCumsum(x []float64, base int) []float64 {
	n := len(x)
	out := make([]float64, n)
	if n <= base {
		scan32(out, x)
		return out
	}
	blocks := (n + base - 1) / base
	totals := make([]float64, blocks)
	for k := range blocks {
		lo, hi := k*base, min((k+1)*base, n)
		totals[k] = scan32(out[lo:hi], x[lo:hi])
	}
	incl := xlaCumsum(totals, base)
	for k := 1; k < blocks; k++ {
		for i := k * base; i < min((k+1)*base, n); i++ {
			out[i] = float64(float32(out[i] + incl[k-1]))
		}
	}
	return out
}
