package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"github.com/kerasparity/kerasparity/reference/npytest"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// synthSet writes a one-backend fixture set by hand (the format of
// fixtures/README.md, independently of reference's loader) and returns its
// folder. Its cases are small and their values known, so tests can expect
// exact text.
func synthSet(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	w := &npzWriter{}
	arr := func(key, dtype string, shape []int, vals ...float64) map[string]any {
		data := w.add(key, dtype, shape, vals)
		sum := sha256.Sum256(data)
		return map[string]any{"file": "metric.F1Score.npz", "key": key, "dtype": dtype, "shape": shape,
			"sha256": hex.EncodeToString(sum[:])}
	}
	cases := []map[string]any{
		{
			"id": "metric/F1Score/thr=0.5/f32/0001", "kind": "metric", "class": "F1Score",
			"config": json.RawMessage(`{"average":"micro","beta":1.0,"dtype":"float32","name":"f1_score","threshold":0.5}`),
			"dtype":  "float32", "params": map[string]string{"threshold": "0.5", "average": "micro"},
			"edges": []string{"stream"}, "source": "",
			"steps": []map[string]any{
				{"op": "update", "y_true": arr("c1/s0/y_true", "float32", []int{2, 2}, 0, 1, 1, 0),
					"y_pred":        arr("c1/s0/y_pred", "float32", []int{2, 2}, 0.25, 0.75, math.NaN(), 0.5),
					"sample_weight": arr("c1/s0/sample_weight", "float32", []int{2}, 1, 0.5),
					"expect":        map[string]any{"value": arr("c1/s0/value", "float32", nil, 0.6666667)}},
				{"op": "reset", "expect": map[string]any{"value": arr("c1/s1/value", "float32", nil, 0)}},
			},
		},
		{
			"id": "metric/F1Score/thr=1/f32/0002", "kind": "metric", "class": "F1Score",
			"config": json.RawMessage(`{"average":null,"dtype":"float32","name":"f1_score","threshold":1}`),
			"dtype":  "float32", "params": map[string]string{"threshold": "1"}, "edges": []string{}, "source": "",
			"steps": []map[string]any{{"op": "construct", "expect": map[string]any{
				"error": map[string]any{"type": "ValueError", "message": "Invalid value for argument `threshold`."}}}},
		},
	}
	archive := w.bytes(t)
	sum := sha256.Sum256(archive)
	manifest := map[string]any{
		"format":    "kerasparity-fixtures/1",
		"backend":   "numpy",
		"generator": map[string]any{"name": "synth", "revision": "test", "seed": 1},
		"versions":  map[string]string{"keras": "3.15.1"},
		"keras":     map[string]any{"epsilon": 1e-7, "floatx": "float32"},
		"files": map[string]any{"metric.F1Score.npz": map[string]any{
			"sha256": hex.EncodeToString(sum[:]), "bytes": len(archive)}},
		"cases": cases,
	}
	text, err := json.Marshal(manifest)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"manifest.json": text, "metric.F1Score.npz": archive} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// npzWriter collects .npy members (little-endian float32 only, which is all
// synthSet needs) for one archive.
// npzWriter collects the members of one archive.
type npzWriter struct {
	names []string
	data  [][]byte
}

func (w *npzWriter) add(key, dtype string, shape []int, vals []float64) []byte {
	raw := npytest.Encode(dtype, shape, vals, npytest.Layout{})
	w.names = append(w.names, key)
	w.data = append(w.data, raw)
	return raw
}

func (w *npzWriter) bytes(t *testing.T) []byte {
	b, err := npytest.Archive(w.names, w.data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
