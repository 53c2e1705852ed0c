package metrics_test

import (
	"encoding/json"
	"testing"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/metrics"
)

// configSeeds are config values of the wrong type, range or shape for the
// arguments metrics take, to start the fuzzer off where constructors are
// most likely to trip.
var configSeeds = []string{
	`{}`,
	`{"name": null, "dtype": null}`,
	`{"name": 1, "dtype": "int8"}`,
	`{"thresholds": [0.5, 2.0], "top_k": 0, "class_id": -1}`,
	`{"thresholds": [], "num_thresholds": -1, "curve": "AUC"}`,
	`{"thresholds": 0.5, "num_thresholds": 1e300, "summation_method": 3}`,
	`{"num_thresholds": 1, "multi_label": true, "num_labels": 0, "label_weights": [1, 2]}`,
	`{"num_classes": 0, "target_class_ids": [5], "ignore_class": -1, "axis": 7}`,
	`{"num_classes": 1e20, "target_class_ids": [], "sparse_y_true": "no"}`,
	`{"num_classes": -3, "target_class_ids": [[0]], "axis": [1]}`,
	`{"average": "samples", "beta": 0, "threshold": 1.5}`,
	`{"class_aggregation": "mean", "num_regressors": -1}`,
	`{"k": -5, "from_sorted_ids": 1}`,
	`{"specificity": 2, "sensitivity": -0.1, "recall": null, "precision": "x"}`,
	`{"fn": {"class_name": "function", "config": "huber", "module": "builtins", "registered_name": "function"}, "delta": "x"}`,
	`{"fn": {"class_name": "function", "config": "no_such_fn"}}`,
	`{"fn": "huber"}`,
	`{"fn": null, "from_logits": true, "label_smoothing": 2, "axis": -1}`,
}

// FuzzMetricFromConfig builds every metric class from fuzzed configs
// (decoded JSON, as a fixture gives them): FromConfig must return a metric
// or an error, never panic, whatever the config holds.
func FuzzMetricFromConfig(f *testing.F) {
	for _, class := range metrics.Classes() {
		def, err := metrics.DefaultConfig(class)
		if err != nil {
			f.Fatal(err)
		}
		raw, err := json.Marshal(def)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(class, raw, uint8(0))
		for i, s := range configSeeds {
			f.Add(class, []byte(s), uint8(i%4))
		}
	}
	f.Add("NoSuchMetric", []byte(`{}`), uint8(9))
	f.Fuzz(func(t *testing.T, class string, config []byte, b uint8) {
		var cfg map[string]any
		if json.Unmarshal(config, &cfg) != nil {
			return
		}
		m, err := metrics.FromConfig(class, cfg, backend.Backend(b))
		if err == nil && m == nil {
			t.Fatalf("FromConfig(%q, %s) returned neither a metric nor an error", class, config)
		}
	})
}
