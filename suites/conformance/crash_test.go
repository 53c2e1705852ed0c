package conformance_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kerasparity/kerasparity/results"
)

// TestCrashKeepsResults runs a suite whose port misbehaves on its second
// case: it crashes the process (a panic in a goroutine it started, an
// allocation that cannot be had), hangs, writes into its input, or answers
// differently each time. Each run finishes with that case named for what
// happened, and the cases around it judged.
func TestCrashKeepsResults(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a suite in a subprocess")
	}
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "crash.test")
	if out, err := exec.Command("go", "test", "-c", "-o", bin, "./testdata/crashsuite").CombinedOutput(); err != nil {
		t.Fatalf("building the crash suite: %v\n%s", err, out)
	}
	cases := []string{
		"[numpy] function/mean_squared_error/f32/2572",
		"[numpy] function/mean_absolute_error/f32/2817",
		"[numpy] function/huber/f32/3839",
	}
	for crash, check := range map[string]string{
		"goroutine": results.CheckCrash, "oom": results.CheckCrash,
		"hang": results.CheckTimeout, "mutate": results.CheckMutated, "flaky": results.CheckNondeterministic,
	} {
		t.Run(crash, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			// Only the flaky port needs a second run of each case; with it,
			// the second object would be the first case's second run.
			cmd := exec.Command(bin, "-kerasparity.out="+out, "-kerasparity.case="+strings.Join(cases, ","),
				"-kerasparity.timeout="+timeout(crash), "-kerasparity.repeat="+fmt.Sprint(crash == "flaky"))
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
				if c.Outcome.Broken() && !slices.ContainsFunc(c.Findings, func(f results.Finding) bool { return f.Check == check }) {
					t.Errorf("%s: %s without a %s finding: %+v", c.Key(), c.Outcome, check, c.Findings)
				}
			}
			if len(f.Cases) != 3 || f.End.Counts.Broken() != 1 || f.End.Counts.Pass != 2 {
				t.Errorf("cases %v, counts %+v: want the misbehaving case named and the other two judged", outcomes, f.End.Counts)
			}
		})
	}
}

// timeout is short for the hanging port, and long for the others, whose
// crash must not race the bound on a loaded machine.
func timeout(crash string) string {
	if crash == "hang" {
		return "1s"
	}
	return "1m"
}
