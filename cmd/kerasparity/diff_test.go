package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/results"
)

// writeRun writes a finished results file holding the given cases.
func writeRun(t *testing.T, cases ...results.CaseResult) string {
	t.Helper()
	dir := t.TempDir()
	w, err := results.Create(filepath.Join(dir, results.FileName), results.RunInfo{Port: "p"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		w.Add(c)
	}
	if err := w.Close(results.End{}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func result(id, backend string, o results.Outcome, ulp float64) results.CaseResult {
	return results.CaseResult{ID: id, Backend: backend, Kind: "loss", Class: strings.Split(id, "/")[1], Outcome: o,
		Stats: &results.Stats{Elements: 1, MaxULP: reference.Float(ulp)}}
}

func TestDiff(t *testing.T) {
	base := []results.CaseResult{
		result("loss/Huber/f32/0001", "jax", results.Pass, 0),
		result("loss/Huber/f32/0001", "numpy", results.Pass, 1),
		result("loss/Huber/f32/0002", "jax", results.Fail, 100),
		result("loss/Dice/f32/0003", "jax", results.Pass, 0),
	}
	old := writeRun(t, base...)

	t.Run("identical runs: nothing, exit 0", func(t *testing.T) {
		var out, errs bytes.Buffer
		if code := run([]string{"diff", old, writeRun(t, base...)}, &out, &errs); code != exitOK {
			t.Fatalf("exit %d: %s%s", code, out.String(), errs.String())
		}
		if !strings.Contains(out.String(), "no change") {
			t.Errorf("output does not say no change:\n%s", out.String())
		}
	})

	t.Run("one case broken on purpose: exactly that case, exit 1", func(t *testing.T) {
		broken := append([]results.CaseResult(nil), base...)
		broken[1] = result("loss/Huber/f32/0001", "numpy", results.Fail, 50)
		broken[1].Detail = "step 0 (call): values differ"
		var out, errs bytes.Buffer
		code := run([]string{"diff", old, writeRun(t, broken...)}, &out, &errs)
		if code != exitFail {
			t.Fatalf("exit %d, want %d: %s", code, exitFail, out.String())
		}
		d := out.String()
		if !strings.Contains(d, "newly failing: 1") || !strings.Contains(d, "[numpy] loss/Huber/f32/0001: pass -> fail") {
			t.Errorf("diff does not name the broken case:\n%s", d)
		}
		if strings.Contains(d, "[jax] loss/Huber/f32/0001") {
			t.Errorf("diff names a case that did not change:\n%s", d)
		}
	})

	t.Run("fixed, not ported and grown ULP are told apart", func(t *testing.T) {
		next := append([]results.CaseResult(nil), base...)
		next[0] = result("loss/Huber/f32/0001", "jax", results.Pass, 9)
		next[2] = result("loss/Huber/f32/0002", "jax", results.Pass, 0)
		next[3] = result("loss/Dice/f32/0003", "jax", results.NotPorted, 0)
		var out, errs bytes.Buffer
		code := run([]string{"diff", "-format", "markdown", old, writeRun(t, next...)}, &out, &errs)
		if code != exitFail {
			t.Fatalf("exit %d, want %d", code, exitFail)
		}
		for _, want := range []string{"newly passing: 1", "newly not ported: 1", "max ULP grew by more than 2: 1", "| loss/Dice |"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("missing %q in:\n%s", want, out.String())
			}
		}
	})

	t.Run("bad input exits 2 naming the file", func(t *testing.T) {
		var out, errs bytes.Buffer
		if code := run([]string{"diff", old, filepath.Join(t.TempDir(), "nope.jsonl")}, &out, &errs); code != exitUsage {
			t.Fatalf("exit %d", code)
		}
		if !strings.Contains(errs.String(), "nope.jsonl") {
			t.Errorf("error does not name the file: %s", errs.String())
		}
	})
}
