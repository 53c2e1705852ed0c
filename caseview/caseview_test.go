package caseview

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kerasparity/kerasparity/reference"
)

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		x     float64
		dtype string
		want  string
	}{
		{float64(float32(0.1)), "float32", "0.1"},
		{0.1, "float64", "0.1"},
		{2, "float32", "2.0"},
		{math.Copysign(0, -1), "float32", "-0.0"},
		{1e-7, "float64", "1e-07"},
		{math.NaN(), "float16", "nan"},
		{math.Inf(-1), "float64", "-inf"},
		{0.0999755859375, "float16", "0.099976"},
		{0.10009765625, "bfloat16", "0.1001"},
		{-3, "int32", "-3"},
		{1, "bool", "true"},
		{0, "bool", "false"},
		{0.5, "int32", "0.5"}, // not an int although the dtype says so: shown as it is
	} {
		if got := Number(tc.x, tc.dtype); got != tc.want {
			t.Errorf("Number(%v, %s) = %q, want %q", tc.x, tc.dtype, got, tc.want)
		}
	}
}

// TestNumberRoundTrips checks the promise Python relies on: every float32
// printed reads back, through float64 as NumPy reads it, as the same float32.
func TestNumberRoundTrips(t *testing.T) {
	bits := uint32(0x3dcccccd) // 0.1
	for range 200000 {
		bits = bits*1664525 + 1013904223 // an LCG walk over bit patterns
		x := float64(math.Float32frombits(bits))
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		s := Number(x, "float32")
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || float64(float32(v)) != x {
			t.Fatalf("float32 %v printed as %q reads back as %v (%v)", x, s, float32(v), err)
		}
	}
}

func TestArrayMalformed(t *testing.T) {
	for _, tc := range []struct {
		a    reference.Array
		want string
	}{
		{reference.Array{Shape: []int{2, 2}, DType: "float32", Data: []float64{1}}, "float32 2x2 <shape [2 2] needs 4 values, array holds 1>"},
		{reference.Array{Shape: []int{-1}, DType: "float32"}, "float32 -1 <invalid shape [-1]>"},
		{reference.Array{DType: "float32"}, "float32 <shape [] needs 1 values, array holds 0>"},
	} {
		if got := Array(tc.a, 64); got != tc.want {
			t.Errorf("Array(%+v) = %q, want %q", tc.a, got, tc.want)
		}
	}
}

func TestArraySummary(t *testing.T) {
	for _, tc := range []struct {
		a    reference.Array
		want string
	}{
		{reference.Array{Shape: []int{3}, DType: "float32", Data: []float64{math.NaN(), math.NaN(), math.NaN()}}, "float32 3 (all 3 nan)"},
		{reference.Array{Shape: []int{4}, DType: "bool", Data: []float64{1, 0, 1, 1}}, "bool 4 (3 of 4 true)"},
		{reference.Array{Shape: []int{2}, DType: "float32", Data: []float64{math.Inf(-1), math.Inf(1)}}, "float32 2 (min -inf, max inf, 2 inf)"},
		{reference.Array{Shape: []int{3}, DType: "int32", Data: []float64{1, 2, 4}}, "int32 3 (min 1, max 4, mean 2.33333)"},
	} {
		if got := Array(tc.a, 1); got != tc.want {
			t.Errorf("Array(%v, 1) = %q, want %q", tc.a.Data, got, tc.want)
		}
	}
	full := reference.Array{Shape: []int{3}, DType: "int32", Data: []float64{1, 2, 4}}
	if got := Array(full, -1); got != "int32 3 [1, 2, 4]" {
		t.Errorf("negative limit: %q", got)
	}
}

// ref wraps an array the way Load leaves it behind an ArrayRef.
func ref(dtype string, shape []int, data ...float64) *reference.ArrayRef {
	return &reference.ArrayRef{File: "f.npz", Key: "k", DType: dtype, Shape: shape,
		Array: &reference.Array{Shape: shape, DType: dtype, Data: data}}
}

// backendsCase is one case as three backends saw it: the same inputs, a
// different value on tensorflow, and numpy's stream ending at an error.
func backendsCase() []*reference.Case {
	mk := func(backend string, v float64, fail bool) *reference.Case {
		steps := []*reference.Step{
			{Op: "update", YTrue: ref("float32", []int{2}, 0, 1), YPred: ref("float32", []int{2}, 0.25, 0.75),
				Expect: reference.Outcome{Value: ref("float32", nil, v)}},
			{Op: "update", YTrue: ref("float32", []int{1}, 1), YPred: ref("float32", []int{1}, 0.5),
				Expect: reference.Outcome{Value: ref("float32", nil, v/2)}},
		}
		if fail {
			steps = steps[:1]
			steps[0].Expect = reference.Outcome{Error: &reference.KerasError{Type: "ValueError", Message: "no"}}
		}
		return &reference.Case{ID: "metric/AUC/f32/0001", Kind: "metric", Class: "AUC", DType: "float32",
			Config:  map[string]any{"num_thresholds": 200.0, "name": "auc"},
			Params:  map[string]string{"curve": "ROC"},
			Edges:   []string{"stream"},
			Steps:   steps,
			Backend: backend}
	}
	return []*reference.Case{mk("jax", 0.5, false), mk("numpy", 0.5, true), mk("tensorflow", 0.25, false)}
}

