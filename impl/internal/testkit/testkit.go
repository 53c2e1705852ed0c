package testkit

import (
	"math/rand/v2"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

// F32 returns a float32 tensor of the given shape, panicking on a test's own
// malformed literal.
func F32(shape []int, data ...float64) tensor.Tensor {
	t, err := tensor.New(tensor.Float32, shape, data)
	if err != nil {
		panic(err)
	}
	return t
}

// Ptr returns a pointer to t, for an optional sample weight.
func Ptr(t tensor.Tensor) *tensor.Tensor { return &t }

// Batch and Classes are the benchmark shape: 4096 samples of 1000 classes.
const (
	Batch   = 4096
	Classes = 1000
)

// Bytes is the size of one float32 (Batch, Classes) tensor, for b.SetBytes.
const Bytes = Batch * Classes * 4

func rng() *rand.Rand { return rand.New(rand.NewPCG(20261122, 1)) }

// Probabilities returns rows of positive float32 values summing to about 1.
func Probabilities() tensor.Tensor {
	r := rng()
	t := tensor.Zeros(tensor.Float32, Batch, Classes)
	for i := range Batch {
		row := t.Data[i*Classes : (i+1)*Classes]
		s := 0.0
		for j := range row {
			row[j] = r.Float64() + 1e-3
			s += row[j]
		}
		for j := range row {
			row[j] = tensor.Float32.Round(row[j] / s)
		}
	}
	return t
}

// Logits returns standard normal float32 values.
func Logits() tensor.Tensor {
	r := rng()
	t := tensor.Zeros(tensor.Float32, Batch, Classes)
	for i := range t.Data {
		t.Data[i] = tensor.Float32.Round(r.NormFloat64())
	}
	return t
}

// Labels returns class ids, shape (Batch,), as float32.
func Labels() tensor.Tensor {
	r := rng()
	t := tensor.Zeros(tensor.Float32, Batch)
	for i := range t.Data {
		t.Data[i] = float64(r.IntN(Classes))
	}
	return t
}

// OneHot returns the one-hot rows of Labels.
func OneHot() tensor.Tensor {
	ids := Labels()
	t := tensor.Zeros(tensor.Float32, Batch, Classes)
	for i, id := range ids.Data {
		t.Data[i*Classes+int(id)] = 1
	}
	return t
}

// Binary returns 0/1 float32 labels of shape (Batch, Classes).
func Binary() tensor.Tensor {
	r := rng()
	t := tensor.Zeros(tensor.Float32, Batch, Classes)
	for i := range t.Data {
		t.Data[i] = float64(r.IntN(2))
	}
	return t
}
