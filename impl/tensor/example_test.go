package tensor_test

import (
	"fmt"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Round lands a float64 result where a backend computing in a narrower
// dtype lands.
func ExampleDType_Round() {
	x := 1.0 / 3
	for _, d := range []tensor.DType{tensor.Float64, tensor.Float32, tensor.Float16, tensor.BFloat16, tensor.Int32} {
		fmt.Printf("%-8s %.17g\n", d, d.Round(x))
	}
	// Output:
	// float64  0.33333333333333331
	// float32  0.3333333432674408
	// float16  0.333251953125
	// bfloat16 0.333984375
	// int32    0
}
