package caseview

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/kerasparity/kerasparity/reference"
)

// Options tune Text.
type Options struct {
	// Limit is the number of elements up to which an array is printed in
	// full; larger ones are summarised (see Array). Negative: no limit.
	Limit int
	// Configs holds the manifest's own JSON text of a case's config, where
	// the caller has it; it keeps 1 and 1.0 apart, which Case.Config cannot.
	Configs map[*reference.Case]json.RawMessage
}

// Text writes cases for a person to read: id, kind, class, dtype, config,
// params, edges and source, then each step with its inputs and Keras's
// outcome. Cases that share an id (the same case on several backends) are
// written once, with one outcome line per backend for each step, in the
// order the backends first appear in cases; the inputs are written once
// when every backend has the same, else once per backend. It returns the
// first write error.
func Text(w io.Writer, cases []*reference.Case, opts Options) error {
	bw := bufio.NewWriter(w)
	for i, group := range groupByID(cases) {
		if i > 0 {
			bw.WriteString("\n")
		}
		writeGroup(bw, group, opts)
	}
	return bw.Flush()
}

// groupByID splits cases by id, keeping the order of first appearance.
func groupByID(cases []*reference.Case) [][]*reference.Case {
	var out [][]*reference.Case
	at := make(map[string]int)
	for _, c := range cases {
		if c == nil {
			continue
		}
		i, ok := at[c.ID]
		if !ok {
			i = len(out)
			at[c.ID] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], c)
	}
	return out
}

func writeGroup(w *bufio.Writer, group []*reference.Case, opts Options) {
	first := group[0]
	fmt.Fprintf(w, "case %s\n", first.ID)
	names := make([]string, len(group))
	for i, c := range group {
		names[i] = backendName(c)
	}
	// Labels are one column wide enough for "sample_weight" and for
	// "keras <backend>", the per-backend lines.
	col := len("sample_weight")
	for _, n := range names {
		col = max(col, len("keras ")+len(n))
	}
	col += 2
	// perBackend writes one line when every backend has the same value,
	// else one per backend; a backend whose value is skip is left out (a
	// stream that ended early has no inputs for later steps).
	perBackendSkip := func(indent, label string, values []string, skip string) {
		var vs, ns []string
		for i, v := range values {
			if v != skip {
				vs, ns = append(vs, v), append(ns, names[i])
			}
		}
		switch {
		case len(vs) == 0:
		case allSame(vs):
			fmt.Fprintf(w, "%s%-*s%s\n", indent, col, label, vs[0])
		default:
			for i, v := range vs {
				fmt.Fprintf(w, "%s%-*s%s\n", indent, col, label+" "+ns[i], v)
			}
		}
	}
	perBackend := func(indent, label string, values []string) {
		perBackendSkip(indent, label, values, "\x00")
	}
	each := func(f func(c *reference.Case) string) []string {
		out := make([]string, len(group))
		for i, c := range group {
			out[i] = f(c)
		}
		return out
	}
	perBackend("  ", "kind", each(func(c *reference.Case) string { return c.Kind }))
	perBackend("  ", "class", each(func(c *reference.Case) string { return c.Class }))
	perBackend("  ", "dtype", each(func(c *reference.Case) string { return c.DType }))
	fmt.Fprintf(w, "  %-*s%s\n", col, "backends", strings.Join(names, ", "))
	perBackend("  ", "config", each(func(c *reference.Case) string { return ConfigJSON(c, opts.Configs[c]) }))
	perBackend("  ", "params", each(func(c *reference.Case) string { return params(c.Params) }))
	perBackend("  ", "edges", each(func(c *reference.Case) string { return strings.Join(c.Edges, ", ") }))
	if src := each(func(c *reference.Case) string { return c.Source }); !allSame(src) || src[0] != "" {
		perBackend("  ", "source", src)
	}

	steps := 0
	for _, c := range group {
		steps = max(steps, len(c.Steps))
	}
	for si := range steps {
		stepOf := func(c *reference.Case) *reference.Step {
			if si < len(c.Steps) {
				return c.Steps[si]
			}
			return nil
		}
		ops := each(func(c *reference.Case) string {
			if s := stepOf(c); s != nil {
				return s.Op
			}
			return ""
		})
		if op, same := commonValue(ops, ""); same {
			fmt.Fprintf(w, "  step %d: %s\n", si, op)
		} else {
			fmt.Fprintf(w, "  step %d:\n", si)
			perBackendSkip("    ", "op", ops, "")
		}
		for _, in := range []struct {
			name string
			ref  func(*reference.Step) *reference.ArrayRef
		}{
			{"y_true", func(s *reference.Step) *reference.ArrayRef { return s.YTrue }},
			{"y_pred", func(s *reference.Step) *reference.ArrayRef { return s.YPred }},
			{"sample_weight", func(s *reference.Step) *reference.ArrayRef { return s.SampleWeight }},
		} {
			vals := each(func(c *reference.Case) string {
				s := stepOf(c)
				if s == nil {
					return ""
				}
				if in.ref(s) == nil {
					return "(none)"
				}
				return arrayRef(in.ref(s), opts.Limit)
			})
			if allEmpty(vals, "(none)") {
				continue
			}
			perBackendSkip("    ", in.name, vals, "")
		}
		for i, c := range group {
			fmt.Fprintf(w, "    %-*s%s\n", col, "keras "+names[i], outcome(stepOf(c), opts.Limit))
		}
	}
}

