package metrics_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/metrics"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Expected values: Keras 3.15.1, float32 inputs, on every backend.

var _ = Describe("Mean", func() {
	It("averages samples, and weighs every update equally under a scalar weight", func() {
		m := metrics.NewMean()
		Expect(m.UpdateState(f32([]int{4}, 1, 2, 3, 4), nil)).To(Succeed())
		Expect(m.UpdateState(f32([]int{1}, 10), nil)).To(Succeed())
		Expect(m.Result()).To(resultNear(4))

		m.ResetState()
		one := tensor.Scalar(tensor.Float32, 1)
		Expect(m.UpdateState(f32([]int{4}, 1, 2, 3, 4), &one)).To(Succeed())
		Expect(m.UpdateState(f32([]int{1}, 10), &one)).To(Succeed())
		Expect(m.Result()).To(resultNear(6.25))
	})

	It("allows negative weights", func() {
		m := metrics.NewMean()
		Expect(m.UpdateState(f32([]int{4}, 1, 3, 5, 7), ptr(f32([]int{4}, -1, -1, 0, 0)))).To(Succeed())
		Expect(m.Result()).To(resultNear(2))
	})

	It("averages each sample's values before weighing it", func() {
		m := metrics.NewMean()
		Expect(m.UpdateState(f32([]int{2, 2}, 1, 3, 10, 20), ptr(f32([]int{2}, 1, 3)))).To(Succeed())
		Expect(m.Result()).To(resultNear((2 + 3*15) / 4.0))
	})

	It("is 0 before any sample and after a reset", func() {
		m := metrics.NewMean()
		Expect(m.Result().Data).To(Equal([]float64{0}))
		Expect(m.UpdateState(f32([]int{1}, 5), nil)).To(Succeed())
		m.ResetState()
		Expect(m.Result().Data).To(Equal([]float64{0}))
	})

	It("refuses a weight that does not broadcast", func() {
		err := metrics.NewMean().UpdateState(f32([]int{2}, 1, 2), ptr(f32([]int{3}, 1, 1, 1)))
		Expect(err).To(MatchError(tensor.ErrShape))
	})
})

var _ = Describe("Sum", func() {
	It("adds weighted values", func() {
		m := metrics.NewSum()
		Expect(m.UpdateState(f32([]int{3}, 1, 2, 3), ptr(f32([]int{3}, 1, 0, 2)))).To(Succeed())
		Expect(m.UpdateState(f32([]int{1}, 10), nil)).To(Succeed())
		Expect(m.Result()).To(resultNear(17))
	})
})

var _ = Describe("CategoricalCrossentropy", func() {
	yTrue := f32([]int{2, 3}, 0, 1, 0, 0, 0, 1)
	yPred := f32([]int{2, 3}, 0.05, 0.95, 0, 0.1, 0.8, 0.1)

	It("divides by the sum of the weights, not by the batch size as the loss does", func() {
		m := metrics.NewCategoricalCrossentropy()
		Expect(m.UpdateState(yTrue, yPred, ptr(f32([]int{2}, 0.3, 0.7)))).To(Succeed())
		Expect(m.Result()).To(resultNear(1.6271976))
	})

	It("accumulates over updates until reset", func() {
		m := metrics.NewCategoricalCrossentropy()
		Expect(m.UpdateState(yTrue, yPred, nil)).To(Succeed())
		Expect(m.UpdateState(yTrue, yPred, nil)).To(Succeed())
		Expect(m.Result()).To(resultNear(1.1769392))
		m.ResetState()
		Expect(m.Result().Data).To(Equal([]float64{0}))
	})

	It("reports float64 as float32 on NumPy and JAX but not on TensorFlow", func() {
		want := map[backend.Backend]tensor.DType{
			backend.NumPy: tensor.Float32, backend.JAX: tensor.Float32, backend.TensorFlow: tensor.Float64,
		}
		for b, d := range want {
			m := metrics.NewCategoricalCrossentropy()
			m.DType, m.Backend = tensor.Float64, b
			Expect(m.UpdateState(yTrue, yPred, nil)).To(Succeed())
			Expect(m.Result().DType).To(Equal(d), b.String())
		}
	})
})

var _ = Describe("BinaryCrossentropy", func() {
	It("computes in the inputs' dtype, not the metric's", func() {
		t64, _ := tensor.New(tensor.Float64, []int{1, 1}, []float64{0})
		p64, _ := tensor.New(tensor.Float64, []int{1, 1}, []float64{1})
		m := metrics.NewBinaryCrossentropy()
		Expect(m.UpdateState(t64, p64, nil)).To(Succeed())
		Expect(m.Result()).To(resultNear(16.118095)) // float64 on TensorFlow
		m = metrics.NewBinaryCrossentropy()
		m.Backend = backend.JAX
		Expect(m.UpdateState(t64, p64, nil)).To(Succeed())
		Expect(m.Result()).To(resultNear(15.942385)) // float32 on JAX
	})
})

var _ = Describe("SparseCategoricalCrossentropy", func() {
	labels := f32([]int{4}, 0, 1, 2, -1)
	logits := f32([]int{4, 3}, 1, 2, 3, 0.5, 0.2, 0.1, 3, 2, 1, 1, 1, 1)

	It("counts ignored samples unweighted but drops them weighted", func() {
		m := metrics.NewSparseCategoricalCrossentropy()
		m.FromLogits, m.IgnoreClass = true, new(int)
		*m.IgnoreClass = -1
		Expect(m.UpdateState(labels, logits, nil)).To(Succeed())
		Expect(m.Result()).To(resultNear(1.4988277))
		m.ResetState()
		Expect(m.UpdateState(labels, logits, ptr(f32([]int{4}, 1.5, 2, 0.5, 1)))).To(Succeed())
		Expect(m.Result()).To(resultNear(1.7938525))
	})
})

var _ = Describe("FromConfig", func() {
	It("builds a metric from its Keras config", func() {
		m, err := metrics.FromConfig("SparseCategoricalCrossentropy", map[string]any{
			"name": "scce", "dtype": "float64", "from_logits": true, "ignore_class": 255.0, "axis": -1.0,
		}, backend.NumPy)
		Expect(err).NotTo(HaveOccurred())
		s := m.(*metrics.SparseCategoricalCrossentropy)
		Expect(s.Name).To(Equal("scce"))
		Expect(s.DType).To(Equal(tensor.Float64))
		Expect(*s.IgnoreClass).To(Equal(255))
		Expect(s.FromLogits).To(BeTrue())
		Expect(s.Backend).To(Equal(backend.NumPy))
	})

	It("refuses an argument the metric's constructor lacks", func() {
		_, err := metrics.FromConfig("BinaryCrossentropy", map[string]any{"axis": -1.0}, backend.JAX)
		Expect(err).To(MatchError(ContainSubstring(`unexpected keyword argument "axis"`)))
	})

	It("says a class it does not know is not implemented", func() {
		_, err := metrics.FromConfig("NoSuchMetric", nil, backend.JAX)
		Expect(err).To(MatchError(tensor.ErrNotImplemented))
	})
})
