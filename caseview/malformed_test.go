package caseview_test

import (
	"strings"
	"testing"

	"github.com/kerasparity/kerasparity/caseview"
	"github.com/kerasparity/kerasparity/reference"
)

// A port's output is shown as it came, even when it cannot be what it
// claims: the view names what is wrong and never panics.
func TestArrayMalformed(t *testing.T) {
	for _, a := range []reference.Array{
		{Shape: []int{2, 2}, DType: "float32", Data: []float64{1, 2, 3}},
		{Shape: []int{-1}, DType: "float32", Data: []float64{1}},
		{Shape: []int{1 << 32, 1 << 32}, DType: "float32"},
		{DType: "", Data: []float64{1, 2}},
	} {
		for _, limit := range []int{32, -1} {
			if got := caseview.Array(a, limit); !strings.Contains(got, "<") {
				t.Errorf("Array(%v, %d) = %q, want it to say what is wrong", a, limit, got)
			}
		}
	}
}
