package losses_test

import (
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/parallel"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The expected values come from the examples in Keras's docstrings, run with
// Keras 3.15.1 on each backend (float32 inputs); where the backends differ
// in the last bits, the spread is within beNear's tolerance.

var _ = Describe("defaults", func() {
	It("match Keras's constructors", func() {
		l := losses.NewCategoricalCrossentropy()
		Expect(l.Reduction).To(Equal(losses.ReductionSumOverBatchSize))
		Expect(l.Name).To(Equal("categorical_crossentropy"))
		Expect(l.DType).To(Equal(tensor.Float32))
		Expect(l.Axis).To(Equal(-1))
		Expect(l.FromLogits).To(BeFalse())
		f := losses.NewBinaryFocalCrossentropy()
		Expect(f.Alpha).To(Equal(0.25))
		Expect(f.Gamma).To(Equal(2.0))
		Expect(losses.NewCategoricalFocalCrossentropy().AlphaPerClass).To(BeNil())
		Expect(losses.NewSparseCategoricalCrossentropy().IgnoreClass).To(BeNil())
	})
})

var _ = Describe("BinaryCrossentropy", func() {
	yTrue := f32([]int{2, 2}, 0, 1, 0, 0)
	yPred := f32([]int{2, 2}, -18.6, 0.51, 2.94, -12.8)

	for _, b := range backends {
		It("reproduces the docstring example with logits on "+b.String(), func() {
			l := losses.NewBinaryCrossentropy()
			l.FromLogits, l.Backend = true, b
			Expect(l.Call(yTrue, yPred, nil)).To(valuesNear(0.8654579))
			Expect(l.Call(yTrue, yPred, ptr(f32([]int{2}, 0.8, 0.2)))).To(valuesNear(0.2436386))
			l.Reduction = losses.ReductionSum
			Expect(l.Call(yTrue, yPred, nil)).To(valuesNear(1.7309158))
			l.Reduction = losses.ReductionNone
			got, err := l.Call(yTrue, yPred, nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Shape).To(Equal([]int{2}))
			Expect(got).To(valuesNear(0.2351567, 1.4957589))
		})
	}

	It("saturates logits through a clipped sigmoid on NumPy only", func() {
		l := losses.NewBinaryCrossentropy()
		l.FromLogits, l.Reduction = true, losses.ReductionNone
		want := map[backend.Backend]float64{backend.NumPy: 16.11809539794922, backend.JAX: 20, backend.TensorFlow: 20}
		for b, w := range want {
			l.Backend = b
			Expect(l.Call(f32([]int{1, 1}, 1), f32([]int{1, 1}, -20), nil)).To(valuesNear(w), b.String())
		}
	})

	It("clips asymmetrically in float32: p=0 costs 16.118, p=1 costs 15.942", func() {
		l := losses.NewBinaryCrossentropy()
		l.Reduction = losses.ReductionNone
		Expect(l.Call(f32([]int{1, 2}, 1, 0), f32([]int{1, 2}, 0, 1), nil)).To(valuesNear((16.118095 + 15.942385) / 2))
	})

	It("reaches +Inf in float16, whose 1 - epsilon is 1", func() {
		l := losses.NewBinaryCrossentropy()
		l.Reduction, l.DType = losses.ReductionNone, tensor.Float16
		got, err := l.Call(f32([]int{1, 1}, 0), f32([]int{1, 1}, 1), nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.DType).To(Equal(tensor.Float16))
		Expect(got.Data).To(Equal([]float64{math.Inf(1)}))
	})

	It("refuses y_true and y_pred of different shapes, naming them", func() {
		f := losses.NewBinaryCrossentropyFunc()
		_, err := f.Values(backend.JAX, f32([]int{2}, 0, 1), f32([]int{3}, 0, 1, 0))
		Expect(err).To(MatchError(tensor.ErrShape))
		Expect(err).To(MatchError(ContainSubstring("y_true [2] and y_pred [3]")))
	})
})

var _ = Describe("BinaryFocalCrossentropy", func() {
	yTrue := f32([]int{2, 2}, 0, 1, 0, 0)
	yPred := f32([]int{2, 2}, -18.6, 0.51, 2.94, -12.8)

	// TensorFlow's sigmoid remembers its logits and its crossentropy uses
	// them: with logits, its focal loss differs from the others'.
	DescribeTable("reproduces the docstring examples",
		func(b backend.Backend, plain, balanced float64) {
			l := losses.NewBinaryFocalCrossentropy()
			l.FromLogits, l.Gamma, l.Backend = true, 3, b
			Expect(l.Call(yTrue, yPred, nil)).To(valuesNear(plain))
			l.ApplyClassBalancing = true
			Expect(l.Call(yTrue, yPred, ptr(f32([]int{2}, 0.8, 0.2)))).To(valuesNear(balanced))
		},
		Entry("numpy", backend.NumPy, 0.6469947695732117, 0.09735971689224243),
		Entry("jax", backend.JAX, 0.6469947695732117, 0.09735971689224243),
		Entry("tensorflow", backend.TensorFlow, 0.6469951272010803, 0.09735976904630661),
	)
})

var _ = Describe("CategoricalCrossentropy", func() {
	yTrue := f32([]int{2, 3}, 0, 1, 0, 0, 0, 1)
	yPred := f32([]int{2, 3}, 0.05, 0.95, 0, 0.1, 0.8, 0.1)

	for _, b := range backends {
		It("reproduces the docstring example on "+b.String(), func() {
			l := losses.NewCategoricalCrossentropy()
			l.Backend = b
			Expect(l.Call(yTrue, yPred, nil)).To(valuesNear(1.1769392))
			Expect(l.Call(yTrue, yPred, ptr(f32([]int{2}, 0.3, 0.7)))).To(valuesNear(0.8135988))
			l.Reduction = losses.ReductionMeanWithSampleWeight
			Expect(l.Call(yTrue, yPred, ptr(f32([]int{2}, 0.3, 0.7)))).To(valuesNear(1.6271976))
			l.Reduction = losses.ReductionNone
			Expect(l.Call(yTrue, yPred, nil)).To(valuesNear(0.0512933, 2.3025851))
		})
	}

	It("keeps a (B, 1) weight's shape with reduction none", func() {
		l := losses.NewCategoricalCrossentropy()
		l.Reduction = losses.ReductionNone
		got, err := l.Call(yTrue, yPred, ptr(f32([]int{2, 1}, 0.3, 0.7)))
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Shape).To(Equal([]int{2, 1}))
		Expect(got).To(valuesNear(0.01538799, 1.6118096))
	})

	It("weighs a scalar weight into every sample", func() {
		l := losses.NewCategoricalCrossentropy()
		Expect(l.Call(yTrue, yPred, ptr(tensor.Scalar(tensor.Float32, 2)))).To(valuesNear(2 * 1.1769392))
	})

	It("returns an empty batch unreduced", func() {
		l := losses.NewCategoricalCrossentropy()
		got, err := l.Call(tensor.Zeros(tensor.Float32, 0, 3), tensor.Zeros(tensor.Float32, 0, 3), nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Shape).To(Equal([]int{0}))
	})

	It("divides by zero weights as divide_no_nan does", func() {
		l := losses.NewCategoricalCrossentropy()
		l.Reduction = losses.ReductionMeanWithSampleWeight
		Expect(l.Call(yTrue, yPred, ptr(f32([]int{2}, 0, 0)))).To(valuesNear(0))
	})

	It("refuses a sample weight that does not broadcast, naming both shapes", func() {
		l := losses.NewCategoricalCrossentropy()
		_, err := l.Call(yTrue, yPred, ptr(f32([]int{3}, 1, 1, 1)))
		Expect(err).To(MatchError(tensor.ErrShape))
		Expect(err).To(MatchError(ContainSubstring("[2]")))
		Expect(err).To(MatchError(ContainSubstring("[3]")))
	})

	It("refuses sparse labels", func() {
		_, err := losses.NewCategoricalCrossentropy().Call(f32([]int{2}, 1, 2), yPred, nil)
		Expect(err).To(MatchError(tensor.ErrShape))
	})

	It("refuses an invalid reduction and a non-float dtype at call time", func() {
		l := losses.NewCategoricalCrossentropy()
		l.Reduction = "auto"
		_, err := l.Call(yTrue, yPred, nil)
		Expect(err).To(MatchError(ContainSubstring(`invalid reduction "auto"`)))
		l = losses.NewCategoricalCrossentropy()
		l.DType = tensor.Int32
		_, err = l.Call(yTrue, yPred, nil)
		Expect(err).To(MatchError(tensor.ErrNotImplemented))
	})

	It("treats the zero Reduction as sum_over_batch_size", func() {
		l := losses.NewCategoricalCrossentropy()
		l.Reduction = ""
		Expect(l.Call(yTrue, yPred, nil)).To(valuesNear(1.1769392))
	})

	It("refuses malformed tensors instead of panicking", func() {
		bad := tensor.Tensor{Shape: []int{2, 3}, Data: []float64{1}}
		_, err := losses.NewCategoricalCrossentropy().Call(bad, yPred, nil)
		Expect(err).To(MatchError(ContainSubstring("y_true")))
		_, err = losses.NewCategoricalCrossentropy().Call(yTrue, yPred, &bad)
		Expect(err).To(MatchError(ContainSubstring("sample_weight")))
	})
})

