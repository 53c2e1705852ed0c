package tensor_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

var _ = Describe("PromoteFloat", func() {
	It("keeps a common dtype, prefers float64, and meets halves in float32", func() {
		Expect(tensor.PromoteFloat(tensor.Float16, tensor.Float16)).To(Equal(tensor.Float16))
		Expect(tensor.PromoteFloat(tensor.Float32, tensor.Float64)).To(Equal(tensor.Float64))
		Expect(tensor.PromoteFloat(tensor.BFloat16, tensor.Float16)).To(Equal(tensor.Float32))
		Expect(tensor.PromoteFloat(tensor.BFloat16, tensor.Float32)).To(Equal(tensor.Float32))
	})
})
