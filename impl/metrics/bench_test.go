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

// Benchmarks of the reduction, accuracy, regression, hinge, probabilistic,
// correlation and score metrics, one or more per family, on the same
// 4096 x 1000 float32 batch.

func BenchmarkMean(b *testing.B) {
	benchMetric(b, &metrics.Values{M: metrics.NewMean()}, tensor.Tensor{}, testkit.Probabilities())
}

func BenchmarkBinaryAccuracy(b *testing.B) {
	benchMetric(b, metrics.NewBinaryAccuracy(), testkit.Binary(), testkit.Probabilities())
}

func BenchmarkCategoricalAccuracy(b *testing.B) {
	benchMetric(b, metrics.NewCategoricalAccuracy(), testkit.OneHot(), testkit.Probabilities())
}

func BenchmarkSparseCategoricalAccuracy(b *testing.B) {
	benchMetric(b, metrics.NewSparseCategoricalAccuracy(), testkit.Labels(), testkit.Probabilities())
}

func BenchmarkTopKCategoricalAccuracy(b *testing.B) {
	benchMetric(b, metrics.NewTopKCategoricalAccuracy(), testkit.OneHot(), testkit.Probabilities())
}

func BenchmarkSparseTopKCategoricalAccuracy(b *testing.B) {
	benchMetric(b, metrics.NewSparseTopKCategoricalAccuracy(), testkit.Labels(), testkit.Probabilities())
}

func BenchmarkMeanSquaredError(b *testing.B) {
	benchMetric(b, metrics.NewMeanSquaredError(), testkit.Binary(), testkit.Probabilities())
}

func BenchmarkRootMeanSquaredError(b *testing.B) {
	benchMetric(b, metrics.NewRootMeanSquaredError(), testkit.Binary(), testkit.Probabilities())
}

func BenchmarkCosineSimilarity(b *testing.B) {
	benchMetric(b, metrics.NewCosineSimilarity(), testkit.Binary(), testkit.Logits())
}

func BenchmarkHinge(b *testing.B) {
	benchMetric(b, metrics.NewHinge(), testkit.Binary(), testkit.Logits())
}

func BenchmarkKLDivergence(b *testing.B) {
	benchMetric(b, metrics.NewKLDivergence(), testkit.OneHot(), testkit.Probabilities())
}

func BenchmarkPearsonCorrelation(b *testing.B) {
	benchMetric(b, metrics.NewPearsonCorrelation(), testkit.Binary(), testkit.Logits())
}

func BenchmarkConcordanceCorrelation(b *testing.B) {
	benchMetric(b, metrics.NewConcordanceCorrelation(), testkit.Binary(), testkit.Logits())
}

func BenchmarkF1Score(b *testing.B) {
	benchMetric(b, metrics.NewF1Score(), testkit.Binary(), testkit.Probabilities())
}

func BenchmarkR2Score(b *testing.B) {
	benchMetric(b, metrics.NewR2Score(), testkit.Binary(), testkit.Probabilities())
}
