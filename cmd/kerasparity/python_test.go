package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kerasparity/kerasparity/caseview"
	"github.com/kerasparity/kerasparity/reference"
)

// TestPythonReproducesFixtures runs the program of `show -python` for a few
// cases of every kind with real Keras and requires it to print what the
// fixture recorded. It needs a Python with the pinned Keras (gen/requirements.txt):
//
//	KERASPARITY_PYTHON=gen/.venv/bin/python go test ./cmd/kerasparity -run Python
func TestPythonReproducesFixtures(t *testing.T) {
	python := os.Getenv("KERASPARITY_PYTHON")
	if python == "" {
		t.Skip("KERASPARITY_PYTHON is not set (a python with the pinned keras)")
	}
	type pick struct {
		what string
		keep func(c *reference.Case) bool
	}
	hasWeight := func(c *reference.Case) bool { return c.Steps[0].SampleWeight != nil }
	hasOp := func(c *reference.Case, op string) bool {
		for _, s := range c.Steps {
			if s.Op == op {
				return true
			}
		}
		return false
	}
	raised := func(c *reference.Case) bool {
		last := c.Steps[len(c.Steps)-1]
		return last.Op != "construct" && last.Expect.Error != nil
	}
	big := func(c *reference.Case) bool {
		return c.Steps[0].YPred != nil && c.Steps[0].YPred.Array.Size() > caseview.DefaultInlineLimit
	}
	picks := []pick{
		{"loss class with sample weight", func(c *reference.Case) bool {
			return c.Kind == "loss" && hasWeight(c) && c.Params["reduction"] == "sum"
		}},
		{"plain function", func(c *reference.Case) bool { return c.Kind == "function" && c.Class == "dice" }},
		{"metric stream with reset", func(c *reference.Case) bool {
			return c.Class == "MeanMetricWrapper" && hasOp(c, "reset") && hasWeight(c)
		}},
		{"Mean (update_state(values))", func(c *reference.Case) bool { return c.Class == "Mean" && hasOp(c, "reset") }},
		{"constructor raised", func(c *reference.Case) bool { return c.Steps[0].Op == "construct" && c.Class == "Huber" }},
		{"constructor raised on an int", func(c *reference.Case) bool {
			return c.Steps[0].Op == "construct" && c.Class == "F1Score" && c.Params["threshold"] == "1"
		}},
		{"constructor raised on a list of thresholds", func(c *reference.Case) bool {
			return c.Steps[0].Op == "construct" && c.Class == "Precision" && strings.Contains(c.Params["thresholds"], ",")
		}},
		{"constructor accepted a float", func(c *reference.Case) bool {
			return c.Steps[0].Op != "construct" && c.Class == "F1Score" && c.Params["threshold"] == "1.0"
		}},
		{"call raised", func(c *reference.Case) bool { return c.Kind == "loss" && raised(c) }},
		{"bfloat16 function with array kwargs", func(c *reference.Case) bool {
			return c.Class == "circle" && c.DType == "bfloat16" && c.Params["ref"] == "given"
		}},
		{"float16 loss", func(c *reference.Case) bool {
			return c.Kind == "loss" && c.DType == "float16" && hasWeight(c) && finiteValues(c)
		}},
		{"float16 function", func(c *reference.Case) bool { return c.Kind == "function" && c.DType == "float16" && finiteValues(c) }},
		{"bfloat16 metric", func(c *reference.Case) bool { return c.Kind == "metric" && c.DType == "bfloat16" && finiteValues(c) }},
		{"sparse int32 labels", func(c *reference.Case) bool { return c.Class == "SparseCategoricalCrossentropy" && c.Kind == "loss" }},
		{"large input loaded from the npz", func(c *reference.Case) bool { return c.Kind == "loss" && big(c) }},
		{"AUC metric", func(c *reference.Case) bool { return c.Class == "AUC" && hasOp(c, "reset") }},
	}
	backends := []string{"numpy", "jax", "tensorflow"}
	if b := os.Getenv("KERASPARITY_PYTHON_BACKENDS"); b != "" {
		backends = strings.Fields(b)
	}
	for _, backend := range backends {
		set, err := reference.Load(filepath.Join(committed, backend))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range picks {
			var c *reference.Case
			for _, x := range set.Cases() {
				if p.keep(x) {
					c = x
					break
				}
			}
			if c == nil {
				t.Errorf("%s: no case fits %q", backend, p.what)
				continue
			}
			t.Run(backend+"/"+p.what, func(t *testing.T) {
				configs, err := rawConfigs(set, []*reference.Case{c})
				if err != nil {
					t.Fatal(err)
				}
				program := caseview.Python(c, pythonOptions(set, c, configs[c]))
				out := runPython(t, python, program)
				t.Logf("%s [%s]:\n%s", c.ID, backend, out)
				checkPythonOutput(t, c, out)
			})
		}
	}
}