var _ = Describe("CategoricalFocalCrossentropy", func() {
	yTrue := f32([]int{2, 3}, 0, 1, 0, 0, 0, 1)
	yPred := f32([]int{2, 3}, 0.05, 0.95, 0, 0.1, 0.8, 0.1)

	It("reproduces the docstring example", func() {
		l := losses.NewCategoricalFocalCrossentropy()
		Expect(l.Call(yTrue, yPred, nil)).To(valuesNear(0.23315276))
		l.Reduction = losses.ReductionNone
		Expect(l.Call(yTrue, yPred, nil)).To(valuesNear(3.2058331e-05, 0.46627346))
	})

	It("weighs classes by a per-class alpha, promoting float16 to float32", func() {
		l := losses.NewCategoricalFocalCrossentropy()
		l.AlphaPerClass, l.Reduction = []float64{0.1, 0.2, 0.3}, losses.ReductionNone
		Expect(l.Call(yTrue, yPred, nil)).To(valuesNear(2.5646666e-05, 0.55952817))
		l.DType = tensor.Float16
		got, err := l.Call(yTrue, yPred, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.DType).To(Equal(tensor.Float16))
		Expect(got.Data).To(Equal([]float64{tensor.Float16.Round(2.5331974029541016e-05), 0.5595703125}))
	})

	It("refuses an alpha list that does not match the classes", func() {
		l := losses.NewCategoricalFocalCrossentropy()
		l.AlphaPerClass = []float64{0.1, 0.2}
		_, err := l.Call(yTrue, yPred, nil)
		Expect(err).To(MatchError(ContainSubstring("alpha has 2 values")))
	})
})

