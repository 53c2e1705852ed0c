package tensor_test

import (
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

// float16FromBits decodes IEEE binary16 independently of the code under test.
func float16FromBits(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * frac * math.Ldexp(1, -24)
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return sign * math.Inf(1)
	}
	return sign * (1 + frac/1024) * math.Ldexp(1, exp-15)
}

var _ = Describe("DType.Round", func() {
	It("leaves every float16 value unchanged", func() {
		for h := range 1 << 16 {
			v := float16FromBits(uint16(h))
			if math.IsNaN(v) {
				Expect(math.IsNaN(tensor.Float16.Round(v))).To(BeTrue())
				continue
			}
			Expect(tensor.Float16.Round(v)).To(Equal(v), "bits %#04x", h)
		}
	})

	It("leaves every bfloat16 value unchanged", func() {
		for h := range 1 << 16 {
			v := float64(math.Float32frombits(uint32(h) << 16))
			if math.IsNaN(v) {
				Expect(math.IsNaN(tensor.BFloat16.Round(v))).To(BeTrue())
				continue
			}
			Expect(tensor.BFloat16.Round(v)).To(Equal(v), "bits %#04x", h)
		}
	})

	DescribeTable("rounds to nearest, ties to even",
		func(d tensor.DType, x, want float64) {
			Expect(d.Round(x)).To(Equal(want))
		},
		Entry("float16 tie down to even", tensor.Float16, 1+0x1p-11, 1.0),
		Entry("float16 tie up to even", tensor.Float16, 1+3*0x1p-11, 1+0x1p-9),
		Entry("float16 just above a tie, no double rounding through float32", tensor.Float16, 1+0x1p-11+0x1p-40, 1+0x1p-10),
		Entry("float16 largest finite", tensor.Float16, 65519.99, 65504.0),
		Entry("float16 overflow at the tie above the largest", tensor.Float16, 65520.0, math.Inf(1)),
		Entry("float16 smallest subnormal", tensor.Float16, 0x1p-24, 0x1p-24),
		Entry("float16 half the smallest subnormal ties to zero", tensor.Float16, 0x1p-25, 0.0),
		Entry("float16 above half the smallest subnormal", tensor.Float16, 3*0x1p-26, 0x1p-24),
		Entry("float16 epsilon", tensor.Float16, 1e-7, 2*0x1p-24),
		Entry("float16 1 - 1e-7 is 1", tensor.Float16, 1-1e-7, 1.0),
		Entry("bfloat16 tie down to even", tensor.BFloat16, 1+0x1p-8, 1.0),
		Entry("bfloat16 tie up to even", tensor.BFloat16, 1+3*0x1p-8, 1+0x1p-6),
		Entry("bfloat16 1 - 1e-7 is 1", tensor.BFloat16, 1-1e-7, 1.0),
		Entry("bfloat16 negative", tensor.BFloat16, -3.14159, -3.140625),
		Entry("float32 1 - 1e-7", tensor.Float32, 1-1e-7, 1-0x1p-23),
		Entry("float32 epsilon", tensor.Float32, 1e-7, float64(float32(1e-7))),
		Entry("float64 unchanged", tensor.Float64, 0.1, 0.1),
		Entry("int32 truncates", tensor.Int32, -2.7, -2.0),
		Entry("int64 truncates", tensor.Int64, 3.9, 3.0),
		Entry("bool", tensor.Bool, -0.5, 1.0),
	)

	It("keeps NaN and infinities", func() {
		for _, d := range []tensor.DType{tensor.Float32, tensor.Float16, tensor.BFloat16} {
			Expect(math.IsNaN(d.Round(math.NaN()))).To(BeTrue())
			Expect(d.Round(math.Inf(-1))).To(Equal(math.Inf(-1)))
		}
	})

	It("keeps the sign of zero and of underflow", func() {
		Expect(math.Signbit(tensor.Float16.Round(-0x1p-30))).To(BeTrue())
	})
})

var _ = Describe("ClipBounds", func() {
	It("rounds epsilon and 1 - epsilon to the dtype", func() {
		lo, hi := tensor.ClipBounds(tensor.Float32)
		Expect(lo).To(Equal(float64(float32(1e-7))))
		Expect(hi).To(Equal(1 - 0x1p-23))
		_, hi = tensor.ClipBounds(tensor.Float16)
		Expect(hi).To(Equal(1.0))
		_, hi = tensor.ClipBounds(tensor.Float64)
		Expect(hi).To(Equal(1 - 1e-7))
	})
})

var _ = Describe("ParseDType", func() {
	It("round-trips every name", func() {
		for _, name := range []string{"float32", "float64", "float16", "bfloat16", "int32", "int64", "bool"} {
			d, err := tensor.ParseDType(name)
			Expect(err).NotTo(HaveOccurred())
			Expect(d.String()).To(Equal(name))
		}
	})

	It("refuses an unknown name, naming it", func() {
		_, err := tensor.ParseDType("float8")
		Expect(err).To(MatchError(ContainSubstring(`"float8"`)))
	})
})
