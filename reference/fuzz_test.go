package reference

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
)

// seedKit writes a small valid set into a temporary folder of f, whose
// archive and manifest seed the fuzzers below.
func seedKit(f *testing.F) *kit {
	k := newKit(f.TempDir(), "numpy")
	k.lossCase("loss/MeanSquaredError/f32/0000", lossFile)
	c := k.lossCase("loss/MeanSquaredError/red=sum/f64/0001", lossFile)
	c.Params["reduction"], c.Edges = "sum", []string{"rank2", "batch_2"}
	c.Steps[0].SampleWeight = k.arr(lossFile, "c0001/s0/sample_weight", "float64", []int{2}, []float64{0.5, 2})
	k.m.API = &API{Losses: map[string]APIClass{"MeanSquaredError": {Args: []APIArg{{Name: "reduction", Default: "sum_over_batch_size"}}}}}
	k.write()
	return k
}

// FuzzArchive feeds arbitrary bytes as an npz archive to the member reader
// with the refs of a valid manifest: every ref must give an error or an
// array of its manifest shape, never a panic or a runaway allocation.
func FuzzArchive(f *testing.F) {
	k := seedKit(f)
	raw, err := os.ReadFile(filepath.Join(k.dir, lossFile))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add(raw[:len(raw)/2])
	// The same members stored rather than deflated.
	k2 := newKit(f.TempDir(), "numpy")
	k2.arr(lossFile, "c0000/s0/y_true", "float32", []int{2, 2}, []float64{0, 1, 1, 0}, arrOpt{stored: true})
	k2.arr(lossFile, "c0000/s0/y_pred", "float32", []int{2, 2}, []float64{0.25, 0.75, 0.5, 0.5}, arrOpt{stored: true})
	k2.write()
	stored, err := os.ReadFile(filepath.Join(k2.dir, lossFile))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(stored)
	// A member that declares 1 MiB and one that declares 144 bytes, both
	// inflating to 1 MiB of zeros: the two halves of a zip bomb.
	zeros := make([]byte, 1<<20)
	var deflated bytes.Buffer
	w, err := flate.NewWriter(&deflated, flate.BestCompression)
	if err != nil {
		f.Fatal(err)
	}
	w.Write(zeros)
	w.Close()
	for _, declared := range []uint64{1 << 20, 144} {
		k3 := newKit(f.TempDir(), "numpy")
		k3.member(lossFile, "c0000/s0/y_pred", npyEncode("float32", []int{2, 2}, []float64{1, 2, 3, 4}, arrOpt{}), arrOpt{})
		mem := &k3.files[lossFile].members[0]
		mem.raw, mem.declared, mem.crc = deflated.Bytes(), declared, crc32.ChecksumIEEE(zeros)
		k3.write()
		bomb, err := os.ReadFile(filepath.Join(k3.dir, lossFile))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bomb)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		a, err := newArchive(raw, lossFile)
		if err != nil {
			return
		}
		for _, c := range k.m.Cases {
			for _, s := range c.Steps {
				for _, r := range s.refs() {
					ref := *r.ref
					mem, err := a.member(&ref)
					if err != nil {
						continue
					}
					arr, err := mem.array(&ref)
					if err != nil {
						continue
					}
					if n, _ := numElements(arr.Shape, 1); len(arr.Data) != n {
						t.Fatalf("%s: %d values for shape %v", ref.Key, len(arr.Data), arr.Shape)
					}
				}
			}
		}
	})
}

// FuzzManifest loads arbitrary bytes as the manifest of a set beside a valid
// archive: Load must return a set or an error, never panic or hang, and a
// set it returns must have every array filled to its shape and names that
// make valid labels.
func FuzzManifest(f *testing.F) {
	k := seedKit(f)
	archive, err := os.ReadFile(filepath.Join(k.dir, lossFile))
	if err != nil {
		f.Fatal(err)
	}
	valid, err := os.ReadFile(k.path())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	compact, err := json.Marshal(k.m)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(compact)
	f.Add([]byte(`{"format": "kerasparity-fixtures/1", "backend": "numpy", "cases": []}`))
	f.Add([]byte(`{"format": "kerasparity-fixtures/1", "backend": "numpy", "cases": [null]}`))
	f.Fuzz(func(t *testing.T, manifest []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, lossFile), archive, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, ManifestName), manifest, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := Load(dir)
		if err != nil {
			return
		}
		for _, c := range s.Cases() {
			if !idChars.holds(c.ID) || !identChars.holds(c.Class) {
				t.Fatalf("loaded a case with id %q, class %q", c.ID, c.Class)
			}
			for _, e := range c.Edges {
				if !tagChars.holds(e) {
					t.Fatalf("case %q: loaded edge tag %q", c.ID, e)
				}
			}
			for _, st := range c.Steps {
				for _, r := range st.refs() {
					if r.ref.Array == nil || len(r.ref.Array.Data) != r.ref.Array.Size() {
						t.Fatalf("case %q: %s not filled to its shape", c.ID, r.name)
					}
				}
			}
		}
	})
}
