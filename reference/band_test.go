package reference_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/reference"
)

var _ = Describe("CompareWithin", func() {
	tol := reference.Tolerance{ATol: 0, RTol: 1e-12, Reason: "tight"}
	want := reference.Array{Shape: []int{2}, DType: "float64", Data: []float64{1, 2}}
	others := []reference.Array{{Shape: []int{2}, DType: "float64", Data: []float64{1 + 1e-7, 2}}}

	It("admits a value inside the band of Keras's backends, and says so", func() {
		got := reference.Array{Shape: []int{2}, DType: "float64", Data: []float64{1 + 5e-8, 2}}
		_, err := reference.Compare(got, want, tol)
		Expect(err).To(HaveOccurred(), "outside the tolerance alone")
		st, err := reference.CompareWithin(got, want, tol, reference.NewBand(want, others))
		Expect(err).NotTo(HaveOccurred())
		Expect(st.Banded).To(Equal(1))
		Expect(st.Spread).To(BeNumerically("~", 1e-7, 1e-12))
	})

	It("refuses a value outside the band", func() {
		got := reference.Array{Shape: []int{2}, DType: "float64", Data: []float64{1 - 5e-8, 2}}
		_, err := reference.CompareWithin(got, want, tol, reference.NewBand(want, others))
		Expect(err).To(HaveOccurred())
	})

	It("does not use a band wider than kernel noise: backends that compute different things", func() {
		wide := []reference.Array{{Shape: []int{2}, DType: "float64", Data: []float64{1.5, 2}}}
		got := reference.Array{Shape: []int{2}, DType: "float64", Data: []float64{1.2, 2}}
		_, err := reference.CompareWithin(got, want, tol, reference.NewBand(want, wide))
		Expect(err).To(HaveOccurred())
	})

	It("never admits a non-finite value through the band", func() {
		nan := []reference.Array{{Shape: []int{2}, DType: "float64", Data: []float64{nanValue(), 2}}}
		got := reference.Array{Shape: []int{2}, DType: "float64", Data: []float64{nanValue(), 2}}
		_, err := reference.CompareWithin(got, want, tol, reference.NewBand(want, nan))
		Expect(err).To(HaveOccurred())
	})
})

func nanValue() float64 {
	zero := 0.0
	return zero / zero
}
