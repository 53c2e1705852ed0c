package implport_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/suites/conformance"
	"github.com/kerasparity/kerasparity/suites/implport"
	"github.com/kerasparity/kerasparity/suites/port"
)

var _ = Describe("the impl port", func() {
	p := implport.New()
	yTrue := port.Array{Shape: []int{2, 3}, DType: "float32", Data: []float64{0, 1, 0, 0, 0, 1}}
	yPred := port.Array{Shape: []int{2, 3}, DType: "float32", Data: []float64{0.05, 0.95, 0, 0.1, 0.8, 0.1}}

	It("is named", func() {
		Expect(p.Name()).To(Equal("kerasparity/impl"))
	})

	It("builds a loss class and returns a neutral array", func() {
		l, err := p.NewLoss(port.Spec{Kind: "loss", Class: "CategoricalCrossentropy",
			Config: map[string]any{"reduction": nil}, Backend: "tensorflow"})
		Expect(err).NotTo(HaveOccurred())
		got, err := l.Call(yTrue, yPred, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Shape).To(Equal([]int{2}))
		Expect(got.DType).To(Equal("float32"))
		Expect(got.Data[1]).To(BeNumerically("~", 2.3025851, 1e-6))
	})

	It("gives a scalar an empty, non-nil shape", func() {
		l, err := p.NewLoss(port.Spec{Kind: "loss", Class: "CategoricalCrossentropy", Backend: "jax"})
		Expect(err).NotTo(HaveOccurred())
		got, err := l.Call(yTrue, yPred, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Shape).To(Equal([]int{}))
	})

	It("calls a plain function with its keyword arguments, refusing a weight", func() {
		f, err := p.NewLoss(port.Spec{Kind: "function", Class: "categorical_crossentropy",
			Config: map[string]any{"from_logits": false}, Backend: "numpy"})
		Expect(err).NotTo(HaveOccurred())
		got, err := f.Call(yTrue, yPred, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Shape).To(Equal([]int{2}))
		_, err = f.Call(yTrue, yPred, &port.Array{Shape: []int{}, DType: "float32", Data: []float64{1}})
		Expect(err).To(HaveOccurred())
	})

	It("runs a metric stream", func() {
		m, err := p.NewMetric(port.Spec{Kind: "metric", Class: "CategoricalCrossentropy", Backend: "numpy"})
		Expect(err).NotTo(HaveOccurred())
		Expect(m.UpdateState(yTrue, yPred, nil)).To(Succeed())
		got, err := m.Result()
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Data[0]).To(BeNumerically("~", 1.1769392, 1e-6))
		m.ResetState()
		got, _ = m.Result()
		Expect(got.Data).To(Equal([]float64{0}))
	})

	It("maps what impl does not implement to port.ErrNotImplemented", func() {
		_, err := p.NewLoss(port.Spec{Kind: "loss", Class: "NoSuchLoss", Backend: "jax"})
		Expect(err).To(MatchError(port.ErrNotImplemented))
		_, err = p.NewMetric(port.Spec{Kind: "metric", Class: "NoSuchMetric", Backend: "jax"})
		Expect(err).To(MatchError(port.ErrNotImplemented))
		_, err = p.NewLoss(port.Spec{Kind: "function", Class: "no_such_loss", Backend: "jax"})
		Expect(err).To(MatchError(port.ErrNotImplemented))
	})

	It("describes its classes' constructor defaults for the API coverage check", func() {
		intro, ok := p.(port.Introspector)
		Expect(ok).To(BeTrue())
		got, err := intro.Defaults("loss", "Huber")
		Expect(err).NotTo(HaveOccurred())
		Expect(got).To(Equal(map[string]any{"delta": 1.0, "reduction": "sum_over_batch_size", "name": "huber_loss", "dtype": nil}))
		got, err = intro.Defaults("metric", "BinaryCrossentropy")
		Expect(err).NotTo(HaveOccurred())
		Expect(got).To(HaveKeyWithValue("name", "binary_crossentropy"))
		_, err = intro.Defaults("loss", "NoSuchLoss")
		Expect(err).To(MatchError(port.ErrNotImplemented))
		_, err = intro.Defaults("metric", "NoSuchMetric")
		Expect(err).To(MatchError(port.ErrNotImplemented))
		_, err = intro.Defaults("function", "huber")
		Expect(err).To(MatchError(port.ErrNotImplemented))
	})

	It("refuses bad input as errors, not as not-implemented", func() {
		_, err := p.NewLoss(port.Spec{Kind: "loss", Class: "BinaryCrossentropy",
			Config: map[string]any{"reduction": "auto"}, Backend: "jax"})
		Expect(err).To(HaveOccurred())
		Expect(err).NotTo(MatchError(port.ErrNotImplemented))
		_, err = p.NewLoss(port.Spec{Kind: "loss", Class: "BinaryCrossentropy", Backend: "torch"})
		Expect(err).To(MatchError(ContainSubstring(`"torch"`)))
		l, err := p.NewLoss(port.Spec{Kind: "loss", Class: "BinaryCrossentropy", Backend: "jax"})
		Expect(err).NotTo(HaveOccurred())
		_, err = l.Call(port.Array{Shape: []int{2}, DType: "float8", Data: []float64{0, 1}}, yPred, nil)
		Expect(err).To(MatchError(ContainSubstring("y_true")))
		_, err = l.Call(port.Array{Shape: []int{3}, DType: "float32", Data: []float64{0, 1}}, yPred, nil)
		Expect(err).To(MatchError(ContainSubstring("needs 3 values")))
	})

	It("ships a known-divergence file that the strict reader accepts, one entry per cause", func() {
		d, err := conformance.ReadDivergences("../../impl/divergences.json")
		Expect(err).NotTo(HaveOccurred())
		Expect(d.Divergences).NotTo(BeEmpty())
		Expect(d.Tolerances).To(BeEmpty(), "impl widens no tolerance")
	})
})
