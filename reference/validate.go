package reference

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
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
	if !tagChars.holds(m.Backend) {
		return fail(fmt.Errorf("backend %q: %s", m.Backend, tagChars.rule))
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
	if err := checkAPI(m.API); err != nil {
		return fail(err)
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
		if !idChars.holds(c.ID) {
			return &LoadError{Manifest: m.Path, Case: c.ID, Step: -1,
				Err: fmt.Errorf("case %d: id: %s", i, idChars.rule)}
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
	// A byte loop: a set holds some 230,000 checksums, and searching a
	// string of digits for each rune was half the time of checkManifest.
	for i := range len(s) {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
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
	if !identChars.holds(c.Class) {
		return fail(-1, "", "class %q: %s", c.Class, identChars.rule)
	}
	// A case may leave dtype empty (a construct-only case, say), but one it
	// gives is a label and must be a dtype of the format.
	if _, ok := storage[c.DType]; !ok && c.DType != "" {
		return fail(-1, "", "dtype %q is not one of the dtypes of fixtures/README.md", c.DType)
	}
	if err := checkNames(c); err != nil {
		return fail(-1, "", "%v", err)
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
	if _, err := npyDataBytes(r.DType, r.Shape); err != nil {
		return err
	}
	if !isSHA256(r.SHA256) {
		return fmt.Errorf("sha256 %q is not 64 hex digits", r.SHA256)
	}
	return nil
}

// charset is the set of bytes a kind of name may use, with the rule in
// words for error messages. Names are checked byte by byte rather than with
// regexp: a load checks some 500,000 of them.
type charset struct {
	ok         [256]bool
	noDigit0   bool // the first byte may not be a digit (an identifier)
	noSpaceEnd bool // no space at either end
	rule       string
}

func newCharset(extra, rule string) *charset {
	c := &charset{rule: rule}
	for b := range 256 {
		c.ok[b] = 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || strings.IndexByte(extra, byte(b)) >= 0
	}
	return c
}

// holds reports whether s is a non-empty name of the set.
func (c *charset) holds(s string) bool {
	if s == "" || c.noDigit0 && '0' <= s[0] && s[0] <= '9' || c.noSpaceEnd && (s[0] == ' ' || s[len(s)-1] == ' ') {
		return false
	}
	for i := range len(s) {
		if !c.ok[s[i]] {
			return false
		}
	}
	return true
}

// The names of a fixture set (fixtures/README.md, "Names"). They keep every
// label the suites build from a case ("class:X", "kind:X", "backend:X",
// "dtype:X", "reduction:X", "edge:X") valid for Ginkgo, which refuses empty
// labels and & | ! , ( ) / in them, and every case id safe to paste between
// single quotes into a shell command (the report's rerun line).
var (
	idChars  = newCharset("_./=-", "must be letters, digits and _ . / = - only")
	tagChars = newCharset("_.-", "must be non-empty: letters, digits and _ . - only")
	// identChars: Python identifiers (ASCII), for class, argument and
	// params names.
	identChars = func() *charset {
		c := newCharset("_", "must be a Python identifier: letters, digits and _, not starting with a digit")
		c.noDigit0 = true
		return c
	}()
	// valueChars: params values, which are Python reprs of numbers, tuples
	// and names, such as "(0.25, 0.5, 0.75)" or "1e-07".
	valueChars = func() *charset {
		c := newCharset("_.,()+- ", "must be non-empty: letters, digits, spaces (not at either end) and _ . , ( ) + - only")
		c.noSpaceEnd = true
		return c
	}()
)

// checkNames checks the names of a case that become labels or matrix
// entries: its edge tags and params.
func checkNames(c *Case) error {
	for i, e := range c.Edges {
		if !tagChars.holds(e) {
			return fmt.Errorf("edge tag %d %q: %s", i, e, tagChars.rule)
		}
	}
	// Params are checked in map order, and only a case with a bad one pays
	// for sorting, which makes the error name the first in key order.
	for k, v := range c.Params {
		if !identChars.holds(k) || !valueChars.holds(v) {
			for _, k := range slices.Sorted(maps.Keys(c.Params)) {
				if v := c.Params[k]; !identChars.holds(k) {
					return fmt.Errorf("params key %q: %s", k, identChars.rule)
				} else if !valueChars.holds(v) {
					return fmt.Errorf("params %s value %q: %s", k, v, valueChars.rule)
				}
			}
		}
	}
	// The reduction is a label too.
	if r, ok := c.Params["reduction"]; ok && !tagChars.holds(r) {
		return fmt.Errorf("reduction %q: %s", r, tagChars.rule)
	}
	return nil
}

// checkAPI checks the class and argument names of the API section, which
// become case ids ("api/<kind>/<Class>") and labels in the suites.
func checkAPI(api *API) error {
	if api == nil {
		return nil
	}
	for _, g := range []struct {
		kind    string
		classes map[string]APIClass
	}{{"losses", api.Losses}, {"metrics", api.Metrics}} {
		for _, name := range slices.Sorted(maps.Keys(g.classes)) {
			if !identChars.holds(name) {
				return fmt.Errorf("api %s class %q: %s", g.kind, name, identChars.rule)
			}
			for i, a := range g.classes[name].Args {
				if !identChars.holds(a.Name) {
					return fmt.Errorf("api %s class %s argument %d %q: %s", g.kind, name, i, a.Name, identChars.rule)
				}
			}
		}
	}
	return nil
}
