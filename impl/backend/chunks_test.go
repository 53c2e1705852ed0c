package backend_test

import (
	"math"
	"math/rand/v2"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

var _ = Describe("SumChunks and SumSparse", func() {
	backends := []backend.Backend{backend.NumPy, backend.JAX, backend.TensorFlow}
	dtypes := []tensor.DType{tensor.Float32, tensor.Float64, tensor.Float16, tensor.BFloat16}

	terms := func(n int, d tensor.DType, sparse bool) []float64 {
		r := rand.New(rand.NewPCG(uint64(n), 7))
		xs := make([]float64, n)
		for i := range xs {
			if sparse && r.IntN(5) != 0 {
				continue
			}
			xs[i] = d.Round(r.NormFloat64() * math.Exp2(float64(r.IntN(20)-10)))
		}
		return xs
	}

	It("add in Sum's order, bit for bit, whatever the length and scratch", func() {
		for _, b := range backends {
			for _, d := range dtypes {
				for _, n := range []int{0, 1, 7, 33, 129, 1000, 8192, 8193, 20000, 300001} {
					xs := terms(n, d, false)
					for _, strided := range []bool{false, true} {
						want := b.Sum(d, xs, strided)
						for _, scratch := range [][]float64{nil, make([]float64, 1000), make([]float64, 20000)} {
							got := b.SumChunks(d, n, strided, scratch, func(lo int, buf []float64) { copy(buf, xs[lo:]) })
							Expect(math.Float64bits(got)).To(Equal(math.Float64bits(want)),
								"%v %v n=%d strided=%v scratch=%d", b, d, n, strided, len(scratch))
						}
					}
				}
			}
		}
	})

	It("skip the zeros of a sparse vector without changing the sum", func() {
		for _, b := range backends {
			for _, d := range dtypes {
				for _, n := range []int{1, 9, 64, 1000, 9000} {
					xs := terms(n, d, true)
					var pos []int
					var vals []float64
					for i, v := range xs {
						if v != 0 {
							pos, vals = append(pos, i), append(vals, v)
						}
					}
					Expect(b.SumSparse(d, n, pos, vals)).To(Equal(b.Sum(d, xs, false)), "%v %v n=%d", b, d, n)
				}
			}
		}
	})
})
