package metrics_test

import (
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/metrics"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// expectVector checks the vector result of a stream step on every backend.
func expectVectors(class string, config map[string]any, want [][]float64, steps ...upd) {
	GinkgoHelper()
	for _, b := range allBackends {
		got := streamResults(build(class, config, b), steps...)
		for i, w := range want {
			Expect(got[i]).To(valuesNear(w...), "%v, step %d", b, i)
		}
	}
}

var _ = Describe("FBetaScore and F1Score", func() {
	yTrue := i32([]int{3, 3}, 1, 1, 1, 1, 0, 0, 1, 1, 0)
	yPred := f32([]int{3, 3}, 0.2, 0.6, 0.7, 0.2, 0.6, 0.6, 0.6, 0.8, 0)

	It("reproduces the docstring examples (epsilon makes 0.5 come out as 0.49999997)", func() {
		expectVectors("FBetaScore", map[string]any{"beta": 2.0, "threshold": 0.5},
			[][]float64{{0.38461539149284363, 0.9090909361839294, 0.8333331942558289}}, upd{yTrue: yTrue, yPred: yPred})
		expectVectors("F1Score", map[string]any{"threshold": 0.5},
			[][]float64{{0.4999999701976776, 0.7999999523162842, 0.666666567325592}}, upd{yTrue: yTrue, yPred: yPred})
	})

	It("accumulates weighted counts over a stream, binarising at the row maximum without a threshold", func() {
		expectStream("FBetaScore", map[string]any{"average": "weighted", "beta": 0.5}, []float64{0.9166664481163025, 0.9583332538604736, 0, 0},
			upd{yTrue: f32([]int{2, 3}, 1, 0, 1, 0, 1, 1), yPred: f32([]int{2, 3}, 0.9, 0.2, 0.6, 0.3, 0.4, 0.4)},
			upd{yTrue: f32([]int{1, 3}, 1, 1, 0), yPred: f32([]int{1, 3}, 0.2, 0.2, 0.1), w: ptr(f32([]int{1}, 2))},
			reset,
			// An all-zero row has no positive (|p| > 1e-9 fails).
			upd{yTrue: f32([]int{1, 3}, 0, 0, 1), yPred: f32([]int{1, 3}, 0, 0, 0)})
	})

	It("counts a prediction exactly at the threshold as negative (strict >)", func() {
		expectStream("F1Score", map[string]any{"average": "micro", "threshold": 0.5}, []float64{0.6666666269302368},
			upd{yTrue: f32([]int{2, 3}, 1, 0, 1, 0, 1, 1), yPred: f32([]int{2, 3}, 0.5, 0.2, 0.6, 0.3, 0.9, 0.4)})
	})

	It("rounds the threshold to the metric dtype, not to float32", func() {
		yt, yp := f32([]int{1, 2}, 1, 1), f64([]int{1, 2}, 0.3, 0.30000001)
		m := metrics.NewF1Score()
		m.Threshold, m.DType, m.Backend = new(float64), tensor.Float64, backend.NumPy
		*m.Threshold = 0.3
		Expect(m.UpdateState(yt, yp, nil)).To(Succeed())
		Expect(m.Result()).To(valuesNear(0, 0.9999998211860657))
		Expect(m.Result().DType).To(Equal(tensor.Float32)) // ops.divide narrows on NumPy
	})

	It("gives 0 for all-zero weights", func() {
		expectStream("F1Score", map[string]any{"average": "macro"}, []float64{0},
			upd{yTrue: f32([]int{2, 2}, 1, 0, 0, 1), yPred: f32([]int{2, 2}, 0.9, 0.2, 0.3, 0.4), w: ptr(f32([]int{2}, 0, 0))})
	})

	It("refuses a scalar weight, as Keras 3.15 does (3.16 accepts it)", func() {
		for _, b := range allBackends {
			err := build("F1Score", nil, b).UpdateState(f32([]int{1, 2}, 1, 0), f32([]int{1, 2}, 0.9, 0.2), ptr(tensor.Scalar(tensor.Float32, 2)))
			Expect(err).To(MatchError(ContainSubstring("axis 1 is out of bounds")))
		}
	})

	It("accepts a (batch, 1) weight only with micro average", func() {
		w := ptr(f32([]int{2, 1}, 1, 2))
		yt, yp := f32([]int{2, 2}, 1, 0, 0, 1), f32([]int{2, 2}, 0.9, 0.2, 0.3, 0.4)
		Expect(build("F1Score", nil, backend.JAX).UpdateState(yt, yp, w)).To(MatchError(tensor.ErrShape))
		expectStream("F1Score", map[string]any{"average": "micro"}, []float64{1}, upd{yTrue: yt, yPred: yp, w: w})
	})

	It("refuses an empty batch without a threshold on TensorFlow only (ops.max of an empty tensor)", func() {
		empty := tensor.Zeros(tensor.Float32, 0, 3)
		for _, b := range allBackends {
			m := build("F1Score", nil, b)
			Expect(m.UpdateState(f32([]int{1, 3}, 1, 0, 0), f32([]int{1, 3}, 0.9, 0.1, 0), nil)).To(Succeed())
			err := m.UpdateState(empty, empty, nil)
			if b == backend.TensorFlow {
				Expect(err).To(MatchError(ContainSubstring("max")))
			} else {
				Expect(err).NotTo(HaveOccurred())
			}
			m = build("F1Score", map[string]any{"threshold": 0.5}, b)
			Expect(m.UpdateState(empty, empty, nil)).To(Succeed())
		}
	})

	It("needs 2-D inputs and a constant number of classes", func() {
		m := build("F1Score", nil, backend.TensorFlow)
		Expect(m.UpdateState(f32([]int{2}, 1, 0), f32([]int{2}, 1, 0), nil)).To(MatchError(ContainSubstring("expects 2D inputs")))
		m = build("F1Score", nil, backend.TensorFlow)
		Expect(m.UpdateState(f32([]int{1, 3}, 1, 0, 0), f32([]int{1, 3}, 1, 0, 0), nil)).To(Succeed())
		Expect(m.UpdateState(f32([]int{1, 2}, 1, 0), f32([]int{1, 2}, 1, 0), nil)).To(MatchError(tensor.ErrShape))
	})

	DescribeTable("refuses invalid arguments at construction",
		func(config map[string]any, msg string) {
			_, err := metrics.FromConfig("FBetaScore", config, backend.NumPy)
			Expect(err).To(MatchError(ContainSubstring(msg)))
		},
		Entry("beta 0", map[string]any{"beta": 0.0}, "beta"),
		Entry("beta as a string", map[string]any{"beta": "2"}, "beta"),
		Entry("threshold above 1", map[string]any{"threshold": 1.5}, "threshold"),
		Entry("threshold 0", map[string]any{"threshold": 0.0}, "threshold"),
		Entry("unknown average", map[string]any{"average": "samples"}, "average"),
		Entry("beta on F1Score's parent only", map[string]any{"beta": 2.0, "nope": 1.0}, "nope"),
	)

	It("has no beta argument on F1Score", func() {
		_, err := metrics.FromConfig("F1Score", map[string]any{"beta": 2.0}, backend.NumPy)
		Expect(err).To(MatchError(ContainSubstring(`unexpected keyword argument "beta"`)))
	})
})

var _ = Describe("R2Score", func() {
	It("reproduces the docstring example", func() {
		expectStream("R2Score", nil, []float64{0.5714285373687744},
			upd{yTrue: f32([]int{3, 1}, 1, 4, 3), yPred: f32([]int{3, 1}, 2, 4, 4)})
	})

	It("adjusts by the number of elements seen (Keras 3.15; 3.16 counts weighted rows)", func() {
		yt, yp := f32([]int{3, 2}, 1, 2, 3, 5, 2, 2), f32([]int{3, 2}, 1.5, 2, 2.5, 4, 2, 3)
		yt4, yp4 := f32([]int{4, 2}, 1, 2, 3, 5, 2, 2, 4, 4), f32([]int{4, 2}, 1.5, 2, 2.5, 4, 2, 3, 4, 3)
		nan := math.NaN()
		expectVectors("R2Score", map[string]any{"class_aggregation": nil, "num_regressors": 1.0},
			[][]float64{{0.6875, 0.5833332538604736}, {0.8284313678741455, 0.7839506268501282}, {nan, nan}, {0.7871621251106262, 0.5518292188644409}},
			upd{yTrue: yt, yPred: yp},
			upd{yTrue: f32([]int{1, 2}, 0, 1), yPred: f32([]int{1, 2}, 0.5, 1), w: ptr(f32([]int{1}, 2))},
			reset,
			upd{yTrue: yt4, yPred: yp4, w: ptr(f32([]int{4}, 1, 2, 1, 0.5))})
		expectStream("R2Score", map[string]any{"class_aggregation": "variance_weighted_average"}, []float64{0.6875},
			upd{yTrue: yt, yPred: yp})
	})

	It("falls back to the plain score when num_regressors >= samples - 1", func() {
		yt, yp := f32([]int{3, 2}, 0.3, 0.5, 0.1, 0.2, 0.9, 0.4), f32([]int{3, 2}, 0.2, 0.6, 0.1, 0.3, 0.7, 0.5)
		expectStream("R2Score", map[string]any{"num_regressors": 5.0}, []float64{0.60645592212677}, upd{yTrue: yt, yPred: yp})
	})

	It("scores a constant target 0 and an unweighted one NaN", func() {
		expectStream("R2Score", nil, []float64{0},
			upd{yTrue: f32([]int{3, 2}, 1, 1, 1, 1, 1, 1), yPred: f32([]int{3, 2}, 0.2, 0.6, 0.1, 0.3, 0.7, 0.5)})
		expectStream("R2Score", nil, []float64{math.NaN()},
			upd{yTrue: f32([]int{2, 2}, 1, 2, 3, 5), yPred: f32([]int{2, 2}, 0, 2, 3, 4), w: ptr(f32([]int{2}, 0, 0))})
	})

	It("keeps its state in float32 whatever the metric dtype", func() {
		m := metrics.NewR2Score()
		m.DType = tensor.Float64
		Expect(m.UpdateState(f32([]int{3, 1}, 1, 4, 3), f32([]int{3, 1}, 2, 4, 4), nil)).To(Succeed())
		Expect(m.Result().DType).To(Equal(tensor.Float32))
	})

	It("needs 2-D inputs and refuses invalid arguments", func() {
		err := build("R2Score", nil, backend.NumPy).UpdateState(f32([]int{3}, 1, 2, 3), f32([]int{3}, 1, 2, 3), nil)
		Expect(err).To(MatchError(ContainSubstring("expects 2D inputs")))
		err = build("R2Score", nil, backend.NumPy).UpdateState(f32([]int{2, 2}, 1, 2, 3, 4), f32([]int{2, 1}, 1, 2), nil)
		Expect(err).To(MatchError(tensor.ErrShape))
		_, err = metrics.FromConfig("R2Score", map[string]any{"class_aggregation": "mean"}, backend.NumPy)
		Expect(err).To(MatchError(ContainSubstring("class_aggregation")))
		_, err = metrics.FromConfig("R2Score", map[string]any{"num_regressors": -1.0}, backend.NumPy)
		Expect(err).To(MatchError(ContainSubstring("num_regressors")))
	})
})
