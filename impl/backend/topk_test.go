package backend_test

import (
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Expected values: ops.argmax, ops.in_top_k and ops.sum(axis=0) of Keras
// 3.15.1 on each backend.

var _ = Describe("Argmax, InTopK, ToInt32 and ColumnSums", func() {
	nan, inf := math.NaN(), math.Inf(1)

	It("finds the first maximum; NaN wins on NumPy and JAX and never on TensorFlow", func() {
		rows := [][]float64{{nan, 1, 2}, {1, nan, 2}, {3, nan, 2}, {nan, nan, 1}, {1, nan, nan}, {2, 2, 1}, {-inf, -inf, -inf}, {nan, -inf, -inf}}
		want := map[backend.Backend][]int{
			backend.NumPy:      {0, 1, 1, 0, 1, 0, 0, 0},
			backend.JAX:        {0, 1, 1, 0, 1, 0, 0, 0},
			backend.TensorFlow: {2, 2, 0, 2, 0, 0, 0, 0},
		}
		for b, w := range want {
			for i, row := range rows {
				Expect(b.Argmax(tensor.Float32, row)).To(Equal(w[i]), "%v %v", b, row)
			}
		}
	})

	It("puts -0 below +0 and below the negative subnormals", func() {
		negZero := math.Copysign(0, -1)
		for _, b := range []backend.Backend{backend.NumPy, backend.JAX, backend.TensorFlow} {
			Expect(b.Argmax(tensor.Float32, []float64{negZero, 0})).To(Equal(1))
			Expect(b.Argmax(tensor.Float32, []float64{negZero, -1e-45})).To(Equal(1))
			Expect(b.Argmax(tensor.Int32, []float64{3, 3, 1})).To(Equal(0))
		}
	})

	It("counts ties in the top k and treats NaN, infinities and bad targets per backend", func() {
		type tc struct {
			target int
			scores []float64
			k      int
		}
		cases := []tc{
			{0, []float64{0.3, 0.3, 0.3, 0.3}, 1},   // ties: in everywhere
			{1, []float64{nan, 0.2, 0.1, 0.4}, 2},   // a NaN elsewhere
			{0, []float64{0.4, nan, 0.1, 0.2}, 1},   // a NaN elsewhere, target the best
			{0, []float64{inf, 1, 2, -inf}, 1},      // infinities
			{-1, []float64{0.1, 0.5, 0.5, 0.2}, 1},  // negative target
			{0, []float64{0.1, 0.5, 0.5, 0.2}, 5},   // k > C
			{1, []float64{0.1, 0.5, 0.5, 0.2}, -1},  // negative k
			{-5, []float64{0.3, 0.3, 0.3, 0.3}, 5},  // target below -C
			{2, []float64{0.3, 0.3, 0.3, 0.3}, 0},   // k = 0
			{3, []float64{0.1, 0.5, 0.5, 0.2}, 3},   // the least target, k = C - 1
			{3, []float64{0.1, 0.5, 0.5, 0.2}, 100}, // k far above C
		}
		want := map[backend.Backend][]bool{
			backend.NumPy:      {true, false, false, true, false, true, true, false, false, true, true},
			backend.JAX:        {true, true, true, true, false, true, false, true, false, true, true},
			backend.TensorFlow: {true, false, false, false, false, true, false, false, false, true, true},
		}
		for b, w := range want {
			for i, c := range cases {
				got, err := b.InTopK(tensor.Float32, c.target, c.scores, c.k)
				if b == backend.NumPy && c.target == -5 {
					Expect(err).To(MatchError(ContainSubstring("out of bounds")))
					continue
				}
				Expect(err).NotTo(HaveOccurred())
				Expect(got).To(Equal(w[i]), "%v case %d", b, i)
			}
		}
		_, err := backend.TensorFlow.InTopK(tensor.Float64, 0, []float64{1, 2}, 1)
		Expect(err).To(MatchError(ContainSubstring("float32")))
	})

	It("converts to int32 by truncation, saturating on JAX", func() {
		Expect(backend.NumPy.ToInt32(1.7)).To(Equal(1))
		Expect(backend.TensorFlow.ToInt32(-1.7)).To(Equal(-1))
		Expect(backend.NumPy.ToInt32(nan)).To(Equal(math.MinInt32))
		Expect(backend.JAX.ToInt32(nan)).To(Equal(0))
		Expect(backend.JAX.ToInt32(1e10)).To(Equal(math.MaxInt32))
	})

	It("sums columns one row at a time, a single column in the backend's vectorised order", func() {
		x := []float64{1, 0x1p-24, 0x1p-24, 1, 0x1p-24, 0x1p-24}
		for _, b := range []backend.Backend{backend.NumPy, backend.JAX, backend.TensorFlow} {
			c := b.NewColumnSums(tensor.Float32, 2)
			c.AddRow(x[0:2])
			c.AddRow(x[2:4])
			c.Add(0, x[4])
			c.Add(1, x[5])
			// Column 0: 1 + 2^-24 + 2^-24 rounds back to 1 at every step.
			Expect(c.Sums()).To(Equal([]float64{1, 1}))
			one := b.NewColumnSums(tensor.Float32, 1)
			for _, v := range []float64{1, 2, 3} {
				one.Add(0, v)
			}
			Expect(one.Sums()).To(Equal([]float64{6}))
		}
		// bfloat16 columns: TensorFlow keeps float32 partial sums.
		row := []float64{1, 1}
		tf, np := backend.TensorFlow.NewColumnSums(tensor.BFloat16, 2), backend.NumPy.NewColumnSums(tensor.BFloat16, 2)
		for _, v := range []float64{256, 1, 1} {
			row[0], row[1] = v, v
			tf.AddRow(row)
			np.AddRow(row)
		}
		Expect(tf.Sums()).To(Equal([]float64{258, 258}))
		Expect(np.Sums()).To(Equal([]float64{256, 256}))
	})
})
