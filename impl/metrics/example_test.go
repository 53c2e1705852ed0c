package metrics_test

import (
	"fmt"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/metrics"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// A metric streams: each UpdateState accumulates, Result reports the value
// so far, ResetState starts again.
func ExampleFromConfig() {
	m, err := metrics.FromConfig("BinaryAccuracy", map[string]any{"threshold": 0.7}, backend.JAX)
	if err != nil {
		fmt.Println(err)
		return
	}
	yTrue, _ := tensor.New(tensor.Float32, []int{4}, []float64{1, 1, 0, 0})
	batch1, _ := tensor.New(tensor.Float32, []int{4}, []float64{0.9, 0.6, 0.2, 0.8})
	batch2, _ := tensor.New(tensor.Float32, []int{4}, []float64{0.8, 0.75, 0.1, 0.3})
	for _, yPred := range []tensor.Tensor{batch1, batch2} {
		if err := m.UpdateState(yTrue, yPred, nil); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(m.Result().Data)
	}
	m.ResetState()
	fmt.Println(m.Result().Data)
	// Output:
	// [0.5]
	// [0.75]
	// [0]
}

// A constructed metric with sample weights.
func ExampleNewMean() {
	m := metrics.NewMean()
	values, _ := tensor.New(tensor.Float32, []int{3}, []float64{1, 2, 6})
	weights, _ := tensor.New(tensor.Float32, []int{3}, []float64{1, 1, 0.5})
	if err := m.UpdateState(values, &weights); err != nil {
		fmt.Println(err)
		return
	}
	// (1 + 2 + 3) / 2.5, in float32.
	r := m.Result()
	fmt.Println(m.Name, r.DType, float32(r.Data[0]))
	// Output:
	// mean float32 2.4
}

// The config of a class with Keras's defaults.
func ExampleDefaultConfig() {
	config, err := metrics.DefaultConfig("SparseTopKCategoricalAccuracy")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(config)
	// Output:
	// map[dtype:<nil> from_sorted_ids:false k:5 name:sparse_top_k_categorical_accuracy]
}
