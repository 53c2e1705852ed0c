package metrics

import (
	"reflect"
	"testing"

	"github.com/kerasparity/kerasparity/impl/backend"
)

// required holds a value for each argument a class requires (Keras has no
// default for it), added to every config below.
var required = map[string]map[string]any{
	"MeanMetricWrapper":        {"fn": "mean_squared_error"},
	"IoU":                      {"num_classes": 3.0, "target_class_ids": []any{0.0, 1.0}},
	"OneHotIoU":                {"num_classes": 3.0, "target_class_ids": []any{0.0, 1.0}},
	"MeanIoU":                  {"num_classes": 3.0},
	"OneHotMeanIoU":            {"num_classes": 3.0},
	"SensitivityAtSpecificity": {"specificity": 0.5},
	"SpecificityAtSensitivity": {"sensitivity": 0.5},
	"PrecisionAtRecall":        {"recall": 0.5},
	"RecallAtPrecision":        {"precision": 0.5},
}

// constructors builds each class with its Go constructor, given the
// required arguments above; Mean and Sum come wrapped as FromConfig gives
// them (their values are y_pred).
var constructors = map[string]func() (Metric, error){
	"Mean": func() (Metric, error) { return &Values{NewMean()}, nil },
	"Sum":  func() (Metric, error) { return &Values{NewSum()}, nil },

	"Accuracy":                      ok(NewAccuracy),
	"BinaryAccuracy":                ok(NewBinaryAccuracy),
	"CategoricalAccuracy":           ok(NewCategoricalAccuracy),
	"SparseCategoricalAccuracy":     ok(NewSparseCategoricalAccuracy),
	"TopKCategoricalAccuracy":       ok(NewTopKCategoricalAccuracy),
	"SparseTopKCategoricalAccuracy": ok(NewSparseTopKCategoricalAccuracy),
	"BinaryCrossentropy":            ok(NewBinaryCrossentropy),
	"CategoricalCrossentropy":       ok(NewCategoricalCrossentropy),
	"SparseCategoricalCrossentropy": ok(NewSparseCategoricalCrossentropy),
	"KLDivergence":                  ok(NewKLDivergence),
	"Poisson":                       ok(NewPoisson),
	"Hinge":                         ok(NewHinge),
	"SquaredHinge":                  ok(NewSquaredHinge),
	"CategoricalHinge":              ok(NewCategoricalHinge),
	"MeanSquaredError":              ok(NewMeanSquaredError),
	"MeanAbsoluteError":             ok(NewMeanAbsoluteError),
	"MeanAbsolutePercentageError":   ok(NewMeanAbsolutePercentageError),
	"MeanSquaredLogarithmicError":   ok(NewMeanSquaredLogarithmicError),
	"LogCoshError":                  ok(NewLogCoshError),
	"CosineSimilarity":              ok(NewCosineSimilarity),
	"RootMeanSquaredError":          ok(NewRootMeanSquaredError),
	"R2Score":                       ok(NewR2Score),
	"PearsonCorrelation":            ok(NewPearsonCorrelation),
	"ConcordanceCorrelation":        ok(NewConcordanceCorrelation),
	"FBetaScore":                    ok(NewFBetaScore),
	"F1Score":                       ok(NewF1Score),

	"TruePositives":  func() (Metric, error) { return NewTruePositives(nil) },
	"FalsePositives": func() (Metric, error) { return NewFalsePositives(nil) },
	"TrueNegatives":  func() (Metric, error) { return NewTrueNegatives(nil) },
	"FalseNegatives": func() (Metric, error) { return NewFalseNegatives(nil) },
	"Precision":      func() (Metric, error) { return NewPrecision(nil, nil, nil) },
	"Recall":         func() (Metric, error) { return NewRecall(nil, nil, nil) },
	"AUC":            func() (Metric, error) { return NewAUC(DefaultAUCConfig()) },
	"SensitivityAtSpecificity": func() (Metric, error) {
		return NewSensitivityAtSpecificity(0.5, DefaultNumThresholds, nil)
	},
	"SpecificityAtSensitivity": func() (Metric, error) {
		return NewSpecificityAtSensitivity(0.5, DefaultNumThresholds, nil)
	},
	"PrecisionAtRecall": func() (Metric, error) { return NewPrecisionAtRecall(0.5, DefaultNumThresholds, nil) },
	"RecallAtPrecision": func() (Metric, error) { return NewRecallAtPrecision(0.5, DefaultNumThresholds, nil) },
	"IoU":               func() (Metric, error) { return NewIoU(3, []int{0, 1}) },
	"MeanIoU":           func() (Metric, error) { return NewMeanIoU(3) },
	"OneHotIoU":         func() (Metric, error) { return NewOneHotIoU(3, []int{0, 1}) },
	"OneHotMeanIoU":     func() (Metric, error) { return NewOneHotMeanIoU(3) },
	"BinaryIoU":         func() (Metric, error) { return NewBinaryIoU(nil, 0.5) },
}

func ok[M Metric](f func() M) func() (Metric, error) {
	return func() (Metric, error) { return f(), nil }
}

// TestDefaultsAgree checks, for every class of the table, that building from
// an empty config, from DefaultConfig and with the Go constructor give the
// same metric: the defaults are written once, in the constructors, and
// nothing else may disagree with them.
func TestDefaultsAgree(t *testing.T) {
	for _, name := range Classes() {
		withRequired := func(cfg map[string]any) map[string]any {
			if cfg == nil {
				cfg = map[string]any{}
			}
			for k, v := range required[name] {
				cfg[k] = v
			}
			return cfg
		}
		empty, err := FromConfig(name, withRequired(nil), backend.TensorFlow)
		if err != nil {
			t.Errorf("%s from an empty config: %v", name, err)
			continue
		}
		def, err := DefaultConfig(name)
		if err != nil {
			t.Errorf("%s: DefaultConfig: %v", name, err)
			continue
		}
		fromDef, err := FromConfig(name, withRequired(def), backend.TensorFlow)
		if err != nil {
			t.Errorf("%s from DefaultConfig %v: %v", name, def, err)
			continue
		}
		if !reflect.DeepEqual(empty, fromDef) {
			t.Errorf("%s: built from an empty config\n\t%+v\nand from DefaultConfig %v\n\t%+v", name, empty, def, fromDef)
		}
		if name == "MeanMetricWrapper" {
			continue // its function is an argument: no constructor of its own
		}
		newX, found := constructors[name]
		if !found {
			t.Errorf("%s: no constructor in the test's list", name)
			continue
		}
		built, err := newX()
		if err != nil {
			t.Errorf("%s: constructor: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(empty, built) {
			t.Errorf("%s: built from an empty config\n\t%+v\nand by its constructor\n\t%+v", name, empty, built)
		}
	}
}
