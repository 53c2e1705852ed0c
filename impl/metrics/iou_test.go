package metrics_test

import (
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/metrics"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

var _ = Describe("IoU metrics", func() {
	oneHotTrue := f32([]int{4, 3}, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0)
	oneHotPred := f32([]int{4, 3}, 0.2, 0.3, 0.5, 0.1, 0.2, 0.7, 0.5, 0.3, 0.1, 0.1, 0.4, 0.5)
	docWeights := vec(0.1, 0.2, 0.3, 0.4)

	DescribeTable("reproduce the docstring examples, whose weighted values need dtype float32",
		func(class string, config map[string]any, yTrue, yPred, w tensor.Tensor, want, weightedInt, weightedFloat float64) {
			expectStream(class, config, []float64{want, 0, weightedInt},
				upd{yTrue: yTrue, yPred: yPred}, reset, upd{yTrue: yTrue, yPred: yPred, w: &w})
			withFloat := map[string]any{"dtype": "float32"}
			for k, v := range config {
				withFloat[k] = v
			}
			expectStream(class, withFloat, []float64{weightedFloat}, upd{yTrue: yTrue, yPred: yPred, w: &w})
		},
		Entry("IoU", "IoU", map[string]any{"num_classes": 2.0, "target_class_ids": []any{0.0}},
			vec(0, 0, 1, 1), vec(0, 1, 0, 1), vec(0.3, 0.3, 0.3, 0.1), 0.33333331, 0.0, 0.33333325),
		Entry("MeanIoU", "MeanIoU", map[string]any{"num_classes": 2.0},
			vec(0, 0, 1, 1), vec(0, 1, 0, 1), vec(0.3, 0.3, 0.3, 0.1), 0.33333334, 0.0, 0.2380952),
		Entry("BinaryIoU", "BinaryIoU", map[string]any{"target_class_ids": []any{0.0, 1.0}, "threshold": 0.3},
			vec(0, 1, 0, 1), vec(0.1, 0.2, 0.4, 0.7), vec(0.2, 0.3, 0.4, 0.1), 0.33333334, 0.0, 0.17361109),
	)

	It("reproduce the one-hot docstring examples", func() {
		for _, dt := range []any{nil, "float32"} {
			wantIoU, wantMean := 0.0, 0.0
			if dt != nil {
				wantIoU, wantMean = 0.071428552, 0.047619034
			}
			expectStream("OneHotIoU", map[string]any{"num_classes": 3.0, "target_class_ids": []any{0.0, 2.0}, "dtype": dt},
				[]float64{wantIoU}, upd{yTrue: oneHotTrue, yPred: oneHotPred, w: &docWeights})
			expectStream("OneHotMeanIoU", map[string]any{"num_classes": 3.0, "dtype": dt},
				[]float64{wantMean}, upd{yTrue: oneHotTrue, yPred: oneHotPred, w: &docWeights})
		}
	})

	It("ignores empty classes and biases every denominator by ε", func() {
		expectStream("MeanIoU", map[string]any{"num_classes": 4.0}, []float64{0.58333337},
			upd{yTrue: vec(0, 0, 1, 1), yPred: vec(0, 1, 1, 1)})
	})

	It("drops pairs with a label out of range or equal to ignore_class", func() {
		expectStream("MeanIoU", map[string]any{"num_classes": 3.0}, []float64{0.9999998},
			upd{yTrue: vec(0, 1, 2, 3, -1, 2), yPred: vec(0, 1, 2, 1, 1, 5)})
		expectStream("MeanIoU", map[string]any{"num_classes": 3.0, "ignore_class": 1.0}, []float64{0.9999999},
			upd{yTrue: vec(0, 1, 2, 1), yPred: vec(0, 1, 2, 2)})
	})

	It("truncates fractional labels and weights with the int dtype, keeps weights with a float one", func() {
		yTrue, yPred, w := vec(0, 1, 2, 2), vec(0, 1.9, 2, 1), vec(1.9, 0.5, 1, 2.2)
		expectStream("MeanIoU", map[string]any{"num_classes": 3.0}, []float64{0.44444442}, upd{yTrue: yTrue, yPred: yPred, w: &w})
		expectStream("MeanIoU", map[string]any{"num_classes": 3.0, "dtype": "float32"}, []float64{0.49922836},
			upd{yTrue: yTrue, yPred: yPred, w: &w})
		for _, b := range allBackends {
			m := build("MeanIoU", map[string]any{"num_classes": 3.0}, b)
			Expect(m.UpdateState(yTrue, yPred, &w)).To(Succeed())
			cm := m.(*metrics.MeanIoU).ConfusionMatrix()
			want := map[backend.Backend]tensor.DType{backend.NumPy: tensor.Int32, backend.JAX: tensor.Int32, backend.TensorFlow: tensor.Int64}
			Expect(cm.DType).To(Equal(want[b]))
			Expect(cm.Data).To(Equal([]float64{1, 0, 0, 0, 0, 0, 0, 2, 1}))
		}
	})

	It("counts BinaryIoU's threshold as class 1", func() {
		expectStream("BinaryIoU", nil, []float64{0.5833334},
			upd{yTrue: vec(0, 1, 0, 1), yPred: vec(0.5, 0.5, 0.4999, 0.7)})
	})

	It("accumulates until reset", func() {
		expectStream("IoU", map[string]any{"num_classes": 3.0, "target_class_ids": []any{0.0, 2.0}}, []float64{0.74999994, 0.74999994, 0, 0},
			upd{yTrue: vec(0, 1, 2), yPred: vec(0, 2, 2)},
			upd{yTrue: vec(2, 2), yPred: vec(2, 1)},
			reset,
			upd{yTrue: vec(0), yPred: vec(1)})
	})

	It("takes a negative target id from the end", func() {
		expectStream("IoU", map[string]any{"num_classes": 3.0, "target_class_ids": []any{-1.0, 0.0}}, []float64{0.75},
			upd{yTrue: vec(0, 1, 2, 1, 0, 2), yPred: vec(0, 1, 1, 1, 0, 2)})
	})

	It("argmaxes dense inputs over axis, and fails in result unless axis is 0 or -1, as Keras 3.15 does", func() {
		t := f32([]int{4, 3}, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0)
		p := f32([]int{4, 3}, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0)
		expectStream("OneHotMeanIoU", map[string]any{"num_classes": 3.0, "axis": 0.0}, []float64{0.49999997}, upd{yTrue: t, yPred: p})
		expectStream("OneHotMeanIoU", map[string]any{"num_classes": 3.0}, []float64{0.5}, upd{yTrue: t, yPred: p})
		m, err := metrics.NewOneHotMeanIoU(3)
		Expect(err).NotTo(HaveOccurred())
		m.Axis = 1
		Expect(m.UpdateState(t, p, nil)).To(Succeed())
		_, err = m.TryResult()
		Expect(err).To(MatchError(ContainSubstring("axis 1 is out of bounds")))
		Expect(math.IsNaN(m.Result().Data[0])).To(BeTrue())
	})

	It("refuses what Keras refuses", func() {
		_, err := metrics.NewIoU(3, []int{3})
		Expect(err).To(MatchError(ContainSubstring("target class id 3 is out of range")))
		_, err = metrics.NewIoU(3, nil)
		Expect(err).To(HaveOccurred())
		_, err = metrics.FromConfig("MeanIoU", map[string]any{}, backend.NumPy)
		Expect(err).To(MatchError(ContainSubstring("num_classes")))
		m, _ := metrics.NewMeanIoU(3)
		Expect(m.UpdateState(vec(0, 1, 2), vec(0, 1), nil)).To(MatchError(tensor.ErrShape))
		Expect(m.UpdateState(f32([]int{2, 2}, 0, 1, 2, 1), f32([]int{2, 2}, 0, 1, 1, 1), ptr(vec(1, 2)))).To(MatchError(tensor.ErrShape))
	})

	It("builds from a Keras config, integer dtypes included", func() {
		m, err := metrics.FromConfig("IoU", map[string]any{
			"name": "iou", "dtype": "int64", "num_classes": 4.0, "target_class_ids": []any{1.0, 3.0},
			"ignore_class": 255.0, "sparse_y_true": false, "sparse_y_pred": true, "axis": -1.0,
		}, backend.JAX)
		Expect(err).NotTo(HaveOccurred())
		iou := m.(*metrics.IoU)
		Expect(iou.Name).To(Equal("iou"))
		Expect(*iou.DType).To(Equal(tensor.Int64))
		Expect(iou.ConfusionMatrix().DType).To(Equal(tensor.Int32)) // JAX has no int64
		Expect(*iou.IgnoreClass).To(Equal(255))
		Expect(iou.SparseYTrue).To(BeFalse())
		Expect(iou.TargetClassIDs()).To(Equal([]int{1, 3}))
		cfg, err := metrics.DefaultConfig("BinaryIoU")
		Expect(err).NotTo(HaveOccurred())
		Expect(cfg).To(Equal(map[string]any{"target_class_ids": []any{0.0, 1.0}, "threshold": 0.5, "name": nil, "dtype": nil}))
	})
})
