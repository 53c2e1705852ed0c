package metrics_test

import (
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/metrics"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Expected values in these files were computed with Keras 3.15.1 on the
// numpy, jax and tensorflow backends, from float32 arrays unless a spec
// says otherwise; where the backends disagree, each backend's value is
// given.

var allBackends = []backend.Backend{backend.NumPy, backend.JAX, backend.TensorFlow}

// i32 returns an int32 tensor.
func i32(shape []int, data ...float64) tensor.Tensor {
	t, err := tensor.New(tensor.Int32, shape, data)
	if err != nil {
		panic(err)
	}
	return t
}

// f64 returns a float64 tensor.
func f64(shape []int, data ...float64) tensor.Tensor {
	t, err := tensor.New(tensor.Float64, shape, data)
	if err != nil {
		panic(err)
	}
	return t
}

// upd is one step of a metric stream: an update, or a reset.
type upd struct {
	yTrue, yPred tensor.Tensor
	w            *tensor.Tensor
	reset        bool
}

var reset = upd{reset: true}

// streamResults runs the steps on m and returns the result after each.
func streamResults(m metrics.Metric, steps ...upd) []tensor.Tensor {
	GinkgoHelper()
	var out []tensor.Tensor
	for _, s := range steps {
		if s.reset {
			m.ResetState()
		} else {
			Expect(m.UpdateState(s.yTrue, s.yPred, s.w)).To(Succeed())
		}
		out = append(out, m.Result())
	}
	return out
}

// build returns the metric class built from config on backend b.
func build(class string, config map[string]any, b backend.Backend) metrics.Metric {
	GinkgoHelper()
	m, err := metrics.FromConfig(class, config, b)
	Expect(err).NotTo(HaveOccurred())
	return m
}

// valuesNear matches a result whose values are each within 4 float32 ulp
// of want (NaN matching NaN).
func valuesNear(want ...float64) types.GomegaMatcher {
	ms := make([]any, len(want))
	for i, w := range want {
		if math.IsNaN(w) {
			ms[i] = WithTransform(math.IsNaN, BeTrue())
		} else {
			ms[i] = BeNumerically("~", w, 4*0x1p-23*math.Abs(w))
		}
	}
	return HaveField("Data", HaveExactElements(ms...))
}

// streamNear checks a stream of scalar results on every backend.
func expectStream(class string, config map[string]any, want []float64, steps ...upd) {
	GinkgoHelper()
	for _, b := range allBackends {
		got := streamResults(build(class, config, b), steps...)
		Expect(got).To(HaveLen(len(want)))
		for i, w := range want {
			Expect(got[i]).To(valuesNear(w), "%v, step %d", b, i)
		}
	}
}

var _ = Describe("accuracy metrics", func() {
	DescribeTable("reproduce the docstring examples on every backend",
		func(class string, config map[string]any, yTrue, yPred, w tensor.Tensor, want, weighted float64) {
			expectStream(class, config, []float64{want, 0, weighted},
				upd{yTrue: yTrue, yPred: yPred}, reset, upd{yTrue: yTrue, yPred: yPred, w: &w})
		},
		Entry("Accuracy", "Accuracy", nil,
			f32([]int{4, 1}, 1, 2, 3, 4), f32([]int{4, 1}, 0, 2, 3, 4), f32([]int{4}, 1, 1, 0, 0), 0.75, 0.5),
		Entry("BinaryAccuracy", "BinaryAccuracy", nil,
			f32([]int{4, 1}, 1, 1, 0, 0), f32([]int{4, 1}, 0.98, 1, 0, 0.6), f32([]int{4}, 1, 0, 0, 1), 0.75, 0.5),
		Entry("CategoricalAccuracy", "CategoricalAccuracy", nil,
			f32([]int{2, 3}, 0, 0, 1, 0, 1, 0), f32([]int{2, 3}, 0.1, 0.9, 0.8, 0.05, 0.95, 0), f32([]int{2}, 0.7, 0.3), 0.5, 0.3),
		Entry("SparseCategoricalAccuracy", "SparseCategoricalAccuracy", nil,
			f32([]int{2, 1}, 2, 1), f32([]int{2, 3}, 0.1, 0.6, 0.3, 0.05, 0.95, 0), f32([]int{2}, 0.7, 0.3), 0.5, 0.3),
		Entry("TopKCategoricalAccuracy", "TopKCategoricalAccuracy", map[string]any{"k": 1.0},
			f32([]int{2, 3}, 0, 0, 1, 0, 1, 0), f32([]int{2, 3}, 0.1, 0.9, 0.8, 0.05, 0.95, 0), f32([]int{2}, 0.7, 0.3), 0.5, 0.3),
		Entry("SparseTopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy", map[string]any{"k": 1.0},
			f32([]int{2}, 2, 1), f32([]int{2, 3}, 0.1, 0.9, 0.8, 0.05, 0.95, 0), f32([]int{2}, 0.7, 0.3), 0.5, 0.3),
	)

	It("matches sorted ids with from_sorted_ids", func() {
		expectStream("SparseTopKCategoricalAccuracy", map[string]any{"k": 1.0, "from_sorted_ids": true}, []float64{0.5},
			upd{yTrue: f32([]int{2}, 2, 1), yPred: f32([]int{2, 3}, 1, 0, 3, 1, 2, 3)})
	})

	It("weighs every update alike under a scalar weight, and forgets everything on reset", func() {
		one := tensor.Scalar(tensor.Float32, 1)
		expectStream("BinaryAccuracy", nil, []float64{0.75, 0.875, 0.6875, 0, 1},
			upd{yTrue: f32([]int{4}, 1, 0, 1, 1), yPred: f32([]int{4}, 0.9, 0.5, 0.2, 0.7), w: &one},
			upd{yTrue: f32([]int{1}, 0), yPred: f32([]int{1}, 0.1), w: &one},
			upd{yTrue: f32([]int{2}, 1, 1), yPred: f32([]int{2}, 0.6, 0.4)},
			reset,
			// 0.5 is not above the threshold; the float32 just above it is.
			upd{yTrue: f32([]int{2}, 0, 1), yPred: f32([]int{2}, 0.5, 0.50000006)})
	})

	It("compares with the threshold rounded to float32", func() {
		// 0.30000001 (float64) is below float32(0.3) = 0.30000001192...,
		// so it is not above the threshold, on TensorFlow (which keeps
		// float64) as on NumPy and JAX (which narrow it).
		expectStream("BinaryAccuracy", map[string]any{"threshold": 0.3}, []float64{1},
			upd{yTrue: f64([]int{2}, 0, 0), yPred: f64([]int{2}, 0.3, 0.30000001)})
		m := metrics.NewBinaryAccuracy()
		m.Threshold = 0.3
		m.Backend = backend.TensorFlow
		Expect(m.UpdateState(f64([]int{1}, 0), f64([]int{1}, 0.3000000120), nil)).To(Succeed())
		Expect(m.Result()).To(valuesNear(0)) // 0.3000000120 > 0.30000001192
		m.Backend = backend.NumPy
		m.ResetState()
		Expect(m.UpdateState(f64([]int{1}, 0), f64([]int{1}, 0.3000000120), nil)).To(Succeed())
		Expect(m.Result()).To(valuesNear(1)) // narrowed to float32 first
	})

	It("counts ties in the top k as in", func() {
		expectStream("SparseTopKCategoricalAccuracy", map[string]any{"k": 1.0}, []float64{1},
			upd{yTrue: i32([]int{3}, 1, 2, 0), yPred: f32([]int{3, 3}, 0.5, 0.5, 0.1, 0.2, 0.3, 0.3, 0.4, 0.4, 0.4)})
		expectStream("TopKCategoricalAccuracy", map[string]any{"k": 2.0}, []float64{0.5},
			upd{yTrue: f32([]int{2, 4}, 0, 0, 1, 0, 1, 0, 0, 0), yPred: f32([]int{2, 4}, 0.3, 0.3, 0.3, 0.1, 0.1, 0.5, 0.5, 0.5)})
	})

	It("treats NaN scores as each backend's top_k does", func() {
		nan := math.NaN()
		want := map[backend.Backend]float64{backend.NumPy: 0, backend.JAX: 2.0 / 3, backend.TensorFlow: 0}
		for b, w := range want {
			m := build("SparseTopKCategoricalAccuracy", map[string]any{"k": 2.0}, b)
			Expect(m.UpdateState(i32([]int{3}, 0, 1, 2), f32([]int{3, 3}, nan, 0.1, 0.2, nan, 0.1, 0.2, nan, 0.5, 0.2), nil)).To(Succeed())
			Expect(m.Result()).To(valuesNear(w), b.String())
		}
		// argmax: NaN wins on NumPy and JAX, never on TensorFlow.
		catWant := map[backend.Backend]float64{backend.NumPy: 0, backend.JAX: 0, backend.TensorFlow: 1}
		for b, w := range catWant {
			m := build("CategoricalAccuracy", nil, b)
			Expect(m.UpdateState(f32([]int{2, 3}, 0, 1, 0, 0, 0, 1), f32([]int{2, 3}, nan, 0.5, 0.2, 0.1, nan, 0.9), nil)).To(Succeed())
			Expect(m.Result()).To(valuesNear(w), b.String())
		}
	})

	It("puts -0 below +0 in argmax", func() {
		for _, b := range allBackends {
			m := build("CategoricalAccuracy", nil, b)
			negZero := math.Copysign(0, -1)
			Expect(m.UpdateState(f32([]int{1, 2}, 0, 1), f32([]int{1, 2}, negZero, 0), nil)).To(Succeed())
			Expect(m.Result()).To(valuesNear(1), b.String())
		}
	})

	It("handles labels out of range as each backend does", func() {
		yPred := f32([]int{2, 3}, 0.1, 0.2, 0.3, 0.3, 0.2, 0.1)
		labels := i32([]int{2}, 3, -1)
		// NumPy indexes out of bounds and refuses; TensorFlow says no; JAX
		// reads -1 as the last class.
		_, err := func() (tensor.Tensor, error) {
			m := build("SparseTopKCategoricalAccuracy", map[string]any{"k": 2.0}, backend.NumPy)
			return tensor.Tensor{}, m.UpdateState(labels, yPred, nil)
		}()
		Expect(err).To(MatchError(ContainSubstring("out of bounds")))
		for b, w := range map[backend.Backend]float64{backend.JAX: 0, backend.TensorFlow: 0} {
			m := build("SparseTopKCategoricalAccuracy", map[string]any{"k": 2.0}, b)
			Expect(m.UpdateState(labels, yPred, nil)).To(Succeed())
			Expect(m.Result()).To(valuesNear(w), b.String())
		}
		m := build("SparseTopKCategoricalAccuracy", map[string]any{"k": 3.0}, backend.JAX)
		Expect(m.UpdateState(i32([]int{1}, -1), f32([]int{1, 3}, 0.1, 0.2, 0.3), nil)).To(Succeed())
		Expect(m.Result()).To(valuesNear(1))
		// Sparse categorical accuracy: such labels just never match.
		expectStream("SparseCategoricalAccuracy", nil, []float64{0.25},
			upd{yTrue: f32([]int{4}, 3, -1, 1.5, 1), yPred: f32([]int{4, 3}, 0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.1, 0.5, 0.2)})
	})

	It("refuses float64 scores for in_top_k on TensorFlow only", func() {
		yTrue, yPred := i32([]int{2}, 0, 1), f64([]int{2, 3}, 0.1, 0.2, 0.3, 0.3, 0.2, 0.1)
		for _, b := range []backend.Backend{backend.NumPy, backend.JAX} {
			m := build("SparseTopKCategoricalAccuracy", map[string]any{"k": 2.0}, b)
			Expect(m.UpdateState(yTrue, yPred, nil)).To(Succeed())
			Expect(m.Result()).To(valuesNear(0.5))
		}
		m := build("SparseTopKCategoricalAccuracy", map[string]any{"k": 2.0}, backend.TensorFlow)
		Expect(m.UpdateState(yTrue, yPred, nil)).To(MatchError(ContainSubstring("float32")))
	})

	It("keeps rank-3 matches per element, so weights can be per element", func() {
		yTrue := f32([]int{1, 2, 1}, 1, 2)
		yPred := f32([]int{1, 2, 3}, 0.1, 0.6, 0.3, 0.5, 0.2, 0.3)
		w := f32([]int{1, 2}, 0.25, 0.75)
		expectStream("SparseCategoricalAccuracy", nil, []float64{0.5, 0.5, 0, 0.25},
			upd{yTrue: yTrue, yPred: yPred}, upd{yTrue: yTrue, yPred: yPred}, reset, upd{yTrue: yTrue, yPred: yPred, w: &w})
	})

	It("refuses shapes that do not broadcast, naming them", func() {
		for _, b := range allBackends {
			err := build("BinaryAccuracy", nil, b).UpdateState(f32([]int{4}, 0, 0, 0, 0), f32([]int{2, 3}, 0, 0, 0, 0, 0, 0), nil)
			Expect(err).To(MatchError(tensor.ErrShape))
			Expect(err).To(MatchError(ContainSubstring("[4]")))
			err = build("SparseTopKCategoricalAccuracy", nil, b).UpdateState(i32([]int{3}, 0, 0, 0), f32([]int{2, 3}, 0, 0, 0, 0, 0, 0), nil)
			Expect(err).To(MatchError(tensor.ErrShape))
		}
	})

	It("never panics on malformed tensors", func() {
		bad := tensor.Tensor{Shape: []int{2, 2}, Data: []float64{1}}
		for _, class := range []string{"Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
			"TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy"} {
			m := build(class, nil, backend.JAX)
			Expect(m.UpdateState(bad, f32([]int{2, 2}, 0, 0, 0, 0), nil)).To(MatchError(ContainSubstring("y_true")), class)
			for _, shapes := range [][2][]int{{{2}, {}}, {{}, {}}, {{0}, {0, 3}}, {{2, 0}, {2, 0}}, {{1}, {1, 0}}} {
				yTrue, yPred := tensor.Zeros(tensor.Float32, shapes[0]...), tensor.Zeros(tensor.Float32, shapes[1]...)
				Expect(func() { _ = m.UpdateState(yTrue, yPred, nil) }).NotTo(Panic(), "%s %v", class, shapes)
			}
		}
	})
})