// finiteValues reports whether every value Keras returned for c is finite
// (a NaN matches any NaN: a weak check of a float16 rounding).
func finiteValues(c *reference.Case) bool {
	for _, s := range c.Steps {
		if s.Expect.Value == nil {
			return false
		}
		for _, x := range s.Expect.Value.Array.Data {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
		}
	}
	return true
}

// runPython runs program with python, with the generator's hash seed.
func runPython(t *testing.T, python, program string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-")
	cmd.Stdin = strings.NewReader(program)
	cmd.Env = append(os.Environ(), "PYTHONHASHSEED=0")
	cmd.Dir = t.TempDir()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python: %v\nstderr:\n%s\nprogram:\n%s", err, stderr.String(), program)
	}
	return stdout.String()
}

var stepLine = regexp.MustCompile(`^step (\d+) (\w+): (.*)$`)

// checkPythonOutput compares the program's "step N op: ..." lines with the
// fixture: the same error type, or the same dtype and every value the same
// number in that dtype.
func checkPythonOutput(t *testing.T, c *reference.Case, out string) {
	t.Helper()
	got := make(map[int]string)
	for line := range strings.Lines(out) {
		if m := stepLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			i, _ := strconv.Atoi(m[1])
			got[i] = m[3]
		}
	}
	for i, s := range c.Steps {
		line, ok := got[i]
		if !ok {
			t.Errorf("step %d (%s): no output", i, s.Op)
			continue
		}
		if e := s.Expect.Error; e != nil {
			if !strings.HasPrefix(line, "error "+e.Type+":") {
				t.Errorf("step %d: Keras printed %q, the fixture has error %s: %s", i, line, e.Type, e.Message)
			} else if msg := strings.TrimPrefix(line, "error "+e.Type+": "); !strings.HasPrefix(msg, strings.TrimSuffix(e.Message, "...")) {
				t.Logf("step %d: same error type, message differs (the fixture's is normalised):\n got  %s\n want %s", i, msg, e.Message)
			}
			continue
		}
		want := s.Expect.Value.Array
		dtype, values, _ := strings.Cut(line, " ")
		if dtype != want.DType {
			t.Errorf("step %d: dtype %s, the fixture has %s (line %q)", i, dtype, want.DType, line)
			continue
		}
		nums, err := parseNumbers(values)
		if err != nil {
			t.Errorf("step %d: %v in %q", i, err, line)
			continue
		}
		if len(nums) != len(want.Data) {
			t.Errorf("step %d: %d values, the fixture has %d", i, len(nums), len(want.Data))
			continue
		}
		for k, x := range nums {
			if !sameIn(x, want.Data[k], want.DType) {
				t.Errorf("step %d: element %d is %v, the fixture has %s", i, k, x, caseview.Number(want.Data[k], want.DType))
				break
			}
		}
	}
}

// parseNumbers reads NumPy's array2string output: nested brackets of
// comma-separated numbers, nan, inf, True and False.
func parseNumbers(s string) ([]float64, error) {
	s = strings.NewReplacer("[", " ", "]", " ", "\n", " ").Replace(s)
	var out []float64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		var x float64
		switch f {
		case "":
			continue
		case "True":
			x = 1
		case "False":
			x = 0
		default:
			v, err := strconv.ParseFloat(f, 64) // also nan, inf, -inf
			if err != nil {
				return nil, err
			}
			x = v
		}
		out = append(out, x)
	}
	return out, nil
}

// sameIn reports whether printed, NumPy's shortest digits for a value of
// dtype, reads back as want in that dtype. bfloat16 results are printed
// widened to float32, as the fixture stores them.
func sameIn(printed, want float64, dtype string) bool {
	if math.IsNaN(want) || math.IsNaN(printed) {
		return math.IsNaN(want) && math.IsNaN(printed)
	}
	switch dtype {
	case "float32", "bfloat16":
		return float32(printed) == float32(want)
	case "float16":
		if math.IsInf(want, 0) {
			return printed == want
		}
		// Half a float16 ulp of want: 2^(e-11) for |want| in [2^(e-1), 2^e),
		// never below half the smallest subnormal step 2^-24.
		_, e := math.Frexp(want)
		half := math.Ldexp(1, max(e, -13)-12)
		return math.Abs(printed-want) <= half
	}
	return printed == want
}
