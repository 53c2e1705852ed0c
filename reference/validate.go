package reference

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// checkManifest checks everything in a manifest that needs no array file:
// the format tag, the backend, the file list, and the shape of every case and
// step. It also copies the backend into each case.
func checkManifest(m *Manifest, folderBackend string) error {
	fail := func(err error) error { return &LoadError{Manifest: m.Path, Step: -1, Err: err} }
	if m.Format != FormatTag {
		return fail(fmt.Errorf("format %q is not %q", m.Format, FormatTag))
	}
	if m.Backend == "" {
		return fail(errors.New("no backend"))
	}
	if folderBackend != "" && m.Backend != folderBackend {
		return fail(fmt.Errorf("backend %q disagrees with its folder %q", m.Backend, folderBackend))
	}
	for name, fi := range m.Files {
		if err := checkFileName(name); err != nil {
			return &LoadError{Manifest: m.Path, File: name, Step: -1, Err: err}
		}
		if !isSHA256(fi.SHA256) || fi.Bytes < 0 {
			return &LoadError{Manifest: m.Path, File: name, Step: -1,
				Err: fmt.Errorf("bad files entry: sha256 %q, bytes %d", fi.SHA256, fi.Bytes)}
		}
	}
	if len(m.Cases) == 0 {
		return fail(errors.New("no cases"))
	}
	seen := make(map[string]int, len(m.Cases))
	for i, c := range m.Cases {
		if c == nil {
			return fail(fmt.Errorf("case %d is null", i))
		}
		if c.ID == "" {
			return fail(fmt.Errorf("case %d has no id", i))
		}
		if j, dup := seen[c.ID]; dup {
			return &LoadError{Manifest: m.Path, Case: c.ID, Step: -1, Err: fmt.Errorf("duplicate case id (cases %d and %d)", j, i)}
		}
		seen[c.ID] = i
		if err := checkCase(m, c); err != nil {
			return err
		}
		c.Backend = m.Backend
	}
	return nil
}

// checkFileName refuses names that would reach outside the manifest's folder.
func checkFileName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) || filepath.Base(name) != name {
		return fmt.Errorf("file name %q is not a plain file name in the manifest's folder", name)
	}
	return nil
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// Ops allowed per kind: losses and functions are called, metrics updated
// and reset; only objects (losses and metrics) are constructed.
var kindOps = map[string]map[string]bool{
	"loss":     {"construct": true, "call": true},
	"function": {"call": true},
	"metric":   {"construct": true, "update": true, "reset": true},
}

// checkCase checks one case and its steps against the table in
// fixtures/README.md: a step has exactly the fields its op needs.
func checkCase(m *Manifest, c *Case) error {
	fail := func(step int, field string, format string, args ...any) error {
		return &LoadError{Manifest: m.Path, Case: c.ID, Step: step, Field: field, Err: fmt.Errorf(format, args...)}
	}
	ops, ok := kindOps[c.Kind]
	if !ok {
		return fail(-1, "", "kind %q is not loss, metric or function", c.Kind)
	}
	if c.Class == "" {
		return fail(-1, "", "no class")
	}
	if len(c.Steps) == 0 {
		return fail(-1, "", "no steps")
	}
	for i, s := range c.Steps {
		if s == nil {
			return fail(i, "", "step is null")
		}
		if !ops[s.Op] {
			return fail(i, "", "op %q is not valid for kind %s", s.Op, c.Kind)
		}
		hasValue, hasError := s.Expect.Value != nil, s.Expect.Error != nil
		switch s.Op {
		case "construct":
			if len(c.Steps) != 1 {
				return fail(i, "", "construct must be the only step (case has %d)", len(c.Steps))
			}
			if s.YTrue != nil || s.YPred != nil || s.SampleWeight != nil || hasValue || !hasError {
				return fail(i, "", "construct takes no arrays and expects an error only")
			}
		case "call", "update":
			if s.YTrue == nil {
				return fail(i, "y_true", "%s needs y_true", s.Op)
			}
			if s.YPred == nil {
				return fail(i, "y_pred", "%s needs y_pred", s.Op)
			}
			if hasValue == hasError {
				return fail(i, "expect", "expect must hold exactly one of value and error")
			}
		case "reset":
			if s.YTrue != nil || s.YPred != nil || s.SampleWeight != nil {
				return fail(i, "", "reset takes no arrays")
			}
			if hasValue == hasError {
				return fail(i, "expect", "expect must hold exactly one of value and error")
			}
		}
		if hasError && s.Expect.Error.Type == "" {
			return fail(i, "expect.error", "error has no type")
		}
		for _, r := range s.refs() {
			if err := checkRef(m, r.ref); err != nil {
				return &LoadError{Manifest: m.Path, Case: c.ID, Step: i, Field: r.name, File: r.ref.File, Key: r.ref.Key, Err: err}
			}
		}
	}
	return nil
}

// checkRef checks an ArrayRef before its file is opened.
func checkRef(m *Manifest, r *ArrayRef) error {
	if r.File == "" || r.Key == "" {
		return errors.New("array needs a file and a key")
	}
	if _, ok := m.Files[r.File]; !ok {
		return fmt.Errorf("file %q is not listed in the manifest's files", r.File)
	}
	if _, ok := storage[r.DType]; !ok {
		return fmt.Errorf("unknown dtype %q", r.DType)
	}
	for _, d := range r.Shape {
		if d < 0 {
			return fmt.Errorf("negative dimension in shape %v", r.Shape)
		}
	}
	if !isSHA256(r.SHA256) {
		return fmt.Errorf("sha256 %q is not 64 hex digits", r.SHA256)
	}
	return nil
}
