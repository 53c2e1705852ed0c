package reference

import (
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// loadWithin loads dir and fails the spec if Load panics or takes longer
// than limit: a hostile set must fail fast, not hang or exhaust memory.
func loadWithin(dir string, limit time.Duration) error {
	GinkgoHelper()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- errors.New("PANIC: " + toString(p))
			}
		}()
		_, err := Load(dir)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			Expect(err.Error()).NotTo(HavePrefix("PANIC"))
		}
		return err
	case <-time.After(limit):
		Fail("Load still running after " + limit.String())
		return nil
	}
}

// bomb is a deflate stream of 64 MiB of zeros (65 KB) and the CRC-32 of
// those zeros: the payload of a zip bomb member.
var bomb = sync.OnceValues(func() ([]byte, uint32) {
	zeros := make([]byte, 64<<20)
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	must(err)
	_, err = w.Write(zeros)
	must(err)
	must(w.Close())
	return buf.Bytes(), crc32.ChecksumIEEE(zeros)
})

var _ = Describe("a hostile fixture set", func() {
	const (
		id0, id1 = "loss/MeanSquaredError/f32/0000", "loss/MeanSquaredError/f32/0001"
		key      = "c0000/s0/y_pred" // a [2, 2] float32 array of case id0
		// what errors say when the whole file is at fault, or one member
		inFile   = `file ` + lossFile + ` (first used by case "` + id0 + `")`
		inMember = `case "` + id0 + `" step 0 y_pred: file ` + lossFile + ` member "` + key + `"`
		inCase1  = `case "` + id1 + `"`
		gib2     = 2 << 30
	)
	var k *kit
	BeforeEach(func() {
		k = newKit(filepath.Join(GinkgoT().TempDir(), "set"), "numpy")
		k.lossCase(id0, lossFile)
		k.lossCase(id1, lossFile)
		k.m.API = &API{Losses: map[string]APIClass{
			"MeanSquaredError": {Args: []APIArg{{Name: "reduction", Default: "sum_over_batch_size"}}},
		}}
		k.write()
		_, err := Load(k.dir)
		Expect(err).NotTo(HaveOccurred())
	})

	// Corruptions of the files on disk.
	file := func() string { return filepath.Join(k.dir, lossFile) }
	replace := func(p string, make func(string) error) {
		must(os.Remove(p))
		must(make(p))
	}
	fifo := func(p string) error { return syscall.Mkfifo(p, 0o644) }
	symlinkTo := func(target string) func(string) error {
		return func(p string) error { return os.Symlink(target, p) }
	}
	// Corruptions of the manifest: edit the case or manifest, then rewrite it.
	manifest := func(f func(m *Manifest)) func(*kit) {
		return func(k *kit) { f(k.m); k.writeManifest() }
	}
	case1 := func(f func(c *Case)) func(*kit) {
		return manifest(func(m *Manifest) { f(m.Cases[1]) })
	}
	yPred := func(f func(r *ArrayRef)) func(*kit) {
		return manifest(func(m *Manifest) { f(m.Cases[0].Steps[0].YPred) })
	}
	// Corruptions of a member written as if by the generator: the manifest
	// holds the member's checksum, so only the structural checks remain.
	member := func(npyBytes []byte) func(*kit) {
		return func(k *kit) { k.setMember(lossFile, key, npyBytes); k.write() }
	}
	f4 := func(shape string, dataBytes int) []byte {
		return npyRaw("{'descr': '<f4', 'fortran_order': False, 'shape': "+shape+", }\n", dataBytes)
	}

	DescribeTable("fails fast with an error naming the manifest and the fault",
		func(corrupt func(k *kit), want ...string) {
			corrupt(k)
			start := time.Now()
			err := loadWithin(k.dir, 10*time.Second)
			Expect(err).To(HaveOccurred())
			GinkgoWriter.Printf("%v (%v)\n", err, time.Since(start))
			Expect(err.Error()).To(ContainSubstring(k.path()))
			for _, w := range want {
				Expect(err.Error()).To(ContainSubstring(w))
			}
			Expect(time.Since(start)).To(BeNumerically("<", 5*time.Second))
		},

		// Files that are not what they seem.
		Entry("FIFO in place of an archive", func(k *kit) { replace(file(), fifo) },
			inFile, "not a regular file: a named pipe (FIFO)"),
		Entry("FIFO in place of the manifest", func(k *kit) { replace(k.path(), fifo) },
			"not a regular file: a named pipe (FIFO)"),
		Entry("symlink to /dev/zero in place of an archive", func(k *kit) { replace(file(), symlinkTo("/dev/zero")) },
			inFile, "leads to /dev/zero, outside the fixture set"),
		Entry("symlink to /dev/zero in place of the manifest", func(k *kit) { replace(k.path(), symlinkTo("/dev/zero")) },
			"leads to /dev/zero, outside the fixture set"),
		Entry("symlink to an identical archive outside the set", func(k *kit) {
			outside := filepath.Join(filepath.Dir(k.dir), "outside.npz")
			must(os.Rename(file(), outside))
			must(os.Symlink(outside, file()))
		}, inFile, "outside.npz, outside the fixture set"),
		Entry("directory in place of an archive", func(k *kit) { replace(file(), func(p string) error { return os.Mkdir(p, 0o755) }) },
			inFile, "not a regular file: a directory"),
		Entry("archive missing", func(k *kit) { must(os.Remove(file())) },
			inFile, "missing: lstat", "no such file or directory"),

		// Sizes.
		Entry("2 GiB sparse archive", func(k *kit) { must(os.Truncate(file(), gib2)) },
			inFile, "size 2147483648 bytes, manifest says"),
		Entry("2 GiB sparse archive the manifest vouches for", func(k *kit) {
			must(os.Truncate(file(), gib2))
			fi := k.m.Files[lossFile]
			fi.Bytes = gib2
			k.m.Files[lossFile] = fi
			k.writeManifest()
		}, inFile, "size 2147483648 bytes is over the limit of 1073741824"),
		Entry("2 GiB sparse manifest", func(k *kit) { must(os.Truncate(k.path(), gib2)) },
			"size 2147483648 bytes is over the limit of 1073741824"),
		Entry("archive truncated", func(k *kit) { k.editFile(lossFile, func(b []byte) []byte { return b[:len(b)/2] }) },
			inFile, "manifest says", "(truncated or replaced)"),
		Entry("extra trailing data after the archive", func(k *kit) { k.editFile(lossFile, func(b []byte) []byte { return append(b, "tail"...) }) },
			inFile, "manifest says", "(truncated or replaced)"),

		// Checksums and archive structure.
		Entry("archive checksum mismatch", func(k *kit) { k.editFile(lossFile, func(b []byte) []byte { b[len(b)/2] ^= 1; return b }) },
			inFile, "sha256", "does not match manifest"),
		Entry("garbage archive with a matching checksum", func(k *kit) {
			k.editFile(lossFile, func(b []byte) []byte { return bytes.Repeat([]byte("garbage!"), 64) })
			k.rehash(lossFile)
			k.writeManifest()
		}, inFile, "not a valid npz (zip) archive"),
		Entry("member corrupt behind a valid archive checksum", func(k *kit) { k.flipInMember(lossFile, key) },
			inMember),
		Entry("member missing from the archive", func(k *kit) {
			f := k.files[lossFile]
			f.members = f.members[1:] // c0000/s0/y_true
			k.write()
		}, `case "`+id0+`" step 0 y_true`, `no member "c0000/s0/y_true.npy" in the archive`),
		Entry("zip bomb member: declares 64 MiB", func(k *kit) {
			mem := k.setMember(lossFile, key, f4("(2, 2)", 16))
			mem.raw, mem.crc = bomb()
			mem.declared = 64 << 20
			k.write()
		}, inMember, "member declares 67108864 bytes uncompressed, more than the 4124 its manifest shape and dtype allow"),
		Entry("member declares its real size but inflates to 64 MiB", func(k *kit) {
			mem := k.setMember(lossFile, key, f4("(2, 2)", 16))
			mem.raw, mem.crc = bomb()
			mem.declared = uint64(len(mem.data))
			k.write()
		}, inMember, "data continues past the size in the zip directory"),

		// .npy members.
		Entry("truncated npy data", member(f4("(2, 2)", 12)),
			inMember, "member holds 12 data bytes, its header promises 16"),
		Entry("extra data after the npy array", member(f4("(2, 2)", 20)),
			inMember, "member holds 20 data bytes, its header promises 16"),
		Entry("npy header cut short", member([]byte("\x93NUMPY\x01\x00\x76\x00{'descr': '<f4', 'fortr")),
			inMember, "npy header truncated"),
		Entry("garbage npy header", member(npyRaw("garbage, garbage, garbage\n", 16)),
			inMember, "npy header malformed"),
		Entry("not an npy member", member([]byte("PK\x03\x04 this is not numpy at all")),
			inMember, "not a .npy file"),
		Entry("npy version 3.0", member(append([]byte("\x93NUMPY\x03\x00"), f4("(2, 2)", 16)[8:]...)),
			inMember, "npy version 3.0 not supported"),
		Entry("npy header shape overflows (2^32, 2^32)", member(f4("(4294967296, 4294967296)", 0)),
			inMember, "npy header: shape [4294967296 4294967296] too large"),
		Entry("negative dimension in the npy header", member(f4("(-2, 2)", 16)),
			inMember, "negative dimension"),
		Entry("npy descr not of the format", member(npyRaw("{'descr': '<c8', 'fortran_order': False, 'shape': (2, 2), }\n", 32)),
			inMember, `unsupported npy descr "<c8"`),
		Entry("bool member holding 2", func(k *kit) {
			raw := npyEncode("bool", []int{2, 2}, []float64{0, 1, 1, 0}, arrOpt{})
			raw[len(raw)-1] = 2
			k.setMember(lossFile, key, raw)
			k.m.Cases[0].Steps[0].YPred.DType = "bool"
			k.write()
		}, inMember, "bool element 3 holds byte 0x2"),

		// Array entries of the manifest.
		Entry("dtype of the manifest disagrees with the npy", yPred(func(r *ArrayRef) { r.DType = "float64" }),
			inMember, `npy descr "<f4" does not store dtype float64`),
		Entry("shape of the manifest disagrees with the npy", yPred(func(r *ArrayRef) { r.Shape = []int{4} }),
			inMember, "npy header shape (2, 2) disagrees with manifest shape [4]"),
		Entry("manifest shape (2^32, 2^32), which overflows to 0", yPred(func(r *ArrayRef) { r.Shape = []int{1 << 32, 1 << 32} }),
			inMember, "shape [4294967296 4294967296] too large"),
		Entry("manifest shape of 2 GiB", yPred(func(r *ArrayRef) { r.Shape = []int{1 << 28, 2} }),
			inMember, "shape [268435456 2] of float32 is 2147483648 bytes, over the limit"),
		Entry("negative dimension in the manifest", yPred(func(r *ArrayRef) { r.Shape = []int{-2, -2} }),
			inMember, "negative dimension in shape [-2 -2]"),
		Entry("unknown array dtype", yPred(func(r *ArrayRef) { r.DType = "float8" }),
			inMember, `unknown dtype "float8"`),
		Entry("array in a file the manifest does not list", yPred(func(r *ArrayRef) { r.File = "other.npz" }),
			`case "`+id0+`" step 0 y_pred`, `file "other.npz" is not listed`),
		Entry("array file name leading out of the folder", manifest(func(m *Manifest) { m.Files["../x.npz"] = m.Files[lossFile] }),
			`file name "../x.npz" is not a plain file name`),

		// Case names, which become Ginkgo labels and rerun lines.
		Entry("id with a quote", case1(func(c *Case) { c.ID = "loss/x'; rm -rf ~; echo '/0001" }),
			`case "loss/x'; rm -rf ~; echo '/0001": case 1: id: must be letters, digits and _ . / = - only`),
		Entry("id with a backtick", case1(func(c *Case) { c.ID = "loss/`reboot`/0001" }),
			"case \"loss/`reboot`/0001\": case 1: id: must be"),
		Entry("id with a space", case1(func(c *Case) { c.ID = "loss/Mean Squared/0001" }),
			`case "loss/Mean Squared/0001": case 1: id: must be`),
		Entry("id with a $", case1(func(c *Case) { c.ID = "loss/$(id)/0001" }),
			`case "loss/$(id)/0001": case 1: id: must be`),
		Entry("id with a newline", case1(func(c *Case) { c.ID = "loss/a\nb/0001" }),
			`case "loss/a\nb/0001": case 1: id: must be`),
		Entry("duplicate case id", case1(func(c *Case) { c.ID = id0 }),
			`case "`+id0+`": duplicate case id (cases 0 and 1)`),
		Entry("empty edge tag", case1(func(c *Case) { c.Edges = []string{"rank2", ""} }),
			inCase1, `edge tag 1 "": must be non-empty: letters, digits and _ . - only`),
		Entry("edge tag with a comma", case1(func(c *Case) { c.Edges = []string{"nan,inf"} }),
			inCase1, `edge tag 0 "nan,inf"`),
		Entry("empty reduction", case1(func(c *Case) { c.Params["reduction"] = "" }),
			inCase1, `params reduction value "": must be non-empty`),
		Entry("reduction that is no label", case1(func(c *Case) { c.Params["reduction"] = "(sum)" }),
			inCase1, `reduction "(sum)": must be non-empty: letters, digits and _ . - only`),
		Entry("params value with shell syntax", case1(func(c *Case) { c.Params["axis"] = "`-1`" }),
			inCase1, "params axis value \"`-1`\""),
		Entry("params value padded with a space", case1(func(c *Case) { c.Params["axis"] = "-1 " }),
			inCase1, `params axis value "-1 "`),
		Entry("params key with a space", case1(func(c *Case) { c.Params["from logits"] = "true" }),
			inCase1, `params key "from logits": must be a Python identifier`),
		Entry("empty class name", case1(func(c *Case) { c.Class = "" }),
			inCase1, "no class"),
		Entry("class name with parentheses", case1(func(c *Case) { c.Class = "Mean(x)" }),
			inCase1, `class "Mean(x)": must be a Python identifier`),
		Entry("case dtype not of the format", case1(func(c *Case) { c.DType = "float 32" }),
			inCase1, `dtype "float 32" is not one of the dtypes`),
		Entry("unknown kind", case1(func(c *Case) { c.Kind = "layer" }),
			inCase1, `kind "layer" is not loss, metric or function`),
		Entry("empty api class name", manifest(func(m *Manifest) { m.API.Losses[""] = APIClass{} }),
			`api losses class "": must be a Python identifier`),
		Entry("api argument name with a $", manifest(func(m *Manifest) {
			m.API.Metrics = map[string]APIClass{"Mean": {Args: []APIArg{{Name: "$name"}}}}
		}), `api metrics class Mean argument 0 "$name": must be a Python identifier`),
		Entry("backend with a slash", manifest(func(m *Manifest) { m.Backend = "jax/x64" }),
			`backend "jax/x64": must be non-empty`),

		// The manifest itself.
		Entry("unknown format", manifest(func(m *Manifest) { m.Format = "kerasparity-fixtures/2" }),
			`format "kerasparity-fixtures/2" is not "kerasparity-fixtures/1"`),
		Entry("manifest that is not JSON", func(k *kit) { must(os.WriteFile(k.path(), []byte("{\"format\": nope}"), 0o644)) },
			"line 1 col"),
		Entry("data after the manifest object", func(k *kit) {
			raw, err := os.ReadFile(k.path())
			must(err)
			must(os.WriteFile(k.path(), append(raw, "{}"...), 0o644))
		}, "unexpected data after the manifest object"),
		Entry("misspelt field in the manifest", func(k *kit) {
			raw, err := os.ReadFile(k.path())
			must(err)
			must(os.WriteFile(k.path(), bytes.Replace(raw, []byte(`"y_true"`), []byte(`"y_trues"`), 1), 0o644))
		}, `unknown field "y_trues"`),
	)

	It("follows a symlink that stays inside the set", func() {
		inside := filepath.Join(k.dir, "data")
		must(os.Mkdir(inside, 0o755))
		must(os.Rename(file(), filepath.Join(inside, lossFile)))
		must(os.Symlink(filepath.Join("data", lossFile), file()))
		Expect(loadWithin(k.dir, 10*time.Second)).NotTo(HaveOccurred())
	})

	Describe("LoadContext", func() {
		It("stops within a second when its context is cancelled", func() {
			big := bigKit(filepath.Join(GinkgoT().TempDir(), "big"), 5000, 30)
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(20*time.Millisecond, cancel)
			start := time.Now()
			_, err := LoadContext(ctx, big.dir)
			Expect(err).To(MatchError(context.Canceled))
			Expect(err.Error()).To(ContainSubstring("loading stopped"))
			Expect(time.Since(start)).To(BeNumerically("<", time.Second))
		})

		It("does not start with a context already done", func() {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err := LoadContext(ctx, k.dir)
			Expect(err).To(MatchError(context.Canceled))
		})
	})
})
