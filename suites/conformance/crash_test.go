package conformance_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kerasparity/kerasparity/results"
)

// TestCrashKeepsResults runs a suite whose port crashes the process on its
// third case (a panic in a goroutine it started, and an allocation that
// cannot be had) and checks that the results file keeps the two cases that
// finished and that the case that was running is named.
func TestCrashKeepsResults(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a suite in a subprocess")
	}
	bin := filepath.Join(t.TempDir(), "crash.test")
	if out, err := exec.Command("go", "test", "-c", "-o", bin, "./testdata/crashsuite").CombinedOutput(); err != nil {
		t.Fatalf("building the crash suite: %v\n%s", err, out)
	}
	cases := []string{
		"[numpy] function/mean_squared_error/f32/2572",
		"[numpy] function/mean_absolute_error/f32/2817",
		"[numpy] function/huber/f32/3839",
	}
	for _, crash := range []string{"goroutine", "oom"} {
		t.Run(crash, func(t *testing.T) {
			out := t.TempDir()
			cmd := exec.Command(bin, "-kerasparity.out="+out, "-kerasparity.case="+strings.Join(cases, ","), "-ginkgo.randomize-all=false")
			cmd.Dir = "testdata/crashsuite"
			cmd.Env = append(cmd.Environ(), "KERASPARITY_CRASH="+crash)
			if b, err := cmd.CombinedOutput(); err == nil {
				t.Fatalf("the crashing suite exited 0:\n%s", b)
			}
			f, err := results.Read(filepath.Join(out, results.FileName))
			if err != nil {
				t.Fatal(err)
			}
			if f.Finished() {
				t.Fatal("a crashed run has an end line")
			}
			if len(f.Cases) != 2 {
				t.Errorf("%d cases recorded, want the 2 that finished", len(f.Cases))
			}
			if f.Running == "" || !strings.Contains(strings.Join(cases, " "), f.Running) {
				t.Errorf("running case %q is none of the selected cases", f.Running)
			}
		})
	}
}
