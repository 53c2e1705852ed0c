package reference

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// committed is the fixture set in the repository, relative to this package.
const committed = "../fixtures"

var _ = Describe("the committed fixtures", Ordered, func() {
	var set *Set

	BeforeAll(func() {
		paths, err := findManifests(committed)
		if err != nil {
			Skip("no committed fixtures yet: " + err.Error())
		}
		Expect(paths).NotTo(BeEmpty())
		set, err = LoadCommitted()
		Expect(err).NotTo(HaveOccurred())
	})

	It("has cases for every backend, each with its arrays filled", func() {
		Expect(set.Manifests).NotTo(BeEmpty())
		for _, m := range set.Manifests {
			Expect(m.Cases).NotTo(BeEmpty(), m.Backend)
			for _, c := range m.Cases {
				Expect(c.Backend).To(Equal(m.Backend))
				for _, s := range c.Steps {
					for _, r := range s.refs() {
						Expect(r.ref.Array).NotTo(BeNil(), "%s %s", c.ID, r.name)
						Expect(r.ref.Array.Data).To(HaveLen(r.ref.Array.Size()), "%s %s", c.ID, r.name)
					}
				}
			}
		}
	})

	Describe("a corrupted copy", func() {
		var dir, manifest, file string
		BeforeEach(func() {
			m := set.Manifests[0]
			dir = filepath.Join(GinkgoT().TempDir(), m.Backend)
			copyDir(filepath.Dir(m.Path), dir)
			manifest = filepath.Join(dir, ManifestName)
			// The first file a case uses, so the case named is known.
			file = m.Cases[0].firstFile()
			Expect(file).NotTo(BeEmpty())
		})

		expectError := func(want ...string) {
			GinkgoHelper()
			_, err := Load(dir)
			Expect(err).To(HaveOccurred())
			GinkgoWriter.Println(err)
			Expect(err.Error()).To(ContainSubstring(manifest))
			Expect(err.Error()).To(ContainSubstring("file " + file))
			Expect(err.Error()).To(ContainSubstring(`case "`))
			for _, w := range want {
				Expect(err.Error()).To(ContainSubstring(w))
			}
		}

		It("refuses a truncated file", func() {
			edit(filepath.Join(dir, file), func(b []byte) []byte { return b[:len(b)-len(b)/3] })
			expectError("truncated")
		})

		It("refuses a flipped byte", func() {
			edit(filepath.Join(dir, file), func(b []byte) []byte { b[len(b)/2] ^= 0x20; return b })
			expectError("sha256")
		})

		It("refuses a deleted file", func() {
			Expect(os.Remove(filepath.Join(dir, file))).To(Succeed())
			expectError("no such file")
		})

		It("refuses a flipped byte inside a member even under a matching file checksum", func() {
			p := filepath.Join(dir, file)
			var key string
			edit(p, func(b []byte) []byte {
				zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
				Expect(err).NotTo(HaveOccurred())
				f := slices.MaxFunc(zr.File, func(a, b *zip.File) int { return int(a.CompressedSize64) - int(b.CompressedSize64) })
				off, err := f.DataOffset()
				Expect(err).NotTo(HaveOccurred())
				b[off+int64(f.CompressedSize64)/2] ^= 0x20
				key = strings.TrimSuffix(f.Name, ".npy")
				return b
			})
			rehashIn(manifest, p)
			expectError(`member "` + key + `"`)
		})
	})
})

// firstFile is the array file of the case's first array.
func (c *Case) firstFile() string {
	for _, s := range c.Steps {
		for _, r := range s.refs() {
			return r.ref.File
		}
	}
	return ""
}

func edit(path string, f func([]byte) []byte) {
	GinkgoHelper()
	raw, err := os.ReadFile(path)
	Expect(err).NotTo(HaveOccurred())
	Expect(os.WriteFile(path, f(raw), 0o644)).To(Succeed())
}

// rehashIn replaces the recorded checksum of file in the manifest with its
// current one, leaving only the member checks to find a corruption.
func rehashIn(manifest, file string) {
	GinkgoHelper()
	raw, err := os.ReadFile(manifest)
	Expect(err).NotTo(HaveOccurred())
	m, err := decodeManifest(manifest, raw)
	Expect(err).NotTo(HaveOccurred())
	old := m.Files[filepath.Base(file)].SHA256
	raw, err = os.ReadFile(file)
	Expect(err).NotTo(HaveOccurred())
	sum := sha256.Sum256(raw)
	edit(manifest, func(b []byte) []byte {
		return bytes.ReplaceAll(b, []byte(old), []byte(hex.EncodeToString(sum[:])))
	})
}
