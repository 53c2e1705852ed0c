package tensor_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

func shaped(shape ...int) tensor.Tensor { return tensor.Zeros(tensor.Float32, shape...) }

var _ = Describe("New", func() {
	It("rounds the data to the dtype", func() {
		t, err := tensor.New(tensor.Float16, []int{2}, []float64{1 + 0x1p-11, 0.1})
		Expect(err).NotTo(HaveOccurred())
		Expect(t.Data).To(Equal([]float64{1, tensor.Float16.Round(0.1)}))
	})

	It("refuses data that does not fill the shape", func() {
		_, err := tensor.New(tensor.Float32, []int{2, 3}, make([]float64, 5))
		Expect(err).To(MatchError(ContainSubstring("[2 3] needs 6 values, got 5")))
	})

	It("refuses a negative dimension", func() {
		_, err := tensor.New(tensor.Float32, []int{-1}, nil)
		Expect(err).To(HaveOccurred())
	})

	It("makes a scalar of one value", func() {
		t := tensor.Scalar(tensor.BFloat16, 3.14159)
		Expect(t.Rank()).To(Equal(0))
		Expect(t.Size()).To(Equal(1))
		Expect(t.Data).To(Equal([]float64{3.140625}))
	})
})

var _ = Describe("broadcasting", func() {
	DescribeTable("BroadcastShapes",
		func(a, b, want []int) {
			got, err := tensor.BroadcastShapes(a, b)
			Expect(err).NotTo(HaveOccurred())
			Expect(got).To(Equal(want))
		},
		Entry("trailing alignment", []int{3, 1}, []int{4}, []int{3, 4}),
		Entry("scalar", []int{}, []int{2, 5}, []int{2, 5}),
		Entry("zero-size dimension", []int{0, 3}, []int{1, 3}, []int{0, 3}),
	)

	It("refuses incompatible shapes with ErrShape", func() {
		_, err := tensor.BroadcastShapes([]int{2, 3}, []int{3, 2})
		Expect(err).To(MatchError(tensor.ErrShape))
	})

	It("pairs elements by broadcasting in Map2 and rounds each result", func() {
		a, _ := tensor.New(tensor.Float32, []int{2, 1}, []float64{1, 2})
		b, _ := tensor.New(tensor.Float32, []int{3}, []float64{0.1, 0.2, 0.3})
		got, err := tensor.Map2(a, b, tensor.Float16, func(x, y float64) float64 { return x * y })
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Shape).To(Equal([]int{2, 3}))
		want := []float64{}
		for _, x := range a.Data {
			for _, y := range b.Data {
				want = append(want, tensor.Float16.Round(x*y))
			}
		}
		Expect(got.Data).To(Equal(want))
	})

	It("expands with BroadcastTo and refuses to shrink", func() {
		a, _ := tensor.New(tensor.Float32, []int{1, 2}, []float64{1, 2})
		got, err := a.BroadcastTo([]int{3, 2})
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Data).To(Equal([]float64{1, 2, 1, 2, 1, 2}))
		_, err = got.BroadcastTo([]int{2})
		Expect(err).To(MatchError(tensor.ErrShape))
	})
})

var _ = Describe("SqueezeOrExpandToSameRank", func() {
	DescribeTable("aligns like Keras",
		func(a, b []int, expand bool, wantA, wantB []int) {
			x, y := tensor.SqueezeOrExpandToSameRank(shaped(a...), shaped(b...), expand)
			Expect(x.Shape).To(Equal(wantA))
			Expect(y.Shape).To(Equal(wantB))
		},
		Entry("(B,) against (B,1) expands the rank-1 side", []int{4}, []int{4, 1}, true, []int{4, 1}, []int{4, 1}),
		Entry("(B,1) against (B,) expands the rank-1 side", []int{4, 1}, []int{4}, true, []int{4, 1}, []int{4, 1}),
		Entry("without expand_rank_1 it squeezes instead", []int{4}, []int{4, 1}, false, []int{4}, []int{4}),
		Entry("(B,T,1) against (B,T) squeezes", []int{2, 3, 1}, []int{2, 3}, true, []int{2, 3}, []int{2, 3}),
		Entry("(B,) against (B,T) is left to broadcasting", []int{2}, []int{2, 3}, true, []int{2}, []int{2, 3}),
		Entry("equal ranks are unchanged", []int{2, 1}, []int{2, 3}, true, []int{2, 1}, []int{2, 3}),
		Entry("(1,) against a scalar squeezes", []int{1}, []int{}, true, []int{}, []int{}),
	)

	It("does not modify the caller's shapes", func() {
		a := shaped(4)
		x, _ := tensor.SqueezeOrExpandToSameRank(a, shaped(4, 1), true)
		Expect(x.Shape).To(Equal([]int{4, 1}))
		Expect(a.Shape).To(Equal([]int{4}))
	})
})

var _ = Describe("CanonicalAxis", func() {
	It("maps negative axes and refuses out-of-range ones", func() {
		Expect(tensor.CanonicalAxis(-1, 3)).To(Equal(2))
		_, err := tensor.CanonicalAxis(3, 3)
		Expect(err).To(MatchError(ContainSubstring("axis 3 is out of bounds for a tensor of rank 3")))
		_, err = tensor.CanonicalAxis(-1, 0)
		Expect(err).To(HaveOccurred())
	})
})
