package losses_test

import (
	"errors"
	"fmt"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// A loss built from the config Keras's get_config gives, called like
// loss(y_true, y_pred, sample_weight) with Keras's NumPy backend numerics.
func ExampleFromConfig() {
	config := map[string]any{"name": "huber", "reduction": "sum", "dtype": nil, "delta": 0.5}
	loss, err := losses.FromConfig("Huber", config, backend.NumPy)
	if err != nil {
		fmt.Println(err)
		return
	}
	yTrue, _ := tensor.New(tensor.Float32, []int{2, 2}, []float64{0, 1, 1, 0})
	yPred, _ := tensor.New(tensor.Float32, []int{2, 2}, []float64{0.25, 0.5, 2, 0})
	weights, _ := tensor.New(tensor.Float32, []int{2}, []float64{1, 2})
	out, err := loss.Call(yTrue, yPred, &weights)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.DType, out.Shape, out.Data)
	// Output:
	// float32 [] [0.453125]
}

// The config of a class with Keras's defaults, which FromConfig accepts.
func ExampleDefaultConfig() {
	config, err := losses.DefaultConfig("BinaryCrossentropy")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(config)
	// Output:
	// map[axis:-1 dtype:<nil> from_logits:false label_smoothing:0 name:binary_crossentropy reduction:sum_over_batch_size]
}

// Errors tell input Keras refuses from what the port does not implement.
func ExampleFromConfig_errors() {
	_, err := losses.FromConfig("Huber", map[string]any{"reduction": "average"}, backend.JAX)
	fmt.Println(err)
	_, err = losses.FromConfig("TripletLoss", nil, backend.JAX)
	fmt.Println(errors.Is(err, tensor.ErrNotImplemented))
	// Output:
	// Huber: invalid reduction average: expected one of sum_over_batch_size, sum, mean, mean_with_sample_weight, none or None
	// true
}

// The constructor gives Keras's defaults; fields set the arguments.
func ExampleNewCategoricalCrossentropy() {
	loss := losses.NewCategoricalCrossentropy()
	loss.FromLogits = true
	loss.Backend = backend.TensorFlow
	yTrue, _ := tensor.New(tensor.Float32, []int{2, 3}, []float64{0, 1, 0, 0, 0, 1})
	logits, _ := tensor.New(tensor.Float32, []int{2, 3}, []float64{0.5, 2, -1, 0, 0, 3})
	out, err := loss.Call(yTrue, logits, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The mean over the batch (sum_over_batch_size) of 0.2413 and 0.0949.
	fmt.Printf("%s %v %.6f\n", loss.Name, out.Shape, out.Data[0])
	// Output:
	// categorical_crossentropy [] 0.168117
}
