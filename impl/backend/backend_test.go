package backend_test

import (
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

var _ = Describe("Backend", func() {
	It("parses the KERAS_BACKEND names and refuses others", func() {
		for _, name := range []string{"numpy", "jax", "tensorflow"} {
			b, err := backend.Parse(name)
			Expect(err).NotTo(HaveOccurred())
			Expect(b.String()).To(Equal(name))
		}
		_, err := backend.Parse("torch")
		Expect(err).To(MatchError(ContainSubstring(`"torch"`)))
		Expect(backend.Backend(9).Valid()).To(BeFalse())
	})

	It("defaults to TensorFlow, Keras's default backend", func() {
		var b backend.Backend
		Expect(b).To(Equal(backend.TensorFlow))
	})

	It("materialises float64 as float32 only on JAX (x64 off)", func() {
		Expect(backend.JAX.Materialize(tensor.Float64)).To(Equal(tensor.Float32))
		Expect(backend.NumPy.Materialize(tensor.Float64)).To(Equal(tensor.Float64))
		Expect(backend.TensorFlow.Materialize(tensor.Float64)).To(Equal(tensor.Float64))
		Expect(backend.JAX.Materialize(tensor.Float16)).To(Equal(tensor.Float16))
	})

	It("narrows implicit float64 on NumPy and JAX, not on TensorFlow", func() {
		Expect(backend.NumPy.Implicit(tensor.Float64)).To(Equal(tensor.Float32))
		Expect(backend.JAX.Implicit(tensor.Int64)).To(Equal(tensor.Int32))
		Expect(backend.TensorFlow.Implicit(tensor.Float64)).To(Equal(tensor.Float64))
		Expect(backend.NumPy.FloatCompute(tensor.Int32)).To(Equal(tensor.Float32))
	})
})

// series is float32(((i*7919*mul) % 1000 - 500) / 37), reproducible in
// Python and Go alike; the expected sums below were computed from it by
// NumPy 2.4.6, TensorFlow 2.21.0 and JAX 0.10.2 (the fixture generator's pins).
func series(d tensor.DType, n, mul int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = d.Round(float64((i*7919*mul)%1000-500) / 37)
	}
	return xs
}

var _ = Describe("Sum", func() {
	xs := series(tensor.Float32, 200, 7)

	DescribeTable("follows each backend's order of additions",
		func(b backend.Backend, n int, strided bool, want float64) {
			Expect(b.Sum(tensor.Float32, xs[:n], strided)).To(Equal(want))
		},
		Entry("NumPy, innermost axis: pairwise", backend.NumPy, 200, false, -35.13513946533203),
		Entry("NumPy, outer axis: one by one", backend.NumPy, 200, true, -35.13514709472656),
		Entry("TensorFlow: Eigen's packets", backend.TensorFlow, 200, false, -35.1351318359375),
		Entry("JAX, up to 32 values: one by one", backend.JAX, 30, false, -17.432435989379883),
	)

	It("differs from the exactly rounded sum where the orders do", func() {
		exact := 0.0
		for _, v := range xs {
			exact += v
		}
		Expect(tensor.Float32.Round(exact)).To(Equal(-35.135135650634766))
	})

	It("accumulates NumPy float16 in float32 along the innermost axis, in float16 along others", func() {
		h := series(tensor.Float16, 120, 5)
		Expect(backend.NumPy.Sum(tensor.Float16, h, false)).To(Equal(-18.890625))
		Expect(backend.NumPy.Sum(tensor.Float16, h, true)).To(Equal(-18.84375))
	})

	It("adds ml_dtypes bfloat16 one value at a time in bfloat16", func() {
		xs := make([]float64, 1000)
		for i := range xs {
			xs[i] = tensor.BFloat16.Round(0.1)
		}
		// NumPy's np.sum of 1000 bfloat16 0.1s stalls at 32.
		Expect(backend.NumPy.Sum(tensor.BFloat16, xs, false)).To(Equal(32.0))
		Expect(backend.JAX.Sum(tensor.BFloat16, xs, false)).To(Equal(100.0))
	})

	It("returns zero as the sum of nothing and NaN as the mean of nothing", func() {
		Expect(backend.NumPy.Sum(tensor.Float32, nil, false)).To(Equal(0.0))
		Expect(math.IsNaN(backend.TensorFlow.Mean(tensor.Float32, nil, false))).To(BeTrue())
	})

	It("divides in the accumulator dtype for the mean", func() {
		Expect(backend.NumPy.Mean(tensor.Float32, []float64{1, 2, 2}, false)).To(Equal(float64(float32(5.0 / 3))))
	})

	It("multiplies by the reciprocal of the count on JAX, where XLA rewrites the division", func() {
		// jnp.mean of float32 [0.36, 0.36, 0.09] is 0.27000004, np.mean 0.27.
		xs := []float64{float64(float32(0.36)), float64(float32(0.36)), float64(float32(0.09))}
		for _, b := range []backend.Backend{backend.NumPy, backend.TensorFlow} {
			Expect(b.Mean(tensor.Float32, xs, false)).To(Equal(float64(float32(0.27))), b.String())
		}
		Expect(backend.JAX.Mean(tensor.Float32, xs, false)).To(Equal(float64(float32(0.27000004))))
	})

	It("reduces trailing dimensions of a tensor", func() {
		t, _ := tensor.New(tensor.Float32, []int{2, 2, 2}, []float64{1, 2, 3, 4, 5, 6, 7, 8})
		got := backend.NumPy.ReduceTrailing(t, 1, true)
		Expect(got.Shape).To(Equal([]int{2}))
		Expect(got.Data).To(Equal([]float64{2.5, 6.5}))
		Expect(backend.NumPy.ReduceTrailing(t, 3, true).Shape).To(Equal([]int{2, 2, 2}))
	})
})
