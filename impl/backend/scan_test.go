package backend_test

import (
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

var _ = Describe("TopK, FlushDenormals and ReverseCumsum", func() {
	nan := math.NaN()

	DescribeTable("TopKCount",
		func(b backend.Backend, k, n, want int, ok bool) {
			keep, accepted := b.TopKCount(k, n)
			Expect(accepted).To(Equal(ok))
			if ok {
				Expect(keep).To(Equal(want))
			}
		},
		Entry("NumPy keeps everything for k > n", numpy, 7, 5, 5, true),
		Entry("NumPy drops the |k| smallest for k < 0", numpy, -2, 5, 3, true),
		Entry("NumPy keeps nothing for k <= -n", numpy, -9, 5, 0, true),
		Entry("JAX refuses k > n", jax, 6, 5, 0, false),
		Entry("TensorFlow refuses k < 0", tf, -1, 5, 0, false),
		Entry("TensorFlow takes k = n", tf, 5, 5, 5, true),
	)

	DescribeTable("TopK orders ties and NaN as ops.top_k does",
		func(b backend.Backend, k int, want []int) {
			Expect(b.TopK([]float64{1, nan, 3, 3, 2}, k, nil)).To(Equal(want))
		},
		Entry("NumPy: NaN largest, ties highest index first", numpy, 2, []int{1, 3}),
		Entry("JAX: NaN largest, ties lowest index first", jax, 2, []int{1, 2}),
		Entry("TensorFlow, k > 1: NaN taken as largest", tf, 2, []int{1, 2}),
		Entry("NumPy, k = 1", numpy, 1, []int{1}),
		Entry("JAX, k = 1", jax, 1, []int{1}),
		Entry("TensorFlow, k = 1: the max reduction passes NaN by", tf, 1, []int{2}),
		Entry("JAX, k = 0", jax, 0, []int(nil)),
		Entry("NumPy, k = 5: the whole row", numpy, 5, []int{1, 3, 2, 4, 0}),
	)

	It("keeps the sorted and the insertion paths of TopK in agreement", func() {
		row := make([]float64, 40)
		for i := range row {
			row[i] = float64((i * 7) % 11)
		}
		for _, b := range []backend.Backend{numpy, jax, tf} {
			all := b.TopK(row, 40, nil)
			Expect(b.TopK(row, 16, []int{99})).To(Equal(append([]int{99}, all[:16]...)), b.String())
			Expect(b.TopK(row, 17, nil)).To(Equal(all[:17]), b.String())
		}
	})

	It("flushes float32 subnormals to signed zeros on JAX and TensorFlow only", func() {
		t, err := tensor.New(tensor.Float32, []int{4}, []float64{0x1p-149, -0x1p-130, 1, 0x1p-126})
		Expect(err).NotTo(HaveOccurred())
		for _, b := range []backend.Backend{jax, tf} {
			got := b.FlushDenormals(t).Data
			Expect(got).To(Equal([]float64{0, 0, 1, 0x1p-126}), b.String())
			Expect(math.Signbit(got[1])).To(BeTrue(), b.String())
		}
		Expect(numpy.FlushDenormals(t).Data).To(Equal(t.Data))
		Expect(t.Data[0]).To(Equal(0x1p-149), "the input is not modified")
		normal, _ := tensor.New(tensor.Float32, []int{2}, []float64{1, 2})
		Expect(&tf.FlushDenormals(normal).Data[0]).To(BeIdenticalTo(&normal.Data[0]), "no copy without subnormals")
	})

	It("scans sequentially on NumPy and TensorFlow and in blocks of 16 on JAX", func() {
		// Scanned from the end: 2^24, then nineteen 1s. Sequentially every
		// 1 is lost (2^24 + 1 rounds to even); XLA scans the 16-value blocks
		// first, and the last block's 1, 2, 3, 4 meet 2^24 only at the end.
		x := make([]float64, 20)
		for i := range x {
			x[i] = 1
		}
		x[19] = 1 << 24
		seq := make([]float64, 20)
		for i := range seq {
			seq[i] = 1 << 24
		}
		Expect(numpy.ReverseCumsum(x)).To(Equal(seq))
		Expect(tf.ReverseCumsum(x)).To(Equal(seq))
		Expect(jax.ReverseCumsum(x)[:4]).To(Equal([]float64{16777220, 16777220, 16777218, 16777216}))
		Expect(jax.ReverseCumsum(x)[4:]).To(Equal(seq[4:]))
		Expect(jax.ReverseCumsum(x[:16])).To(Equal(numpy.ReverseCumsum(x[:16])), "one block is a sequential scan")
	})
})