var _ = Describe("SparseCategoricalCrossentropy", func() {
	yPred := f32([]int{2, 3}, 0.05, 0.95, 0, 0.1, 0.8, 0.1)

	It("reproduces the docstring example", func() {
		Expect(losses.NewSparseCategoricalCrossentropy().Call(f32([]int{2}, 1, 2), yPred, nil)).To(valuesNear(1.1769392))
	})

	It("accepts (B, 1) labels", func() {
		Expect(losses.NewSparseCategoricalCrossentropy().Call(f32([]int{2, 1}, 1, 2), yPred, nil)).To(valuesNear(1.1769392))
	})

	It("does not renormalise probabilities on TensorFlow", func() {
		l := losses.NewSparseCategoricalCrossentropy()
		want := map[backend.Backend]float64{backend.NumPy: math.Ln2, backend.JAX: math.Ln2, backend.TensorFlow: math.Log(3)}
		for b, w := range want {
			l.Backend = b
			Expect(l.Call(f32([]int{1}, 2), f32([]int{1, 3}, 2, 2, 4), nil)).To(valuesNear(w), b.String())
		}
	})

	DescribeTable("handles labels out of range as each backend does",
		func(b backend.Backend, label float64, refused bool) {
			l := losses.NewSparseCategoricalCrossentropy()
			l.Backend, l.Reduction = b, losses.ReductionNone
			got, err := l.Call(f32([]int{1}, label), f32([]int{1, 3}, 0.2, 0.3, 0.5), nil)
			if refused {
				Expect(err).To(MatchError(ContainSubstring("label")))
				return
			}
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Data).To(Equal([]float64{0}))
		},
		Entry("NumPy: negative selects nothing", backend.NumPy, -1.0, false),
		Entry("NumPy: too large is an IndexError", backend.NumPy, 3.0, true),
		Entry("JAX: negative selects nothing", backend.JAX, -1.0, false),
		Entry("JAX: too large selects nothing", backend.JAX, 3.0, false),
		Entry("TensorFlow: negative is refused", backend.TensorFlow, -1.0, true),
		Entry("TensorFlow: too large is refused", backend.TensorFlow, 3.0, true),
	)

	It("masks ignored labels out of the mean", func() {
		l := losses.NewSparseCategoricalCrossentropy()
		l.FromLogits, l.IgnoreClass = true, new(int)
		*l.IgnoreClass = -1
		logits := f32([]int{4, 3}, 1, 2, 3, 0.5, 0.2, 0.1, 3, 2, 1, 1, 1, 1)
		Expect(l.Call(f32([]int{4}, 0, 1, 2, -1), logits, nil)).To(valuesNear(1.9984370))
		l.Reduction = losses.ReductionNone
		got, err := l.Call(f32([]int{4}, 0, 1, 2, -1), logits, nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Data[3]).To(Equal(0.0))
	})

	It("refuses a scalar weight with ignore_class on NumPy, which masks it in place", func() {
		l := losses.NewSparseCategoricalCrossentropy()
		l.Backend, l.IgnoreClass = backend.NumPy, new(int)
		_, err := l.Call(f32([]int{2}, 1, 0), yPred, ptr(tensor.Scalar(tensor.Float32, 2)))
		Expect(err).To(MatchError(tensor.ErrShape))
		l.Backend = backend.JAX
		_, err = l.Call(f32([]int{2}, 1, 0), yPred, ptr(tensor.Scalar(tensor.Float32, 2)))
		Expect(err).NotTo(HaveOccurred())
	})

	It("supports only the last axis on TensorFlow", func() {
		f := losses.NewSparseCategoricalCrossentropyFunc()
		f.Axis = 0
		_, err := f.Values(backend.TensorFlow, f32([]int{2}, 1, 0), yPred)
		Expect(err).To(MatchError(ContainSubstring("axis")))
	})
})

