package metrics_test

import (
	"math/rand/v2"
	"testing"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/testkit"
	"github.com/kerasparity/kerasparity/impl/metrics"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The confusion-matrix and IoU benchmarks time one UpdateState on a
// 4096 x 1000 batch (testkit's shape): 0/1 labels and probabilities, or
// class ids of 21 classes for the IoU metrics.

func mustMetric(b *testing.B, class string, config map[string]any) metrics.Metric {
	m, err := metrics.FromConfig(class, config, backend.TensorFlow)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

func BenchmarkTruePositives(b *testing.B) {
	benchMetric(b, mustMetric(b, "TruePositives", nil), testkit.Binary(), testkit.Probabilities())
}

func BenchmarkTruePositivesWeighted(b *testing.B) {
	benchWeighted(b, mustMetric(b, "TruePositives", nil))
}

func BenchmarkPrecisionTopK(b *testing.B) {
	benchMetric(b, mustMetric(b, "Precision", map[string]any{"top_k": 5.0}), testkit.Binary(), testkit.Probabilities())
}

func BenchmarkAUC(b *testing.B) {
	benchMetric(b, mustMetric(b, "AUC", nil), testkit.Binary(), testkit.Probabilities())
}

func BenchmarkAUCWeighted(b *testing.B) {
	benchWeighted(b, mustMetric(b, "AUC", nil))
}

// benchWeighted times UpdateState of m on the labels and probabilities
// with one float32 weight per row.
func benchWeighted(b *testing.B, m metrics.Metric) {
	yTrue, yPred := testkit.Binary(), testkit.Probabilities()
	w := rowWeights()
	b.SetBytes(int64(len(yTrue.Data)+len(yPred.Data)) * 4)
	b.ReportAllocs()
	for b.Loop() {
		if err := m.UpdateState(yTrue, yPred, &w); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAUCMultiLabel(b *testing.B) {
	benchMetric(b, mustMetric(b, "AUC", map[string]any{"multi_label": true}), testkit.Binary(), testkit.Probabilities())
}

func BenchmarkSensitivityAtSpecificity(b *testing.B) {
	benchMetric(b, mustMetric(b, "SensitivityAtSpecificity", map[string]any{"specificity": 0.5}),
		testkit.Binary(), testkit.Probabilities())
}

func BenchmarkMeanIoU(b *testing.B) {
	yTrue, yPred := classIDs(1), classIDs(2)
	benchMetric(b, mustMetric(b, "MeanIoU", map[string]any{"num_classes": 21.0}), yTrue, yPred)
}

func BenchmarkMeanIoUFloat(b *testing.B) {
	yTrue, yPred := classIDs(1), classIDs(2)
	benchMetric(b, mustMetric(b, "MeanIoU", map[string]any{"num_classes": 21.0, "dtype": "float32"}), yTrue, yPred)
}

// rowWeights are float32 weights in [0, 2), one per row of the batch.
func rowWeights() tensor.Tensor {
	r := rand.New(rand.NewPCG(7, 7))
	w := tensor.Zeros(tensor.Float32, testkit.Batch)
	for i := range w.Data {
		w.Data[i] = tensor.Float32.Round(2 * r.Float64())
	}
	return w
}

// classIDs are ids in [0, 21) of shape (Batch, Classes), as float32.
func classIDs(seed uint64) tensor.Tensor {
	r := rand.New(rand.NewPCG(seed, 21))
	t := tensor.Zeros(tensor.Float32, testkit.Batch, testkit.Classes)
	for i := range t.Data {
		t.Data[i] = float64(r.IntN(21))
	}
	return t
}
