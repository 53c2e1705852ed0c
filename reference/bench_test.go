package reference

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// bigKit lays out a set shaped like the generator's: one archive per class,
// cases of four small arrays each (y_true, y_pred, sample_weight, value).
func bigKit(dir string, cases, classes int) *kit {
	k := newKit(dir, "numpy")
	r := rand.New(rand.NewPCG(7, 11))
	vals := func(n int) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = float64(float32(r.Float64()))
		}
		return out
	}
	for i := range cases {
		class := fmt.Sprintf("Class%02d", i%classes)
		file := "loss." + class + ".npz"
		p := fmt.Sprintf("c%05d/s0/", i)
		k.m.Cases = append(k.m.Cases, &Case{
			ID: fmt.Sprintf("loss/%s/red=sum/f32/%05d", class, i), Kind: "loss", Class: class, DType: "float32",
			Config: map[string]any{"name": class, "reduction": "sum", "dtype": "float32"},
			Params: map[string]string{"reduction": "sum", "shape": "4x3"}, Edges: []string{"batch_4"},
			Steps: []*Step{{Op: "call",
				YTrue:        k.arr(file, p+"y_true", "float32", []int{4, 3}, vals(12)),
				YPred:        k.arr(file, p+"y_pred", "float32", []int{4, 3}, vals(12)),
				SampleWeight: k.arr(file, p+"sample_weight", "float32", []int{4}, vals(4)),
				Expect:       Outcome{Value: k.arr(file, p+"value", "float32", []int{}, vals(1))},
			}},
		})
	}
	k.write()
	return k
}

// BenchmarkLoad loads 5,000 cases holding 20,000 arrays in 30 archives.
func BenchmarkLoad(b *testing.B) {
	k := bigKit(b.TempDir(), 5000, 30)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Load(k.dir)
		if err != nil || len(s.Cases()) != 5000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadCommitted loads the committed fixture set, all backends.
func BenchmarkLoadCommitted(b *testing.B) {
	if _, err := findManifests(committed); err != nil {
		b.Skip("no committed fixtures")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(committed); err != nil {
			b.Fatal(err)
		}
	}
}
