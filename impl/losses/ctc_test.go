package losses_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The CTC values come from Keras 3.15.1 on each backend: its losses_test.py
// CTCTest inputs, logits (arange(24).reshape(2, 4, 3) - 12) / 100.

// ctcLogits are Keras's test logits.
func ctcLogits() tensor.Tensor {
	x := make([]float64, 24)
	for i := range x {
		x[i] = float64(float32(i-12) / 100)
	}
	return f32([]int{2, 4, 3}, x...)
}

func newCTC(b backend.Backend, r losses.Reduction) *losses.CTC {
	l := losses.NewCTC()
	l.Backend, l.Reduction = b, r
	return l
}

var _ = Describe("CTC", func() {
	// Rows [1, 2, 1, 0] (three labels) and [1, 2, 0, 2] (three non-zero
	// entries: the target is [1, 2, 0], its 0 scored as the blank).
	yTrue := f32([]int{2, 4}, 1, 2, 1, 0, 1, 2, 0, 2)

	It("has Keras's defaults", func() {
		l := losses.NewCTC()
		Expect(l.Name).To(Equal("ctc"))
		Expect(l.Reduction).To(Equal(losses.ReductionSumOverBatchSize))
		cfg, err := losses.DefaultConfig("CTC")
		Expect(err).NotTo(HaveOccurred())
		Expect(cfg).To(Equal(map[string]any{"name": "ctc", "reduction": "sum_over_batch_size", "dtype": nil}))
	})

	for _, b := range backends {
		It("reproduces Keras's CTCTest on "+b.String(), func() {
			Expect(newCTC(b, losses.ReductionNone).Call(yTrue, ctcLogits(), nil)).To(valuesNear(2.4429315, 2.45436))
			Expect(newCTC(b, losses.ReductionSumOverBatchSize).Call(yTrue, ctcLogits(), nil)).To(valuesNear(2.448645))
			Expect(newCTC(b, losses.ReductionSum).Call(yTrue, ctcLogits(), ptr(f32([]int{2}, 0.5, 2)))).To(valuesNear(6.130185))
		})

		It("scores an all-blank target as the blank path on "+b.String(), func() {
			got, err := newCTC(b, losses.ReductionNone).Call(tensor.Zeros(tensor.Float32, 2, 4), ctcLogits(), nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(got).To(valuesNear(4.434582, 4.434582))
		})
	}

	DescribeTable("gives infeasible targets a large finite loss, each backend its own",
		func(b backend.Backend, infeasible, feasible, tooLong float64) {
			// [1, 1, 1, 1] needs 7 steps, there are 4; [1, 2, 1, 2, 1] is
			// longer than the 4 steps.
			l := newCTC(b, losses.ReductionNone)
			Expect(l.Call(f32([]int{2, 4}, 1, 1, 1, 1, 1, 2, 1, 2), ctcLogits(), nil)).To(valuesNear(infeasible, feasible))
			got, err := l.Call(f32([]int{2, 5}, 1, 2, 1, 2, 1, 2, 0, 0, 0, 0), ctcLogits(), nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Data[0]).To(beNear(tooLong))
		},
		// optax's log(ε) = -1e5 stands for an impossible path.
		Entry("numpy", backend.NumPy, 1.0000096e+05, 4.3745828, 9.9999906e+04),
		Entry("jax", backend.JAX, 1.0000096e+05, 4.3745823, 9.9999906e+04),
		// tf.nn.ctc_loss's log_0 = log(1e-307) ≈ -706.9.
		Entry("tensorflow", backend.TensorFlow, 708.5355, 4.374583, 707.766),
	)

	It("follows TensorFlow's state graph even with no label column", func() {
		// With L = 0 TensorFlow's start -> "label 1" transition lands on
		// blank 0 beside start -> blank 0: a weight of 2, log 2 off NumPy's.
		yTrue := tensor.Zeros(tensor.Float32, 2, 0)
		Expect(newCTC(backend.NumPy, losses.ReductionNone).Call(yTrue, ctcLogits(), nil)).To(valuesNear(4.4345827, 4.4345827))
		Expect(newCTC(backend.TensorFlow, losses.ReductionNone).Call(yTrue, ctcLogits(), nil)).To(valuesNear(3.7414346, 3.7414346))
	})

	It("computes in float32 and returns float64 only on TensorFlow", func() {
		f := losses.CTCFunc{}
		yPred := ctcLogits().Cast(tensor.Float64)
		for b, want := range map[backend.Backend]tensor.DType{
			backend.NumPy: tensor.Float32, backend.JAX: tensor.Float32, backend.TensorFlow: tensor.Float64,
		} {
			got, err := f.Values(b, yTrue, yPred)
			Expect(err).NotTo(HaveOccurred())
			Expect(got.DType).To(Equal(want), b.String())
			Expect(got).To(valuesNear(2.4429315, 2.45436))
		}
	})

	It("refuses y_true and y_pred of the wrong ranks, naming their shapes", func() {
		f := losses.CTCFunc{}
		_, err := f.Values(backend.JAX, f32([]int{2}, 1, 2), ctcLogits())
		Expect(err).To(MatchError(tensor.ErrShape))
		Expect(err).To(MatchError(ContainSubstring("y_true must be of shape (batch_size, max_length)")))
		Expect(err).To(MatchError(ContainSubstring("[2]")))
		_, err = f.Values(backend.JAX, yTrue, f32([]int{2, 4}, 0, 0, 0, 0, 0, 0, 0, 0))
		Expect(err).To(MatchError(ContainSubstring("y_pred must be of shape (batch_size, max_length, num_classes), got shape [2 4]")))
		_, err = f.Values(backend.JAX, f32([]int{1, 4}, 1, 2, 1, 0), ctcLogits())
		Expect(err).To(MatchError(ContainSubstring("different batch sizes")))
	})

	It("squeezes a single class away in the loss class, then refuses the rank", func() {
		_, err := losses.NewCTC().Call(yTrue, tensor.Zeros(tensor.Float32, 2, 4, 1), nil)
		Expect(err).To(MatchError(ContainSubstring("got shape [2 4]")))
	})

	It("refuses what each backend refuses", func() {
		f := losses.CTCFunc{}
		big := f32([]int{2, 4}, 1, 3, 0, 0, 1, 0, 0, 0)
		_, err := f.Values(backend.NumPy, big, ctcLogits())
		Expect(err).To(MatchError(ContainSubstring("out of bounds for 3 classes")))
		_, err = f.Values(backend.JAX, big, ctcLogits())
		Expect(err).NotTo(HaveOccurred())
		_, err = f.Values(backend.NumPy, yTrue, tensor.Zeros(tensor.Float32, 2, 0, 3))
		Expect(err).To(MatchError(ContainSubstring("no time steps")))
		_, err = f.Values(backend.TensorFlow, tensor.Zeros(tensor.Float32, 0, 4), tensor.Zeros(tensor.Float32, 0, 4, 3))
		Expect(err).To(MatchError(ContainSubstring("empty batch")))
		got, err := f.Values(backend.NumPy, tensor.Zeros(tensor.Float32, 0, 4), tensor.Zeros(tensor.Float32, 0, 4, 3))
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Shape).To(Equal([]int{0}))
	})
})
