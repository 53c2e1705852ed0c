package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyTestdata copies the report package's real Ginkgo run into a fresh
// folder, with or without its run.json.
func copyTestdata(t *testing.T, withRunInfo bool) string {
	t.Helper()
	dir := t.TempDir()
	files := []string{"ginkgo.json"}
	if withRunInfo {
		files = append(files, "run.json")
	}
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCmd(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// reportOn runs the command on the Ginkgo report in dir, requires success
// and returns what it printed.
func reportOn(t *testing.T, dir string) string {
	t.Helper()
	code, stdout, stderr := runCmd("-json", filepath.Join(dir, "ginkgo.json"))
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	return stdout
}

func TestWritesReportAndSummaryBesideTheJSON(t *testing.T) {
	dir := copyTestdata(t, true)
	stdout := reportOn(t, dir)
	if !strings.HasPrefix(stdout, "kerasparity: fail: 4 of 9 cases do not match Keras") {
		t.Errorf("stdout does not start with the verdict: %q", stdout)
	}
	if !strings.Contains(stdout, "report: "+filepath.Join(dir, "report.html")) {
		t.Errorf("stdout does not name the page: %q", stdout)
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil || !bytes.Contains(page, []byte("kerasparity/testport")) {
		t.Errorf("report.html: %v, %d bytes without the port's name", err, len(page))
	}
	summary, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil || !bytes.Contains(summary, []byte(`"verdict": "fail"`)) {
		t.Errorf("summary.json: %v, %s", err, summary)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestGateFailsOnAFailingRun(t *testing.T) {
	dir := copyTestdata(t, true)
	out := filepath.Join(t.TempDir(), "new", "folder")
	code, _, stderr := runCmd("-json", filepath.Join(dir, "ginkgo.json"), "-out", out, "-gate")
	if code != exitGate {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitGate, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "report.html")); err != nil {
		t.Errorf("the page is written even when the gate fails: %v", err)
	}
}

func TestRunInfoAbsentBesideTheJSONIsAWarning(t *testing.T) {
	stdout := reportOn(t, copyTestdata(t, false))
	if !strings.Contains(stdout, "warning: no run.json") {
		t.Errorf("no warning about the missing run.json: %q", stdout)
	}
}

func TestBadInput(t *testing.T) {
	dir := copyTestdata(t, true)
	garbled := filepath.Join(dir, "garbled.json")
	if err := os.WriteFile(garbled, []byte(`[{"SpecReports": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"no -json":         {},
		"unknown flag":     {"-json", filepath.Join(dir, "ginkgo.json"), "-colour"},
		"extra argument":   {"-json", filepath.Join(dir, "ginkgo.json"), "more"},
		"missing report":   {"-json", filepath.Join(dir, "absent.json")},
		"garbled report":   {"-json", garbled},
		"missing run info": {"-json", filepath.Join(dir, "ginkgo.json"), "-run", filepath.Join(dir, "absent-run.json")},
	} {
		code, _, stderr := runCmd(args...)
		if code != exitBadInput {
			t.Errorf("%s: exit %d, want %d", name, code, exitBadInput)
		}
		if stderr == "" {
			t.Errorf("%s: nothing on stderr", name)
		}
	}
}
