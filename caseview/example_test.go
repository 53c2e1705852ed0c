package caseview_test

import (
	"fmt"
	"math"

	"github.com/kerasparity/kerasparity/caseview"
	"github.com/kerasparity/kerasparity/reference"
)

func ExampleArray() {
	a := reference.Array{Shape: []int{2, 3}, DType: "float32",
		Data: []float64{0.5, float64(float32(0.1)), 2, math.NaN(), math.Inf(1), math.Inf(-1)}}
	fmt.Println(caseview.Array(a, 64))
	// Output:
	// float32 2x3 [[0.5, 0.1, 2.0], [nan, inf, -inf]]
}

func ExampleArray_scalar() {
	loss := reference.Array{DType: "float32", Data: []float64{float64(float32(0.77471894))}}
	fmt.Println(caseview.Array(loss, 64))
	// Output:
	// float32 0.77471894
}

func ExampleArray_summary() {
	// More elements than the limit: one line of statistics instead.
	a := reference.Array{Shape: []int{2, 4}, DType: "float64",
		Data: []float64{1, 2, 3, 4, 5, 6, math.NaN(), math.Inf(1)}}
	fmt.Println(caseview.Array(a, 4))
	// Output:
	// float64 2x4 (min 1.0, max inf, mean 3.5 (of the finite), 1 nan, 1 inf)
}

func ExampleArray_dtypes() {
	labels := reference.Array{Shape: []int{3}, DType: "int32", Data: []float64{0, 2, -1}}
	mask := reference.Array{Shape: []int{2}, DType: "bool", Data: []float64{1, 0}}
	half := reference.Array{Shape: []int{2}, DType: "float16", Data: []float64{0.0999755859375, 65504}}
	empty := reference.Array{Shape: []int{0, 3}, DType: "float32", Data: []float64{}}
	for _, a := range []reference.Array{labels, mask, half, empty} {
		fmt.Println(caseview.Array(a, 64))
	}
	// Output:
	// int32 3 [0, 2, -1]
	// bool 2 [true, false]
	// float16 2 [0.099976, 65504.0]
	// float32 0x3 []
}
