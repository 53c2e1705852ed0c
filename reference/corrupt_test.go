package reference

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// copyDir copies the regular files of src into a new folder dst.
func copyDir(src, dst string) {
	GinkgoHelper()
	Expect(os.MkdirAll(dst, 0o755)).To(Succeed())
	entries, err := os.ReadDir(src)
	Expect(err).NotTo(HaveOccurred())
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(src, e.Name()))
		Expect(err).NotTo(HaveOccurred())
		Expect(os.WriteFile(filepath.Join(dst, e.Name()), raw, 0o644)).To(Succeed())
	}
}

// loadSafely loads dir and turns a panic into a test failure.
func loadSafely(dir string) (s *Set, err error) {
	GinkgoHelper()
	defer func() {
		if p := recover(); p != nil {
			Fail("Load panicked: " + toString(p))
		}
	}()
	return Load(dir)
}

func toString(p any) string {
	if e, ok := p.(error); ok {
		return e.Error()
	}
	if s, ok := p.(string); ok {
		return s
	}
	return "non-string panic"
}

var _ = Describe("random corruption", func() {
	It("never panics, and never lets a corrupt array file through", func() {
		k := bigKit(filepath.Join(GinkgoT().TempDir(), "good"), 20, 2)
		_, err := Load(k.dir)
		Expect(err).NotTo(HaveOccurred())
		names := []string{ManifestName, "loss.Class00.npz", "loss.Class01.npz"}
		r := rand.New(rand.NewPCG(5, 8))
		for i := range 300 {
			name := names[r.IntN(len(names))]
			p := filepath.Join(k.dir, name)
			orig, err := os.ReadFile(p)
			Expect(err).NotTo(HaveOccurred())
			raw := append([]byte(nil), orig...)
			if r.IntN(4) == 0 {
				raw = raw[:r.IntN(len(raw))]
			} else {
				raw[r.IntN(len(raw))] ^= byte(1 + r.IntN(255))
			}
			Expect(os.WriteFile(p, raw, 0o644)).To(Succeed())
			_, err = loadSafely(k.dir)
			// A flip inside the manifest can leave valid JSON naming the same
			// data (a changed case id, say); a changed archive never loads.
			if name != ManifestName {
				Expect(err).To(HaveOccurred(), "iteration %d: corrupt %s loaded", i, name)
			}
			Expect(os.WriteFile(p, orig, 0o644)).To(Succeed())
		}
	})

	It("never panics decoding a corrupt member, even behind valid checksums", func() {
		good := npyEncode("float32", []int{2, 3}, iota(6), arrOpt{})
		r := rand.New(rand.NewPCG(9, 9))
		for range 20000 {
			raw := append([]byte(nil), good...)
			for range 1 + r.IntN(3) {
				raw[r.IntN(len(raw))] ^= byte(1 + r.IntN(255))
			}
			if r.IntN(4) == 0 {
				raw = raw[:r.IntN(len(raw))]
			}
			Expect(func() { _, _ = decodeMember(raw, "", &headerCache{}) }).NotTo(Panic())
		}
	})
})

// FuzzDecodeMember feeds arbitrary bytes to the member decoder, which must
// return an error or an array whose size matches its header, never panic.
func FuzzDecodeMember(f *testing.F) {
	f.Add(npyEncode("float32", []int{2, 3}, iota(6), arrOpt{}))
	f.Add(npyEncode("float16", []int{}, []float64{1}, arrOpt{}))
	f.Add(npyEncode("float64", []int{2, 3}, iota(6), arrOpt{fortran: true, bigEndian: true}))
	f.Add(npyEncode("bool", []int{0, 3}, nil, arrOpt{}))
	f.Add(npyRaw("{'shape': (4,), 'fortran_order': False, 'descr': '<f4', }\n", 16))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := decodeMember(raw, "", &headerCache{})
		if err != nil {
			return
		}
		n, err := numElements(m.header.Shape, 1)
		if err != nil || n != len(m.data) {
			t.Fatalf("decoded %d values for shape %v", len(m.data), m.header.Shape)
		}
	})
}
