package backend

import (
	"math"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Sum returns the sum of xs, values of dtype d, as backend b's sum reduction
// computes it, rounded to d. strided says the reduction runs along an axis
// that is not the innermost one, which changes the order on every backend.
//
// The orders were measured against each backend (float32 and float64 sums
// of random data, bit for bit):
//   - NumPy along the innermost axis adds pairwise (eight partial sums,
//     halves above 128 values), in float32 for float16 data; along another
//     axis it adds one value at a time, rounding each partial sum to d;
//     ml_dtypes' bfloat16 always adds one value at a time in bfloat16.
//   - TensorFlow (Eigen) keeps four packet accumulators of 256 bits, adds
//     the leftover packets to their combination, reduces the packet
//     horizontally by halves and adds that to the scalar tail, splitting
//     inputs above 1024 packets in halves; along another axis it adds one
//     value at a time.
//   - JAX (XLA) adds one value at a time up to 32 values, and along another
//     axis; above that its vectorised order is not reproduced.
//
// Where no order is known (XLA above 32 values, Eigen on half types), the
// values are added in float64 and the total rounded through the
// accumulator dtype: within an ulp or two of any order.
func (b Backend) Sum(d tensor.DType, xs []float64, strided bool) float64 {
	return d.Round(b.accumulate(d, d, xs, strided))
}

// Mean returns the mean of xs as ops.mean computes it: the sum, accumulated
// in the accumulator dtype (NumPy's mean of float16 sums in float32),
// divided by the count there, rounded to d. On JAX the division is a
// multiplication by the reciprocal of the count, rounded to the accumulator
// dtype: XLA's algebraic simplifier rewrites jnp.mean's division by a
// constant that way. The mean of nothing is NaN, as in NumPy.
func (b Backend) Mean(d tensor.DType, xs []float64, strided bool) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	acc := d.Accumulator()
	sum := b.accumulate(d, acc, xs, strided)
	if b == JAX {
		return d.Round(acc.Round(sum * acc.Round(1/float64(len(xs)))))
	}
	return d.Round(acc.Round(sum / float64(len(xs))))
}

// accumulate adds xs, values of dtype d, in dtype acc, without rounding the
// total to d.
func (b Backend) accumulate(d, acc tensor.DType, xs []float64, strided bool) float64 {
	wide := acc.Accumulator()
	switch b {
	case NumPy:
		switch {
		case d == tensor.BFloat16:
			return sequential(d, xs)
		case strided:
			return sequential(acc, xs)
		}
		return pairwise(wide, xs)
	case JAX:
		if strided || len(xs) <= 32 {
			return sequential(wide, xs)
		}
	case TensorFlow:
		switch {
		case strided:
			return sequential(acc, xs)
		case d == tensor.Float32 || d == tensor.Float64:
			return eigen(d, xs, 32/d.Size())
		}
	}
	s := 0.0
	for _, v := range xs {
		s += v
	}
	return wide.Round(s)
}

// eigen is Eigen's vectorised inner-most reduction (InnerMostDimReducer)
// with packets of p values, every addition rounded to d.
func eigen(d tensor.DType, xs []float64, p int) float64 {
	n := len(xs)
	if n > p*1024 {
		split := p * ((n/2 + p - 1) / p)
		return d.Round(eigen(d, xs[:split], p) + eigen(d, xs[split:], p))
	}
	unrolled, vectorized := n/(4*p)*4*p, n/p*p
	var acc [4][8]float64
	for j := 0; j < unrolled; j += 4 * p {
		for u := range 4 {
			for l := range p {
				acc[u][l] = d.Round(acc[u][l] + xs[j+u*p+l])
			}
		}
	}
	packet := acc[0]
	for l := range p {
		packet[l] = d.Round(d.Round(d.Round(packet[l]+acc[1][l])+acc[2][l]) + acc[3][l])
	}
	for j := unrolled; j < vectorized; j += p {
		for l := range p {
			packet[l] = d.Round(packet[l] + xs[j+l])
		}
	}
	for h := p / 2; h >= 1; h /= 2 {
		for l := range h {
			packet[l] = d.Round(packet[l] + packet[l+h])
		}
	}
	return d.Round(sequential(d, xs[vectorized:]) + packet[0])
}

// sequential adds left to right, rounding every partial sum to d.
func sequential(d tensor.DType, xs []float64) float64 {
	s := math.Copysign(0, -1)
	for _, v := range xs {
		s = d.Round(s + v)
	}
	return s
}

// pairwise is NumPy's pairwise_sum (numpy/_core/src/umath/loops_utils.h.src)
// with every addition rounded to d.
func pairwise(d tensor.DType, xs []float64) float64 {
	n := len(xs)
	switch {
	case n < 8:
		return sequential(d, xs)
	case n <= 128:
		var r [8]float64
		copy(r[:], xs[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for j := range r {
				r[j] = d.Round(r[j] + xs[i+j])
			}
		}
		res := d.Round(d.Round(d.Round(r[0]+r[1])+d.Round(r[2]+r[3])) + d.Round(d.Round(r[4]+r[5])+d.Round(r[6]+r[7])))
		for ; i < n; i++ {
			res = d.Round(res + xs[i])
		}
		return res
	}
	n2 := n / 2
	n2 -= n2 % 8
	return d.Round(pairwise(d, xs[:n2]) + pairwise(d, xs[n2:]))
}

// ReduceTrailing reduces t over its dimensions from k on, with the sum (or
// the mean, if mean is set), giving a tensor of shape t.Shape[:k] and t's
// dtype. The reduced dimensions are the innermost ones, contiguous.
func (b Backend) ReduceTrailing(t tensor.Tensor, k int, mean bool) tensor.Tensor {
	if k >= t.Rank() {
		return t
	}
	outer := tensor.Size(t.Shape[:k])
	out := tensor.Tensor{Shape: append([]int(nil), t.Shape[:k]...), DType: t.DType, Data: make([]float64, outer)}
	if outer == 0 {
		return out
	}
	n := len(t.Data) / outer
	for i := range out.Data {
		row := t.Data[i*n : (i+1)*n]
		if mean {
			out.Data[i] = b.Mean(t.DType, row, false)
		} else {
			out.Data[i] = b.Sum(t.DType, row, false)
		}
	}
	return out
}

// SumAll is ops.sum(x) of a whole 1-D tensor of dtype d, with no axis. It is
// Sum, except that TensorFlow adds half-precision values one at a time in
// their own dtype (measured on AUC's label weights).
func (b Backend) SumAll(d tensor.DType, xs []float64) float64 {
	if b == TensorFlow && (d == tensor.Float16 || d == tensor.BFloat16) {
		s := 0.0
		for _, v := range xs {
			s = d.Round(s + v)
		}
		return s
	}
	return b.Sum(d, xs, false)
}
