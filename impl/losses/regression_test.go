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

// The expected values below were computed with Keras 3.15.1 on each backend
// from float32 inputs. Where the backends differ only in the last bits (JAX
// multiplies by 1/n where the others divide, and rounds its own exp and log),
// one value stands for all three within beNear's tolerance.

// newLoss builds a loss class with the given reduction on backend b.
func newLoss(class string, b backend.Backend, reduction any) losses.Loss {
	l, err := losses.FromConfig(class, map[string]any{"reduction": reduction}, b)
	Expect(err).NotTo(HaveOccurred())
	return l
}

// values returns what a Call gives, failing the spec on an error.
func values(t tensor.Tensor, err error) []float64 {
	ExpectWithOffset(1, err).NotTo(HaveOccurred())
	return t.Data
}

var _ = Describe("the regression, hinge and probabilistic loss classes", func() {
	It("have Keras's defaults", func() {
		Expect(losses.NewMeanSquaredError().Base).To(Equal(losses.Base{
			Reduction: losses.ReductionSumOverBatchSize, Name: "mean_squared_error", DType: tensor.Float32}))
		Expect(losses.NewHuber().Name).To(Equal("huber_loss"))
		Expect(losses.NewHuber().Delta).To(Equal(1.0))
		Expect(losses.NewCosineSimilarity().Axis).To(Equal(-1))
		for name, l := range map[string]losses.Base{
			"mean_absolute_error":            losses.NewMeanAbsoluteError().Base,
			"mean_absolute_percentage_error": losses.NewMeanAbsolutePercentageError().Base,
			"mean_squared_logarithmic_error": losses.NewMeanSquaredLogarithmicError().Base,
			"cosine_similarity":              losses.NewCosineSimilarity().Base,
			"log_cosh":                       losses.NewLogCosh().Base,
			"hinge":                          losses.NewHinge().Base,
			"squared_hinge":                  losses.NewSquaredHinge().Base,
			"categorical_hinge":              losses.NewCategoricalHinge().Base,
			"kl_divergence":                  losses.NewKLDivergence().Base,
			"poisson":                        losses.NewPoisson().Base,
		} {
			Expect(l).To(Equal(losses.Base{Reduction: losses.ReductionSumOverBatchSize, Name: name, DType: tensor.Float32}))
		}
	})

	Describe("docstring examples", func() {
		for _, b := range backends {
			It("match Keras on "+b.String(), func() {
				mse := losses.NewMeanSquaredError()
				mse.Backend = b
				Expect(mse.Call(f32([]int{3}, 1, 0, 1), f32([]int{3}, 0.9, 0.1, 0.8), nil)).To(valuesNear(0.020000001415610313))
				mae := losses.NewMeanAbsoluteError()
				mae.Backend = b
				Expect(mae.Call(f32([]int{3}, 1, 0.3, 1), f32([]int{3}, 1.9, 0.3, 1.8), nil)).To(valuesNear(0.5666666626930237))
				mape := losses.NewMeanAbsolutePercentageError()
				mape.Backend = b
				Expect(mape.Call(f32([]int{3}, 100, 200, 300), f32([]int{3}, 90, 210, 310), nil)).To(valuesNear(6.111111164093018))

				yt, yp := f32([]int{3, 2}, 0, 1, 1, 1, 1, 1), f32([]int{3, 2}, 1, 0, 1, 1, -1, -1)
				cos, err := losses.CosineSimilarityFunc{Axis: -1}.Values(b, yt, yp)
				Expect(err).NotTo(HaveOccurred())
				Expect(cos.Data).To(HaveExactElements(math.Copysign(0, -1), beNear(-0.9999999403953552), beNear(0.9999999403953552)))
				Expect(math.Signbit(cos.Data[0])).To(BeTrue())
				cl := losses.NewCosineSimilarity()
				cl.Backend = b
				Expect(cl.Call(yt, yp, nil)).To(valuesNear(0))

				yt, yp = f32([]int{2, 2}, 0, 1, 0, 0), f32([]int{2, 2}, 0.6, 0.4, 0.4, 0.6)
				Expect(losses.NewHuberFunc().Values(b, yt, yp)).To(valuesNear(0.18000000715255737, 0.1300000101327896))
				h := losses.NewHuber()
				h.Backend = b
				Expect(h.Call(yt, yp, nil)).To(valuesNear(0.1550000011920929))

				yt, yp = f32([]int{2, 2}, 0, 1, 0, 0), f32([]int{2, 2}, 1, 1, 0, 0)
				Expect(losses.NewLogCoshFunc().Values(b, yt, yp)).To(valuesNear(0.2168903946876526, 0))
				lc := losses.NewLogCosh()
				lc.Backend = b
				Expect(lc.Call(yt, yp, nil)).To(valuesNear(0.1084451973438263))
			})
		}
	})

	// Every reduction, without and with a per-sample weight of [0.3, 0.7],
	// on y_true [[0,1,0],[1,0,1]] and y_pred [[0.6,0.4,-0.3],[1.5,-0.2,0.7]]
	// (Poisson: y_true [[0,1,2],[3,1,0]], y_pred [[0.5,1,1.5],[2.5,0.5,0.1]]).
	type reductions struct {
		none, noneW                         [2]float64
		sum, sumW, sobs, sobsW, mwsw, mwswW float64
	}
	DescribeTable("reduce as Keras does",
		func(class string, want reductions) {
			yTrue, yPred := f32([]int{2, 3}, 0, 1, 0, 1, 0, 1), f32([]int{2, 3}, 0.6, 0.4, -0.3, 1.5, -0.2, 0.7)
			if class == "Poisson" {
				yTrue, yPred = f32([]int{2, 3}, 0, 1, 2, 3, 1, 0), f32([]int{2, 3}, 0.5, 1, 1.5, 2.5, 0.5, 0.1)
			}
			w := ptr(f32([]int{2}, 0.3, 0.7))
			for _, b := range backends {
				By(b.String())
				for _, c := range []struct {
					reduction any
					w         *tensor.Tensor
					want      []float64
				}{
					{nil, nil, want.none[:]},
					{nil, w, want.noneW[:]},
					{"sum", nil, []float64{want.sum}},
					{"sum", w, []float64{want.sumW}},
					{"sum_over_batch_size", nil, []float64{want.sobs}},
					{"sum_over_batch_size", w, []float64{want.sobsW}},
					{"mean", w, []float64{want.sobsW}},
					{"mean_with_sample_weight", nil, []float64{want.mwsw}},
					{"mean_with_sample_weight", w, []float64{want.mwswW}},
				} {
					got, err := newLoss(class, b, c.reduction).Call(yTrue, yPred, c.w)
					Expect(err).NotTo(HaveOccurred())
					Expect(got.DType).To(Equal(tensor.Float32))
					Expect(got).To(valuesNear(c.want...), "reduction %v, weighted %v", c.reduction, c.w != nil)
				}
			}
		},
		Entry(nil, "MeanSquaredError", reductions{[2]float64{0.27000001072883606, 0.12666666507720947},
			[2]float64{0.08100000768899918, 0.08866666257381439}, 0.39666667580604553, 0.16966667771339417,
			0.19833333790302277, 0.08483333885669708, 0.19833333790302277, 0.16966667771339417}),
		Entry(nil, "MeanAbsoluteError", reductions{[2]float64{0.5, 0.3333333432674408},
			[2]float64{0.15000000596046448, 0.23333333432674408}, 0.8333333730697632, 0.38333332538604736,
			0.4166666865348816, 0.19166666269302368, 0.4166666865348816, 0.38333332538604736}),
		Entry(nil, "MeanAbsolutePercentageError", reductions{[2]float64{300000000, 66666692},
			[2]float64{90000000, 46666684}, 366666688, 136666688, 183333344, 68333344, 183333344, 136666688}),
		Entry(nil, "MeanSquaredLogarithmicError", reductions{[2]float64{0.11604011058807373, 0.02540181763470173},
			[2]float64{0.03481203317642212, 0.017781272530555725}, 0.1414419263601303, 0.052593305706977844,
			0.07072096318006516, 0.026296652853488922, 0.07072096318006516, 0.052593305706977844}),
		Entry(nil, "CosineSimilarity", reductions{[2]float64{-0.5121474862098694, -0.9330077767372131},
			[2]float64{-0.15364424884319305, -0.6531054377555847}, -1.4451552629470825, -0.806749701499939,
			-0.7225776314735413, -0.4033748507499695, -0.7225776314735413, -0.806749701499939}),
		Entry(nil, "Huber", reductions{[2]float64{0.13500000536441803, 0.06333333253860474},
			[2]float64{0.04050000384449959, 0.044333331286907196}, 0.19833333790302277, 0.08483333885669708,
			0.09916666895151138, 0.04241666942834854, 0.09916666895151138, 0.08483333885669708}),
		Entry(nil, "LogCosh", reductions{[2]float64{0.12820376455783844, 0.061441123485565186},
			[2]float64{0.03846113011240959, 0.04300878569483757}, 0.18964488804340363, 0.08146991580724716,
			0.09482244402170181, 0.04073495790362358, 0.09482244402170181, 0.08146991580724716}),
		Entry(nil, "Hinge", reductions{[2]float64{0.9666666984558105, 0.36666667461395264},
			[2]float64{0.2900000214576721, 0.2566666603088379}, 1.3333333730697632, 0.54666668176651,
			0.6666666865348816, 0.273333340883255, 0.6666666865348816, 0.54666668176651}),
		Entry(nil, "SquaredHinge", reductions{[2]float64{1.1366666555404663, 0.2433333396911621},
			[2]float64{0.3410000205039978, 0.17033334076404572}, 1.3799999952316284, 0.5113333463668823,
			0.6899999976158142, 0.25566667318344116, 0.6899999976158142, 0.5113333463668823}),
		Entry(nil, "CategoricalHinge", reductions{[2]float64{1.2000000476837158, 0},
			[2]float64{0.36000001430511475, 0}, 1.2000000476837158, 0.36000001430511475,
			0.6000000238418579, 0.18000000715255737, 0.6000000238418579, 0.36000001430511475}),
		Entry(nil, "KLDivergence", reductions{[2]float64{0.916289210319519, 0.3566749691963196},
			[2]float64{0.2748867869377136, 0.24967247247695923}, 1.2729642391204834, 0.5245592594146729,
			0.6364821195602417, 0.2622796297073364, 0.6364821195602417, 0.5245592594146729}),
		Entry(nil, "Poisson", reductions{[2]float64{0.7296898365020752, 0.34809157252311707},
			[2]float64{0.2189069539308548, 0.24366410076618195}, 1.0777814388275146, 0.46257105469703674,
			0.5388907194137573, 0.23128552734851837, 0.5388907194137573, 0.46257105469703674}),
	)

	It("expand the per-sample loss to (B, 1) for a (B, 1) weight with reduction None", func() {
		got, err := newLoss("MeanSquaredError", backend.NumPy, nil).Call(
			f32([]int{2, 3}, 0, 1, 0, 1, 0, 1), f32([]int{2, 3}, 0.6, 0.4, -0.3, 1.5, -0.2, 0.7), ptr(f32([]int{2, 1}, 0.3, 0.7)))
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Shape).To(Equal([]int{2, 1}))
		Expect(got).To(valuesNear(0.08100000768899918, 0.08866666257381439))
	})

	It("compute a float64 loss in float32 on NumPy and JAX and in float64 on TensorFlow", func() {
		yTrue, yPred := f32([]int{1, 2}, 0, 1), f32([]int{1, 2}, 0.1, 0.7)
		for b, want := range map[backend.Backend]struct {
			none, mean tensor.DType
			v          float64
		}{
			backend.NumPy:      {tensor.Float64, tensor.Float32, 0.05000000074505806},
			backend.JAX:        {tensor.Float32, tensor.Float32, 0.05000000074505806},
			backend.TensorFlow: {tensor.Float64, tensor.Float64, 0.05000000372529037},
		} {
			l, err := losses.FromConfig("MeanSquaredError", map[string]any{"dtype": "float64", "reduction": nil}, b)
			Expect(err).NotTo(HaveOccurred())
			got, err := l.Call(yTrue, yPred, nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(got.DType).To(Equal(want.none), b.String())
			Expect(got.Data).To(Equal([]float64{want.v}), b.String())
			l, err = losses.FromConfig("MeanSquaredError", map[string]any{"dtype": "float64"}, b)
			Expect(err).NotTo(HaveOccurred())
			got, err = l.Call(yTrue, yPred, nil)
			Expect(err).NotTo(HaveOccurred())
			Expect(got.DType).To(Equal(want.mean), b.String())
			Expect(got.Data).To(Equal([]float64{want.v}), b.String())
		}
	})

	It("give bit-identical results with one worker and with many", func() {
		DeferCleanup(func() { parallel.Workers = 0 })
		const rows, cols = 1024, 128 // above the parallel threshold
		yTrue, yPred := tensor.Zeros(tensor.Float32, rows, cols), tensor.Zeros(tensor.Float32, rows, cols)
		for i := range yTrue.Data {
			yTrue.Data[i] = float64(i % 2)
			yPred.Data[i] = tensor.Float32.Round(float64((i*7)%97+1) / 97)
		}
		run := func(workers int) [][]float64 {
			parallel.Workers = workers
			var out [][]float64
			for _, b := range backends {
				for _, class := range []string{"MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
					"MeanSquaredLogarithmicError", "CosineSimilarity", "Huber", "LogCosh", "Hinge", "SquaredHinge",
					"CategoricalHinge", "KLDivergence", "Poisson"} {
					out = append(out, values(newLoss(class, b, nil).Call(yTrue, yPred, nil)))
				}
			}
			return out
		}
		one := run(1)
		Expect(run(4)).To(Equal(one))
		Expect(run(7)).To(Equal(one))
	})
})

