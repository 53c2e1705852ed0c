package drift_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kerasparity/kerasparity/drift"
	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/reference/npytest"
)

// step is one step of a synthetic case: a float32 value or an error.
type step struct {
	op     string
	value  []float64 // nil with err set
	shape  []int
	dtype  string
	errTyp string
	errMsg string
}

func val(v ...float64) step { return step{op: "call", value: v, shape: []int{}, dtype: "float32"} }
func vec(v ...float64) step {
	return step{op: "call", value: v, shape: []int{len(v)}, dtype: "float32"}
}
func fail(typ, msg string) step {
	return step{op: "call", errTyp: typ, errMsg: msg}
}

type tcase struct {
	id, kind, class string
	config          map[string]any
	steps           []step
}

// writeSet writes a one-backend fixture set per backend in a temp dir and
// loads it: a manifest and one npz of float32 .npy members, with checksums.
func writeSet(t *testing.T, keras string, api *reference.API, backends map[string][]tcase) *reference.Set {
	t.Helper()
	dir := t.TempDir()
	for backend, cases := range backends {
		bdir := filepath.Join(dir, backend)
		if err := os.MkdirAll(bdir, 0o755); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		m := &reference.Manifest{
			Format: reference.FormatTag, Backend: backend,
			Generator: reference.Generator{Name: "test", Revision: "r1", Seed: 1},
			Versions:  map[string]string{"keras": keras, "numpy": "2.4.6"},
			Keras:     reference.KerasSettings{Epsilon: 1e-7, Floatx: "float32"},
			Files:     map[string]reference.FileInfo{}, API: api,
		}
		const file = "loss.test.npz"
		for i, tc := range cases {
			c := &reference.Case{ID: tc.id, Kind: tc.kind, Class: tc.class, Config: tc.config, DType: "float32",
				Params: map[string]string{}, Edges: []string{}}
			if c.Config == nil {
				c.Config = map[string]any{"name": "x"}
			}
			for si, s := range tc.steps {
				st := &reference.Step{Op: s.op}
				add := func(name string, dtype string, shape []int, vals []float64) *reference.ArrayRef {
					key := fmt.Sprintf("c%04d/s%d/%s", i, si, name)
					raw := npytest.Encode(dtype, shape, vals, npytest.Layout{})
					w, err := zw.Create(key + ".npy")
					if err != nil {
						t.Fatal(err)
					}
					if _, err := w.Write(raw); err != nil {
						t.Fatal(err)
					}
					sum := sha256.Sum256(raw)
					return &reference.ArrayRef{File: file, Key: key, DType: dtype, Shape: shape, SHA256: hex.EncodeToString(sum[:])}
				}
				if s.op != "construct" {
					st.YTrue = add("y_true", "float32", []int{1}, []float64{0})
					st.YPred = add("y_pred", "float32", []int{1}, []float64{0})
				}
				if s.errTyp != "" {
					st.Expect.Error = &reference.KerasError{Type: s.errTyp, Message: s.errMsg}
				} else {
					st.Expect.Value = add("value", s.dtype, s.shape, s.value)
				}
				c.Steps = append(c.Steps, st)
			}
			m.Cases = append(m.Cases, c)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(buf.Bytes())
		m.Files[file] = reference.FileInfo{SHA256: hex.EncodeToString(sum[:]), Bytes: int64(buf.Len())}
		if err := os.WriteFile(filepath.Join(bdir, file), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bdir, reference.ManifestName), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := reference.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func loss(id string, steps ...step) tcase {
	class := strings.Split(id, "/")[1]
	return tcase{id: id, kind: "loss", class: class, steps: steps}
}

func TestCompareCauses(t *testing.T) {
	nan := math.NaN()
	from := writeSet(t, "3.15.1", nil, map[string][]tcase{"numpy": {
		loss("loss/Same/f32/0000", val(0.5)),
		loss("loss/Same/nan/f32/0001", vec(nan, 1)),
		loss("loss/Tversky/f32/0002", val(0.25)),
		loss("loss/Refuse/f32/0003", val(1)),
		loss("loss/Accept/f32/0004", fail("ValueError", "bad axis")),
		loss("loss/Type/f32/0005", fail("ValueError", "bad")),
		loss("loss/Shape/f32/0006", vec(1, 2)),
		loss("loss/Msg/f32/0007", fail("ValueError", "old words")),
		{id: "loss/Cfg/f32/0008", kind: "loss", class: "Cfg", config: map[string]any{"name": "x"}, steps: []step{val(1)}},
		loss("loss/Gone/f32/0009", val(1)),
		loss("loss/Round/f32/0010", val(1)),
		loss("loss/NaN/f32/0011", vec(1, 2)),
	}})
	to := writeSet(t, "3.16.0", nil, map[string][]tcase{"numpy": {
		loss("loss/Same/f32/0000", val(0.5)),
		loss("loss/Same/nan/f32/0001", vec(nan, 1)),
		loss("loss/Tversky/f32/0002", val(0.75)),
		loss("loss/Refuse/f32/0003", fail("ValueError", "now refused")),
		loss("loss/Accept/f32/0004", val(2)),
		loss("loss/Type/f32/0005", fail("TypeError", "bad")),
		loss("loss/Shape/f32/0006", vec(1, 2, 3)),
		loss("loss/Msg/f32/0007", fail("ValueError", "new words")),
		{id: "loss/Cfg/f32/0008", kind: "loss", class: "Cfg", config: map[string]any{"name": "x", "axis": -1.0}, steps: []step{val(1)}},
		loss("loss/New/f32/0012", val(1)),
		loss("loss/Round/f32/0010", val(math.Float64frombits(math.Float64bits(float64(float32(1))))+math.Pow(2, -23))),
		loss("loss/NaN/f32/0011", vec(1, nan)),
	}})
	r := drift.Compare(from, to)
	if len(r.Backends) != 1 {
		t.Fatalf("backends: %d", len(r.Backends))
	}
	b := r.Backends[0]
	want := map[string]drift.Cause{
		"loss/Tversky/f32/0002": drift.ValueChanged,
		"loss/Refuse/f32/0003":  drift.NewlyRefused,
		"loss/Accept/f32/0004":  drift.NewlyAccepted,
		"loss/Type/f32/0005":    drift.ErrorTypeChanged,
		"loss/Shape/f32/0006":   drift.ShapeOrDTypeChanged,
		"loss/Msg/f32/0007":     drift.MessageChanged,
		"loss/Cfg/f32/0008":     drift.ConfigChanged,
		"loss/Round/f32/0010":   drift.ValueChanged,
		"loss/NaN/f32/0011":     drift.ValueChanged,
	}
	got := map[string]*drift.Change{}
	for _, c := range b.Changes {
		got[c.ID] = c
	}
	for id, cause := range want {
		c, ok := got[id]
		if !ok {
			t.Errorf("%s: no change reported, want %s", id, cause)
			continue
		}
		if c.Cause != cause {
			t.Errorf("%s: cause %s, want %s", id, c.Cause, cause)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d changes, want %d: %v", len(got), len(want), got)
	}
	if b.Cases != 11 || b.Changed() != 7 {
		t.Errorf("cases %d changed %d, want 11 and 7", b.Cases, b.Changed())
	}
	if len(b.OnlyFrom) != 1 || len(b.OnlyTo) != 1 {
		t.Errorf("only from %v, only to %v", b.OnlyFrom, b.OnlyTo)
	}
	tv := got["loss/Tversky/f32/0002"].Value
	if tv.MaxAbs != 0.5 || tv.MaxRel != 2 || tv.AbsFrom != 0.25 || tv.AbsTo != 0.75 {
		t.Errorf("Tversky value diff %+v", tv)
	}
	if v := got["loss/Round/f32/0010"].Value; v.MaxULP != 1 {
		t.Errorf("rounding change: %g ULP, want 1", v.MaxULP)
	}
	if v := got["loss/NaN/f32/0011"].Value; v.NonFinite != 1 || len(v.AbsIndex) != 1 || v.AbsIndex[0] != 1 {
		t.Errorf("NaN change %+v", v)
	}
	if c := got["loss/Cfg/f32/0008"]; len(c.ConfigKeys) != 1 || c.ConfigKeys[0] != "axis" {
		t.Errorf("config keys %v", c.ConfigKeys)
	}

	for _, format := range []string{"markdown", "text"} {
		var buf bytes.Buffer
		write := drift.WriteText
		if format == "markdown" {
			write = drift.WriteMarkdown
		}
		if err := write(&buf, r, drift.DefaultOptions); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, s := range []string{"Keras drift: 3.15.1 -> 3.16.0", "numpy: 7 of 11 cases changed (63.6%)",
			"loss/Tversky/f32/0002", "0.25", "0.75", "now refused", "TypeError", "only in the older set"} {
			if !strings.Contains(out, s) {
				t.Errorf("%s report lacks %q:\n%s", format, s, out)
			}
		}
	}
}

func TestCompareStreams(t *testing.T) {
	upd := func(s step) step { s.op = "update"; return s }
	construct := step{op: "construct", errTyp: "ValueError", errMsg: "bad q"}
	from := writeSet(t, "a", nil, map[string][]tcase{"jax": {
		{id: "metric/M/f32/0000", kind: "metric", class: "M", steps: []step{upd(val(1)), upd(val(2)), upd(val(3))}},
		{id: "metric/C/f32/0001", kind: "metric", class: "C", steps: []step{construct}},
		{id: "metric/V/f32/0002", kind: "metric", class: "V", steps: []step{upd(val(1)), upd(val(2))}},
	}, "numpy": {loss("loss/X/f32/0000", val(1))}})
	to := writeSet(t, "b", nil, map[string][]tcase{"jax": {
		// step 1 changes its value, step 2 is now refused: the refusal names the case.
		{id: "metric/M/f32/0000", kind: "metric", class: "M", steps: []step{upd(val(1)), upd(val(2.5)), upd(fail("ValueError", "no"))}},
		{id: "metric/C/f32/0001", kind: "metric", class: "C", steps: []step{upd(val(1)), upd(val(1))}},
		{id: "metric/V/f32/0002", kind: "metric", class: "V", steps: []step{upd(val(1)), upd(val(2)), upd(val(3))}},
	}})
	r := drift.Compare(from, to)
	if len(r.OnlyFrom) != 1 || r.OnlyFrom[0] != "numpy" || len(r.Backends) != 1 {
		t.Fatalf("backends: only from %v, compared %d", r.OnlyFrom, len(r.Backends))
	}
	cs := r.Backends[0].Changes
	if len(cs) != 3 {
		t.Fatalf("%d changes", len(cs))
	}
	if c := cs[0]; c.Cause != drift.NewlyRefused || c.Step != 2 || c.Value == nil || c.Value.Step != 1 {
		t.Errorf("stream: %+v", c)
	}
	if c := cs[1]; c.Cause != drift.NewlyAccepted || c.Op != "construct" || c.Step != 0 {
		t.Errorf("construct: %+v", c)
	}
	if c := cs[2]; c.Cause != drift.ShapeOrDTypeChanged || c.From != "2 steps" || c.To != "3 steps" {
		t.Errorf("longer stream: %+v", c)
	}
}

func TestCompareAPI(t *testing.T) {
	a := &reference.API{Losses: map[string]reference.APIClass{
		"Huber":   {Args: []reference.APIArg{{Name: "delta", Default: 1.0}}},
		"Removed": {Args: nil},
	}}
	b := &reference.API{Losses: map[string]reference.APIClass{
		"Huber": {Args: []reference.APIArg{{Name: "delta", Default: 2.0}, {Name: "axis", Default: -1.0}}},
		"Added": {Args: []reference.APIArg{{Name: "q", Required: true}}},
	}}
	from := writeSet(t, "a", a, map[string][]tcase{"numpy": {loss("loss/X/f32/0000", val(1))}})
	to := writeSet(t, "b", b, map[string][]tcase{"numpy": {loss("loss/X/f32/0000", val(1))}})
	got := strings.Join(drift.Compare(from, to).Backends[0].API, "\n")
	want := strings.Join([]string{
		"loss Added: new class (q (required))",
		"loss Huber: delta=1 became delta=2",
		"loss Huber: new argument axis=-1",
		"loss Removed: removed",
	}, "\n")
	if got != want {
		t.Errorf("API changes:\n%s\nwant:\n%s", got, want)
	}
}
