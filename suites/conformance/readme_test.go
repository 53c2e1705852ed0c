package conformance_test

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeRecipe builds and runs the README's "Plugging in your own port"
// recipe as it stands, in a fresh module beside a link to this repository,
// so the recipe cannot rot. It then holds the third-party path to its
// gates: an empty selection and an all-not-ported port must exit non-zero.
func TestReadmeRecipe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a module of its own")
	}
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	blocks := recipeBlocks(t, filepath.Join(root, "README.md"))
	tmp := t.TempDir()
	if err := os.Symlink(root, filepath.Join(tmp, "kerasparity")); err != nil {
		t.Fatal(err)
	}
	mod := filepath.Join(tmp, "myport")
	mustRun(t, tmp, "mkdir", "myport")
	mustRun(t, mod, "go", "mod", "init", "example.com/myport")
	script, ok := blocks["run"]
	if !ok {
		t.Fatal(`README.md has no "<!-- recipe: run -->" block`)
	}
	for name, body := range blocks {
		if name == "run" {
			continue
		}
		p := filepath.Join(mod, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The README's commands, verbatim, one shell.
	mustRun(t, mod, "bash", "-euo", "pipefail", "-c", script)
	if _, err := os.Stat(filepath.Join(mod, "out", "report.html")); err != nil {
		t.Fatalf("the recipe wrote no report: %v", err)
	}

	// An empty selection fails the run.
	if code := exitCode(t, mod, "go", "test", "-count=1", "./conformance", "-args", "-ginkgo.label-filter=class:NoSuchClass"); code == 0 {
		t.Error("go test with a label filter that selects nothing exited 0")
	}
	// So does a port that implements nothing, through go test and through the report.
	none := `package conformance_test

import (
	"testing"

	"github.com/kerasparity/kerasparity/suites/conformance"
	"github.com/kerasparity/kerasparity/suites/port"
)

type nothing struct{}

func (nothing) Name() string { return "nothing" }
func (nothing) NewLoss(port.Spec) (port.Loss, error)     { return nil, port.ErrNotImplemented }
func (nothing) NewMetric(port.Spec) (port.Metric, error) { return nil, port.ErrNotImplemented }

func TestNothing(t *testing.T) { conformance.Run(t, nothing{}, *opts) }
`
	if err := os.WriteFile(filepath.Join(mod, "conformance", "nothing_test.go"), []byte(none), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(mod, "none")
	if code := exitCode(t, mod, "go", "test", "-count=1", "-run", "^TestNothing$", "./conformance", "-args", "-kerasparity.out="+out, "-ginkgo.label-filter=class:Huber"); code == 0 {
		t.Error("go test of a port that implements nothing exited 0")
	}
	if code := exitCode(t, mod, "./kerasparity", "report", out); code != 3 {
		t.Errorf("kerasparity report on an all-not-ported run exited %d, want 3", code)
	}
}

// recipeBlocks returns the fenced blocks of the README that follow a
// "<!-- recipe: NAME -->" line, by NAME.
func recipeBlocks(t *testing.T, readme string) map[string]string {
	t.Helper()
	f, err := os.Open(readme)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	blocks := map[string]string{}
	name, in := "", false
	var body strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "<!-- recipe: "):
			name = strings.TrimSuffix(strings.TrimPrefix(line, "<!-- recipe: "), " -->")
		case name != "" && !in && strings.HasPrefix(line, "```"):
			in = true
			body.Reset()
		case in && line == "```":
			blocks[name], name, in = body.String(), "", false
		case in:
			body.WriteString(line + "\n")
		}
	}
	if len(blocks) == 0 {
		t.Fatal("README.md has no recipe blocks")
	}
	return blocks
}

func mustRun(t *testing.T, dir string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s in %s: %v\n%s", name, strings.Join(args, " "), dir, err, tail(out))
	}
}

func exitCode(t *testing.T, dir string, name string, args ...string) int {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		t.Logf("%s %s: exit %d\n%s", name, strings.Join(args, " "), exit.ExitCode(), tail(out))
		return exit.ExitCode()
	}
	t.Fatalf("%s: %v", name, err)
	return -1
}

// tail keeps the end of a long output.
func tail(b []byte) string {
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
