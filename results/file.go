package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// FileName is the name of the results file in a run's output folder.
const FileName = "results.jsonl"

// RunningFile is the side file, beside the results file, that names the
// case being run; a complete run removes it. After a crash it names the case
// that was running.
const RunningFile = "results.running"

// line is one line of a results file: exactly one field is set.
type line struct {
	Run  *RunInfo    `json:"run,omitempty"`
	Case *CaseResult `json:"case,omitempty"`
	End  *End        `json:"end,omitempty"`
}

// Writer appends a run's results to its file as the run goes. Each case is
// one write of one line, so a crash loses at most the case that was running.
// A Writer is safe for concurrent use.
type Writer struct {
	mu      sync.Mutex
	f       *os.File
	running *os.File
	path    string
	counts  Counts
	err     error
}

// Create starts a results file at path (replacing an older one) with the
// run's description as its first line.
func Create(path string, info RunInfo) (*Writer, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	running, err := os.Create(filepath.Join(filepath.Dir(path), RunningFile))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("results: %w", err)
	}
	w := &Writer{f: f, running: running, path: path}
	w.write(line{Run: &info})
	if w.err != nil {
		w.f.Close()
		w.running.Close()
		return nil, w.err
	}
	return w, nil
}

// Path is where the results go.
func (w *Writer) Path() string { return w.path }

// Running records that case c (its identity: id, backend, kind, class,
// dtype) is about to run, so that a crash can be pinned on it.
func (w *Writer) Running(c CaseResult) {
	w.mu.Lock()
	defer w.mu.Unlock()
	id := CaseResult{ID: c.ID, Backend: c.Backend, Kind: c.Kind, Class: c.Class, DType: c.DType}
	b, err := json.Marshal(id)
	if err != nil {
		return
	}
	// One small overwrite in place: padded so a shorter line leaves no tail.
	b = append(b, '\n')
	if len(b) < 1024 {
		b = append(b, bytes.Repeat([]byte(" "), 1024-len(b))...)
	}
	if _, err := w.running.WriteAt(b, 0); err != nil && w.err == nil {
		w.err = fmt.Errorf("results: %w", err)
	}
}

// Add appends one case's result and counts it.
func (w *Writer) Add(r CaseResult) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.counts.Add(r.Outcome)
	w.writeLocked(line{Case: &r})
}

// Counts returns the outcomes counted so far.
func (w *Writer) Counts() Counts {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.counts
}

// Close writes the end line and closes the file; it removes the running
// file, since no case is running any more. It returns the first error any
// write met.
func (w *Writer) Close(end End) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	end.Counts = w.counts
	w.writeLocked(line{End: &end})
	if err := w.f.Close(); err != nil && w.err == nil {
		w.err = fmt.Errorf("results: %w", err)
	}
	w.running.Close()
	os.Remove(w.running.Name())
	return w.err
}

// Detach closes the file without an end line, as a run that stops here
// would leave it, so that another process can go on with it (Append).
func (w *Writer) Detach() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.f.Close(); err != nil && w.err == nil {
		w.err = fmt.Errorf("results: %w", err)
	}
	w.running.Close()
	return w.err
}

// Append opens an unfinished results file to go on with the run: the cases
// it holds are counted as if this Writer had written them, and a last line
// cut short by a crash is dropped. It returns the file as read.
func Append(path string) (*Writer, *File, error) {
	f, err := Read(path)
	if err != nil {
		return nil, nil, err
	}
	if f.Finished() {
		return nil, nil, fmt.Errorf("results %s: the run is finished; there is nothing to go on with", path)
	}
	if err := os.Truncate(path, f.valid); err != nil {
		return nil, nil, fmt.Errorf("results: %w", err)
	}
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("results: %w", err)
	}
	running, err := os.OpenFile(filepath.Join(filepath.Dir(path), RunningFile), os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		fh.Close()
		return nil, nil, fmt.Errorf("results: %w", err)
	}
	w := &Writer{f: fh, running: running, path: path}
	for _, c := range f.Cases {
		w.counts.Add(c.Outcome)
	}
	return w, f, nil
}

func (w *Writer) write(l line) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writeLocked(l)
}

func (w *Writer) writeLocked(l line) {
	if w.err != nil {
		return
	}
	b, err := json.Marshal(l)
	if err != nil {
		w.err = fmt.Errorf("results: encoding a result: %w", err)
		return
	}
	if _, err := w.f.Write(append(b, '\n')); err != nil {
		w.err = fmt.Errorf("results: writing %s: %w", w.path, err)
	}
}

// File is a results file as read back.
type File struct {
	Path  string
	Info  RunInfo
	Cases []CaseResult
	// End is nil when the run did not finish: it crashed, was killed, or is
	// still running.
	End *End
	// Running names the case that was running when an unfinished run
	// stopped ("[backend] id"; "" when unknown), and RunningCase is its
	// identity (id, backend, kind, class, dtype), nil when unknown.
	Running     string
	RunningCase *CaseResult
	// Truncated is set when the last line was cut short (a crash in the
	// middle of a write); that line is dropped.
	Truncated bool
	// valid is the length of the file up to its last whole line.
	valid int64
}

// Finished reports whether the run wrote its end line.
func (f *File) Finished() bool { return f.End != nil }

// Read reads a results file. A file whose last line is cut short, or that
// has no end line, is read as far as it goes: a crashed run still reports
// every case it finished. Anything else malformed is an error naming the
// file and the line.
func Read(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	defer fh.Close()
	out := &File{Path: path}
	r := bufio.NewReaderSize(fh, 1<<16)
	for n := 1; ; n++ {
		b, err := r.ReadBytes('\n')
		if len(b) == 0 && errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("results %s: line %d: %w", path, n, err)
		}
		last := errors.Is(err, io.EOF)
		var l line
		if jerr := json.Unmarshal(b, &l); jerr != nil || (last && len(b) > 0 && b[len(b)-1] != '\n') {
			if last {
				out.Truncated = true
				break
			}
			return nil, fmt.Errorf("results %s: line %d is not a results line: %v", path, n, jerr)
		}
		switch {
		case n == 1 && l.Run == nil:
			return nil, fmt.Errorf("results %s: line 1 must describe the run ({\"run\": ...}); is this a results file?", path)
		case l.Run != nil:
			if n != 1 {
				return nil, fmt.Errorf("results %s: line %d describes a second run: two runs wrote into one file (run them one after the other, or with separate outputs)", path, n)
			}
			out.Info = *l.Run
		case l.Case != nil:
			if out.End != nil {
				return nil, fmt.Errorf("results %s: line %d: a case after the end of the run", path, n)
			}
			out.Cases = append(out.Cases, *l.Case)
		case l.End != nil:
			out.End = l.End
		default:
			return nil, fmt.Errorf("results %s: line %d holds none of run, case or end", path, n)
		}
		out.valid += int64(len(b))
		if last {
			break
		}
	}
	if out.End == nil {
		if b, err := os.ReadFile(filepath.Join(filepath.Dir(path), RunningFile)); err == nil {
			var c CaseResult
			if text := strings.TrimSpace(string(b)); json.Unmarshal([]byte(text), &c) == nil && c.ID != "" {
				out.RunningCase, out.Running = &c, c.Key()
			} else {
				out.Running = text
			}
		}
	}
	return out, nil
}
