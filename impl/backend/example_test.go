package backend_test

import (
	"fmt"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The same float32 values summed the way each backend adds them: NumPy
// pairwise, TensorFlow in Eigen's packets, JAX one at a time (up to 32
// values); along a non-innermost axis (strided) all go one at a time.
func ExampleBackend_Sum() {
	xs := make([]float64, 30)
	for i := range xs {
		xs[i] = tensor.Float32.Round(0.1 * float64(i%7))
	}
	for _, b := range []backend.Backend{backend.NumPy, backend.TensorFlow, backend.JAX} {
		fmt.Printf("%-10s %.9g %.9g\n", b, b.Sum(tensor.Float32, xs, false), b.Sum(tensor.Float32, xs, true))
	}
	// Output:
	// numpy      8.50000095 8.5
	// tensorflow 8.5 8.5
	// jax        8.5 8.5
}

// Softplus in float16: NumPy computes in float32 and rounds once, JAX
// rounds every op to float16, TensorFlow's kernel switches formula at a
// threshold of log(eps) + 2.
func ExampleBackend_Softplus() {
	x := tensor.Float16.Round(-5)
	for _, b := range []backend.Backend{backend.NumPy, backend.JAX, backend.TensorFlow} {
		fmt.Printf("%-10s %.8g\n", b, b.Softplus(tensor.Float16, x))
	}
	// Output:
	// numpy      0.0067138672
	// jax        0.0067138672
	// tensorflow 0.0067367554
}

// Parse reads the name KERAS_BACKEND uses.
func ExampleParse() {
	b, err := backend.Parse("jax")
	fmt.Println(b, err, b.Materialize(tensor.Float64))
	// Output:
	// jax <nil> float32
}
