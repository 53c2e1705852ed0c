package backend

import (
	"math"
	"sync"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

// ChunkLen is the longest stretch of terms SumChunks asks for at once: the
// largest block Sum's orders treat as a unit (Eigen's 1024 packets of 8
// float32 values).
const ChunkLen = 8192

// parallelTerms is the length above which SumChunks adds the two halves of
// a pairwise or Eigen sum on two goroutines.
const parallelTerms = 1 << 17

// SumChunks returns Sum(d, xs, strided) for the n terms xs that fill
// writes a stretch at a time: fill(lo, buf) must set buf[j] = xs[lo+j]. A
// long sum thus never holds all its terms, and its independent halves run
// concurrently; the order of additions, and so the result, is Sum's.
// scratch, if at least min(n, ChunkLen) long, is used for the stretches
// (fill may then be called with parts of it); fill must be safe for
// concurrent calls on disjoint stretches when n exceeds 2^17.
func (b Backend) SumChunks(d tensor.DType, n int, strided bool, scratch []float64, fill func(lo int, buf []float64)) float64 {
	if need := min(n, ChunkLen); len(scratch) < need {
		scratch = make([]float64, need)
	}
	wide := d.Accumulator()
	switch {
	case b == NumPy && d != tensor.BFloat16 && !strided:
		return d.Round(halves(n, scratch, 8, func(lo, n int, buf []float64) float64 {
			fill(lo, buf[:n])
			return pairwise(wide, buf[:n])
		}, func(x, y float64) float64 { return wide.Round(x + y) }))
	case b == TensorFlow && !strided && (d == tensor.Float32 || d == tensor.Float64):
		p := 32 / d.Size()
		return d.Round(eigenChunks(d, 0, n, p, scratch, fill))
	}
	// The left-to-right orders: rounding every partial sum to r, or none
	// (float64 accumulation rounded once to wide).
	var r tensor.DType
	exact := false
	switch {
	case b == NumPy:
		r = d
	case b == JAX && (strided || n <= 32):
		r = wide
	case b == TensorFlow && strided:
		r = d
	default:
		exact = true
	}
	s := 0.0
	if !exact {
		s = math.Copysign(0, -1)
	}
	for lo := 0; lo < n; lo += len(scratch) {
		buf := scratch[:min(len(scratch), n-lo)]
		fill(lo, buf)
		if exact {
			for _, v := range buf {
				s += v
			}
			continue
		}
		for _, v := range buf {
			s = r.Round(s + v)
		}
	}
	if exact {
		s = wide.Round(s)
	}
	return d.Round(s)
}

// halves is NumPy's pairwise recursion above a leaf of at most len(scratch)
// terms: a stretch of n > len(scratch) terms splits at n/2 rounded down to
// a multiple of unit, and the halves are combined with join.
func halves(n int, scratch []float64, unit int, leaf func(lo, n int, buf []float64) float64,
	join func(x, y float64) float64) float64 {
	var rec func(lo, n int, buf []float64) float64
	rec = func(lo, n int, buf []float64) float64 {
		if n <= len(buf) {
			return leaf(lo, n, buf)
		}
		n2 := n / 2
		n2 -= n2 % unit
		if n < parallelTerms {
			return join(rec(lo, n2, buf), rec(lo+n2, n-n2, buf))
		}
		var left float64
		var wg sync.WaitGroup
		wg.Go(func() { left = rec(lo, n2, make([]float64, len(buf))) })
		right := rec(lo+n2, n-n2, buf)
		wg.Wait()
		return join(left, right)
	}
	return rec(0, n, scratch[:min(len(scratch), ChunkLen)])
}

// eigenChunks is eigen(d, xs[lo:lo+n], p) with xs written by fill.
func eigenChunks(d tensor.DType, lo, n, p int, scratch []float64, fill func(lo int, buf []float64)) float64 {
	if n <= p*1024 {
		buf := scratch[:n]
		fill(lo, buf)
		return eigen(d, buf, p)
	}
	split := p * ((n/2 + p - 1) / p)
	if n < parallelTerms {
		return d.Round(eigenChunks(d, lo, split, p, scratch, fill) + eigenChunks(d, lo+split, n-split, p, scratch, fill))
	}
	var left float64
	var wg sync.WaitGroup
	wg.Go(func() { left = eigenChunks(d, lo, split, p, make([]float64, len(scratch)), fill) })
	right := eigenChunks(d, lo+split, n-split, p, scratch, fill)
	wg.Wait()
	return d.Round(left + right)
}
