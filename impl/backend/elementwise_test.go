package backend_test

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

var (
	numpy, jax, tf = backend.NumPy, backend.JAX, backend.TensorFlow
	f32, f64       = tensor.Float32, tensor.Float64
	f16, bf16      = tensor.Float16, tensor.BFloat16
)

// Expected values: NumPy 2.4.6 (with ml_dtypes 0.6.0) where the entry says
// so; elsewhere the formula the doc comment gives, evaluated by hand, which
// the conformance fixtures of every backend check end to end.

var _ = Describe("elementwise ops", func() {
	nan, inf := math.NaN(), math.Inf(1)

	DescribeTable("Softplus",
		func(b backend.Backend, d tensor.DType, x, want float64) {
			got := b.Softplus(d, d.Round(x))
			if math.IsNaN(want) {
				Expect(got).To(Satisfy(math.IsNaN))
				return
			}
			Expect(got).To(Equal(want))
		},
		// float32: TensorFlow's threshold (log(eps) + 2 = -13.94) returns x
		// itself at 14, where log1p(exp(-14)) is above half an ulp.
		Entry("NumPy f32, 14", numpy, f32, 14.0, 14.000000953674316),
		Entry("JAX f32, 14", jax, f32, 14.0, 14.000000953674316),
		Entry("TensorFlow f32, 14", tf, f32, 14.0, 14.0),
		Entry("NumPy f32, 0", numpy, f32, 0.0, float64(float32(math.Ln2))),
		Entry("TensorFlow f32, -20: exp(x) below the threshold", tf, f32, -20.0, float64(float32(math.Exp(float64(float32(-20)))))),
		Entry("NumPy f64, -0.7", numpy, f64, -0.7, 0.4031860488854579),
		Entry("TensorFlow f64, -0.7", tf, f64, -0.7, 0.4031860488854579),
		// float16: NumPy computes in float32 and rounds once (np.logaddexp
		// of float16 -5 and 0 is 0.006714); TensorFlow's exp(x) below its
		// float16 threshold (-4.93) is 0.006737.
		Entry("NumPy f16, -5 (np.logaddexp)", numpy, f16, -5.0, 0.0067138671875),
		Entry("JAX f16, -5", jax, f16, -5.0, 0.0067138671875),
		Entry("TensorFlow f16, -5", tf, f16, -5.0, 0.00673675537109375),
		Entry("NumPy bf16, -0.7 (np.logaddexp)", numpy, bf16, -0.7, 0.404296875),
		Entry("JAX bf16, -0.7: every op in bfloat16", jax, bf16, -0.7, 0.40234375),
		Entry("TensorFlow bf16, 3: above -threshold", tf, bf16, 3.0, 3.0),
		Entry("NumPy NaN", numpy, f32, nan, nan),
		Entry("JAX NaN", jax, f16, nan, nan),
		Entry("TensorFlow NaN", tf, f32, nan, nan),
		Entry("NumPy +Inf", numpy, f32, inf, inf),
		Entry("JAX -Inf", jax, f32, -inf, 0.0),
	)

	DescribeTable("Sigmoid",
		func(b backend.Backend, d tensor.DType, x, want float64) {
			Expect(b.Sigmoid(d, d.Round(x))).To(Equal(want))
		},
		Entry("NumPy f32, op by op", numpy, f32, 0.7, 0.6681877374649048),
		Entry("JAX f32, op by op", jax, f32, 0.7, 0.6681877374649048),
		Entry("TensorFlow f32, fused", tf, f32, 0.7, 0.6681877970695496),
		Entry("NumPy f16", numpy, f16, -5.0, 0.006694793701171875),
		Entry("TensorFlow f16", tf, f16, -5.0, 0.00669097900390625),
		Entry("TensorFlow bf16", tf, bf16, 3.0, 0.953125),
		Entry("NumPy bf16", numpy, bf16, 3.0, 0.95703125),
		Entry("NumPy f64", numpy, f64, 0.7, 0.6681877721681662),
	)

	DescribeTable("LogAddExp",
		func(b backend.Backend, d tensor.DType, x, y, want float64) {
			got := b.LogAddExp(d, d.Round(x), d.Round(y))
			if math.IsNaN(want) {
				Expect(got).To(Satisfy(math.IsNaN))
				return
			}
			Expect(got).To(Equal(want))
		},
		Entry("NumPy f32", numpy, f32, 14.0, 0.7, 14.000001907348633),
		Entry("JAX f32", jax, f32, -0.7, 0.7, 0.9204174280166626),
		Entry("NumPy f32, x == y: x + ln 2", numpy, f32, 0.7, 0.7, 1.3931472301483154),
		Entry("NumPy, +Inf and +Inf", numpy, f32, inf, inf, inf),
		Entry("JAX, +Inf and +Inf: x + y", jax, f32, inf, inf, inf),
		Entry("JAX, -Inf and -Inf: x + y", jax, f32, -inf, -inf, -inf),
		Entry("TensorFlow, +Inf and -Inf", tf, f32, inf, -inf, inf),
		Entry("NumPy, NaN", numpy, f32, nan, 1.0, nan),
		Entry("TensorFlow f16", tf, f16, 3.0, 0.7, 3.095703125),
		Entry("NumPy bf16", numpy, bf16, 3.0, 0.7, 3.09375),
	)

	DescribeTable("LogSumExp",
		func(b backend.Backend, d tensor.DType, row []float64, want float64) {
			x := make([]float64, len(row))
			for i, v := range row {
				x[i] = d.Round(v)
			}
			got := b.LogSumExp(d, x, make([]float64, len(x)))
			if math.IsNaN(want) {
				Expect(got).To(Satisfy(math.IsNaN))
				return
			}
			Expect(got).To(Equal(want))
		},
		Entry("NumPy f32 (SciPy's form)", numpy, f32, []float64{0.7, -3, 0.7, 2}, 2.4394166469573975),
		Entry("JAX f32", jax, f32, []float64{0.7, -3, 0.7, 2}, 2.4394166469573975),
		Entry("TensorFlow f16", tf, f16, []float64{0.7, -3, 0.7, 2}, 2.439453125),
		Entry("NumPy bf16", numpy, bf16, []float64{0.7, -3, 0.7, 2}, 2.4375),
		Entry("NumPy, all -Inf", numpy, f32, []float64{-inf, -inf}, -inf),
		Entry("TensorFlow, all -Inf", tf, f32, []float64{-inf, -inf}, -inf),
		Entry("JAX, a +Inf", jax, f32, []float64{1, inf}, inf),
		Entry("NumPy, a NaN", numpy, f32, []float64{1, nan}, nan),
		Entry("TensorFlow, empty", tf, f32, []float64{}, -inf),
	)

	It("gives the machine epsilon per float dtype", func() {
		for d, want := range map[tensor.DType]float64{f32: 0x1p-23, f64: 0x1p-52, f16: 0x1p-10, bf16: 0x1p-7} {
			Expect(backend.MachineEpsilon(d)).To(Equal(want), d.String())
			Expect(d.Round(1+backend.MachineEpsilon(d))).To(BeNumerically(">", 1), d.String())
			Expect(d.Round(1+backend.MachineEpsilon(d)/2)).To(Equal(1.0), d.String())
		}
	})

	It("promotes bfloat16 with a Python float to float32 only on NumPy (ml_dtypes)", func() {
		for _, b := range []backend.Backend{numpy, jax, tf} {
			for _, d := range []tensor.DType{f32, f64, f16, bf16} {
				want := d
				if b == numpy && d == bf16 {
					want = f32
				}
				Expect(b.WithPythonFloat(d)).To(Equal(want), "%v %v", b, d)
			}
		}
	})

	It("divides by a broadcast value through its reciprocal on JAX only", func() {
		// The float32 sum of 0.36, 0.36 and 0.09, divided by 3, is 0.27;
		// times float32(1/3) it is 0.27000004 (jnp.mean's result).
		x := float64(float32(float32(0.36)+float32(0.36)) + float32(0.09))
		Expect(jax.DivideBroadcast(f32, x, 3, true)).To(Equal(float64(float32(0.27000004))))
		Expect(jax.DivideBroadcast(f32, x, 3, false)).To(Equal(float64(float32(0.27))))
		Expect(numpy.DivideBroadcast(f32, x, 3, true)).To(Equal(float64(float32(0.27))))
		Expect(tf.DivideBroadcast(f32, x, 3, true)).To(Equal(float64(float32(0.27))))
		// A tiny float16 divisor: its reciprocal overflows, 0 * Inf is NaN.
		Expect(jax.DivideBroadcast(f16, 0, 0x1p-24, true)).To(Satisfy(math.IsNaN))
		Expect(numpy.DivideBroadcast(f16, 0, 0x1p-24, true)).To(Equal(0.0))
	})

	DescribeTable("ToInt",
		func(b backend.Backend, d tensor.DType, x float64, want int) {
			Expect(b.ToInt(d, x)).To(Equal(want))
		},
		Entry("NumPy int32 truncates", numpy, tensor.Int32, -1.7, -1),
		Entry("NumPy int32 NaN: integer indefinite", numpy, tensor.Int32, nan, math.MinInt32),
		Entry("TensorFlow int64 keeps 64 bits", tf, tensor.Int64, 1e10, 10000000000),
		Entry("TensorFlow int64 NaN", tf, tensor.Int64, nan, math.MinInt64),
		Entry("JAX int64 is int32, saturating", jax, tensor.Int64, 1e10, math.MaxInt32),
		Entry("JAX int32 saturates below", jax, tensor.Int32, -1e10, math.MinInt32),
		Entry("JAX NaN is 0", jax, tensor.Int32, nan, 0),
	)
})