var _ = Describe("the regression, hinge and probabilistic functions", func() {
	yTrue, yPred := f32([]int{2, 3}, 0, 1, 0, 1, 0, 1), f32([]int{2, 3}, 0.6, 0.4, -0.3, 1.5, -0.2, 0.7)

	Describe("hinge labels", func() {
		It("convert 0/1 labels to -1/1 when every label is 0 or 1", func() {
			pm := f32([]int{2, 3}, -1, 1, -1, 1, -1, 1)
			for _, b := range backends {
				Expect(losses.NewHingeFunc().Values(b, yTrue, yPred)).To(valuesNear(0.9666666984558105, 0.36666667461395264))
				Expect(losses.NewHingeFunc().Values(b, pm, yPred)).To(valuesNear(0.9666666984558105, 0.36666667461395264))
			}
		})

		It("keep mixed labels, zeros included, as they are", func() {
			mixed := f32([]int{2, 3}, -1, 0, 1, 1, 0, -1)
			for _, b := range backends {
				Expect(losses.NewHingeFunc().Values(b, mixed, yPred)).To(valuesNear(1.2999999523162842, 0.9000000357627869))
				Expect(losses.NewSquaredHingeFunc().Values(b, mixed, yPred)).To(valuesNear(1.75, 1.2966667413711548))
				Expect(losses.NewCategoricalHingeFunc().Values(b, mixed, yPred)).To(valuesNear(3.1000001430511475, 1.5999999046325684))
			}
		})

		It("treat a NaN label as neither 0 nor 1, and -0 as 0", func() {
			p := f32([]int{2, 2}, 0.5, 0.5, 0.5, 0.5)
			for _, b := range backends {
				got := values(losses.NewHingeFunc().Values(b, f32([]int{2, 2}, 0, 1, math.NaN(), 0), p))
				Expect(got[0]).To(Equal(0.75))
				Expect(math.IsNaN(got[1])).To(BeTrue())
				Expect(losses.NewHingeFunc().Values(b, f32([]int{2, 2}, 0, 1, math.Copysign(0, -1), 0), p)).To(valuesNear(1, 1.5))
			}
		})

		It("look at every label of a large tensor, whatever the number of workers", func() {
			DeferCleanup(func() { parallel.Workers = 0 })
			const rows, cols = 1024, 128 // above the parallel threshold
			yt, yp := tensor.Zeros(tensor.Float32, rows, cols), tensor.Zeros(tensor.Float32, rows, cols)
			for i := range yt.Data {
				yt.Data[i] = float64(i % 2)
				yp.Data[i] = tensor.Float32.Round(float64(i%7)/7 - 0.5)
			}
			yt.Data[len(yt.Data)-1] = 0.5 // one label that is neither 0 nor 1: no conversion anywhere
			small := tensor.Tensor{Shape: []int{2, cols}, DType: tensor.Float32,
				Data: append(append([]float64{}, yt.Data[:cols]...), yt.Data[len(yt.Data)-cols:]...)}
			smallP := tensor.Tensor{Shape: []int{2, cols}, DType: tensor.Float32,
				Data: append(append([]float64{}, yp.Data[:cols]...), yp.Data[len(yp.Data)-cols:]...)}
			want := values(losses.NewHingeFunc().Values(backend.JAX, small, smallP))
			for _, w := range []int{1, 4} {
				parallel.Workers = w
				got := values(losses.NewHingeFunc().Values(backend.JAX, yt, yp))
				Expect(got[0]).To(Equal(want[0]))
				Expect(got[rows-1]).To(Equal(want[1]))
			}
		})

		It("broadcast (B,) labels against (B, 1) predictions, as the function does not align ranks", func() {
			got, err := losses.NewHingeFunc().Values(backend.NumPy, f32([]int{3}, 1, 0, 1), f32([]int{3, 1}, 0.5, -0.5, 2))
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Shape).To(Equal([]int{3}))
			Expect(got).To(valuesNear(0.8333333134651184, 1.1666666269302368, 1))
		})
	})

	It("align (B,) labels with (B, 1) predictions in the functions that align", func() {
		for _, b := range backends {
			got, err := losses.NewMeanSquaredErrorFunc().Values(b, f32([]int{3}, 1, 2, 3), f32([]int{3, 1}, 1.5, 2, 2))
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Shape).To(Equal([]int{3}))
			Expect(got).To(valuesNear(0.25, 0, 1))
		}
	})

	It("let KL divergence go slightly negative for zero labels", func() {
		for _, b := range backends {
			Expect(losses.NewKLDivergenceFunc().Values(b, f32([]int{1, 2}, 0, 0), f32([]int{1, 2}, 0.4, 0.6))).
				To(valuesNear(-3.080907390540233e-06))
			Expect(losses.NewKLDivergenceFunc().Values(b, f32([]int{2, 3}, 0, 1, 0, 0.2, 0.3, 0.5),
				f32([]int{2, 3}, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4))).To(valuesNear(0.22314077615737915, 0.030478738248348236))
		}
	})

	It("give NaN for a negative Poisson prediction and guard its log with +ε", func() {
		for _, b := range backends {
			got, err := losses.NewPoissonFunc().Values(b, f32([]int{1, 2}, 1, 1), f32([]int{1, 2}, -0.5, 1))
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Data[0]).To(Satisfy(math.IsNaN))
			Expect(losses.NewPoissonFunc().Values(b, f32([]int{2, 3}, 0, 1, 2, 3, 1, 0),
				f32([]int{2, 3}, 0.5, 1, 1.5, 2.5, 0.5, 0.1))).To(valuesNear(0.7296898365020752, 0.34809157252311707))
		}
	})

	It("replace zeros and negatives by ε in MSLE and guard MAPE with max(|t|, ε)", func() {
		for _, b := range backends {
			Expect(losses.NewMeanSquaredLogarithmicErrorFunc().Values(b, f32([]int{2, 3}, 0, 1, 2, 3, -1, 0),
				f32([]int{2, 3}, 0.5, 1, 1.5, 2.5, 0.5, -0.1))).To(valuesNear(0.06588099151849747, 0.06074415147304535))
			Expect(losses.NewMeanAbsolutePercentageErrorFunc().Values(b, f32([]int{1, 2}, 0, 1), f32([]int{1, 2}, 0.5, 1))).
				To(valuesNear(2.5e8))
		}
	})

	It("compute log cosh without overflow", func() {
		for _, b := range backends {
			Expect(losses.NewLogCoshFunc().Values(b, f32([]int{1, 2}, 0, 0), f32([]int{1, 2}, 100, -100))).
				To(valuesNear(99.30685424804688))
		}
	})

	It("switch Huber to its linear part beyond delta", func() {
		for _, b := range backends {
			Expect(losses.HuberFunc{Delta: 0.5}.Values(b, yTrue, yPred)).To(valuesNear(0.13166667520999908, 0.06333333253860474))
		}
	})

	Describe("cosine similarity", func() {
		It("reduces along a middle axis", func() {
			x := tensor.Zeros(tensor.Float32, 2, 3, 2)
			for i := range x.Data {
				x.Data[i] = float64(i - 5)
			}
			ones := tensor.Zeros(tensor.Float32, 2, 3, 2)
			for i := range ones.Data {
				ones.Data[i] = 1
			}
			for _, b := range backends {
				got, err := losses.CosineSimilarityFunc{Axis: 1}.Values(b, x, ones)
				Expect(err).NotTo(HaveOccurred())
				Expect(got.Shape).To(Equal([]int{2, 2}))
				Expect(got).To(valuesNear(0.878309965133667, 0.7745966911315918, -0.878309965133667, -0.9258200526237488))
			}
		})

		It("on NumPy normalises along axis 0 but divides at axis -1 (Keras's `axis or -1`)", func() {
			yt, yp := f32([]int{2, 2}, 1, 2, 3, 1), f32([]int{2, 2}, 2, 1, 1, 1)
			Expect(losses.CosineSimilarityFunc{Axis: 0}.Values(backend.NumPy, yt, yp)).
				To(valuesNear(-1.2315258979797363, -0.5990704298019409))
			for _, b := range []backend.Backend{backend.JAX, backend.TensorFlow} {
				Expect(losses.CosineSimilarityFunc{Axis: 0}.Values(b, yt, yp)).To(valuesNear(-0.7071067094802856, -0.9486832618713379))
			}
			_, err := losses.CosineSimilarityFunc{Axis: 0}.Values(backend.NumPy, f32([]int{3, 2}, 1, 2, 3, 1, 1, 1), f32([]int{3, 2}, 2, 1, 1, 1, 2, 2))
			Expect(err).To(MatchError(tensor.ErrShape))
		})

		It("gives a rank-1 input a result of shape (1,) on NumPy and a scalar elsewhere", func() {
			want := map[backend.Backend][]int{backend.NumPy: {1}, backend.JAX: {}, backend.TensorFlow: {}}
			for b, shape := range want {
				got, err := losses.NewCosineSimilarityFunc().Values(b, f32([]int{2}, 1, 2), f32([]int{2}, 2, 1))
				Expect(err).NotTo(HaveOccurred())
				Expect(got.Shape).To(Equal(shape), b.String())
				Expect(got).To(valuesNear(-0.7999999523162842))
			}
		})

		It("gives a zero vector in float16 NaN on JAX and TensorFlow, where 1/ε overflows", func() {
			yt, _ := tensor.New(tensor.Float16, []int{2, 2}, []float64{0, 0, 1, 1})
			yp, _ := tensor.New(tensor.Float16, []int{2, 2}, []float64{2, 1, 1, 1})
			for _, b := range backends {
				got, err := losses.NewCosineSimilarityFunc().Values(b, yt, yp)
				Expect(err).NotTo(HaveOccurred())
				Expect(got.DType).To(Equal(tensor.Float16))
				Expect(got.Data[1]).To(Equal(-1.0))
				if b == backend.NumPy {
					Expect(got.Data[0]).To(Equal(0.0))
				} else {
					Expect(got.Data[0]).To(Satisfy(math.IsNaN))
				}
			}
		})
	})

	It("return float32 or float64 for bfloat16 inputs on NumPy where a Python float or NumPy promotes", func() {
		bf := func(data ...float64) tensor.Tensor {
			t, err := tensor.New(tensor.BFloat16, []int{1, 2}, data)
			Expect(err).NotTo(HaveOccurred())
			return t
		}
		check := func(f losses.Func, b backend.Backend, d tensor.DType, v float64) {
			got, err := f.Values(b, bf(1, 2), bf(1.5, 1))
			ExpectWithOffset(1, err).NotTo(HaveOccurred())
			ExpectWithOffset(1, got.DType).To(Equal(d), b.String())
			ExpectWithOffset(1, got.Data).To(Equal([]float64{v}), b.String())
		}
		check(losses.NewMeanAbsolutePercentageErrorFunc(), backend.NumPy, tensor.Float32, 50)
		check(losses.NewMeanAbsolutePercentageErrorFunc(), backend.JAX, tensor.BFloat16, 50)
		check(losses.NewCosineSimilarityFunc(), backend.NumPy, tensor.Float64, -0.8682431421244592)
		check(losses.NewCosineSimilarityFunc(), backend.TensorFlow, tensor.BFloat16, -0.8671875)
		hinge := func(b backend.Backend, d tensor.DType, v float64) {
			got, err := losses.NewHingeFunc().Values(b, bf(1, 0), bf(0.3, 0.7))
			Expect(err).NotTo(HaveOccurred())
			Expect(got.DType).To(Equal(d))
			Expect(got.Data).To(Equal([]float64{v}))
		}
		hinge(backend.NumPy, tensor.Float32, 1.19921875)
		hinge(backend.JAX, tensor.BFloat16, 1.203125)
	})

	It("compute MSLE of float16 in float32 on NumPy and TensorFlow, whose ε tensor is float32", func() {
		yt, _ := tensor.New(tensor.Float16, []int{1, 2}, []float64{1, 2})
		yp, _ := tensor.New(tensor.Float16, []int{1, 2}, []float64{1.5, 1})
		for b, want := range map[backend.Backend]struct {
			d tensor.DType
			v float64
		}{
			backend.NumPy:      {tensor.Float32, 0.10709750652313232},
			backend.TensorFlow: {tensor.Float32, 0.10709750652313232},
			backend.JAX:        {tensor.Float16, 0.1070556640625},
		} {
			got, err := losses.NewMeanSquaredLogarithmicErrorFunc().Values(b, yt, yp)
			Expect(err).NotTo(HaveOccurred())
			Expect(got.DType).To(Equal(want.d), b.String())
			Expect(got).To(valuesNear(want.v), b.String())
		}
	})

	Describe("errors", func() {
		It("refuse shapes that do not broadcast, naming both", func() {
			for _, f := range []losses.Func{losses.NewMeanSquaredErrorFunc(), losses.NewHingeFunc(), losses.NewKLDivergenceFunc(),
				losses.NewCategoricalHingeFunc(), losses.NewCosineSimilarityFunc()} {
				_, err := f.Values(backend.JAX, f32([]int{2, 3}, 0, 1, 0, 1, 0, 1), f32([]int{2, 2}, 0, 1, 0, 1))
				Expect(err).To(MatchError(tensor.ErrShape))
				Expect(err).To(MatchError(ContainSubstring("[2 3]")))
				Expect(err).To(MatchError(ContainSubstring("[2 2]")))
			}
		})

		It("refuse scalars where the backend cannot reduce axis -1", func() {
			s := tensor.Scalar(tensor.Float32, 1)
			for _, f := range []losses.Func{losses.NewMeanSquaredErrorFunc(), losses.NewHingeFunc(), losses.NewPoissonFunc()} {
				for _, b := range backends {
					_, err := f.Values(b, s, s)
					Expect(err).To(MatchError(tensor.ErrShape))
				}
			}
			_, err := losses.NewKLDivergenceFunc().Values(backend.JAX, s, s)
			Expect(err).To(HaveOccurred())
			_, err = losses.NewCosineSimilarityFunc().Values(backend.NumPy, s, s)
			Expect(err).To(HaveOccurred())
		})

		It("accept scalars where the backend does", func() {
			t, p := tensor.Scalar(tensor.Float32, 1), tensor.Scalar(tensor.Float32, 0.5)
			got, err := losses.NewKLDivergenceFunc().Values(backend.NumPy, t, p)
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Shape).To(BeEmpty())
			Expect(got).To(valuesNear(0.6931472))
			Expect(losses.NewCategoricalHingeFunc().Values(backend.NumPy, t, p)).To(valuesNear(0.5))
			Expect(losses.NewCosineSimilarityFunc().Values(backend.TensorFlow, t, p)).To(valuesNear(-1))
		})

		It("refuse the categorical hinge of an empty tensor on TensorFlow only", func() {
			empty := tensor.Zeros(tensor.Float32, 0, 3)
			for _, b := range []backend.Backend{backend.NumPy, backend.JAX} {
				got, err := losses.NewCategoricalHingeFunc().Values(b, empty, empty)
				Expect(err).NotTo(HaveOccurred())
				Expect(got.Shape).To(Equal([]int{0}))
			}
			_, err := losses.NewCategoricalHingeFunc().Values(backend.TensorFlow, empty, empty)
			Expect(err).To(MatchError(ContainSubstring("empty")))
			_, err = losses.NewCategoricalHingeFunc().Values(backend.NumPy, tensor.Zeros(tensor.Float32, 2, 0), tensor.Zeros(tensor.Float32, 2, 0))
			Expect(err).To(HaveOccurred())
		})

		It("say integer predictions are not implemented", func() {
			p, _ := tensor.New(tensor.Int32, []int{1, 2}, []float64{1, 2})
			_, err := losses.NewMeanSquaredErrorFunc().Values(backend.NumPy, p, p)
			Expect(err).To(MatchError(tensor.ErrNotImplemented))
		})

		It("refuse malformed tensors instead of panicking", func() {
			bad := tensor.Tensor{Shape: []int{2, 3}, Data: []float64{1}}
			for _, class := range []string{"MeanSquaredError", "CosineSimilarity", "Hinge", "CategoricalHinge", "KLDivergence"} {
				_, err := newLoss(class, backend.TensorFlow, "sum").Call(bad, yPred, nil)
				Expect(err).To(MatchError(ContainSubstring("y_true")))
				_, err = newLoss(class, backend.TensorFlow, "sum").Call(yTrue, bad, nil)
				Expect(err).To(MatchError(ContainSubstring("y_pred")))
				_, err = newLoss(class, backend.TensorFlow, "sum").Call(yTrue, yPred, &bad)
				Expect(err).To(MatchError(ContainSubstring("sample_weight")))
			}
		})

		It("refuse a cosine axis out of range", func() {
			_, err := losses.CosineSimilarityFunc{Axis: 2}.Values(backend.JAX, yTrue, yPred)
			Expect(err).To(MatchError(ContainSubstring("axis 2")))
			_, err = losses.CosineSimilarityFunc{Axis: -3}.Values(backend.NumPy, yTrue, yPred)
			Expect(err).To(MatchError(ContainSubstring("axis -3")))
		})
	})

	It("are built from keyword arguments", func() {
		fn, err := losses.FuncFromConfig("huber", map[string]any{"delta": 2.0})
		Expect(err).NotTo(HaveOccurred())
		Expect(fn).To(Equal(losses.HuberFunc{Delta: 2}))
		fn, err = losses.FuncFromConfig("cosine_similarity", map[string]any{"axis": 1.0})
		Expect(err).NotTo(HaveOccurred())
		Expect(fn).To(Equal(losses.CosineSimilarityFunc{Axis: 1}))
		_, err = losses.FuncFromConfig("hinge", map[string]any{"axis": -1.0})
		Expect(err).To(MatchError(ContainSubstring(`unexpected keyword argument "axis"`)))
		_, err = losses.FuncFromConfig("huber", map[string]any{"delta": "1"})
		Expect(err).To(MatchError(ContainSubstring("delta=1")))
	})
})

