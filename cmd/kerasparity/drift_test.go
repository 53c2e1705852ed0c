package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestDriftUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"only-one"},
		{"-format", "html", "a", "b"},
		{"-top", "-1", "a", "b"},
	} {
		var out, errs bytes.Buffer
		if code := cmdDrift(args, &out, &errs); code != exitUsage {
			t.Errorf("drift %q: exit %d, want %d", args, code, exitUsage)
		}
		if !strings.Contains(errs.String(), "usage: kerasparity drift") {
			t.Errorf("drift %q: no usage line in %q", args, errs.String())
		}
	}
	var out, errs bytes.Buffer
	if code := cmdDrift([]string{t.TempDir(), t.TempDir()}, &out, &errs); code != exitUsage || !strings.Contains(errs.String(), "FROM:") {
		t.Errorf("drift of empty folders: exit %d, stderr %q", code, errs.String())
	}
}

// TestDriftSameSet compares the committed numpy fixtures with themselves:
// nothing changed, exit 0.
func TestDriftSameSet(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the numpy fixtures twice")
	}
	for _, format := range []string{"text", "markdown"} {
		var out, errs bytes.Buffer
		set := "../../fixtures/numpy"
		if code := cmdDrift([]string{"-format", format, set, set}, &out, &errs); code != exitOK {
			t.Fatalf("exit %d: %s", code, errs.String())
		}
		for _, want := range []string{"Keras drift: ", "numpy: 0 of ", "No case changed"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s output lacks %q:\n%s", format, want, out.String())
			}
		}
	}
}
