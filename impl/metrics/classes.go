package metrics

import (
	"errors"

	"github.com/kerasparity/kerasparity/impl/internal/kwargs"
	"github.com/kerasparity/kerasparity/impl/losses"
)

// classes is the table of the metric classes the port has: FromConfig,
// DefaultConfig and Classes read it. The defaults come from the
// constructors, which each class's build binds onto.
var classes = map[string]class{
	// keras/src/metrics/reduction_metrics.py
	"Mean": {args: args("name", "dtype"), name: nameOf(NewMean),
		build: func(_ *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
			return &Values{&Mean{state: base}}, nil
		}},
	"Sum": {args: args("name", "dtype"), name: nameOf(NewSum),
		build: func(_ *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
			return &Values{&Sum{base}}, nil
		}},
	"MeanMetricWrapper": {args: args("name", "dtype"), name: "mean_metric_wrapper", nameNone: true,
		build: buildMeanMetricWrapper},

	// keras/src/metrics/accuracy_metrics.py
	"Accuracy": funcClass(NewAccuracy, "accuracy", nil,
		func(f losses.Func, m Mean) Metric { return &Accuracy{f.(AccuracyFunc), m} }),
	"BinaryAccuracy": funcClass(NewBinaryAccuracy, "binary_accuracy", args("threshold"),
		func(f losses.Func, m Mean) Metric { return &BinaryAccuracy{f.(BinaryAccuracyFunc), m} }),
	"CategoricalAccuracy": funcClass(NewCategoricalAccuracy, "categorical_accuracy", nil,
		func(f losses.Func, m Mean) Metric { return &CategoricalAccuracy{f.(CategoricalAccuracyFunc), m} }),
	"SparseCategoricalAccuracy": funcClass(NewSparseCategoricalAccuracy, "sparse_categorical_accuracy", nil,
		func(f losses.Func, m Mean) Metric {
			return &SparseCategoricalAccuracy{f.(SparseCategoricalAccuracyFunc), m}
		}),
	"TopKCategoricalAccuracy": funcClass(NewTopKCategoricalAccuracy, "top_k_categorical_accuracy", args("k"),
		func(f losses.Func, m Mean) Metric {
			return &TopKCategoricalAccuracy{f.(TopKCategoricalAccuracyFunc), m}
		}),
	"SparseTopKCategoricalAccuracy": funcClass(NewSparseTopKCategoricalAccuracy, "sparse_top_k_categorical_accuracy",
		args("k", "from_sorted_ids"), func(f losses.Func, m Mean) Metric {
			return &SparseTopKCategoricalAccuracy{f.(SparseTopKCategoricalAccuracyFunc), m}
		}),

	// keras/src/metrics/probabilistic_metrics.py: the constructors take
	// fewer arguments than the functions (the BinaryCrossentropy metric has
	// no axis).
	"BinaryCrossentropy": funcClass(NewBinaryCrossentropy, "binary_crossentropy", args("from_logits", "label_smoothing"),
		func(f losses.Func, m Mean) Metric { return &BinaryCrossentropy{f.(losses.BinaryCrossentropyFunc), m} }),
	"CategoricalCrossentropy": funcClass(NewCategoricalCrossentropy, "categorical_crossentropy",
		args("from_logits", "label_smoothing", "axis"), func(f losses.Func, m Mean) Metric {
			return &CategoricalCrossentropy{f.(losses.CategoricalCrossentropyFunc), m}
		}),
	"SparseCategoricalCrossentropy": funcClass(NewSparseCategoricalCrossentropy, "sparse_categorical_crossentropy",
		args("from_logits", "ignore_class", "axis"), func(f losses.Func, m Mean) Metric {
			return &SparseCategoricalCrossentropy{f.(losses.SparseCategoricalCrossentropyFunc), m}
		}),
	"KLDivergence": funcClass(NewKLDivergence, "kl_divergence", nil,
		func(f losses.Func, m Mean) Metric { return &KLDivergence{f.(losses.KLDivergenceFunc), m} }),
	"Poisson": funcClass(NewPoisson, "poisson", nil,
		func(f losses.Func, m Mean) Metric { return &Poisson{f.(losses.PoissonFunc), m} }),

	// keras/src/metrics/hinge_metrics.py
	"Hinge": funcClass(NewHinge, "hinge", nil,
		func(f losses.Func, m Mean) Metric { return &Hinge{f.(losses.HingeFunc), m} }),
	"SquaredHinge": funcClass(NewSquaredHinge, "squared_hinge", nil,
		func(f losses.Func, m Mean) Metric { return &SquaredHinge{f.(losses.SquaredHingeFunc), m} }),
	"CategoricalHinge": funcClass(NewCategoricalHinge, "categorical_hinge", nil,
		func(f losses.Func, m Mean) Metric { return &CategoricalHinge{f.(losses.CategoricalHingeFunc), m} }),

	// keras/src/metrics/regression_metrics.py
	"MeanSquaredError": funcClass(NewMeanSquaredError, "mean_squared_error", nil,
		func(f losses.Func, m Mean) Metric { return &MeanSquaredError{f.(losses.MeanSquaredErrorFunc), m} }),
	"MeanAbsoluteError": funcClass(NewMeanAbsoluteError, "mean_absolute_error", nil,
		func(f losses.Func, m Mean) Metric { return &MeanAbsoluteError{f.(losses.MeanAbsoluteErrorFunc), m} }),
	"MeanAbsolutePercentageError": funcClass(NewMeanAbsolutePercentageError, "mean_absolute_percentage_error", nil,
		func(f losses.Func, m Mean) Metric {
			return &MeanAbsolutePercentageError{f.(losses.MeanAbsolutePercentageErrorFunc), m}
		}),
	"MeanSquaredLogarithmicError": funcClass(NewMeanSquaredLogarithmicError, "mean_squared_logarithmic_error", nil,
		func(f losses.Func, m Mean) Metric {
			return &MeanSquaredLogarithmicError{f.(losses.MeanSquaredLogarithmicErrorFunc), m}
		}),
	"LogCoshError": funcClass(NewLogCoshError, "log_cosh", nil,
		func(f losses.Func, m Mean) Metric { return &LogCoshError{f.(losses.LogCoshFunc), m} }),
	// The metric's cosine_similarity is not the loss function of that name
	// (which Keras would find for a MeanMetricWrapper's fn): it is bound
	// here, not listed in funcs.
	"CosineSimilarity": {args: args("name", "dtype", "axis"), name: nameOf(NewCosineSimilarity),
		build: func(d *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
			m := &CosineSimilarity{NewCosineSimilarityFunc(), Mean{state: base}}
			d.Int("axis", &m.Axis)
			return m, nil
		}},
	"RootMeanSquaredError": {args: args("name", "dtype"), name: nameOf(NewRootMeanSquaredError),
		build: func(_ *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
			return &RootMeanSquaredError{Mean{state: base}}, nil
		}},
	"R2Score": {args: args("class_aggregation", "num_regressors", "name", "dtype"), name: nameOf(NewR2Score), build: buildR2},

	// keras/src/metrics/correlation_metrics.py
	"PearsonCorrelation": funcClass(NewPearsonCorrelation, "pearson_correlation", args("axis"),
		func(f losses.Func, m Mean) Metric { return &PearsonCorrelation{f.(PearsonCorrelationFunc), m} }),
	"ConcordanceCorrelation": funcClass(NewConcordanceCorrelation, "concordance_correlation", args("axis"),
		func(f losses.Func, m Mean) Metric { return &ConcordanceCorrelation{f.(ConcordanceCorrelationFunc), m} }),

	// keras/src/metrics/f_score_metrics.py
	"FBetaScore": {args: args("average", "beta", "threshold", "name", "dtype"), name: nameOf(NewFBetaScore),
		build: func(d *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
			return buildFBeta(d, base, true)
		}},
	"F1Score": {args: args("average", "threshold", "name", "dtype"), name: nameOf(NewF1Score),
		build: func(d *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
			return buildFBeta(d, base, false)
		}},

	// keras/src/metrics/confusion_metrics.py. These constructors take name=None
	// and Keras names the metric after its class; their Go constructors need
	// arguments, so the names are written here (TestDefaultsAgree checks them
	// against the constructors).
	"TruePositives":  {args: args("thresholds", "name", "dtype"), name: "true_positives", nameNone: true, build: buildConditionCount(0)},
	"FalsePositives": {args: args("thresholds", "name", "dtype"), name: "false_positives", nameNone: true, build: buildConditionCount(1)},
	"TrueNegatives":  {args: args("thresholds", "name", "dtype"), name: "true_negatives", nameNone: true, build: buildConditionCount(2)},
	"FalseNegatives": {args: args("thresholds", "name", "dtype"), name: "false_negatives", nameNone: true, build: buildConditionCount(3)},
	"Precision": {args: args("thresholds", "top_k", "class_id", "name", "dtype"), name: "precision", nameNone: true,
		build: buildPrecisionRecall(false)},
	"Recall": {args: args("thresholds", "top_k", "class_id", "name", "dtype"), name: "recall", nameNone: true,
		build: buildPrecisionRecall(true)},
	"AUC": {args: args("num_thresholds", "curve", "summation_method", "name", "dtype", "thresholds", "multi_label",
		"num_labels", "label_weights", "from_logits"), name: "auc", nameNone: true, build: buildAUC},
	"SensitivityAtSpecificity": sensSpecEntry(0),
	"SpecificityAtSensitivity": sensSpecEntry(1),
	"PrecisionAtRecall":        sensSpecEntry(2),
	"RecallAtPrecision":        sensSpecEntry(3),

	// keras/src/metrics/iou_metrics.py: num_classes (and target_class_ids
	// for IoU and OneHotIoU) are required, so not among args.
	"IoU":           iouClassEntry("io_u", iouClass{class: "IoU", targets: true}),
	"MeanIoU":       iouClassEntry("mean_io_u", iouClass{class: "MeanIoU", meanOfAll: true}),
	"OneHotIoU":     iouClassEntry("one_hot_io_u", iouClass{class: "OneHotIoU", targets: true, oneHot: true}),
	"OneHotMeanIoU": iouClassEntry("one_hot_mean_io_u", iouClass{class: "OneHotMeanIoU", meanOfAll: true, oneHot: true}),
	"BinaryIoU":     iouClassEntry("binary_io_u", iouClass{class: "BinaryIoU", binary: true}),
}

