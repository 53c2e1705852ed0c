package losses_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The Dice and Tversky values come from Keras 3.15.1's docstrings and its
// losses_test.py, run on each backend (they agree to the last bit here).

var _ = Describe("Dice and Tversky", func() {
	// The docstring's (2, 2, 2, 1) masks.
	yTrue := f32([]int{2, 2, 2, 1}, 1, 1, 0, 0, 1, 1, 0, 0)
	yPred := f32([]int{2, 2, 2, 1}, 0, 1, 0, 1, 0.4, 0, 0, 0.9)
	// losses_test.py's binary segmentation.
	segTrue := f32([]int{4, 4}, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1)
	segPred := f32([]int{4, 4}, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1)

	It("have Keras's defaults", func() {
		d, t := losses.NewDice(), losses.NewTversky()
		Expect(d.Name).To(Equal("dice"))
		Expect(d.Axis).To(BeNil())
		Expect(t.Name).To(Equal("tversky"))
		Expect(t.Alpha).To(Equal(0.5))
		Expect(t.Beta).To(Equal(0.5))
		Expect(t.Axis).To(BeNil())
		cfg, err := losses.DefaultConfig("Tversky")
		Expect(err).NotTo(HaveOccurred())
		Expect(cfg).To(Equal(map[string]any{"name": "tversky", "reduction": "sum_over_batch_size", "dtype": nil,
			"alpha": 0.5, "beta": 0.5, "axis": nil}))
	})

	for _, b := range backends {
		It("reproduce the docstring and test examples on "+b.String(), func() {
			d := losses.NewDice()
			d.Backend = b
			Expect(d.Call(yTrue, yPred, nil)).To(valuesNear(0.6164384))
			Expect(d.Call(segTrue, segPred, nil)).To(valuesNear(0.7777778))
			d.Axis, d.Reduction = []int{1, 2, 3}, losses.ReductionNone
			Expect(d.Call(yTrue, yPred, nil)).To(valuesNear(0.5, 0.75757575))
			t := losses.NewTversky()
			t.Backend, t.Alpha, t.Beta = b, 0.2, 0.8
			Expect(t.Call(segTrue, segPred, nil)).To(valuesNear(0.7916667))
			Expect(t.Call(f32([]int{2, 2}, 1, 2, 1, 2), f32([]int{2, 2}, 4, 1, 6, 1), nil)).To(valuesNear(-0.29629636))
		})
	}

	It("return one scalar for axis None, which no reduction divides", func() {
		for _, r := range []losses.Reduction{losses.ReductionSumOverBatchSize, losses.ReductionSum, losses.ReductionNone} {
			d := losses.NewDice()
			d.Reduction = r
			got, err := d.Call(segTrue, segPred, nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Shape).To(BeEmpty())
			Expect(got).To(valuesNear(0.7777778))
		}
		d := losses.NewDice()
		d.Reduction = losses.ReductionSum
		// A scalar weight scales the scalar; a (B,) weight broadcasts it to
		// (B,), which is then reduced.
		Expect(d.Call(segTrue, segPred, ptr(tensor.Scalar(tensor.Float32, 0.5)))).To(valuesNear(0.3888889))
		Expect(d.Call(segTrue, segPred, ptr(f32([]int{4}, 1, 2, 3, 4)))).To(valuesNear(7.777778))
		tv := losses.NewTversky()
		got, err := tv.Call(segTrue, segPred, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Shape).To(BeEmpty())
	})

	It("weigh the false negatives Σ(1-p)·t by alpha, as Keras 3.15 does", func() {
		t := losses.NewTversky()
		t.Axis, t.Reduction = []int{1, 2, 3}, losses.ReductionNone
		t.Alpha, t.Beta = 0.2, 0.8
		Expect(t.Call(yTrue, yPred, nil)).To(valuesNear(0.5, 0.7222222))
		t.Alpha, t.Beta = 0.8, 0.2
		Expect(t.Call(yTrue, yPred, nil)).To(valuesNear(0.5, 0.78494626))
	})

	It("give 1 for an empty mask and empty prediction (epsilon only in the denominator)", func() {
		d := losses.NewDice()
		d.Axis, d.Reduction = []int{-1}, losses.ReductionNone
		Expect(d.Call(tensor.Zeros(tensor.Float32, 2, 3), f32([]int{2, 3}, 0, 0, 0, 0.5, 0.2, 0.1), nil)).To(valuesNear(1, 1))
	})

	It("bind axis from a config as None, an integer or a list", func() {
		for _, axis := range []any{nil, -1.0, []any{1.0, 2.0, 3.0}} {
			l, err := losses.FromConfig("Dice", map[string]any{"axis": axis, "reduction": "sum"}, backend.NumPy)
			Expect(err).NotTo(HaveOccurred())
			Expect(l.Call(yTrue, yPred, nil)).NotTo(BeNil())
		}
		_, err := losses.FromConfig("Dice", map[string]any{"axis": "x"}, backend.NumPy)
		Expect(err).To(MatchError(ContainSubstring("axis")))
	})

	It("refuse axes out of range or repeated", func() {
		f := losses.DiceFunc{Axis: []int{4}}
		_, err := f.Values(backend.NumPy, yTrue, yPred)
		Expect(err).To(MatchError(ContainSubstring("axis 4 is out of bounds for a tensor of rank 4")))
		_, err = losses.TverskyFunc{Axis: []int{1, -3}}.Values(backend.NumPy, yTrue, yPred)
		Expect(err).To(MatchError(ContainSubstring("repeats")))
		_, err = losses.DiceFunc{}.Values(backend.NumPy, f32([]int{3}, 1, 0, 1), f32([]int{2}, 1, 0))
		Expect(err).To(MatchError(tensor.ErrShape))
	})
})
