package metrics_test

import (
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/metrics"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

var _ = Describe("regression, hinge, probabilistic and correlation metrics", func() {
	yTrue := f32([]int{2, 2}, 0, 1, 0, 0)
	ones := f32([]int{2, 2}, 1, 1, 0, 0)
	soft := f32([]int{2, 2}, 0.6, 0.4, 0.4, 0.6)
	w10 := f32([]int{2}, 1, 0)

	// The docstring examples, with the values Keras 3.15.1 really gives
	// (LogCoshError's docstring says 0.10844523 and 0.21689045).
	DescribeTable("reproduce the docstring examples on every backend",
		func(class string, config map[string]any, yTrue, yPred, w tensor.Tensor, want, weighted float64) {
			expectStream(class, config, []float64{want, 0, weighted},
				upd{yTrue: yTrue, yPred: yPred}, reset, upd{yTrue: yTrue, yPred: yPred, w: &w})
		},
		Entry("MeanSquaredError", "MeanSquaredError", nil, yTrue, ones, w10, 0.25, 0.5),
		Entry("MeanAbsoluteError", "MeanAbsoluteError", nil, yTrue, ones, w10, 0.25, 0.5),
		Entry("MeanAbsolutePercentageError", "MeanAbsolutePercentageError", nil, yTrue, ones, w10, 250000000.0, 500000000.0),
		Entry("MeanSquaredLogarithmicError", "MeanSquaredLogarithmicError", nil, yTrue, ones, w10, 0.12011321634054184, 0.24022643268108368),
		Entry("RootMeanSquaredError", "RootMeanSquaredError", nil, yTrue, ones, w10, 0.5, 0.7071067690849304),
		Entry("CosineSimilarity", "CosineSimilarity", map[string]any{"axis": 1.0},
			f32([]int{2, 2}, 0, 1, 1, 1), f32([]int{2, 2}, 1, 0, 1, 1), f32([]int{2}, 0.3, 0.7), 0.4999999701976776, 0.6999999284744263),
		Entry("LogCoshError", "LogCoshError", nil, yTrue, ones, w10, 0.1084451973438263, 0.2168903946876526),
		Entry("Hinge", "Hinge", nil, yTrue, soft, w10, 1.2999999523162842, 1.100000023841858),
		Entry("SquaredHinge", "SquaredHinge", nil, yTrue, soft, w10, 1.8600000143051147, 1.4600000381469727),
		Entry("CategoricalHinge", "CategoricalHinge", nil, yTrue, soft, w10, 1.4000000953674316, 1.2000000476837158),
		Entry("KLDivergence", "KLDivergence", nil, yTrue, soft, w10, 0.45814305543899536, 0.916289210319519),
		Entry("Poisson", "Poisson", nil, yTrue, ones, w10, 0.4999999701976776, 0.9999999403953552),
	)

	corrTrue := f32([]int{2, 3}, 0, 1, 0.5, 1, 1, 0.2)
	corrPred := f32([]int{2, 3}, 0.1, 0.9, 0.5, 1, 0.9, 0.2)

	It("reproduces the correlation docstring examples (float32, not the docstrings' float64 digits)", func() {
		expectStream("PearsonCorrelation", map[string]any{"axis": -1.0}, []float64{0.9966995716094971}, upd{yTrue: corrTrue, yPred: corrPred})
		for b, w := range map[backend.Backend]float64{
			backend.NumPy: 0.9816316962242126, backend.JAX: 0.9816316366195679, backend.TensorFlow: 0.9816316962242126,
		} {
			m := build("ConcordanceCorrelation", map[string]any{"axis": -1.0}, b)
			Expect(m.UpdateState(corrTrue, corrPred, nil)).To(Succeed())
			Expect(m.Result()).To(valuesNear(w), b.String())
		}
	})

	It("accumulates a stream with weights of every form until reset", func() {
		a, p := f32([]int{2, 2}, 1, 2, 3, 4), f32([]int{2, 2}, 1.5, 2, 2, 4)
		expectStream("MeanSquaredError", nil, []float64{0.3125, 0.65625, 0, 4},
			upd{yTrue: a, yPred: p},
			upd{yTrue: f32([]int{1, 2}, 0, 0), yPred: f32([]int{1, 2}, 1, 1), w: ptr(f32([]int{1}, 2))},
			reset,
			upd{yTrue: f32([]int{1, 2}, 2, 2), yPred: f32([]int{1, 2}, 0, 0), w: ptr(tensor.Scalar(tensor.Float32, 0.5))})
		expectStream("RootMeanSquaredError", nil, []float64{0.55901700258255, 0.810092568397522, 0, 1.5811388492584229},
			upd{yTrue: a, yPred: p},
			upd{yTrue: f32([]int{1, 2}, 0, 0), yPred: f32([]int{1, 2}, 1, 1), w: ptr(f32([]int{1}, 2))},
			reset,
			// RootMeanSquaredError aligns ranks: (2,) against (2, 1) gives (2, 1).
			upd{yTrue: f32([]int{2}, 2, 2), yPred: f32([]int{2, 1}, 0, 1)})
	})

	It("refuses a weight of higher rank than the per-sample values", func() {
		for _, b := range allBackends {
			m := build("MeanSquaredError", nil, b)
			err := m.UpdateState(f32([]int{2, 2}, 1, 1, 0, 0), f32([]int{2, 2}, 0, 1, 0, 3), ptr(f32([]int{2, 2}, 1, 0, 1, 1)))
			Expect(err).To(MatchError(tensor.ErrShape))
		}
	})

	It("gives 0, not NaN, when every weight is 0", func() {
		expectStream("MeanAbsoluteError", nil, []float64{0},
			upd{yTrue: f32([]int{1, 2}, 1, 2), yPred: f32([]int{1, 2}, 0, 0), w: ptr(f32([]int{1}, 0))})
	})

	It("gives NaN for a constant row in Pearson (no epsilon), a finite value in Concordance", func() {
		a, p := f32([]int{2, 3}, 1, 1, 1, 1, 2, 3), f32([]int{2, 3}, 1, 2, 3, 2, 4, 7)
		expectStream("PearsonCorrelation", nil, []float64{math.NaN()}, upd{yTrue: a, yPred: p})
		expectStream("ConcordanceCorrelation", nil, []float64{0.16129036247730255, 0.10752690583467484},
			upd{yTrue: a, yPred: p}, upd{yTrue: f32([]int{1, 3}, 2, 2, 2), yPred: f32([]int{1, 3}, 2, 2, 2)})
	})

	It("averages per-row coefficients along another axis", func() {
		m := metrics.NewPearsonCorrelation()
		m.Axis = 1
		Expect(m.UpdateState(f32([]int{1, 3, 2}, 1, 0, 2, 1, 3, 5), f32([]int{1, 3, 2}, 1, 1, 2, 0, 3, 5), nil)).To(Succeed())
		// Column 0: identical rows (1); column 1: 0, 1, 5 against 1, 0, 5.
		t, p := []float64{0, 1, 5}, []float64{1, 0, 5}
		Expect(m.Result()).To(valuesNear((1 + pearson(t, p)) / 2))
	})

	It("is the cosine similarity, not the loss's negation, and 0 for a zero vector", func() {
		expectStream("CosineSimilarity", nil, []float64{0.3535533845424652},
			upd{yTrue: f32([]int{2, 2}, 1, 0, 0, 0), yPred: f32([]int{2, 2}, 1, 1, 1, 2)})
	})

	It("converts 0/1 hinge labels to ±1 and leaves ±1 labels alone", func() {
		expectStream("Hinge", nil, []float64{1.024999976158142},
			upd{yTrue: f32([]int{2, 2}, -1, 1, 1, -1), yPred: f32([]int{2, 2}, 0.3, 0.8, -0.5, 0.1)})
	})

	It("computes wrapper metrics in the inputs' dtype: float64 on TensorFlow, float32 on NumPy and JAX", func() {
		// 1 + 1e-9 is itself in float64 but 1 in float32.
		yt, yp := f64([]int{1, 1}, 1), f64([]int{1, 1}, 1+1e-9)
		for b, w := range map[backend.Backend]float64{backend.TensorFlow: 1e-18, backend.NumPy: 0, backend.JAX: 0} {
			m := build("MeanSquaredError", nil, b)
			Expect(m.UpdateState(yt, yp, nil)).To(Succeed())
			Expect(m.Result().Data[0]).To(BeNumerically("~", w, 1e-20), b.String())
		}
	})

	It("refuses shapes that do not broadcast", func() {
		for _, class := range []string{"MeanSquaredError", "RootMeanSquaredError", "PearsonCorrelation", "ConcordanceCorrelation", "CosineSimilarity"} {
			err := build(class, nil, backend.NumPy).UpdateState(f32([]int{2, 3}, 1, 2, 3, 4, 5, 6), f32([]int{2, 2}, 1, 2, 3, 4), nil)
			Expect(err).To(HaveOccurred(), class)
		}
		err := build("PearsonCorrelation", map[string]any{"axis": 2.0}, backend.JAX).UpdateState(f32([]int{1, 2}, 1, 2), f32([]int{1, 2}, 1, 2), nil)
		Expect(err).To(MatchError(ContainSubstring("axis 2 is out of bounds")))
	})
})

// pearson is the population Pearson correlation of two vectors, in float64.
func pearson(a, b []float64) float64 {
	mean := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s / float64(len(x))
	}
	ma, mb := mean(a), mean(b)
	var sab, saa, sbb float64
	for i := range a {
		sab += (a[i] - ma) * (b[i] - mb)
		saa += (a[i] - ma) * (a[i] - ma)
		sbb += (b[i] - mb) * (b[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}
