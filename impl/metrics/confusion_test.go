package metrics_test

import (
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/metrics"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Expected values: Keras 3.15.1 on numpy, jax and tensorflow (see
// accuracy_test.go), float32 inputs unless a spec says otherwise.

// vec is a rank-1 float32 tensor.
func vec(data ...float64) tensor.Tensor { return f32([]int{len(data)}, data...) }

// evenThresholds are [i/(n-1)] as Python computes them.
func evenThresholds(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = float64(i) / float64(n-1)
	}
	return out
}

var _ = Describe("confusion-matrix metrics", func() {
	DescribeTable("reproduce the docstring examples on every backend",
		func(class string, config map[string]any, yTrue, yPred, w tensor.Tensor, want, weighted float64) {
			expectStream(class, config, []float64{want, 0, weighted},
				upd{yTrue: yTrue, yPred: yPred}, reset, upd{yTrue: yTrue, yPred: yPred, w: &w})
		},
		Entry("FalsePositives", "FalsePositives", nil, vec(0, 1, 0, 0), vec(0, 0, 1, 1), vec(0, 0, 1, 0), 2.0, 1.0),
		Entry("FalseNegatives", "FalseNegatives", nil, vec(0, 1, 1, 1), vec(0, 1, 0, 0), vec(0, 0, 1, 0), 2.0, 1.0),
		Entry("TrueNegatives", "TrueNegatives", nil, vec(0, 1, 0, 0), vec(1, 1, 0, 0), vec(0, 0, 1, 0), 2.0, 1.0),
		Entry("TruePositives", "TruePositives", nil, vec(0, 1, 1, 1), vec(1, 0, 1, 1), vec(0, 0, 1, 0), 2.0, 1.0),
		Entry("Precision", "Precision", nil, vec(0, 1, 1, 1), vec(1, 0, 1, 1), vec(0, 0, 1, 0), 0.6666667, 1.0),
		Entry("Recall", "Recall", nil, vec(0, 1, 1, 1), vec(1, 0, 1, 1), vec(0, 0, 1, 0), 0.6666667, 1.0),
		Entry("SensitivityAtSpecificity", "SensitivityAtSpecificity", map[string]any{"specificity": 0.5},
			vec(0, 0, 0, 1, 1), vec(0, 0.3, 0.8, 0.3, 0.8), vec(1, 1, 2, 2, 1), 0.5, 0.33333334),
		Entry("SpecificityAtSensitivity", "SpecificityAtSensitivity", map[string]any{"sensitivity": 0.5},
			vec(0, 0, 0, 1, 1), vec(0, 0.3, 0.8, 0.3, 0.8), vec(1, 1, 2, 2, 2), 0.6666667, 0.5),
		Entry("PrecisionAtRecall", "PrecisionAtRecall", map[string]any{"recall": 0.5},
			vec(0, 0, 0, 1, 1), vec(0, 0.3, 0.8, 0.3, 0.8), vec(2, 2, 2, 1, 1), 0.5, 0.33333334),
		Entry("RecallAtPrecision", "RecallAtPrecision", map[string]any{"precision": 0.8},
			vec(0, 0, 1, 1), vec(0, 0.5, 0.3, 0.9), vec(1, 0, 0, 1), 0.5, 1.0),
		Entry("AUC", "AUC", map[string]any{"num_thresholds": 3.0},
			vec(0, 0, 1, 1), vec(0, 0.5, 0.3, 0.9), vec(1, 0, 0, 1), 0.75, 1.0),
	)

	It("resolves the Precision(top_k=2) docstring tie as each backend's top_k does", func() {
		// All four predictions tie: NumPy's reversed argsort keeps the last
		// two (both positive), JAX and TensorFlow the first two.
		want := map[backend.Backend]float64{backend.NumPy: 1, backend.JAX: 0, backend.TensorFlow: 0}
		for b, w := range want {
			m := build("Precision", map[string]any{"top_k": 2.0}, b)
			Expect(m.UpdateState(vec(0, 0, 1, 1), vec(1, 1, 1, 1), nil)).To(Succeed())
			Expect(m.Result().Data).To(Equal([]float64{w}), b.String())
		}
		expectStream("Precision", map[string]any{"top_k": 4.0}, []float64{0.5}, upd{yTrue: vec(0, 0, 1, 1), yPred: vec(1, 1, 1, 1)})
	})

	It("counts a prediction equal to the threshold as negative", func() {
		expectStream("TruePositives", nil, []float64{1},
			upd{yTrue: vec(1, 1, 1), yPred: vec(0.5, 0.50000006, 0.49999997)})
	})

	It("binarises y_true as y_true != 0", func() {
		expectStream("Recall", map[string]any{"thresholds": 0.1}, []float64{0.6666667},
			upd{yTrue: vec(0.5, -1, 0.3, 0), yPred: vec(0.9, 0, 0.2, 0.9)})
	})

	It("uses the float32 bucket formula with evenly spaced thresholds", func() {
		// p = fl32(31/199): p·199 rounds up to 31.000002 in float32, so the
		// bucket formula counts p above the threshold 31/199 it equals; the
		// general comparison does not. p = fl32(57/199) rounds down.
		p31, p57 := float64(float32(31)/float32(199)), float64(float32(57)/float32(199))
		for _, b := range allBackends {
			m := build("TruePositives", map[string]any{"thresholds": evenThresholds(200)}, b)
			Expect(m.UpdateState(vec(1, 1), vec(p31, p57), nil)).To(Succeed())
			r := m.Result().Data
			Expect(r).To(HaveLen(200))
			Expect([]float64{r[30], r[31], r[32], r[56], r[57]}).To(Equal([]float64{2, 2, 1, 1, 0}), b.String())

			m = build("TruePositives", map[string]any{"thresholds": p31}, b)
			Expect(m.UpdateState(vec(1), vec(p31), nil)).To(Succeed())
			Expect(m.Result().Data).To(Equal([]float64{0}), b.String())
		}
	})

	It("accumulates weighted counts over updates until reset, a scalar weight weighing every element", func() {
		expectStream("Recall", nil, []float64{0.5, 0.5833333, 0, 0},
			upd{yTrue: vec(1, 1, 0), yPred: vec(0.9, 0.2, 0.8), w: ptr(tensor.Scalar(tensor.Float32, 2.5))},
			upd{yTrue: vec(1), yPred: vec(0.7)},
			reset,
			upd{yTrue: vec(1, 0), yPred: vec(0.2, 0.6), w: ptr(tensor.Scalar(tensor.Float32, 0.5))})
	})

	It("gives 0, not NaN, when every weight is zero", func() {
		expectStream("Precision", nil, []float64{0}, upd{yTrue: vec(1, 1), yPred: vec(0.9, 0.9), w: ptr(vec(0, 0))})
	})

	It("casts float64 inputs to float32 first", func() {
		expectStream("Precision", nil, []float64{0},
			upd{yTrue: f64([]int{3}, 1, 0, 1), yPred: f64([]int{3}, 0.50000000001, 0.7, 0.3)})
	})

	It("weighs rows with (B,) weights and classes with class_id and top_k", func() {
		yTrue := f32([]int{4, 3}, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0)
		yPred := f32([]int{4, 3}, .9, .2, .7, .3, .6, .1, .2, .8, .4, .7, .7, .3)
		for _, b := range allBackends {
			m := build("Recall", map[string]any{"class_id": 2.0, "thresholds": []any{0.3, 0.5}}, b)
			Expect(streamResults(m, upd{yTrue: yTrue, yPred: yPred})[0]).To(valuesNear(0.6666667, 0.33333334), b.String())
			m = build("Precision", map[string]any{"top_k": 2.0, "class_id": 1.0}, b)
			Expect(streamResults(m, upd{yTrue: yTrue, yPred: yPred})[0]).To(valuesNear(0.6666667), b.String())
			m = build("SensitivityAtSpecificity", map[string]any{"specificity": 0.6, "num_thresholds": 11.0, "class_id": 0.0}, b)
			Expect(streamResults(m, upd{yTrue: yTrue, yPred: yPred, w: ptr(vec(1, 2, 0.5, 1))})[0]).To(valuesNear(1), b.String())
		}
	})

	It("keeps top_k ties by index as each backend orders them", func() {
		// NumPy keeps the highest index among ties, JAX and TensorFlow the lowest.
		want := map[backend.Backend]float64{backend.NumPy: 0, backend.JAX: 1, backend.TensorFlow: 1}
		for b, w := range want {
			m := build("Precision", map[string]any{"top_k": 1.0}, b)
			Expect(m.UpdateState(f32([]int{1, 3}, 1, 0, 0), f32([]int{1, 3}, .5, .5, .5), nil)).To(Succeed())
			Expect(m.Result().Data).To(Equal([]float64{w}), b.String())
		}
	})

	It("treats subnormal predictions as zero on TensorFlow and JAX, not on NumPy", func() {
		tiny := math.SmallestNonzeroFloat32
		want := map[backend.Backend]float64{backend.NumPy: 1, backend.JAX: 0, backend.TensorFlow: 0}
		for b, w := range want {
			m := build("TruePositives", map[string]any{"thresholds": 0.0}, b)
			Expect(m.UpdateState(vec(1), vec(tiny), nil)).To(Succeed())
			Expect(m.Result().Data).To(Equal([]float64{w}), b.String())
		}
	})

	It("never counts a NaN prediction as positive, except in JAX's bucket 0", func() {
		yTrue, yPred := vec(1, 0, 1, 0), vec(math.NaN(), math.NaN(), 0.7, 0.2)
		want := map[backend.Backend][]float64{
			backend.NumPy: {1, 1, 0}, backend.JAX: {2, 1, 0}, backend.TensorFlow: {1, 1, 0},
		}
		for b, w := range want {
			m := build("TruePositives", map[string]any{"thresholds": []any{0.0, 0.5, 1.0}}, b)
			Expect(m.UpdateState(yTrue, yPred, nil)).To(Succeed())
			Expect(m.Result().Data).To(Equal(w), b.String())
			m = build("TruePositives", nil, b)
			Expect(m.UpdateState(yTrue, yPred, nil)).To(Succeed())
			Expect(m.Result().Data).To(Equal([]float64{1}), b.String())
		}
	})

	It("follows TensorFlow's top-1 through NaN", func() {
		// Eigen's max over [0.5, NaN, 0.2, 0.4] is 0.4: TensorFlow keeps
		// index 3; NumPy and JAX keep the NaN.
		want := map[backend.Backend]float64{backend.NumPy: 0, backend.JAX: 0, backend.TensorFlow: 1}
		for b, w := range want {
			m := build("Recall", map[string]any{"top_k": 1.0}, b)
			Expect(m.UpdateState(f32([]int{1, 4}, 0, 0, 0, 1), f32([]int{1, 4}, .5, math.NaN(), .2, .4), nil)).To(Succeed())
			Expect(m.Result().Data).To(Equal([]float64{w}), b.String())
		}
	})

	It("finds the best rate under the constraint, 0 when none qualifies", func() {
		expectStream("RecallAtPrecision", map[string]any{"precision": 1.0, "num_thresholds": 20.0}, []float64{0},
			upd{yTrue: vec(0, 1, 0, 1), yPred: vec(0.9, 0.8, 0.7, 0.1)})
		expectStream("PrecisionAtRecall", map[string]any{"recall": 0.5, "num_thresholds": 1.0}, []float64{0.33333334},
			upd{yTrue: vec(0, 1, 0, 1), yPred: vec(0.9, 0.8, 0.7, 0.1)})
	})

	It("returns one value per threshold", func() {
		m, err := metrics.NewFalseNegatives([]float64{0.2, 0.6})
		Expect(err).NotTo(HaveOccurred())
		Expect(m.UpdateState(vec(1, 1, 0), vec(0.5, 0.9, 0.1), nil)).To(Succeed())
		Expect(m.Result().Shape).To(Equal([]int{2}))
		Expect(m.Result().Data).To(Equal([]float64{0, 1}))
		Expect(m.Thresholds()).To(Equal([]float64{0.2, 0.6}))
	})

	Describe("errors", func() {
		It("refuses thresholds outside [0, 1] and bad values, as Keras's constructors do", func() {
			_, err := metrics.NewTruePositives([]float64{0.5, 1.5})
			Expect(err).To(MatchError(ContainSubstring("threshold values must be in [0, 1]")))
			_, err = metrics.FromConfig("Precision", map[string]any{"thresholds": -0.1}, backend.NumPy)
			Expect(err).To(HaveOccurred())
			_, err = metrics.NewSensitivityAtSpecificity(1.5, 200, nil)
			Expect(err).To(MatchError(ContainSubstring("specificity must be in the range [0, 1]")))
			_, err = metrics.NewRecallAtPrecision(0.5, 0, nil)
			Expect(err).To(MatchError(ContainSubstring("num_thresholds must be an integer > 0")))
			_, err = metrics.FromConfig("PrecisionAtRecall", map[string]any{}, backend.JAX)
			Expect(err).To(MatchError(ContainSubstring(`missing required argument "recall"`)))
		})

		It("refuses mismatched shapes and weights without changing the counts", func() {
			m, _ := metrics.NewTruePositives(nil)
			Expect(m.UpdateState(vec(1, 1), vec(0.9, 0.9, 0.9), nil)).To(MatchError(tensor.ErrShape))
			Expect(m.UpdateState(f32([]int{2, 4}, make([]float64, 8)...), f32([]int{2, 4}, make([]float64, 8)...),
				ptr(vec(1, 2, 3)))).To(MatchError(tensor.ErrShape))
			Expect(m.Result().Data).To(Equal([]float64{0}))
		})

		It("refuses class_id on rank-1 predictions and out of range, except on JAX, which clamps", func() {
			for _, b := range allBackends {
				m := build("Recall", map[string]any{"class_id": 0.0}, b)
				Expect(m.UpdateState(vec(1, 0), vec(0.6, 0.2), nil)).To(MatchError(ContainSubstring("class_id is provided")))
			}
			yTrue, yPred := f32([]int{2, 3}, 1, 0, 1, 0, 1, 1), f32([]int{2, 3}, .6, .2, .9, .1, .8, .3)
			for _, b := range []backend.Backend{backend.NumPy, backend.TensorFlow} {
				m := build("Precision", map[string]any{"class_id": 3.0}, b)
				Expect(m.UpdateState(yTrue, yPred, nil)).To(MatchError(ContainSubstring("out of bounds")))
			}
			m := build("Precision", map[string]any{"class_id": 3.0}, backend.JAX)
			Expect(streamResults(m, upd{yTrue: yTrue, yPred: yPred})[0]).To(valuesNear(1))
		})

		It("refuses top_k beyond the class axis, except on NumPy, which keeps every value", func() {
			yTrue, yPred := f32([]int{1, 4}, 1, 0, 0, 1), f32([]int{1, 4}, .5, .4, .3, .2)
			m := build("Precision", map[string]any{"top_k": 5.0}, backend.NumPy)
			Expect(streamResults(m, upd{yTrue: yTrue, yPred: yPred})[0]).To(valuesNear(0.5))
			for _, b := range []backend.Backend{backend.JAX, backend.TensorFlow} {
				m := build("Precision", map[string]any{"top_k": 5.0}, b)
				Expect(m.UpdateState(yTrue, yPred, nil)).To(HaveOccurred())
			}
		})
	})

	It("builds from a Keras config and reports the defaults", func() {
		m, err := metrics.FromConfig("Precision", map[string]any{
			"name": "p", "dtype": "float32", "thresholds": []any{0.0, 0.5, 1.0}, "top_k": nil, "class_id": 1.0,
		}, backend.TensorFlow)
		Expect(err).NotTo(HaveOccurred())
		p := m.(*metrics.Precision)
		Expect(p.Name).To(Equal("p"))
		Expect(p.Thresholds()).To(Equal([]float64{0, 0.5, 1}))
		cfg, err := metrics.DefaultConfig("SensitivityAtSpecificity")
		Expect(err).NotTo(HaveOccurred())
		Expect(cfg).To(Equal(map[string]any{"num_thresholds": 200.0, "class_id": nil, "name": nil, "dtype": nil}))
		_, err = metrics.FromConfig("TruePositives", map[string]any{"top_k": 1.0}, backend.NumPy)
		Expect(err).To(MatchError(ContainSubstring(`unexpected keyword argument "top_k"`)))
	})
})
