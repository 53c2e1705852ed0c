package gomlxport

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/kerasparity/kerasparity/suites/port"
)

func f32(shape []int, data ...float64) port.Array {
	return port.Array{Shape: shape, DType: "float32", Data: data}
}

// The adapter refuses what GoMLX cannot express, naming the class and value.
func TestNotImplemented(t *testing.T) {
	p := New()
	for _, tc := range []struct {
		spec port.Spec
		want string
	}{
		{port.Spec{Kind: "loss", Class: "BinaryCrossentropy", Config: map[string]any{"label_smoothing": 0.1}}, "gomlx: BinaryCrossentropy(label_smoothing=0.1): not implemented"},
		{port.Spec{Kind: "loss", Class: "MeanSquaredError", Config: map[string]any{"reduction": "sum"}}, `gomlx: MeanSquaredError(reduction="sum"): not implemented`},
		{port.Spec{Kind: "loss", Class: "SparseCategoricalCrossentropy", Config: map[string]any{"from_logits": false}}, "gomlx: SparseCategoricalCrossentropy(from_logits=false): not implemented"},
		{port.Spec{Kind: "function", Class: "dice", Config: map[string]any{}}, "gomlx: dice: not implemented"},
		{port.Spec{Kind: "metric", Class: "AUC", Config: map[string]any{}}, "gomlx: AUC: not implemented"},
		{port.Spec{Kind: "metric", Class: "BinaryAccuracy", Config: map[string]any{"threshold": 0.3}}, "gomlx: BinaryAccuracy(threshold=0.3): not implemented"},
		{port.Spec{Kind: "metric", Class: "MeanSquaredError", Config: map[string]any{"dtype": "float64"}}, `gomlx: MeanSquaredError(dtype="float64"): not implemented`},
	} {
		var err error
		if tc.spec.Kind == "metric" {
			_, err = p.NewMetric(tc.spec)
		} else {
			_, err = p.NewLoss(tc.spec)
		}
		if !errors.Is(err, port.ErrNotImplemented) || err.Error() != tc.want {
			t.Errorf("%s %s: got %v, want %q wrapping port.ErrNotImplemented", tc.spec.Kind, tc.spec.Class, err, tc.want)
		}
	}
}

// GoMLX's answers pass through unchanged, divergences included.
func TestGoMLXAnswers(t *testing.T) {
	p := New()

	// A plain function returns GoMLX's mean, not Keras's per-sample values.
	mse, err := p.NewLoss(port.Spec{Kind: "function", Class: "mean_squared_error", Config: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := mse.Call(f32([]int{2, 2}, 0, 0, 1, 1), f32([]int{2, 2}, 1, 1, 1, 3), nil)
	if err != nil || len(got.Shape) != 0 || got.Data[0] != 1.5 {
		t.Errorf("mean_squared_error: got %v, %v; want the scalar 1.5", got, err)
	}

	// A shape GoMLX refuses is an error, not a panic.
	if _, err := mse.Call(f32([]int{2, 2, 1}, 0, 0, 1, 1), f32([]int{2, 2}, 1, 1, 1, 3), nil); err == nil || !strings.Contains(err.Error(), "must have same shape") {
		t.Errorf("mean_squared_error on (2,2,1) vs (2,2): got %v, want GoMLX's shape error", err)
	}

	// Binary accuracy: a prediction of exactly 0.5 is wrong for both labels.
	acc, err := p.NewMetric(port.Spec{Kind: "metric", Class: "BinaryAccuracy", Config: map[string]any{"threshold": 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	if err := acc.UpdateState(f32([]int{2}, 0, 1), f32([]int{2}, 0.5, 0.5), nil); err != nil {
		t.Fatal(err)
	}
	if r, err := acc.Result(); err != nil || r.Data[0] != 0 || r.DType != "float32" {
		t.Errorf("BinaryAccuracy([0 1], [0.5 0.5]): got %v, %v; want float32 0", r, err)
	}

	// After a reset GoMLX's MeanMetric holds 0/0.
	acc.ResetState()
	if r, err := acc.Result(); err != nil || !math.IsNaN(r.Data[0]) || len(r.Shape) != 0 {
		t.Errorf("BinaryAccuracy after reset: got %v, %v; want a NaN scalar", r, err)
	}
}

// A Keras sample weight gets the [batchSize] layout GoMLX documents.
func TestPerExample(t *testing.T) {
	pred := f32([]int{3, 2}, 0, 0, 0, 0, 0, 0)
	if w := perExample(f32([]int{}, 0.5), pred); len(w.Shape) != 1 || w.Shape[0] != 3 || w.Data[2] != 0.5 {
		t.Errorf("scalar weight: got %v", w)
	}
	if w := perExample(f32([]int{3, 1}, 1, 2, 3), pred); len(w.Shape) != 1 || w.Shape[0] != 3 {
		t.Errorf("(3,1) weight: got %v", w)
	}
	if w := perExample(f32([]int{3, 2}, 1, 2, 3, 4, 5, 6), pred); len(w.Shape) != 2 {
		t.Errorf("per-element weight: got %v, want it unchanged", w)
	}
}

// Arrays round-trip through GoMLX tensors in every dtype the fixtures use.
func TestTensorRoundTrip(t *testing.T) {
	for _, dt := range []string{"float16", "bfloat16", "float32", "float64", "int32", "int64", "bool"} {
		in := port.Array{Shape: []int{2, 2}, DType: dt, Data: []float64{0, 1, 1, 0}}
		tt, err := toTensor("x", in, 0)
		if err != nil {
			t.Fatalf("%s: %v", dt, err)
		}
		out, err := fromTensor(tt)
		if err != nil || out.DType != dt || len(out.Shape) != 2 || out.Data[1] != 1 || out.Data[3] != 0 {
			t.Errorf("%s: got %v, %v", dt, out, err)
		}
	}
	if _, err := toTensor("x", port.Array{Shape: []int{2}, DType: "complex64", Data: []float64{0, 0}}, 0); !errors.Is(err, port.ErrNotImplemented) {
		t.Errorf("complex64: got %v, want not implemented", err)
	}
}
