package losses_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/testkit"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Benchmarks of CTC, Dice, Tversky, Circle and the generalized
// crossentropy. Dice, Tversky and GCE run on the shared 4096 x 1000 float32
// batch; CTC on 64 x 100 x 30 logits with labels of length 20; Circle on
// 1024 x 128 unit embeddings.

func BenchmarkDice(b *testing.B) {
	benchLoss(b, losses.NewDice(), testkit.Binary(), testkit.Probabilities())
}

func BenchmarkDicePerSample(b *testing.B) {
	l := losses.NewDice()
	l.Axis = []int{-1}
	benchLoss(b, l, testkit.Binary(), testkit.Probabilities())
}

func BenchmarkTversky(b *testing.B) {
	l := losses.NewTversky()
	l.Alpha, l.Beta = 0.3, 0.7
	benchLoss(b, l, testkit.Binary(), testkit.Probabilities())
}

func BenchmarkCategoricalGeneralizedCrossEntropy(b *testing.B) {
	benchLoss(b, losses.NewCategoricalGeneralizedCrossEntropy(), testkit.Labels(), testkit.Probabilities())
}

// benchRNG is the benchmarks' own deterministic source.
func benchRNG() *rand.Rand { return rand.New(rand.NewPCG(20261122, 2)) }

func ctcBatch() (labels, logits tensor.Tensor) {
	const batch, steps, classes, width = 64, 100, 30, 20
	r := benchRNG()
	labels = tensor.Zeros(tensor.Float32, batch, width)
	for i := range labels.Data {
		labels.Data[i] = float64(1 + r.IntN(classes-1))
	}
	logits = tensor.Zeros(tensor.Float32, batch, steps, classes)
	for i := range logits.Data {
		logits.Data[i] = tensor.Float32.Round(2 * r.NormFloat64())
	}
	return labels, logits
}

func BenchmarkCTC(b *testing.B) {
	labels, logits := ctcBatch()
	for _, be := range []backend.Backend{backend.NumPy, backend.TensorFlow} {
		b.Run(be.String(), func(b *testing.B) {
			l := losses.NewCTC()
			l.Backend = be
			benchLoss(b, l, labels, logits)
		})
	}
}

func circleBatch() (labels, embeddings tensor.Tensor) {
	const batch, dim = 1024, 128
	r := benchRNG()
	labels = tensor.Zeros(tensor.Float32, batch)
	for i := range labels.Data {
		labels.Data[i] = float64(r.IntN(batch / 2))
	}
	embeddings = tensor.Zeros(tensor.Float32, batch, dim)
	for i := range batch {
		row := embeddings.Data[i*dim : (i+1)*dim]
		norm := 0.0
		for j := range row {
			row[j] = r.NormFloat64()
			norm += row[j] * row[j]
		}
		for j := range row {
			row[j] = tensor.Float32.Round(row[j] / math.Sqrt(norm))
		}
	}
	return labels, embeddings
}

func BenchmarkCircle(b *testing.B) {
	labels, embeddings := circleBatch()
	benchLoss(b, losses.NewCircle(), labels, embeddings)
}
