package losses_test

import (
	"testing"

	"github.com/kerasparity/kerasparity/impl/internal/testkit"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// benchLoss times one call of l on a 4096 x 1000 float32 batch; the bytes
// reported are those of y_true and y_pred.
func benchLoss(b *testing.B, l losses.Loss, yTrue, yPred tensor.Tensor) {
	b.SetBytes(int64(len(yTrue.Data)+len(yPred.Data)) * 4)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Call(yTrue, yPred, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBinaryCrossentropy(b *testing.B) {
	benchLoss(b, losses.NewBinaryCrossentropy(), testkit.Binary(), testkit.Probabilities())
}

func BenchmarkBinaryCrossentropyLogits(b *testing.B) {
	l := losses.NewBinaryCrossentropy()
	l.FromLogits = true
	benchLoss(b, l, testkit.Binary(), testkit.Logits())
}

func BenchmarkBinaryFocalCrossentropy(b *testing.B) {
	benchLoss(b, losses.NewBinaryFocalCrossentropy(), testkit.Binary(), testkit.Probabilities())
}

func BenchmarkCategoricalCrossentropy(b *testing.B) {
	benchLoss(b, losses.NewCategoricalCrossentropy(), testkit.OneHot(), testkit.Probabilities())
}

func BenchmarkCategoricalCrossentropyLogits(b *testing.B) {
	l := losses.NewCategoricalCrossentropy()
	l.FromLogits = true
	benchLoss(b, l, testkit.OneHot(), testkit.Logits())
}

func BenchmarkCategoricalFocalCrossentropy(b *testing.B) {
	benchLoss(b, losses.NewCategoricalFocalCrossentropy(), testkit.OneHot(), testkit.Probabilities())
}

func BenchmarkSparseCategoricalCrossentropy(b *testing.B) {
	benchLoss(b, losses.NewSparseCategoricalCrossentropy(), testkit.Labels(), testkit.Probabilities())
}

func BenchmarkSparseCategoricalCrossentropyLogits(b *testing.B) {
	l := losses.NewSparseCategoricalCrossentropy()
	l.FromLogits = true
	benchLoss(b, l, testkit.Labels(), testkit.Logits())
}

func BenchmarkMeanSquaredError(b *testing.B) {
	benchLoss(b, losses.NewMeanSquaredError(), testkit.Probabilities(), testkit.Logits())
}

func BenchmarkMeanAbsoluteError(b *testing.B) {
	benchLoss(b, losses.NewMeanAbsoluteError(), testkit.Probabilities(), testkit.Logits())
}

func BenchmarkMeanAbsolutePercentageError(b *testing.B) {
	benchLoss(b, losses.NewMeanAbsolutePercentageError(), testkit.Probabilities(), testkit.Logits())
}

func BenchmarkMeanSquaredLogarithmicError(b *testing.B) {
	benchLoss(b, losses.NewMeanSquaredLogarithmicError(), testkit.Probabilities(), testkit.Logits())
}

func BenchmarkCosineSimilarity(b *testing.B) {
	benchLoss(b, losses.NewCosineSimilarity(), testkit.Probabilities(), testkit.Logits())
}

func BenchmarkHuber(b *testing.B) {
	benchLoss(b, losses.NewHuber(), testkit.Probabilities(), testkit.Logits())
}

func BenchmarkLogCosh(b *testing.B) {
	benchLoss(b, losses.NewLogCosh(), testkit.Probabilities(), testkit.Logits())
}

func BenchmarkHinge(b *testing.B) {
	benchLoss(b, losses.NewHinge(), testkit.Binary(), testkit.Logits())
}

func BenchmarkSquaredHinge(b *testing.B) {
	benchLoss(b, losses.NewSquaredHinge(), testkit.Binary(), testkit.Logits())
}

func BenchmarkCategoricalHinge(b *testing.B) {
	benchLoss(b, losses.NewCategoricalHinge(), testkit.OneHot(), testkit.Logits())
}

func BenchmarkKLDivergence(b *testing.B) {
	benchLoss(b, losses.NewKLDivergence(), testkit.OneHot(), testkit.Probabilities())
}

func BenchmarkPoisson(b *testing.B) {
	benchLoss(b, losses.NewPoisson(), testkit.Binary(), testkit.Probabilities())
}
