package reference

import (
	"math"
	"math/rand/v2"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("16-bit floats", func() {
	It("decodes and re-encodes every float16 bit pattern", func() {
		for b := range 1 << 16 {
			x := float16ToFloat64(uint16(b))
			if b&0x7c00 == 0x7c00 && b&0x3ff != 0 {
				Expect(math.IsNaN(x)).To(BeTrue(), "%#04x", b)
				continue
			}
			Expect(roundBits(x, f16Exp, f16Mant)).To(Equal(uint64(b)), "%#04x = %v", b, x)
		}
	})

	It("decodes float16 like the format's definition", func() {
		Expect(float16ToFloat64(0x3c00)).To(Equal(1.0))
		Expect(float16ToFloat64(0xc000)).To(Equal(-2.0))
		Expect(float16ToFloat64(0x7bff)).To(Equal(65504.0))
		Expect(float16ToFloat64(0x0001)).To(Equal(0x1p-24))
		Expect(float16ToFloat64(0x0400)).To(Equal(0x1p-14))
		Expect(float16ToFloat64(0xfc00)).To(Equal(math.Inf(-1)))
		Expect(math.Signbit(float16ToFloat64(0x8000))).To(BeTrue())
	})

	It("rounds float16 midpoints to even", func() {
		for b := uint16(0); b < 0x7bff; b++ {
			lo, hi := float16ToFloat64(b), float16ToFloat64(b+1)
			want := b
			if b&1 == 1 {
				want = b + 1
			}
			Expect(roundBits((lo+hi)/2, f16Exp, f16Mant)).To(Equal(uint64(want)), "between %#04x and %#04x", b, b+1)
		}
	})

	It("rounds to bfloat16 as the usual bit trick does", func() {
		r := rand.New(rand.NewPCG(1, 2))
		for range 200000 {
			bits := r.Uint32()
			x := math.Float32frombits(bits)
			if x != x || math.IsInf(float64(x), 0) {
				continue
			}
			want := (bits + 0x7fff + (bits>>16)&1) >> 16 // overflow lands on infinity too
			Expect(roundBits(float64(x), bf16Exp, bf16Mant)).To(Equal(uint64(want)), "%#08x", bits)
		}
	})

	It("rounds to float32 as Go's conversion does, subnormals and overflow included", func() {
		r := rand.New(rand.NewPCG(3, 4))
		for range 200000 {
			x := math.Ldexp(r.Float64()*2-1, r.IntN(320)-170)
			Expect(roundBits(x, 8, 23)).To(Equal(uint64(math.Float32bits(float32(x)))), "%v", x)
		}
	})

	It("knows bfloat16 values", func() {
		Expect(isBFloat16(1 + 0x1p-7)).To(BeTrue())
		Expect(isBFloat16(math.NaN())).To(BeTrue())
		Expect(isBFloat16(math.Inf(1))).To(BeTrue())
		Expect(isBFloat16(1 + 0x1p-8)).To(BeFalse())
		Expect(isBFloat16(0.1)).To(BeFalse())
	})
})
