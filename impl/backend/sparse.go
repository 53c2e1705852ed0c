package backend

import "github.com/kerasparity/kerasparity/impl/tensor"

// SumSparse is Sum(d, xs, false) for a vector xs of length n that is zero
// except at the strictly ascending positions pos, which hold vals. Adding a
// zero never changes a partial sum, so the result is the dense sum's (up to
// the sign of an all-zero total) at the cost of the non-zero terms only,
// for TensorFlow's float32 and float64 reductions; other cases build the
// dense vector.
func (b Backend) SumSparse(d tensor.DType, n int, pos []int, vals []float64) float64 {
	if b != TensorFlow || (d != tensor.Float32 && d != tensor.Float64) {
		xs := make([]float64, n)
		for k, p := range pos {
			xs[p] = vals[k]
		}
		return b.Sum(d, xs, false)
	}
	return d.Round(eigenSparse(d, n, pos, vals, 32/d.Size()))
}

// eigenSparse is eigen over the sparse vector (n, pos, vals).
func eigenSparse(d tensor.DType, n int, pos []int, vals []float64, p int) float64 {
	if n > p*1024 {
		split := p * ((n/2 + p - 1) / p)
		k := 0
		for k < len(pos) && pos[k] < split {
			k++
		}
		rest := make([]int, len(pos)-k)
		for i, q := range pos[k:] {
			rest[i] = q - split
		}
		return d.Round(eigenSparse(d, split, pos[:k], vals[:k], p) + eigenSparse(d, n-split, rest, vals[k:], p))
	}
	unrolled, vectorized := n/(4*p)*4*p, n/p*p
	var acc [4][8]float64
	k := 0
	for ; k < len(pos) && pos[k] < unrolled; k++ {
		u, l := pos[k]%(4*p)/p, pos[k]%p
		acc[u][l] = d.Round(acc[u][l] + vals[k])
	}
	packet := acc[0]
	for l := range p {
		packet[l] = d.Round(d.Round(d.Round(packet[l]+acc[1][l])+acc[2][l]) + acc[3][l])
	}
	for ; k < len(pos) && pos[k] < vectorized; k++ {
		l := pos[k] % p
		packet[l] = d.Round(packet[l] + vals[k])
	}
	for h := p / 2; h >= 1; h /= 2 {
		for l := range h {
			packet[l] = d.Round(packet[l] + packet[l+h])
		}
	}
	return d.Round(sequential(d, vals[k:]) + packet[0])
}
