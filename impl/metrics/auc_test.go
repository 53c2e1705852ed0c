package metrics_test

import (
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/metrics"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

var _ = Describe("AUC", func() {
	yTrue, yPred := vec(0, 0, 1, 1, 1, 0), vec(0.1, 0.4, 0.35, 0.8, 0.6, 0.7)

	DescribeTable("integrates each curve as Keras does",
		func(config map[string]any, want float64) {
			expectStream("AUC", config, []float64{want}, upd{yTrue: yTrue, yPred: yPred})
		},
		Entry("PR, interpolation (Davis-Goadrich)", map[string]any{"num_thresholds": 5.0, "curve": "PR"}, 0.8007865),
		Entry("PR, majoring", map[string]any{"num_thresholds": 5.0, "curve": "PR", "summation_method": "majoring"}, 0.88888896),
		Entry("ROC, minoring", map[string]any{"num_thresholds": 5.0, "summation_method": "minoring"}, 0.6666667),
		Entry("PRGAIN", map[string]any{"num_thresholds": 5.0, "curve": "prgain"}, 0.5833333),
		Entry("uneven thresholds", map[string]any{"thresholds": []any{0.3, 0.65}}, 0.61111116),
	)

	It("puts p = 0 above -ε and p = 1 below 1+ε", func() {
		expectStream("AUC", map[string]any{"num_thresholds": 3.0}, []float64{0.41666669},
			upd{yTrue: vec(1, 0, 1, 0, 1), yPred: vec(0, 0.5, 0.5, 1, 1)})
		p31 := float64(float32(31) / float32(199))
		expectStream("AUC", nil, []float64{0.875}, upd{yTrue: vec(1, 0, 1, 0), yPred: vec(p31, p31, 0.2, 0.1)})
	})

	It("applies a sigmoid to logits", func() {
		expectStream("AUC", map[string]any{"num_thresholds": 10.0, "from_logits": true}, []float64{0.75},
			upd{yTrue: vec(0, 0, 1, 1), yPred: vec(-2, 0.5, 0.1, 3)})
	})

	Describe("label weights and multiple labels", func() {
		t := f32([]int{4, 3}, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0)
		p := f32([]int{4, 3}, .9, .2, .7, .3, .6, .1, .2, .8, .4, .7, .7, .3)

		It("averages per-label AUCs, weighted or not", func() {
			want := map[backend.Backend]float64{backend.NumPy: 0.7638889, backend.JAX: 0.76388896, backend.TensorFlow: 0.7638889}
			for b, w := range want {
				m := build("AUC", map[string]any{"num_thresholds": 7.0, "multi_label": true}, b)
				Expect(streamResults(m, upd{yTrue: t, yPred: p})[0].Data).To(Equal([]float64{float64(float32(w))}), b.String())
			}
			expectStream("AUC", map[string]any{"num_thresholds": 7.0, "multi_label": true, "label_weights": []any{0.2, 0.5, 1.3}},
				[]float64{0.6895833}, upd{yTrue: t, yPred: p})
		})

		It("multiplies label weights into the pooled counts", func() {
			want := map[backend.Backend]float64{backend.NumPy: 0.6568833, backend.JAX: 0.6568833, backend.TensorFlow: 0.65688318}
			for b, w := range want {
				m := build("AUC", map[string]any{"num_thresholds": 7.0, "label_weights": []any{0.2, 0.5, 1.3}}, b)
				Expect(streamResults(m, upd{yTrue: t, yPred: p})[0].Data).To(Equal([]float64{float64(float32(w))}), b.String())
			}
		})

		It("computes weighted label means in float64 on TensorFlow for float64 label weights", func() {
			m := build("AUC", map[string]any{"dtype": "float64", "multi_label": true, "label_weights": []any{0.3, 0.7, 0.1}},
				backend.TensorFlow)
			r := streamResults(m, upd{yTrue: f32([]int{2, 3}, 1, 0, 1, 0, 1, 1), yPred: f32([]int{2, 3}, .6, .2, .9, .1, .8, .3)})[0]
			Expect(r.DType).To(Equal(tensor.Float64))
			Expect(r.Data[0]).To(BeNumerically("~", 0.9090909090909091, 1e-15))
		})

		It("has no result before a multi-label AUC has seen y_pred, and needs rank-2 y_pred", func() {
			m, err := metrics.NewAUC(metrics.AUCConfig{NumThresholds: 3, Curve: "ROC", SummationMethod: "interpolation", MultiLabel: true})
			Expect(err).NotTo(HaveOccurred())
			_, err = m.TryResult()
			Expect(err).To(HaveOccurred())
			Expect(math.IsNaN(m.Result().Data[0])).To(BeTrue())
			Expect(m.UpdateState(vec(1, 0), vec(0.3, 0.2), nil)).To(MatchError(tensor.ErrShape))
			Expect(m.UpdateState(t, p, nil)).To(Succeed())
			Expect(m.UpdateState(f32([]int{1, 2}, 1, 0), f32([]int{1, 2}, .5, .5), nil)).To(MatchError(tensor.ErrShape))
		})
	})

	It("accumulates until reset", func() {
		expectStream("AUC", map[string]any{"num_thresholds": 3.0}, []float64{0.75, 0.75, 0, 1},
			upd{yTrue: vec(0, 0, 1, 1), yPred: vec(0, 0.5, 0.3, 0.9)},
			upd{yTrue: vec(0, 0, 1, 1), yPred: vec(0, 0.5, 0.3, 0.9)},
			reset,
			upd{yTrue: vec(0, 0, 1, 1), yPred: vec(0, 0.5, 0.3, 0.9), w: ptr(vec(1, 0, 0, 1))})
	})

	It("refuses what Keras's constructor refuses", func() {
		for _, cfg := range []map[string]any{
			{"num_thresholds": 1.0},
			{"curve": "ROCX"},
			{"summation_method": "trapezoid"},
			{"num_labels": 3.0},
		} {
			_, err := metrics.FromConfig("AUC", cfg, backend.NumPy)
			Expect(err).To(HaveOccurred(), "%v", cfg)
		}
		m, err := metrics.FromConfig("AUC", map[string]any{"num_thresholds": 1.0, "thresholds": []any{0.5, 0.1}}, backend.JAX)
		Expect(err).NotTo(HaveOccurred())
		Expect(m.(*metrics.AUC).Thresholds()).To(Equal([]float64{-1e-7, 0.1, 0.5, 1 + 1e-7}))
	})

	It("reports Keras's defaults", func() {
		cfg, err := metrics.DefaultConfig("AUC")
		Expect(err).NotTo(HaveOccurred())
		Expect(cfg).To(HaveKeyWithValue("num_thresholds", 200.0))
		Expect(cfg).To(HaveKeyWithValue("curve", "ROC"))
		Expect(cfg).To(HaveKeyWithValue("summation_method", "interpolation"))
		Expect(cfg).To(HaveKeyWithValue("label_weights", BeNil()))
	})
})
