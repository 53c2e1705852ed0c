package losses_test

import (
	"encoding/json"
	"testing"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/losses"
)

// configSeeds are config values of the wrong type, range or shape for the
// arguments losses take, to start the fuzzer off where constructors are
// most likely to trip.
var configSeeds = []string{
	`{}`,
	`{"reduction": "sum", "from_logits": true, "label_smoothing": 0.1, "axis": -1, "dtype": "float64"}`,
	`{"reduction": null, "name": null, "dtype": null}`,
	`{"reduction": 3, "name": 1, "dtype": "float8"}`,
	`{"axis": [1, 2], "alpha": [0.1, 0.2, 0.3], "gamma": -1e308}`,
	`{"axis": [], "alpha": [], "ignore_class": 1e300}`,
	`{"axis": 1.5, "delta": "x", "q": 0, "margin": null}`,
	`{"ref_labels": [[1]], "ref_embeddings": [1, 2], "remove_diagonal": "yes"}`,
	`{"ref_labels": [0, 1], "ref_embeddings": [[0.5], [0.25, 0.1]]}`,
	`{"apply_class_balancing": true, "alpha": 2, "beta": -1, "label_smoothing": 1e10}`,
	`{"fn": {"class_name": "function", "config": "huber"}, "unknown": 1}`,
}

// FuzzLossFromConfig builds every loss class from fuzzed configs (decoded
// JSON, as a fixture gives them): FromConfig must return a loss or an
// error, never panic, whatever the config holds.
func FuzzLossFromConfig(f *testing.F) {
	for _, class := range losses.Classes() {
		def, err := losses.DefaultConfig(class)
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
	// FuncFromConfig takes function names.
	for _, fn := range []string{"huber", "binary_crossentropy", "sparse_categorical_crossentropy",
		"categorical_focal_crossentropy", "dice", "tversky", "circle", "ctc", "categorical_generalized_cross_entropy"} {
		for _, s := range configSeeds {
			f.Add(fn, []byte(s), uint8(0))
		}
	}
	f.Add("NoSuchLoss", []byte(`{}`), uint8(9))
	f.Fuzz(func(t *testing.T, class string, config []byte, b uint8) {
		var cfg map[string]any
		if json.Unmarshal(config, &cfg) != nil {
			return
		}
		l, err := losses.FromConfig(class, cfg, backend.Backend(b))
		if err == nil && l == nil {
			t.Fatalf("FromConfig(%q, %s) returned neither a loss nor an error", class, config)
		}
		fn, err := losses.FuncFromConfig(class, cfg)
		if err == nil && fn == nil {
			t.Fatalf("FuncFromConfig(%q, %s) returned neither a function nor an error", class, config)
		}
	})
}