var _ = Describe("the plain functions", func() {
	It("compute in the input dtype and keep float64 where the backend does", func() {
		yTrue, _ := tensor.New(tensor.Float64, []int{1, 1}, []float64{0})
		yPred, _ := tensor.New(tensor.Float64, []int{1, 1}, []float64{1})
		f := losses.NewBinaryCrossentropyFunc()
		got, err := f.Values(backend.TensorFlow, yTrue, yPred)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.DType).To(Equal(tensor.Float64))
		Expect(got).To(valuesNear(16.118095651484676))
		got, err = f.Values(backend.NumPy, yTrue, yPred)
		Expect(err).NotTo(HaveOccurred())
		Expect(got.DType).To(Equal(tensor.Float32))
		Expect(got).To(valuesNear(15.942385))
	})

	It("are built from keyword arguments", func() {
		fn, err := losses.FuncFromConfig("binary_crossentropy", map[string]any{"from_logits": true, "axis": -1.0})
		Expect(err).NotTo(HaveOccurred())
		Expect(fn).To(Equal(losses.BinaryCrossentropyFunc{FromLogits: true, Axis: -1}))
		_, err = losses.FuncFromConfig("no_such_loss", nil)
		Expect(err).To(MatchError(tensor.ErrNotImplemented))
		_, err = losses.FuncFromConfig("binary_crossentropy", map[string]any{"axes": 1.0})
		Expect(err).To(MatchError(ContainSubstring(`unexpected keyword argument "axes"`)))
	})
})