var _ = Describe("FromConfig for the regression family", func() {
	It("builds each class with its arguments", func() {
		l, err := losses.FromConfig("Huber", map[string]any{"delta": 0.5, "name": "h", "reduction": "sum", "dtype": "float16"}, backend.JAX)
		Expect(err).NotTo(HaveOccurred())
		Expect(l).To(Equal(&losses.Huber{HuberFunc: losses.HuberFunc{Delta: 0.5},
			Base: losses.Base{Reduction: losses.ReductionSum, Name: "h", DType: tensor.Float16, Backend: backend.JAX}}))
		l, err = losses.FromConfig("CosineSimilarity", map[string]any{"axis": 1.0}, backend.NumPy)
		Expect(err).NotTo(HaveOccurred())
		Expect(l.(*losses.CosineSimilarity).Axis).To(Equal(1))
		_, err = losses.FromConfig("Hinge", map[string]any{"delta": 1.0}, backend.NumPy)
		Expect(err).To(MatchError(ContainSubstring(`unexpected keyword argument "delta"`)))
	})
})

var _ = Describe("DefaultConfig", func() {
	// Keras 3.15.1's constructor signatures (inspect.signature).
	DescribeTable("gives Keras's constructor defaults",
		func(class string, want map[string]any) {
			got, err := losses.DefaultConfig(class)
			Expect(err).NotTo(HaveOccurred())
			Expect(got).To(Equal(want))
		},
		Entry(nil, "MeanSquaredError", map[string]any{"reduction": "sum_over_batch_size", "name": "mean_squared_error", "dtype": nil}),
		Entry(nil, "Huber", map[string]any{"delta": 1.0, "reduction": "sum_over_batch_size", "name": "huber_loss", "dtype": nil}),
		Entry(nil, "CosineSimilarity", map[string]any{"axis": -1.0, "reduction": "sum_over_batch_size", "name": "cosine_similarity", "dtype": nil}),
		Entry(nil, "LogCosh", map[string]any{"reduction": "sum_over_batch_size", "name": "log_cosh", "dtype": nil}),
		Entry(nil, "KLDivergence", map[string]any{"reduction": "sum_over_batch_size", "name": "kl_divergence", "dtype": nil}),
		Entry(nil, "BinaryFocalCrossentropy", map[string]any{"apply_class_balancing": false, "alpha": 0.25, "gamma": 2.0,
			"from_logits": false, "label_smoothing": 0.0, "axis": -1.0, "reduction": "sum_over_batch_size",
			"name": "binary_focal_crossentropy", "dtype": nil}),
		Entry(nil, "CategoricalFocalCrossentropy", map[string]any{"alpha": 0.25, "gamma": 2.0, "from_logits": false,
			"label_smoothing": 0.0, "axis": -1.0, "reduction": "sum_over_batch_size",
			"name": "categorical_focal_crossentropy", "dtype": nil}),
		Entry(nil, "SparseCategoricalCrossentropy", map[string]any{"from_logits": false, "ignore_class": nil,
			"reduction": "sum_over_batch_size", "axis": -1.0, "name": "sparse_categorical_crossentropy", "dtype": nil}),
	)

	It("covers every class FromConfig knows, and FromConfig takes it back", func() {
		Expect(losses.Classes()).To(ContainElements("BinaryCrossentropy", "MeanSquaredError", "Poisson"))
		for _, class := range losses.Classes() {
			cfg, err := losses.DefaultConfig(class)
			Expect(err).NotTo(HaveOccurred(), class)
			Expect(cfg).To(HaveKey("name"), class)
			Expect(cfg).To(HaveKeyWithValue("reduction", "sum_over_batch_size"), class)
			Expect(cfg).To(HaveKeyWithValue("dtype", BeNil()), class)
			_, err = losses.FromConfig(class, cfg, backend.TensorFlow)
			Expect(err).NotTo(HaveOccurred(), class)
		}
	})

	It("says a class it does not know is not implemented", func() {
		_, err := losses.DefaultConfig("NoSuchLoss")
		Expect(err).To(MatchError(tensor.ErrNotImplemented))
	})
})
