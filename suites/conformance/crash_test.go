package conformance_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kerasparity/kerasparity/results"
)

// TestCrashKeepsResults runs a suite whose port crashes the process on its
// second case (a panic in a goroutine it started, and an allocation that
// cannot be had): the run goes on in a new process, the crashed case is an
// error of the port with check "crash", and the cases around it are judged.
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
			cmd := exec.Command(bin, "-kerasparity.out="+out, "-kerasparity.case="+strings.Join(cases, ","))
			cmd.Dir = "testdata/crashsuite"
			cmd.Env = append(cmd.Environ(), "KERASPARITY_CRASH="+crash)
			if b, err := cmd.CombinedOutput(); err == nil {
				t.Fatalf("the crashing suite exited 0:\n%s", b)
			}
			f, err := results.Read(filepath.Join(out, results.FileName))
			if err != nil {
				t.Fatal(err)
			}
			if !f.Finished() {
				t.Fatal("the run did not go on to its end after the crash")
			}
			outcomes := map[string]results.Outcome{}
			for _, c := range f.Cases {
				outcomes[c.Key()] = c.Outcome
				if c.Outcome == results.Error && (len(c.Findings) == 0 || c.Findings[0].Check != results.CheckCrash) {
					t.Errorf("%s: error without a crash finding: %+v", c.Key(), c.Findings)
				}
			}
			if len(f.Cases) != 3 || f.End.Counts.Error != 1 || f.End.Counts.Pass != 2 {
				t.Errorf("cases %v, counts %+v: want the crashed case as an error and the other two judged", outcomes, f.End.Counts)
			}
		})
	}
}