// The ops on every float16 and bfloat16 value. The NumPy backend is checked
// against NumPy 2.4.6 itself: SHA-256 digests of the results of
// np.logaddexp(x, dtype(0)) and 1 / (1 + np.exp(-x)) for the 65,536 bit
// patterns x (little-endian, every NaN written as the canonical quiet NaN),
// computed by
//
//	h = np.arange(65536, dtype=np.uint16).view(np.float16)  # or ml_dtypes.bfloat16
//	r = np.logaddexp(h, h.dtype.type(0)).view(np.uint16)
//
// The port's exp and log1p are correctly rounded and NumPy's float32 ones
// are not; where the exact result lies within a hair of a float16 rounding
// tie the two land on either side of it. Those inputs are listed with
// NumPy's result.
var _ = Describe("elementwise ops on every 16-bit value", func() {
	type numpyGolden struct {
		name   string
		d      tensor.DType
		op     func(tensor.DType, float64) float64
		digest string
		ties   map[uint16]uint16 // input bits: NumPy's result bits
	}
	goldens := []numpyGolden{
		{"softplus float16", f16, numpy.Softplus,
			"5a0db97ab9528b79059cc498add12064d16cede56ca286700927e22b96dba2f8", map[uint16]uint16{0x17bc: 0x398e}},
		{"sigmoid float16", f16, numpy.Sigmoid,
			"2935b682ad08c738df202f286ab3fe0c7400c2e7b6b7b47967e6885ac9c7e4c1", map[uint16]uint16{0x2a0c: 0x3818, 0xa64c: 0x37e6}},
		{"softplus bfloat16", bf16, numpy.Softplus,
			"1c0e28a2172cdffadb1fdbbd23b8831aec2deafc318732003a9ac813fd8befd3", nil},
	}
	for _, g := range goldens {
		It("matches NumPy's "+g.name+" on every bit pattern", func() {
			out := make([]byte, 2<<16)
			for h := range 1 << 16 {
				bits := bitsOf(g.d, g.op(g.d, valueOf(g.d, uint16(h))))
				if want, ok := g.ties[uint16(h)]; ok {
					Expect(bits).NotTo(Equal(want), "%#04x is no longer a tie: drop it from the list", h)
					bits = want
				}
				binary.LittleEndian.PutUint16(out[2*h:], bits)
			}
			sum := sha256.Sum256(out)
			Expect(hex.EncodeToString(sum[:])).To(Equal(g.digest))
		})
	}

	It("gives softplus values of the dtype, at least max(x, 0), close to exact, on every backend", func() {
		for _, b := range []backend.Backend{numpy, jax, tf} {
			for _, d := range []tensor.DType{f16, bf16} {
				prev, prevX := 0.0, math.Inf(-1)
				for _, x := range ascending(d) {
					y := b.Softplus(d, x)
					Expect(d.Round(y)).To(Equal(y), "%v %v softplus(%v)", b, d, x)
					Expect(y).To(BeNumerically(">=", max(x, 0)), "%v %v softplus(%v)", b, d, x)
					if b == numpy {
						// One rounding of a float32 result keeps the order;
						// JAX's op-by-op float16 rounding does not (0.0012207
						// gives 0.69434, the next value 0.69385).
						Expect(y).To(BeNumerically(">=", prev), "%v %v softplus(%v) < softplus(%v)", b, d, x, prevX)
					}
					exact := math.Log1p(math.Exp(x))
					if x > 30 {
						exact = x
					}
					// Within an ulp of the exact value where NumPy rounds a
					// float32 result once; within two where JAX and
					// TensorFlow round every op to d. TensorFlow outside
					// its thresholds ±(log(eps) + 2) takes exp(x) or x
					// (bfloat16's threshold, 2.85, is far from exact).
					tol := 1.0
					if b != numpy {
						tol = 2
					}
					if thr := math.Log(backend.MachineEpsilon(d)) + 2; !math.IsInf(x, 0) && (b != tf || (x > thr && x < -thr)) {
						Expect(math.Abs(y-exact)).To(BeNumerically("<=", tol*ulp(d, exact)), "%v %v softplus(%v)", b, d, x)
					}
					prev, prevX = y, x
				}
				Expect(b.Softplus(d, math.NaN())).To(Satisfy(math.IsNaN))
			}
		}
	})
})

