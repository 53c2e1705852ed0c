package losses_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/losses"
)

// The values come from Keras 3.15.1's losses_test.py
// CategoricalGeneralizedCrossEntropyTest and the venv, on each backend.

var _ = Describe("CategoricalGeneralizedCrossEntropy", func() {
	yTrue := f32([]int{4}, 0, 1, 0, 1)
	yPred := f32([]int{4, 2}, 0.7, 0.3, 0.2, 0.8, 0.6, 0.4, 0.4, 0.6)

	It("has Keras's defaults", func() {
		l := losses.NewCategoricalGeneralizedCrossEntropy()
		Expect(l.Name).To(Equal("categorical_generalized_cross_entropy"))
		Expect(l.Q).To(Equal(0.5))
		cfg, err := losses.DefaultConfig("CategoricalGeneralizedCrossEntropy")
		Expect(err).NotTo(HaveOccurred())
		Expect(cfg).To(Equal(map[string]any{"name": "categorical_generalized_cross_entropy",
			"reduction": "sum_over_batch_size", "dtype": nil, "q": 0.5}))
	})

	for _, b := range backends {
		It("reproduces Keras's binary test on "+b.String(), func() {
			l := losses.NewCategoricalGeneralizedCrossEntropy()
			l.Backend = b
			Expect(l.Call(yTrue, yPred, nil)).To(valuesNear(0.3598597))
			l.Q = 0.8
			Expect(l.Call(yTrue, yPred, nil)).To(valuesNear(0.33832815))
		})
	}

	It("pairs every label with every row for y_true of shape (B, 1), as Keras does", func() {
		l := losses.NewCategoricalGeneralizedCrossEntropy()
		l.Reduction = losses.ReductionNone
		probs := f32([]int{3, 3}, 0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.1, 0.8)
		got, err := l.Call(f32([]int{3, 1}, 0, 1, 2), probs, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Shape).To(Equal([]int{3, 3}))
		Expect(got).To(valuesNear(
			0.32667994, 1.1055728, 1.3675444,
			1.1055728, 0.58578646, 1.3675444,
			1.3675444, 0.90455484, 0.21114564))
		Expect(l.Call(f32([]int{3}, 0, 1, 2), probs, nil)).To(valuesNear(0.32667994, 0.58578646, 0.21114564))
	})

	It("gives labels outside the classes 1/q, except on NumPy, which refuses labels >= C", func() {
		labels := f32([]int{4}, 0, 2, -1, 1)
		for _, b := range []backend.Backend{backend.JAX, backend.TensorFlow} {
			l := losses.NewCategoricalGeneralizedCrossEntropy()
			l.Backend, l.Reduction = b, losses.ReductionNone
			Expect(l.Call(labels, yPred, nil)).To(valuesNear(0.32667994, 2, 2, 0.45080662))
		}
		l := losses.NewCategoricalGeneralizedCrossEntropy()
		l.Backend = backend.NumPy
		_, err := l.Call(labels, yPred, nil)
		Expect(err).To(MatchError(ContainSubstring("label 2 (index 1) is out of bounds for 2 classes")))
	})

	It("refuses q outside (0, 1) in the class only", func() {
		for _, q := range []float64{0, 1, -0.5, 1.5} {
			_, err := losses.FromConfig("CategoricalGeneralizedCrossEntropy", map[string]any{"q": q}, backend.JAX)
			Expect(err).To(MatchError(ContainSubstring("interval (0, 1)")))
			l := losses.NewCategoricalGeneralizedCrossEntropy()
			l.Q = q
			_, err = l.Call(yTrue, yPred, nil)
			Expect(err).To(MatchError(ContainSubstring("q must be in the interval (0, 1)")))
			fn, err := losses.FuncFromConfig("categorical_generalized_cross_entropy", map[string]any{"q": q})
			Expect(err).NotTo(HaveOccurred())
			_, err = fn.Values(backend.JAX, yTrue, yPred)
			Expect(err).NotTo(HaveOccurred())
		}
	})

	It("binds a function without q, which then fails when called (Python's TypeError)", func() {
		fn, err := losses.FuncFromConfig("categorical_generalized_cross_entropy", map[string]any{})
		Expect(err).NotTo(HaveOccurred())
		_, err = fn.Values(backend.NumPy, yTrue, yPred)
		Expect(err).To(MatchError(ContainSubstring("missing 1 required positional argument: 'q'")))
	})

	It("refuses predictions without a class axis", func() {
		_, err := losses.CategoricalGeneralizedCrossEntropyFunc{Q: 0.5}.Values(backend.NumPy, yTrue, f32(nil, 0.5))
		Expect(err).To(MatchError(ContainSubstring("class axis")))
	})
})
