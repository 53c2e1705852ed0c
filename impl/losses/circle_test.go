package losses_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The Circle values come from Keras 3.15.1's losses_test.py CircleTest, run
// on each backend (float32).

var _ = Describe("Circle", func() {
	yTrue := f32([]int{5}, 1, 1, 2, 2, 3)
	yPred := f32([]int{5, 4},
		0.70014004, -0.42008403, 0.14002801, 0.56011203,
		0.17609018, 0.70436073, -0.52827054, 0.44022545,
		-0.34050261, 0.25537696, -0.68100522, 0.59587957,
		0.32163376, -0.75047877, 0.53605627, -0.21442251,
		0.51261459, -0.34174306, 0.17087153, 0.76892189)
	refLabels := f32([]int{6}, 1, 1, 2, 2, 3, 4)
	refEmb := f32([]int{6, 4},
		0.40824829, -0.54433105, 0.27216553, 0.68041382,
		0.76376261, 0.10910895, -0.54554473, 0.32732684,
		-0.74420841, 0.24806947, 0.49613894, -0.3721042,
		0.52981294, -0.13245324, 0.79471941, -0.26490647,
		0.54554473, -0.32732684, 0.10910895, 0.76376261,
		-0.27216553, 0.68041382, 0.40824829, -0.54433105)
	weights := f32([]int{5}, 2, 2, 1, 1, 0.5)

	It("has Keras's defaults", func() {
		l := losses.NewCircle()
		Expect(l.Name).To(Equal("circle"))
		Expect(l.Gamma).To(Equal(80.0))
		Expect(l.Margin).To(Equal(0.4))
		Expect(l.RemoveDiagonal).To(BeTrue())
		cfg, err := losses.DefaultConfig("Circle")
		Expect(err).NotTo(HaveOccurred())
		Expect(cfg).To(Equal(map[string]any{"name": "circle", "reduction": "sum_over_batch_size", "dtype": nil,
			"gamma": 80.0, "margin": 0.4, "remove_diagonal": true}))
		_, err = losses.FromConfig("Circle", map[string]any{"ref_labels": []any{1.0}}, backend.NumPy)
		Expect(err).To(MatchError(ContainSubstring(`unexpected keyword argument "ref_labels"`)))
	})

	for _, b := range backends {
		It("reproduces Keras's CircleTest on "+b.String(), func() {
			l := losses.NewCircle()
			l.Backend = b
			// Sample 4 (label 3) has no positive: loss 0, masked out of
			// the mean, which divides by 4.
			Expect(l.Call(yTrue, yPred, nil)).To(valuesNear(188.3883))
			Expect(l.Call(yTrue, yPred, &weights)).To(valuesNear(244.91916))
			l.Reduction = losses.ReductionMeanWithSampleWeight
			Expect(l.Call(yTrue, yPred, &weights)).To(valuesNear(163.27945))
			l.Reduction = losses.ReductionNone
			Expect(l.Call(yTrue, yPred, nil)).To(valuesNear(127.678955, 98.444496, 275.91916, 251.51067, 0))
			Expect(l.Call(refLabels, refEmb, nil)).To(valuesNear(82.91159, 36.79418, 92.45897, 52.679817, 0, 0))
			l.Reduction = losses.ReductionSum
			Expect(l.Call(refLabels, refEmb, nil)).To(valuesNear(264.84454))
			l.Reduction = losses.ReductionSumOverBatchSize
			Expect(l.Call(refLabels, refEmb, nil)).To(valuesNear(264.84454 / 4))
			l.Gamma, l.Margin = 256, 0.25
			Expect(l.Call(yTrue, yPred, nil)).To(valuesNear(652.7616))

			f := losses.NewCircleFunc()
			f.RefLabels, f.RefEmbeddings, f.RemoveDiagonal = &refLabels, &refEmb, false
			Expect(f.Values(b, yTrue, yPred)).To(valuesNear(61.584377, 94.346466, 276.93442, 90.98733, 48.896343))
		})
	}

	It("gives 0 and masks every sample when no sample has a positive", func() {
		l := losses.NewCircle()
		distinct := f32([]int{5}, 1, 2, 3, 4, 5)
		Expect(l.Call(distinct, yPred, nil)).To(valuesNear(0))
		l.Reduction = losses.ReductionNone
		Expect(l.Call(distinct, yPred, nil)).To(valuesNear(0, 0, 0, 0, 0))
		got, err := losses.NewCircleFunc().Values(backend.NumPy, distinct, yPred)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Mask).NotTo(BeNil())
		Expect(got.Mask.Data).To(Equal([]float64{0, 0, 0, 0, 0}))
	})

	It("binds ref_labels and ref_embeddings from nested lists", func() {
		fn, err := losses.FuncFromConfig("circle", map[string]any{
			"ref_labels": []any{1.0, 1.0, 2.0, 2.0, 3.0, 4.0}, "remove_diagonal": false,
			"ref_embeddings": nestedRows(refEmb),
		})
		Expect(err).NotTo(HaveOccurred())
		Expect(fn.Values(backend.JAX, yTrue, yPred)).To(valuesNear(61.584377, 94.346466, 276.93442, 90.98733, 48.896343))
		_, err = losses.FuncFromConfig("circle", map[string]any{"ref_embeddings": []any{[]any{1.0}, 2.0}})
		Expect(err).To(MatchError(ContainSubstring("ref_embeddings")))
	})

	It("refuses embeddings it cannot pair, naming their shapes", func() {
		f := losses.NewCircleFunc()
		_, err := f.Values(backend.NumPy, yTrue, f32([]int{5}, 1, 2, 3, 4, 5))
		Expect(err).To(MatchError(ContainSubstring("embeddings of shape [5]")))
		_, err = f.Values(backend.NumPy, f32([]int{4}, 1, 1, 2, 2), yPred)
		Expect(err).To(MatchError(ContainSubstring("labels of shape [4] for 5 embeddings")))
		f.RefEmbeddings = ptr(tensor.Zeros(tensor.Float32, 6, 3))
		_, err = f.Values(backend.NumPy, yTrue, yPred)
		Expect(err).To(MatchError(tensor.ErrShape))
	})
})

// nestedRows returns a rank-2 tensor as JSON-decoded nested lists.
func nestedRows(t tensor.Tensor) []any {
	rows := make([]any, t.Shape[0])
	for i := range rows {
		row := make([]any, t.Shape[1])
		for j := range row {
			row[j] = t.Data[i*t.Shape[1]+j]
		}
		rows[i] = row
	}
	return rows
}