// valueOf decodes the 16-bit pattern h of d (float16 or bfloat16).
func valueOf(d tensor.DType, h uint16) float64 {
	if d == bf16 {
		return float64(math.Float32frombits(uint32(h) << 16))
	}
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp, frac := int(h>>10)&0x1f, float64(h&0x3ff)
	switch exp {
	case 0:
		return sign * frac * 0x1p-24
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return sign * math.Inf(1)
	}
	return sign * (1 + frac/1024) * math.Ldexp(1, exp-15)
}

// bitsOf encodes x, a value of d, as its 16-bit pattern; NaN is the
// canonical quiet NaN.
func bitsOf(d tensor.DType, x float64) uint16 {
	if d == bf16 {
		if x != x {
			return 0x7fc0
		}
		return uint16(math.Float32bits(float32(x)) >> 16)
	}
	var sign uint16
	if math.Signbit(x) {
		sign, x = 0x8000, -x
	}
	switch {
	case x != x:
		return 0x7e00
	case math.IsInf(x, 0):
		return sign | 0x7c00
	case x < 0x1p-14:
		return sign | uint16(x/0x1p-24)
	}
	frac, exp := math.Frexp(x) // x = frac * 2^exp, frac in [0.5, 1)
	return sign | uint16(exp+14)<<10 | uint16((frac*2-1)*1024)
}