// nameOf is the name the constructor newM gives its metric: a class's
// default name.
func nameOf[M interface{ metricName() string }](newM func() M) string { return newM().metricName() }

// sensSpecEntry is the table entry of sensSpecClasses[k]; its constrained
// value (specificity, ...) is required, so not among args.
func sensSpecEntry(k int) class {
	return class{args: args("num_thresholds", "class_id", "name", "dtype"), name: sensSpecClasses[k].name, nameNone: true,
		build: buildSensSpec(k)}
}

// iouClassEntry is the table entry of the IoU class c, default name name.
func iouClassEntry(name string, c iouClass) class {
	a := args("name", "dtype", "ignore_class")
	switch {
	case c.binary:
		a = args("target_class_ids", "threshold", "name", "dtype")
	case c.oneHot:
		a = append(a, "sparse_y_pred", "axis")
	default:
		a = append(a, "sparse_y_true", "sparse_y_pred", "axis")
	}
	return class{args: a, name: name, nameNone: true, ownDType: true, build: buildIoU(c)}
}

// funcs maps the Keras names of the metric functions this package defines
// (keras.metrics.binary_accuracy, ...) to binders of their keyword
// arguments, each starting from the function's constructor.
var funcs = map[string]func(d *kwargs.Decoder) losses.Func{
	"accuracy": func(*kwargs.Decoder) losses.Func { return AccuracyFunc{} },
	"binary_accuracy": func(d *kwargs.Decoder) losses.Func {
		f := NewBinaryAccuracyFunc()
		d.Float("threshold", &f.Threshold)
		return f
	},
	"categorical_accuracy":        func(*kwargs.Decoder) losses.Func { return CategoricalAccuracyFunc{} },
	"sparse_categorical_accuracy": func(*kwargs.Decoder) losses.Func { return SparseCategoricalAccuracyFunc{} },
	"top_k_categorical_accuracy": func(d *kwargs.Decoder) losses.Func {
		f := NewTopKCategoricalAccuracyFunc()
		d.Int("k", &f.K)
		return f
	},
	"sparse_top_k_categorical_accuracy": func(d *kwargs.Decoder) losses.Func {
		f := NewSparseTopKCategoricalAccuracyFunc()
		d.Int("k", &f.K)
		d.Bool("from_sorted_ids", &f.FromSortedIDs)
		return f
	},
	"pearson_correlation": func(d *kwargs.Decoder) losses.Func {
		f := NewPearsonCorrelationFunc()
		d.Int("axis", &f.Axis)
		return f
	},
	"concordance_correlation": func(d *kwargs.Decoder) losses.Func {
		f := NewConcordanceCorrelationFunc()
		d.Int("axis", &f.Axis)
		return f
	},
}

// buildMeanMetricWrapper is MeanMetricWrapper(fn, name=None, dtype=None,
// **kwargs): the config holds fn and the function's keyword arguments
// beside name and dtype.
func buildMeanMetricWrapper(d *kwargs.Decoder, cfg map[string]any, base state) (Metric, error) {
	if d.Recording() {
		return nil, nil // fn is required; there is nothing else to record
	}
	v, ok := d.Raw("fn")
	if !ok {
		return nil, errors.New("missing required argument fn")
	}
	name, err := fnName(v)
	if err != nil {
		return nil, err
	}
	kw := map[string]any{}
	for k, v := range cfg {
		if k != "name" && k != "dtype" && k != "fn" {
			d.Raw(k)
			kw[k] = v
		}
	}
	fn, err := FuncFromConfig(name, kw)
	if err != nil {
		return nil, err
	}
	return &MeanMetricWrapper{fn, Mean{state: base}}, nil
}
