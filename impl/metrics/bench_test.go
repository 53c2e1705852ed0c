package metrics_test

import (
	"testing"

	"github.com/kerasparity/kerasparity/impl/internal/testkit"
	"github.com/kerasparity/kerasparity/impl/metrics"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// benchMetric times one UpdateState of m on a 4096 x 1000 float32 batch; the
// bytes reported are those of y_true and y_pred.
func benchMetric(b *testing.B, m metrics.Metric, yTrue, yPred tensor.Tensor) {
	b.SetBytes(int64(len(yTrue.Data)+len(yPred.Data)) * 4)
	b.ReportAllocs()
	for b.Loop() {
		if err := m.UpdateState(yTrue, yPred, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBinaryCrossentropy(b *testing.B) {
	benchMetric(b, metrics.NewBinaryCrossentropy(), testkit.Binary(), testkit.Probabilities())
}

func BenchmarkCategoricalCrossentropy(b *testing.B) {
	benchMetric(b, metrics.NewCategoricalCrossentropy(), testkit.OneHot(), testkit.Probabilities())
}

func BenchmarkSparseCategoricalCrossentropy(b *testing.B) {
	benchMetric(b, metrics.NewSparseCategoricalCrossentropy(), testkit.Labels(), testkit.Probabilities())
}
