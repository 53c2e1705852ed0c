package metrics_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/metrics"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

var _ = Describe("Mean and Sum built from a config", func() {
	values := f32([]int{4}, 1, 3, 5, 7)
	w := f32([]int{4}, 1, 1, 0, 0)

	It("take their values from y_pred and reproduce the docstring examples", func() {
		none := tensor.Tensor{}
		expectStream("Mean", nil, []float64{4, 0, 2}, upd{yTrue: none, yPred: values}, reset, upd{yTrue: none, yPred: values, w: &w})
		expectStream("Sum", nil, []float64{16, 0, 4}, upd{yTrue: none, yPred: values}, reset, upd{yTrue: none, yPred: values, w: &w})
	})

	It("honour a mask on the values only when a weight is given", func() {
		v := f32([]int{4}, 1, 2, 3, 4)
		v.Mask = &tensor.Tensor{Shape: []int{4}, DType: tensor.Bool, Data: []float64{1, 0, 1, 1}}
		m := metrics.NewMean()
		Expect(m.UpdateState(v, nil)).To(Succeed())
		Expect(m.Result()).To(valuesNear(2.5))
		m.ResetState()
		Expect(m.UpdateState(v, ptr(f32([]int{4}, 1, 1, 1, 1)))).To(Succeed())
		Expect(m.Result()).To(valuesNear(2.6666667461395264))
		s := metrics.NewSum()
		Expect(s.UpdateState(v, nil)).To(Succeed())
		Expect(s.Result()).To(valuesNear(10))
		s.ResetState()
		Expect(s.UpdateState(v, ptr(f32([]int{4}, 1, 2, 1, 1)))).To(Succeed())
		Expect(s.Result()).To(valuesNear(8))
	})

	It("applies a mask on y_pred in a wrapper metric, weighted or not", func() {
		p := f32([]int{3, 2}, 1, 2, 3, 4, 0, 0)
		p.Mask = &tensor.Tensor{Shape: []int{3}, DType: tensor.Bool, Data: []float64{1, 0, 1}}
		m := metrics.NewMeanSquaredError()
		Expect(m.UpdateState(tensor.Zeros(tensor.Float32, 3, 2), p, nil)).To(Succeed())
		Expect(m.Result()).To(valuesNear(1.25))
	})

	It("rounds a float64 Sum to float32 on every update on NumPy, not on TensorFlow", func() {
		// Variable + value is an ops.add, which narrows float64 on NumPy.
		third := f64([]int{1}, 1.0/3)
		for b, want := range map[backend.Backend]float64{backend.NumPy: float64(float32(1.0 / 3)), backend.TensorFlow: 1.0 / 3} {
			m := build("Sum", map[string]any{"dtype": "float64"}, b)
			Expect(m.UpdateState(tensor.Tensor{}, third, nil)).To(Succeed())
			Expect(m.Result().Data).To(Equal([]float64{want}), b.String())
			Expect(m.Result().DType).To(Equal(tensor.Float64))
		}
	})
})

var _ = Describe("MeanMetricWrapper", func() {
	fn := func(name string) map[string]any {
		return map[string]any{"module": "builtins", "class_name": "function", "config": name, "registered_name": "function"}
	}

	It("builds from get_config's form: fn serialised by name, its keyword arguments beside", func() {
		m, err := metrics.FromConfig("MeanMetricWrapper", map[string]any{
			"name": "acc", "dtype": "float32", "fn": fn("binary_accuracy"), "threshold": 0.3,
		}, backend.JAX)
		Expect(err).NotTo(HaveOccurred())
		Expect(m.UpdateState(f32([]int{4}, 1, 0, 1, 0), f32([]int{4}, 0.31, 0.3, 0.2, 0.9), nil)).To(Succeed())
		Expect(m.Result()).To(valuesNear(0.5))
	})

	It("wraps loss functions too, and the metric functions by their Keras names", func() {
		for _, name := range []string{"mean_squared_error", "binary_crossentropy", "accuracy", "categorical_accuracy",
			"sparse_categorical_accuracy", "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy",
			"pearson_correlation", "concordance_correlation", "huber", "log_cosh", "kl_divergence"} {
			_, err := metrics.FromConfig("MeanMetricWrapper", map[string]any{"fn": name}, backend.NumPy)
			Expect(err).NotTo(HaveOccurred(), name)
		}
		m := build("MeanMetricWrapper", map[string]any{"fn": fn("huber"), "delta": 0.5}, backend.TensorFlow)
		Expect(m.UpdateState(f32([]int{1, 2}, 0, 0), f32([]int{1, 2}, 2, 0.25), nil)).To(Succeed())
		Expect(m.Result()).To(valuesNear((0.5*(2-0.25) + 0.5*0.25*0.25) / 2))
	})

	It("refuses a missing fn, an unknown function and an argument the function lacks", func() {
		_, err := metrics.FromConfig("MeanMetricWrapper", map[string]any{"name": "x"}, backend.NumPy)
		Expect(err).To(MatchError(ContainSubstring("fn")))
		_, err = metrics.FromConfig("MeanMetricWrapper", map[string]any{"fn": "no_such_fn"}, backend.NumPy)
		Expect(err).To(MatchError(tensor.ErrNotImplemented))
		_, err = metrics.FromConfig("MeanMetricWrapper", map[string]any{"fn": fn("accuracy"), "k": 3.0}, backend.NumPy)
		Expect(err).To(MatchError(ContainSubstring(`unexpected keyword argument "k"`)))
		_, err = metrics.FromConfig("MeanMetricWrapper", map[string]any{"fn": map[string]any{"class_name": "MeanSquaredError"}}, backend.NumPy)
		Expect(err).To(MatchError(tensor.ErrNotImplemented))
	})
})

