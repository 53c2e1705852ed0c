package reference

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// FormatTag is the only manifest format this package reads.
const FormatTag = "kerasparity-fixtures/1"

// ManifestName is the file name of a backend's manifest.
const ManifestName = "manifest.json"

// Set is a loaded and verified fixture set: one manifest per backend, every
// array read and checked.
type Set struct {
	Dir       string
	Manifests []*Manifest // sorted by backend
}

// Cases returns every case of the set, ordered by backend, then in manifest
// order.
func (s *Set) Cases() []*Case {
	var n int
	for _, m := range s.Manifests {
		n += len(m.Cases)
	}
	out := make([]*Case, 0, n)
	for _, m := range s.Manifests {
		out = append(out, m.Cases...)
	}
	return out
}

// Backends returns the backends of the set, sorted.
func (s *Set) Backends() []string {
	out := make([]string, len(s.Manifests))
	for i, m := range s.Manifests {
		out[i] = m.Backend
	}
	return out
}

// Load reads the fixture set in dir and verifies all of it before returning:
// the manifests, every array file's checksum, and every array's checksum,
// header and data (see fixtures/README.md). dir either holds a manifest.json
// (a set with one backend) or subfolders <backend>/manifest.json, which are
// all read; subfolders without a manifest are ignored. Nothing is loaded
// lazily, so a set that loads is a set a conformance run can trust, and a
// corrupt one fails here with an error naming the manifest, file, member and
// case, rather than as a puzzling mismatch later.
//
// Load is LoadContext without a way to stop it.
func Load(dir string) (*Set, error) {
	return LoadContext(context.Background(), dir)
}

// LoadContext is Load that gives way when ctx is done. A whole set takes
// about a second, and a hostile one could take much longer, so ctx is
// checked between files, between the arrays of a file and every MiB of a
// file read: an interrupt (Ctrl-C) stops the load within milliseconds, and
// the error then wraps ctx.Err().
//
// The resources a load may take are bounded by the manifests, not by what
// the files happen to hold: every file must be a regular file inside dir
// (no FIFOs, devices or symlinks leading out of the set), its size is taken
// by fstat and compared with the manifest before it is read, and a zip
// member may not claim, nor inflate to, more than the shape and dtype its
// manifest entry give it.
func LoadContext(ctx context.Context, dir string) (*Set, error) {
	l, err := newLoader(ctx, dir)
	if err != nil {
		return nil, err
	}
	if err := l.stopped(); err != nil {
		return nil, fmt.Errorf("fixture set %s: %w", dir, err)
	}
	paths, err := findManifests(dir)
	if err != nil {
		return nil, err
	}
	// Manifests are independent: load them in parallel, and report the
	// error of the first in backend order, as a serial pass would.
	s := &Set{Dir: dir, Manifests: make([]*Manifest, len(paths))}
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Go(func() { s.Manifests[i], errs[i] = l.loadManifest(p.path, p.backend) })
	}
	wg.Wait()
	// A stopped load reports that, not whichever file it was reading.
	if err := l.stopped(); err != nil {
		return nil, fmt.Errorf("fixture set %s: %w", dir, err)
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(s.Manifests, func(a, b *Manifest) int { return strings.Compare(a.Backend, b.Backend) })
	if len(s.Cases()) == 0 {
		return nil, fmt.Errorf("fixture set %s has no cases", dir)
	}
	return s, nil
}

type manifestPath struct {
	path    string
	backend string // the folder name the backend must match; "" for a single manifest
}

