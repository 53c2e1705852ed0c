package reference_test

import (
	"fmt"

	"github.com/kerasparity/kerasparity/reference"
)

func ExampleCompare() {
	want := reference.Array{Shape: []int{2, 2}, DType: "float32", Data: []float64{0.25, 0.5, 1, 2}}
	got := reference.Array{Shape: []int{2, 2}, DType: "float32", Data: []float64{0.25, 0.5, 1, 2.001}}
	tol := reference.Tolerance{ATol: 1e-7, RTol: 1e-6, Reason: "example"}
	st, err := reference.Compare(got, want, tol)
	fmt.Println(err)
	fmt.Println(st.Mismatches, st.WorstIndex)
	// Output:
	// values: 1 of 4 elements differ beyond atol=1e-07 rtol=1e-06; worst at [1 1]: got 2.001 want 2 (abs 0.001, rel 0.0005, 4194 ulp)
	// 1 [1 1]
}

func ExamplePolicy() {
	p := reference.DefaultPolicy()
	err := p.Add(reference.Rule{
		Pattern:   "loss/CategoricalCrossentropy/*/logits_1e4/*",
		Backend:   "tensorflow",
		Tolerance: reference.Tolerance{ATol: 1e-5, RTol: 1e-5, Reason: "log-softmax of 1e4 logits loses 4 digits on tensorflow"},
	})
	fmt.Println(err)
	c := &reference.Case{ID: "loss/CategoricalCrossentropy/logits/logits_1e4/f32/0003", Kind: "loss",
		Class: "CategoricalCrossentropy", DType: "float32", Backend: "tensorflow"}
	fmt.Println(p.For(c).Reason)
	c.Backend = "jax"
	fmt.Println(p.For(c).RTol)
	// Output:
	// <nil>
	// log-softmax of 1e4 logits loses 4 digits on tensorflow
	// 9.5367431640625e-07
}

func ExampleMatchPattern() {
	fmt.Println(reference.MatchPattern("loss/*/f16/*", "loss/BinaryCrossentropy/ls=0.1/f16/0012"))
	fmt.Println(reference.MatchPattern("loss/*/f16/*", "metric/AUC/f16/0001"))
	// Output:
	// true
	// false
}
