package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kerasparity/kerasparity/results"
)

// A port can take the whole process down: a panic in a goroutine it
// started, running out of memory, a call to os.Exit. No recover reaches
// those, so a run with a results file is supervised: the test process runs
// the suite in a child process (the same test binary), and when the child
// dies, it records the case that was running as an error of the port
// (check "crash"), then starts a new child that goes on with the cases
// after it. Every other case is still judged, and the results file ends
// like any other.
const (
	workerEnv = "KERASPARITY_WORKER" // set in a child: run the suite here
	resumeEnv = "KERASPARITY_RESUME" // set in a child that goes on with an unfinished results file
)

// supervised reports whether this process should supervise children
// rather than run the suite itself.
func supervised(opts Options) bool {
	return opts.OutDir != "" && !opts.NoIsolation && os.Getenv(workerEnv) == ""
}

// supervise runs the suite in children until the results file is finished.
func supervise(t *testing.T, opts Options) {
	t.Helper()
	path := filepath.Join(opts.OutDir, results.FileName)
	resume := false
	for crashes := 0; ; crashes++ {
		cmd := exec.Command(os.Args[0], os.Args[1:]...)
		cmd.Env = append(os.Environ(), workerEnv+"=1")
		if resume {
			cmd.Env = append(cmd.Env, resumeEnv+"=1")
		}
		tail := &tailBuffer{max: 8 << 10}
		cmd.Stdout = os.Stdout
		cmd.Stderr = io.MultiWriter(os.Stderr, tail)
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("kerasparity: starting the suite process: %v", err)
		}
		f, rerr := results.Read(path)
		switch {
		case rerr != nil:
			t.Fatalf("kerasparity: the suite process ended (%v) without a readable results file: %v", err, rerr)
		case f.Finished():
			if err != nil {
				t.Fail() // the child's own verdict: cases failed, or nothing was checked
			}
			return
		case f.RunningCase == nil:
			t.Fatalf("kerasparity: the suite process died (%v) outside any case; its results are in %s\n%s", err, path, tail.String())
		}
		c := *f.RunningCase
		fmt.Fprintf(os.Stderr, "kerasparity: the suite process died (%v) while %s ran; it counts as an error of the port, and the run goes on after it\n", err, c.Key())
		w, _, aerr := results.Append(path)
		if aerr != nil {
			t.Fatalf("kerasparity: going on after a crash: %v", aerr)
		}
		c.Outcome = results.Error
		c.Findings = []results.Finding{{Step: -1, Op: "process", Check: results.CheckCrash,
			Message: fmt.Sprintf("the process died while this case ran (%v): %s", err, lastLines(tail.String(), 6))}}
		c.Detail = "process: " + c.Findings[0].Message
		w.Add(c)
		if derr := w.Detach(); derr != nil {
			t.Fatalf("kerasparity: %v", derr)
		}
		t.Errorf("kerasparity: the port crashed the process on %s", c.Key())
		resume = true
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > b.max {
		b.buf = b.buf[len(b.buf)-b.max:]
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(bytes.Clone(b.buf))
}

// lastLines keeps the first line of a Go crash report (the panic or fatal
// error) and the last n lines before it when there is none.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for _, l := range lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			return strings.TrimSpace(l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