// findManifests lists the manifests of the set in dir, sorted by backend.
func findManifests(dir string) ([]manifestPath, error) {
	single := filepath.Join(dir, ManifestName)
	if _, err := os.Stat(single); err == nil {
		return []manifestPath{{path: single}}, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("fixture set: %w", err)
	}
	var out []manifestPath
	for _, e := range entries { // ReadDir sorts by name
		if !e.IsDir() {
			continue
		}
		p := filepath.Join(dir, e.Name(), ManifestName)
		if _, err := os.Stat(p); err == nil {
			out = append(out, manifestPath{path: p, backend: e.Name()})
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("fixture set %s: no %s in it or in any of its subfolders", dir, ManifestName)
	}
	return out, nil
}

// loadManifest reads, checks and fills in one manifest.
func (l *loader) loadManifest(path, folderBackend string) (*Manifest, error) {
	raw, err := l.readFile(path, -1, maxManifestBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m, err := decodeManifest(path, raw)
	if err != nil {
		return nil, err
	}
	if err := checkManifest(m, folderBackend); err != nil {
		return nil, err
	}
	if err := l.loadArrays(m); err != nil {
		return nil, err
	}
	return m, nil
}

// decodeManifest decodes the manifest read from path strictly: unknown
// fields are errors (a misspelt "sample_weight" must not silently drop the
// weights), and so is anything after the top-level object.
func decodeManifest(path string, raw []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	m := &Manifest{Path: path}
	if err := dec.Decode(m); err != nil {
		return nil, fmt.Errorf("%s: %s", path, jsonErrorAt(raw, dec, err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%s: unexpected data after the manifest object", path)
	}
	m.Path = path
	return m, nil
}

// jsonErrorAt adds the line and column to a JSON decoding error.
func jsonErrorAt(raw []byte, dec *json.Decoder, err error) string {
	off := dec.InputOffset()
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off > int64(len(raw)) {
		off = int64(len(raw))
	}
	line := 1 + bytes.Count(raw[:off], []byte("\n"))
	col := off - int64(bytes.LastIndexByte(raw[:off], '\n'))
	return fmt.Sprintf("line %d col %d: %v", line, col, err)
}

// arrayUse is one ArrayRef of a manifest together with where it is used.
type arrayUse struct {
	ref   *ArrayRef
	c     *Case
	step  int
	field string
	pos   int // position in manifest order, to report the first error
}

// fileJob is one array file to verify and the uses to fill from it.
type fileJob struct {
	name string
	uses []arrayUse // in manifest order; none for a listed file no case uses
	pos  int        // manifest position of the first use
	err  *LoadError
}

// loadArrays opens every file of the manifest once, verifies it and fills in
// every ArrayRef it holds. Files are independent, so they are read in
// parallel; the error reported is the one a serial pass would meet first,
// so that a corrupt set always fails with the same message.
func (l *loader) loadArrays(m *Manifest) error {
	var jobs []*fileJob
	byFile := make(map[string]*fileJob)
	pos := 0
	for _, c := range m.Cases {
		for si, s := range c.Steps {
			for _, r := range s.refs() {
				j, ok := byFile[r.ref.File]
				if !ok {
					j = &fileJob{name: r.ref.File, pos: pos}
					byFile[r.ref.File] = j
					jobs = append(jobs, j)
				}
				j.uses = append(j.uses, arrayUse{ref: r.ref, c: c, step: si, field: r.name, pos: pos})
				pos++
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(m.Files)) {
		if _, used := byFile[name]; !used {
			jobs = append(jobs, &fileJob{name: name, pos: pos})
			pos++
		}
	}

	dir := filepath.Dir(m.Path)
	next := make(chan *fileJob, len(jobs))
	for _, j := range jobs {
		next <- j
	}
	close(next)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for j := range next {
				j.err = l.loadFile(m, dir, j)
			}
		})
	}
	wg.Wait()

	var first *LoadError
	firstPos := pos
	for _, j := range jobs {
		if j.err != nil && j.err.pos < firstPos {
			first, firstPos = j.err, j.err.pos
		}
	}
	if first != nil {
		return first
	}
	return nil
}

// loadFile verifies one file and fills the ArrayRefs of its uses.
func (l *loader) loadFile(m *Manifest, dir string, j *fileJob) *LoadError {
	if err := l.stopped(); err != nil {
		return &LoadError{Manifest: m.Path, File: j.name, Step: -1, pos: j.pos, Err: err}
	}
	a, err := l.openArchive(filepath.Join(dir, j.name), j.name, m.Files[j.name])
	if err != nil {
		if len(j.uses) == 0 {
			return &LoadError{Manifest: m.Path, File: j.name, Step: -1, pos: j.pos,
				Err: fmt.Errorf("%w (listed in files, used by no case)", err)}
		}
		return &LoadError{Manifest: m.Path, File: j.name, Case: j.uses[0].c.ID, Step: -1, Err: err, firstUse: true, pos: j.pos}
	}
	for _, u := range j.uses {
		if err := l.stopped(); err != nil {
			return &LoadError{Manifest: m.Path, File: j.name, Step: -1, pos: u.pos, Err: err}
		}
		mem, err := a.member(u.ref)
		if err == nil {
			u.ref.Array, err = mem.array(u.ref)
		}
		if err != nil {
			return &LoadError{Manifest: m.Path, Case: u.c.ID, Step: u.step, Field: u.field,
				File: u.ref.File, Key: u.ref.Key, Err: err, pos: u.pos}
		}
	}
	return nil
}

// namedRef is an ArrayRef of a step with the name of the field that holds it.
type namedRef struct {
	name string
	ref  *ArrayRef
}

// refs returns the step's arrays in a fixed order.
func (s *Step) refs() []namedRef {
	var out []namedRef
	for _, r := range []namedRef{
		{"y_true", s.YTrue}, {"y_pred", s.YPred}, {"sample_weight", s.SampleWeight}, {"expect.value", s.Expect.Value},
	} {
		if r.ref != nil {
			out = append(out, r)
		}
	}
	return out
}
