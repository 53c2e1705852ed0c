package main

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/kerasparity/kerasparity/caseview"
	"github.com/kerasparity/kerasparity/reference"
)

// committed is the fixture set of the repository, relative to this package;
// tests that need one backend only use committedNumpy: loading verifies
// every array, so a backend costs seconds on a busy machine.
const (
	committed      = "../../fixtures"
	committedNumpy = committed + "/numpy"
)

var (
	committedOnce sync.Once
	committedSet  *reference.Set
	committedErr  error
)

// loadCommitted loads the committed numpy fixtures once for every test that
// needs to pick cases from them.
func loadCommitted(t *testing.T) *reference.Set {
	t.Helper()
	committedOnce.Do(func() { committedSet, committedErr = reference.Load(committedNumpy) })
	if committedErr != nil {
		t.Fatalf("loading %s: %v", committedNumpy, committedErr)
	}
	return committedSet
}

// show runs the verb and returns its exit code, stdout and stderr.
func show(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := cmdShow(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// firstCase is the first case of set matching keep.
func firstCase(t *testing.T, set *reference.Set, keep func(*reference.Case) bool) *reference.Case {
	t.Helper()
	for _, c := range set.Cases() {
		if keep(c) {
			return c
		}
	}
	t.Fatal("no case fits")
	return nil
}

func TestShowCommittedCase(t *testing.T) {
	set := loadCommitted(t)
	c := firstCase(t, set, func(c *reference.Case) bool {
		return c.Kind == "loss" && c.Class == "Huber" && c.Steps[0].Expect.Value != nil
	})
	// Every backend of the committed set, as a user would run it.
	code, out, errOut := show("-fixtures", committed, c.ID)
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, errOut)
	}
	for _, want := range []string{
		"case " + c.ID,
		"class Huber",
		"config " + caseview.ConfigJSON(c, nil)[:len(`{"delta":`)],
		`"reduction":"` + c.Config["reduction"].(string) + `"`,
		"backends jax, numpy, tensorflow",
		"keras numpy " + caseview.Array(*c.Steps[0].Expect.Value.Array, 64) + "\n",
	} {
		if !strings.Contains(squash(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, b := range []string{"jax", "tensorflow"} {
		if !strings.Contains(out, "keras "+b) {
			t.Errorf("no Keras line for %s:\n%s", b, out)
		}
	}
}

func TestShowSpecNameSelectsBackend(t *testing.T) {
	set := loadCommitted(t)
	c := set.Cases()[0]
	for _, args := range [][]string{
		{"-fixtures", committed, "[numpy] " + c.ID},
		{"-fixtures", committed, "[numpy]", c.ID}, // the two words as two arguments
	} {
		code, out, errOut := show(args...)
		if code != 0 {
			t.Fatalf("show %q: exit %d, stderr: %s", args, code, errOut)
		}
		if got := strings.Count(out, "    keras numpy "); got != len(c.Steps) || strings.Contains(out, "keras jax") {
			t.Errorf("want one Keras line per step, numpy only (%d), got %d:\n%s", len(c.Steps), got, out)
		}
	}
}

func TestShowUnknownID(t *testing.T) {
	set := loadCommitted(t)
	c := set.Cases()[0]
	id := c.ID[:strings.LastIndexByte(c.ID, '/')] + "/9999" // a serial that does not exist
	code, out, errOut := show("-fixtures", committedNumpy, id)
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if out != "" {
		t.Errorf("stdout should be empty, got %q", out)
	}
	if !strings.Contains(errOut, id) {
		t.Errorf("stderr does not name %s: %s", id, errOut)
	}
	if !strings.Contains(errOut, "nearest ids") || !strings.Contains(errOut, c.ID) {
		t.Errorf("stderr does not suggest %s: %s", c.ID, errOut)
	}
}

func TestShowPythonSnippet(t *testing.T) {
	set := loadCommitted(t)
	c := firstCase(t, set, func(c *reference.Case) bool {
		return c.Kind == "metric" && c.Class == "MeanMetricWrapper"
	})
	code, out, errOut := show("-fixtures", committed, "-backend", "jax", "-python", c.ID)
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, errOut)
	}
	for _, want := range []string{
		`os.environ["KERAS_BACKEND"] = "jax"`,
		"keras.metrics.MeanMetricWrapper(**config)",
		`"fn": {"class_name": "function"`,
		"obj.update_state(",
		"obj.reset_state()",
		"dtype=np.float",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("snippet lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "case ") && strings.Contains(out, "  kind ") {
		t.Errorf("-python printed the text view too")
	}
}

func TestShowSynthetic(t *testing.T) {
	dir := synthSet(t)
	code, out, errOut := show("-fixtures", dir, "metric/F1Score/thr=0.5/f32/0001")
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, errOut)
	}
	for _, want := range []string{
		`config            {"average":"micro","beta":1.0,"dtype":"float32","name":"f1_score","threshold":0.5}`,
		"params            average=micro threshold=0.5",
		"  step 0: update\n",
		"    y_pred            float32 2x2 [[0.25, 0.75], [nan, 0.5]]\n",
		"    sample_weight     float32 2 [1.0, 0.5]\n",
		"    keras numpy       float32 0.6666667\n",
		"  step 1: reset\n",
		"    keras numpy       float32 0.0\n",
	} {
		if !strings.Contains(squash(out), squash(want)) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// Summaries beyond -limit, everything with -full.
	_, out, _ = show("-fixtures", dir, "-limit", "2", "metric/F1Score/thr=0.5/f32/0001")
	if want := "y_pred float32 2x2 (min 0.25, max 0.75, mean 0.5, 1 nan)"; !strings.Contains(squash(out), want) {
		t.Errorf("-limit 2: output lacks %q:\n%s", want, out)
	}
	_, out, _ = show("-fixtures", dir, "-limit", "2", "-full", "metric/F1Score/thr=0.5/f32/0001")
	if !strings.Contains(out, "[[0.25, 0.75], [nan, 0.5]]") {
		t.Errorf("-full did not inline:\n%s", out)
	}

	// An int in the config stays an int, in the text and in Python.
	code, out, errOut = show("-fixtures", dir, "metric/F1Score/thr=1/f32/0002")
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, errOut)
	}
	for _, want := range []string{`"threshold":1}`, "keras numpy       error ValueError: Invalid value for argument `threshold`."} {
		if !strings.Contains(squash(out), squash(want)) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = show("-fixtures", dir, "-python", "metric/F1Score/thr=1/f32/0002")
	for _, want := range []string{`"threshold": 1}`, "keras.metrics.F1Score(**config)", `fail(0, "construct", exc)`} {
		if !strings.Contains(out, want) {
			t.Errorf("snippet lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = show("-fixtures", dir, "-python", "metric/F1Score/thr=0.5/f32/0001")
	for _, want := range []string{
		`"beta": 1.0`,
		"y_pred = np.array([[0.25, 0.75], [nan, 0.5]], dtype=np.float32)",
		"sample_weight = np.array([1.0, 0.5], dtype=np.float32)",
		"(obj.update_state(y_true, y_pred, sample_weight=sample_weight), obj.result())[1]",
		`run(1, "reset", lambda: (obj.reset_state(), obj.result())[1])`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("snippet lacks %q:\n%s", want, out)
		}
	}
}

func TestShowUsageErrors(t *testing.T) {
	dir := synthSet(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "no CASE given"},
		{[]string{"-fixtures", dir}, "no CASE given"},
		{[]string{"-fixtures", dir, "-nosuchflag", "x"}, "nosuchflag"},
		{[]string{"-fixtures", dir, "-backend", "jax", "[numpy] metric/F1Score/thr=1/f32/0002"}, `-backend is "jax"`},
		{[]string{"-fixtures", dir, "two words"}, `"two words"`},
		{[]string{"-fixtures", dir + "/missing", "a/b"}, "no fixture set at " + dir + "/missing"},
		{[]string{"-fixtures", dir, "F1Score/thr=1/f32/0002"}, "nearest ids:\n  metric/F1Score/thr=1/f32/0002"},
		{[]string{"-fixtures", dir, "-backend", "jax", "metric/F1Score/thr=1/f32/0002"}, `not on backend "jax"`},
	} {
		code, out, errOut := show(tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("show %q: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

func TestRunDispatch(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"nosuchverb"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "nosuchverb") {
		t.Errorf("unknown verb: exit %d, stderr %q", code, errOut.String())
	}
}

// squash collapses runs of spaces, so that checks do not depend on how wide
// the label column is.
func squash(s string) string { return spaces.ReplaceAllString(s, " ") }

var spaces = regexp.MustCompile(` {2,}`)