var _ = Describe("the metric registry", func() {
	mine := []string{"Mean", "Sum", "MeanMetricWrapper", "Accuracy", "BinaryAccuracy", "CategoricalAccuracy",
		"SparseCategoricalAccuracy", "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy", "MeanSquaredError",
		"MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "RootMeanSquaredError",
		"LogCoshError", "CosineSimilarity", "Hinge", "SquaredHinge", "CategoricalHinge", "KLDivergence", "Poisson",
		"PearsonCorrelation", "ConcordanceCorrelation", "F1Score", "FBetaScore", "R2Score",
		"BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy"}

	It("builds every class from its default config, on every backend", func() {
		for _, class := range mine {
			cfg, err := metrics.DefaultConfig(class)
			Expect(err).NotTo(HaveOccurred(), class)
			if class == "MeanMetricWrapper" {
				cfg["fn"] = "mean_squared_error"
			}
			for _, b := range allBackends {
				_, err := metrics.FromConfig(class, cfg, b)
				Expect(err).NotTo(HaveOccurred(), "%s on %v", class, b)
			}
		}
	})

	It("gives Keras 3.15.1's constructor defaults as decoded JSON gives them", func() {
		Expect(metrics.DefaultConfig("SparseTopKCategoricalAccuracy")).To(Equal(map[string]any{
			"k": 5.0, "name": "sparse_top_k_categorical_accuracy", "dtype": nil, "from_sorted_ids": false}))
		Expect(metrics.DefaultConfig("FBetaScore")).To(Equal(map[string]any{
			"average": nil, "beta": 1.0, "threshold": nil, "name": "fbeta_score", "dtype": nil}))
		Expect(metrics.DefaultConfig("R2Score")).To(Equal(map[string]any{
			"class_aggregation": "uniform_average", "num_regressors": 0.0, "name": "r2_score", "dtype": nil}))
		Expect(metrics.DefaultConfig("LogCoshError")).To(Equal(map[string]any{"name": "logcosh", "dtype": nil}))
		Expect(metrics.DefaultConfig("CosineSimilarity")).To(Equal(map[string]any{"name": "cosine_similarity", "dtype": nil, "axis": -1.0}))
		Expect(metrics.DefaultConfig("MeanMetricWrapper")).To(Equal(map[string]any{"name": nil, "dtype": nil}))
		Expect(metrics.DefaultConfig("BinaryCrossentropy")).To(Equal(map[string]any{
			"name": "binary_crossentropy", "dtype": nil, "from_logits": false, "label_smoothing": 0.0}))
	})

	It("says an unknown class is not implemented", func() {
		_, err := metrics.DefaultConfig("NoSuchMetric")
		Expect(err).To(MatchError(tensor.ErrNotImplemented))
	})

	It("lists every class it has", func() {
		Expect(metrics.Classes()).To(ContainElements(mine))
	})

	It("uses the config's name and dtype, keeping the default name for None", func() {
		m, err := metrics.FromConfig("R2Score", map[string]any{"name": nil, "dtype": "float64"}, backend.TensorFlow)
		Expect(err).NotTo(HaveOccurred())
		r := m.(*metrics.R2Score)
		Expect(r.Name).To(Equal("r2_score"))
		Expect(r.DType).To(Equal(tensor.Float64))
		m, err = metrics.FromConfig("Accuracy", map[string]any{"name": "acc", "dtype": map[string]any{
			"module": "keras", "class_name": "DTypePolicy", "config": map[string]any{"name": "mixed_float16"}}}, backend.JAX)
		Expect(err).NotTo(HaveOccurred())
		Expect(m.(*metrics.Accuracy).Name).To(Equal("acc"))
		Expect(m.(*metrics.Accuracy).DType).To(Equal(tensor.Float16))
	})

	It("refuses unknown keyword arguments and values of the wrong type", func() {
		_, err := metrics.FromConfig("TopKCategoricalAccuracy", map[string]any{"from_sorted_ids": true}, backend.NumPy)
		Expect(err).To(MatchError(ContainSubstring(`unexpected keyword argument "from_sorted_ids"`)))
		_, err = metrics.FromConfig("BinaryAccuracy", map[string]any{"threshold": "high"}, backend.NumPy)
		Expect(err).To(MatchError(ContainSubstring("threshold")))
		_, err = metrics.FromConfig("Mean", map[string]any{"dtype": "int32"}, backend.NumPy)
		Expect(err).To(MatchError(tensor.ErrNotImplemented))
	})
})