// ascending returns the non-NaN values of d in increasing order.
func ascending(d tensor.DType) []float64 {
	var neg, pos []float64
	for h := range 1 << 15 {
		v := valueOf(d, uint16(h))
		if v != v {
			continue
		}
		pos = append(pos, v)
		if h != 0 {
			neg = append(neg, -v)
		}
	}
	out := make([]float64, 0, len(neg)+len(pos))
	for i := len(neg) - 1; i >= 0; i-- {
		out = append(out, neg[i])
	}
	return append(out, pos...)
}

// ulp is the spacing of d's values at |x|.
func ulp(d tensor.DType, x float64) float64 {
	if math.IsInf(x, 0) {
		return 0
	}
	_, e := math.Frexp(math.Abs(x))
	mant, minExp := 10, -14
	if d == bf16 {
		mant, minExp = 7, -126
	}
	return math.Ldexp(1, max(e-1, minExp)-mant)
}

var _ = Describe("dtype and shape rules of ops", func() {
	It("keeps a converted Python float weak on JAX only", func() {
		for _, d := range []tensor.DType{f16, bf16, f32, f64} {
			Expect(jax.WithConvertedFloat(d)).To(Equal(d), d.String())
			Expect(numpy.WithConvertedFloat(d)).To(Equal(tensor.PromoteFloat(d, f32)), d.String())
			Expect(tf.WithConvertedFloat(d)).To(Equal(tensor.PromoteFloat(d, f32)), d.String())
		}
		Expect(tf.WithConvertedFloat(f16)).To(Equal(f32))
	})

	It("reduces a scalar over an axis on NumPy only, and transposes as a view except on TensorFlow", func() {
		Expect(numpy.ReducesScalarOverAxis()).To(BeTrue())
		Expect(jax.ReducesScalarOverAxis()).To(BeFalse())
		Expect(tf.ReducesScalarOverAxis()).To(BeFalse())
		Expect(numpy.TransposeIsView()).To(BeTrue())
		Expect(jax.TransposeIsView()).To(BeTrue())
		Expect(tf.TransposeIsView()).To(BeFalse())
	})

	DescribeTable("Index",
		func(b backend.Backend, i, n, want int, ok bool) {
			got, accepted := b.Index(i, n)
			Expect(accepted).To(Equal(ok))
			if ok {
				Expect(got).To(Equal(want))
			}
		},
		Entry("NumPy, negative from the end", numpy, -1, 4, 3, true),
		Entry("NumPy, out of range", numpy, 4, 4, 0, false),
		Entry("TensorFlow, too negative", tf, -5, 4, 0, false),
		Entry("JAX clamps above", jax, 9, 4, 3, true),
		Entry("JAX clamps below", jax, -9, 4, 0, true),
		Entry("JAX, empty axis", jax, 0, 0, 0, false),
	)

	It("sums a whole half-precision vector one value at a time on TensorFlow", func() {
		xs := make([]float64, 3000)
		for i := range xs {
			xs[i] = 1
		}
		// float16 has integers exactly up to 2048; one at a time the sum
		// stalls there, while the float32 accumulators of Sum reach 3000.
		Expect(tf.SumAll(f16, xs)).To(Equal(2048.0))
		Expect(jax.SumAll(f16, xs)).To(Equal(3000.0))
		Expect(tf.SumAll(f32, xs)).To(Equal(tf.Sum(f32, xs, false)))
	})
})
