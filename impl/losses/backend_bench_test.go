package losses_test

import (
	"testing"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/testkit"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// BenchmarkCrossentropyByBackend times the crossentropies and mean squared
// error on the 4096 x 1000 float32 batch under each backend's numerics, the
// way `make bench-keras` compares them with Keras: their kernels differ per
// backend (TensorFlow's sparse crossentropy takes a log and an exponential
// of every probability; NumPy's and JAX's take one log per row).
func BenchmarkCrossentropyByBackend(b *testing.B) {
	probs, logits := testkit.Probabilities(), testkit.Logits()
	oneHot, labels, binary := testkit.OneHot(), testkit.Labels(), testkit.Binary()
	cases := []struct {
		name         string
		class        string
		config       map[string]any
		yTrue, yPred tensor.Tensor
	}{
		{"CCE", "CategoricalCrossentropy", nil, oneHot, probs},
		{"CCE_logits", "CategoricalCrossentropy", map[string]any{"from_logits": true}, oneHot, logits},
		{"SCCE", "SparseCategoricalCrossentropy", nil, labels, probs},
		{"SCCE_logits", "SparseCategoricalCrossentropy", map[string]any{"from_logits": true}, labels, logits},
		{"BCE", "BinaryCrossentropy", nil, binary, probs},
		{"BCE_logits", "BinaryCrossentropy", map[string]any{"from_logits": true}, binary, logits},
		{"MSE", "MeanSquaredError", nil, probs, logits},
	}
	for _, c := range cases {
		for _, be := range []backend.Backend{backend.NumPy, backend.JAX, backend.TensorFlow} {
			b.Run(c.name+"/"+be.String(), func(b *testing.B) {
				l, err := losses.FromConfig(c.class, c.config, be)
				if err != nil {
					b.Fatal(err)
				}
				benchLoss(b, l, c.yTrue, c.yPred)
			})
		}
	}
}