// outcome is what Keras did for a step, on one line.
func outcome(s *reference.Step, limit int) string {
	switch {
	case s == nil:
		return "(no such step: the stream ended at an error)"
	case s.Expect.Error != nil:
		return "error " + s.Expect.Error.Type + ": " + s.Expect.Error.Message
	case s.Expect.Value != nil:
		return arrayRef(s.Expect.Value, limit)
	}
	return "(no outcome recorded)"
}

// arrayRef renders the data behind a reference, or says where it should be.
func arrayRef(r *reference.ArrayRef, limit int) string {
	if r.Array == nil {
		return fmt.Sprintf("%s %s (not loaded: %s %s)", r.DType, Shape(r.Shape), r.File, r.Key)
	}
	return Array(*r.Array, limit)
}

// ConfigJSON is the config of c as compact JSON with sorted keys. raw, when
// not nil, is the manifest's own text of the config, which is preferred:
// it keeps the int/float distinction Keras cares about (an F1Score threshold
// of 1 is refused, 1.0 is not).
func ConfigJSON(c *reference.Case, raw json.RawMessage) string {
	v, err := configValue(c, raw)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprintf("<config: %v>", err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// configValue decodes raw with json.Number (exact numbers) or falls back to
// c.Config.
func configValue(c *reference.Case, raw json.RawMessage) (map[string]any, error) {
	if len(raw) == 0 {
		return c.Config, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("config of %s: %v", c.ID, err)
	}
	return v, nil
}

// params writes a case's params as key=value pairs, sorted by key.
func params(p map[string]string) string {
	keys := slices.Sorted(maps.Keys(p))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + p[k]
	}
	return strings.Join(parts, " ")
}

func backendName(c *reference.Case) string {
	if c.Backend == "" {
		return "(backend?)"
	}
	return c.Backend
}

func allSame(vs []string) bool {
	for _, v := range vs[1:] {
		if v != vs[0] {
			return false
		}
	}
	return true
}

// commonValue is the value every non-skip entry of vs shares, if they do.
func commonValue(vs []string, skip string) (string, bool) {
	var common string
	for _, v := range vs {
		switch {
		case v == skip:
		case common == "":
			common = v
		case v != common:
			return "", false
		}
	}
	return common, common != ""
}

// allEmpty reports whether every value is "" or none.
func allEmpty(vs []string, none string) bool {
	for _, v := range vs {
		if v != "" && v != none {
			return false
		}
	}
	return true
}
