package results_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kerasparity/kerasparity/results"
)

func TestWriteRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), results.FileName)
	w, err := results.Create(path, results.RunInfo{Port: "p", Fixtures: "f"})
	if err != nil {
		t.Fatal(err)
	}
	w.Running(results.CaseResult{ID: "loss/A/0001", Backend: "jax"})
	w.Add(results.CaseResult{ID: "loss/A/0001", Backend: "jax", Kind: "loss", Class: "A", Outcome: results.Pass})
	w.Running(results.CaseResult{ID: "loss/A/0002", Backend: "jax"})
	w.Add(results.CaseResult{ID: "loss/A/0002", Backend: "jax", Kind: "loss", Class: "A", Outcome: results.Fail, Detail: "x"})
	if c := w.Counts(); c.Total != 2 || c.Pass != 1 || c.Fail != 1 {
		t.Fatalf("counts %+v", c)
	}
	if err := w.Close(results.End{Warnings: []string{"w"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), results.RunningFile)); !os.IsNotExist(err) {
		t.Errorf("a finished run leaves its running file: %v", err)
	}
	f, err := results.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Finished() || f.Info.Port != "p" || len(f.Cases) != 2 || f.End.Counts.Total != 2 || f.End.Warnings[0] != "w" {
		t.Errorf("read back %+v", f)
	}
	if k := f.Cases[1].Key(); k != "[jax] loss/A/0002" {
		t.Errorf("key %q", k)
	}
}

func TestReadCrashedRun(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, results.FileName)
	w, err := results.Create(path, results.RunInfo{Port: "p"})
	if err != nil {
		t.Fatal(err)
	}
	w.Add(results.CaseResult{ID: "a", Backend: "numpy", Outcome: results.Pass})
	w.Running(results.CaseResult{ID: "b", Backend: "numpy", Kind: "loss", Class: "B"})
	// The process dies here, in the middle of writing its next line.
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fh.WriteString(`{"case":{"id":"b","back`)
	fh.Close()

	f, err := results.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Finished() || !f.Truncated || len(f.Cases) != 1 || f.Running != "[numpy] b" || f.RunningCase.Class != "B" {
		t.Errorf("crashed run read as finished=%v truncated=%v cases=%d running=%q", f.Finished(), f.Truncated, len(f.Cases), f.Running)
	}

	// Another process goes on with the run: the cut line goes, the
	// finished case counts, and the run can end.
	w2, got, err := results.Append(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Cases) != 1 {
		t.Errorf("Append read %d cases", len(got.Cases))
	}
	w2.Add(results.CaseResult{ID: "b", Backend: "numpy", Outcome: results.Error})
	if err := w2.Close(results.End{}); err != nil {
		t.Fatal(err)
	}
	f, err = results.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Finished() || f.Truncated || len(f.Cases) != 2 || f.End.Counts.Total != 2 || f.End.Counts.Error != 1 {
		t.Errorf("resumed run read as finished=%v truncated=%v cases=%d counts=%+v", f.Finished(), f.Truncated, len(f.Cases), f.End.Counts)
	}
	if _, _, err := results.Append(path); err == nil {
		t.Error("Append went on with a finished run")
	}
}

func TestReadRefuses(t *testing.T) {
	for name, body := range map[string]string{
		"not a results file": `{"foo":1}` + "\n",
		"two runs in one":    `{"run":{"port":"p"}}` + "\n" + `{"run":{"port":"q"}}` + "\n",
		"garbage mid-file":   `{"run":{"port":"p"}}` + "\n" + `nope` + "\n" + `{"end":{}}` + "\n",
		"case after the end": `{"run":{"port":"p"}}` + "\n" + `{"end":{}}` + "\n" + `{"case":{"id":"a"}}` + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), results.FileName)
			if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := results.Read(path)
			if err == nil || !strings.Contains(err.Error(), path) {
				t.Errorf("err = %v, want an error naming %s", err, path)
			}
		})
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain/id=1.5":             "plain/id=1.5",
		"[jax] loss/A/0001":        `'[jax] loss/A/0001'`,
		"it's $(touch x) `rm` \"q": `'it'\''s $(touch x) ` + "`rm`" + ` "q'`,
		"":                         "''",
	} {
		if got := results.ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestSpecText(t *testing.T) {
	b, id := results.ParseSpecText(results.SpecText("jax", "loss/A/0001"))
	if b != "jax" || id != "loss/A/0001" {
		t.Errorf("round trip gave %q %q", b, id)
	}
	if b, id := results.ParseSpecText("loss/A/0001"); b != "" || id != "loss/A/0001" {
		t.Errorf("bare id gave %q %q", b, id)
	}
}