func TestTextSideBySide(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, backendsCase(), Options{Limit: 64}); err != nil {
		t.Fatal(err)
	}
	want := `case metric/AUC/f32/0001
  kind              metric
  class             AUC
  dtype             float32
  backends          jax, numpy, tensorflow
  config            {"name":"auc","num_thresholds":200}
  params            curve=ROC
  edges             stream
  step 0: update
    y_true            float32 2 [0.0, 1.0]
    y_pred            float32 2 [0.25, 0.75]
    keras jax         float32 0.5
    keras numpy       error ValueError: no
    keras tensorflow  float32 0.25
  step 1: update
    y_true            float32 1 [1.0]
    y_pred            float32 1 [0.5]
    keras jax         float32 0.25
    keras numpy       (no such step: the stream ended at an error)
    keras tensorflow  float32 0.125
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestTextRawConfigAndDifferingInputs(t *testing.T) {
	cases := backendsCase()
	cases[2].Steps[0].YPred = ref("float32", []int{2}, 0.25, 0.5)
	raw := json.RawMessage(`{"num_thresholds": 200, "name": "auc", "beta": 1.0}`)
	var b bytes.Buffer
	if err := Text(&b, cases, Options{Limit: 64, Configs: map[*reference.Case]json.RawMessage{cases[0]: raw}}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"config jax {\"beta\":1.0,\"name\":\"auc\",\"num_thresholds\":200}\n",
		"config numpy {\"name\":\"auc\",\"num_thresholds\":200}\n",
		"y_pred jax float32 2 [0.25, 0.75]\n",
		"y_pred tensorflow float32 2 [0.25, 0.5]\n",
	} {
		if !strings.Contains(squash(b.String()), want) {
			t.Errorf("lacks %q:\n%s", want, b.String())
		}
	}
}

// squash collapses runs of spaces, so that checks do not depend on the
// width of the label column.
func squash(s string) string { return regexp.MustCompile(` {2,}`).ReplaceAllString(s, " ") }

func TestPythonProgram(t *testing.T) {
	c := backendsCase()[2]
	c.Config = map[string]any{"num_thresholds": 200.0, "thresholds": []any{0.25, 0.5}, "name": "auc"}
	got := Python(c, PythonOptions{Keras: "3.15.1"})
	for _, want := range []string{
		"# on the tensorflow backend with Keras 3.15.1",
		"#   step 0 update: float32 0.25",
		`os.environ["KERAS_BACKEND"] = "tensorflow"`,
		"tf.config.threading.set_intra_op_parallelism_threads(1)",
		`config = {"name": "auc", "num_thresholds": 200, "thresholds": [0.25, 0.5]}`,
		"obj = keras.metrics.AUC(**config)",
		"y_true = np.array([0.0, 1.0], dtype=np.float32)",
		`run(1, "update", lambda: (obj.update_state(y_true, y_pred), obj.result())[1])`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("program lacks %q:\n%s", want, got)
		}
	}
}

func TestPythonArrays(t *testing.T) {
	c := &reference.Case{ID: "function/circle/bf16/0001", Kind: "function", Class: "circle", DType: "bfloat16",
		Backend: "jax", Config: map[string]any{"ref_labels": []any{0.0, 1.0}, "ref_embeddings": []any{[]any{0.5, 0.25}}, "axis": []any{1.0, 2.0}},
		Steps: []*reference.Step{{Op: "call",
			YTrue:  ref("int32", []int{2}, 0, 1),
			YPred:  ref("bfloat16", []int{2, 2}, 0.5, math.NaN(), 1, 2),
			Expect: reference.Outcome{Value: ref("float32", []int{0, 3})}}}}
	got := Python(c, PythonOptions{})
	for _, want := range []string{
		`"ref_embeddings": np.array([[0.5, 0.25]], dtype=ml_dtypes.bfloat16)`,
		`"ref_labels": np.array([0, 1], dtype=np.int32)`,
		`"axis": (1, 2)`,
		"fn = keras.losses.circle",
		"y_true = np.array([0, 1], dtype=np.int32)",
		"y_pred = np.array([[0.5, nan], [1.0, 2.0]], dtype=ml_dtypes.bfloat16)",
		`run(0, "call", lambda: fn(y_true, y_pred, **config))`,
		"#   step 0 call: float32 0x3 []",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("program lacks %q:\n%s", want, got)
		}
	}
	// Large arrays come from the fixture file when its folder is known.
	got = Python(c, PythonOptions{ArrayDir: "/fx/jax", InlineLimit: 3})
	if want := `y_pred = np.load("/fx/jax/f.npz")["k"].astype(ml_dtypes.bfloat16)`; !strings.Contains(got, want) {
		t.Errorf("program lacks %q:\n%s", want, got)
	}
	if want := "y_true = np.array([0, 1], dtype=np.int32)"; !strings.Contains(got, want) {
		t.Errorf("small arrays should stay inline: lacks %q:\n%s", want, got)
	}
}