var _ = Describe("FromConfig", func() {
	It("builds a loss from its Keras config", func() {
		l, err := losses.FromConfig("CategoricalFocalCrossentropy", map[string]any{
			"name": "cfce", "reduction": nil, "dtype": "float16", "alpha": []any{0.1, 0.2, 0.3},
			"gamma": 3.0, "from_logits": false, "label_smoothing": 0.1, "axis": -1.0,
		}, backend.JAX)
		Expect(err).NotTo(HaveOccurred())
		cfce := l.(*losses.CategoricalFocalCrossentropy)
		Expect(cfce.Reduction).To(Equal(losses.ReductionNone))
		Expect(cfce.Name).To(Equal("cfce"))
		Expect(cfce.DType).To(Equal(tensor.Float16))
		Expect(cfce.AlphaPerClass).To(Equal([]float64{0.1, 0.2, 0.3}))
		Expect(cfce.Gamma).To(Equal(3.0))
		Expect(cfce.Backend).To(Equal(backend.JAX))
	})

	It("reads dtype policies", func() {
		l, err := losses.FromConfig("BinaryCrossentropy", map[string]any{
			"dtype": map[string]any{"class_name": "DTypePolicy", "config": map[string]any{"name": "mixed_bfloat16"}},
		}, backend.NumPy)
		Expect(err).NotTo(HaveOccurred())
		Expect(l.(*losses.BinaryCrossentropy).DType).To(Equal(tensor.BFloat16))
	})

	DescribeTable("refuses what Keras's constructor refuses",
		func(class string, config map[string]any, want string) {
			_, err := losses.FromConfig(class, config, backend.TensorFlow)
			Expect(err).To(MatchError(ContainSubstring(want)))
		},
		Entry("reduction auto", "BinaryCrossentropy", map[string]any{"reduction": "auto"}, "invalid reduction auto"),
		Entry("an unknown argument", "BinaryCrossentropy", map[string]any{"ignore_class": 1.0}, `unexpected keyword argument "ignore_class"`),
		Entry("a dtype that does not exist", "BinaryCrossentropy", map[string]any{"dtype": "float8"}, `"float8"`),
		Entry("a non-integer axis", "CategoricalCrossentropy", map[string]any{"axis": 0.5}, "axis=0.5"),
		Entry("a string for a number", "BinaryFocalCrossentropy", map[string]any{"gamma": "2"}, "gamma=2"),
	)

	It("says a class it does not know is not implemented", func() {
		_, err := losses.FromConfig("NoSuchLoss", nil, backend.NumPy)
		Expect(err).To(MatchError(tensor.ErrNotImplemented))
	})
})

var _ = Describe("parallel rows", func() {
	AfterEach(func() { parallel.Workers = 0 })

	It("give bit-identical results with one worker and with many", func() {
		const rows, classes = 2048, 64 // 131072 elements: above the parallel threshold
		yTrue := tensor.Zeros(tensor.Float32, rows, classes)
		yPred := tensor.Zeros(tensor.Float32, rows, classes)
		labels := tensor.Zeros(tensor.Float32, rows)
		for i := range rows {
			labels.Data[i] = float64(i % classes)
			yTrue.Data[i*classes+i%classes] = 1
			for j := range classes {
				yPred.Data[i*classes+j] = tensor.Float32.Round(float64((i*7+j*13)%97+1) / 97)
			}
		}
		run := func(workers int) [][]float64 {
			parallel.Workers = workers
			var out [][]float64
			for _, b := range backends {
				for _, l := range []losses.Loss{
					&losses.BinaryCrossentropy{BinaryCrossentropyFunc: losses.NewBinaryCrossentropyFunc(), Base: losses.Base{Backend: b}},
					&losses.BinaryFocalCrossentropy{BinaryFocalCrossentropyFunc: losses.NewBinaryFocalCrossentropyFunc(), Base: losses.Base{Backend: b}},
					&losses.CategoricalCrossentropy{CategoricalCrossentropyFunc: losses.NewCategoricalCrossentropyFunc(), Base: losses.Base{Backend: b}},
					&losses.CategoricalFocalCrossentropy{CategoricalFocalCrossentropyFunc: losses.NewCategoricalFocalCrossentropyFunc(), Base: losses.Base{Backend: b}},
				} {
					got, err := l.Call(yTrue, yPred, nil)
					Expect(err).NotTo(HaveOccurred())
					out = append(out, got.Data)
				}
				l := losses.NewSparseCategoricalCrossentropy()
				l.Backend, l.Reduction = b, losses.ReductionNone
				got, err := l.Call(labels, yPred, nil)
				Expect(err).NotTo(HaveOccurred())
				out = append(out, got.Data)
			}
			return out
		}
		one := run(1)
		Expect(run(4)).To(Equal(one))
		Expect(run(7)).To(Equal(one))
	})
})
