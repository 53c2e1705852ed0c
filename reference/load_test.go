package reference

import (
	"errors"
	"github.com/kerasparity/kerasparity/reference/npytest"
	"math"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

const lossFile = "loss.MeanSquaredError.npz"

func iota(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(i)
	}
	return out
}

// loadError loads k's set, which must fail, and returns the message.
func loadError(k *kit) string {
	GinkgoHelper()
	_, err := Load(k.dir)
	Expect(err).To(HaveOccurred())
	var le *LoadError
	Expect(errors.As(err, &le)).To(BeTrue(), "want a *LoadError, got %T: %v", err, err)
	GinkgoWriter.Println(err)
	return err.Error()
}

var _ = Describe("Load", func() {
	var k *kit
	BeforeEach(func() {
		k = newKit(filepath.Join(GinkgoT().TempDir(), "set"), "numpy")
	})

	Describe("a good set", func() {
		const f = "metric.Mean.npz"
		f16 := []float64{0, 1, -2, 0.5, 0x1p-24, 0x1p-14, 65504, math.Inf(-1)}
		bf16 := []float64{1, 1 + 0x1p-7, -0x1.fep127, 0x1p-133}
		f64 := []float64{0.1, -1e-300, math.MaxFloat64}
		var c *Case

		BeforeEach(func() {
			k.lossCase("loss/MeanSquaredError/f32/0000", lossFile)
			c = &Case{ID: "metric/Mean/kinds/0001", Kind: "metric", Class: "Mean", DType: "float32",
				Steps: []*Step{
					{Op: "update",
						YTrue:        k.arr(f, "s0/y_true", "float16", []int{2, 4}, f16),
						YPred:        k.arr(f, "s0/y_pred", "bfloat16", []int{4}, bf16),
						SampleWeight: k.arr(f, "s0/w", "float64", []int{3}, f64, arrOpt{bigEndian: true}),
						Expect:       Outcome{Value: k.arr(f, "s0/value", "float32", []int{}, []float64{0.15625})}},
					{Op: "update",
						YTrue:        k.arr(f, "s1/y_true", "int32", []int{3}, []float64{-7, 0, math.MaxInt32}),
						YPred:        k.arr(f, "s1/y_pred", "int64", []int{3}, []float64{-(1 << 53), 1 << 40, 3}),
						SampleWeight: k.arr(f, "s1/w", "bool", []int{3}, []float64{1, 0, 1}),
						Expect:       Outcome{Value: k.arr(f, "s1/value", "float16", []int{}, []float64{math.NaN()})}},
					{Op: "update",
						YTrue:  k.arr(f, "s2/y_true", "float32", []int{0, 3}, nil),
						YPred:  k.arr(f, "s2/y_pred", "float32", []int{0, 3}, nil, arrOpt{stored: true}),
						Expect: Outcome{Error: &KerasError{Type: "ValueError", Message: "empty"}}},
					{Op: "update",
						YTrue:  k.arr(f, "s3/y_true", "float64", []int{2, 3}, iota(6), arrOpt{fortran: true}),
						YPred:  k.arr(f, "s3/y_pred", "float32", []int{2, 3, 4}, iota(24), arrOpt{fortran: true, bigEndian: true}),
						Expect: Outcome{Value: k.arr(f, "s3/value", "float32", []int{1}, []float64{0.5}, arrOpt{stored: true})}},
					{Op: "reset", Expect: Outcome{Value: k.arr(f, "s4/value", "float32", []int{}, []float64{0})}},
				}}
			k.m.Cases = append(k.m.Cases, c)
			k.write()
		})

		It("loads every dtype with exact values", func() {
			s, err := Load(k.dir)
			Expect(err).NotTo(HaveOccurred())
			Expect(s.Dir).To(Equal(k.dir))
			Expect(s.Backends()).To(Equal([]string{"numpy"}))
			cs := s.Cases()
			Expect(cs).To(HaveLen(2))
			Expect(cs[1].ID).To(Equal(c.ID))
			Expect(cs[1].Backend).To(Equal("numpy"))
			st := cs[1].Steps

			Expect(*st[0].YTrue.Array).To(Equal(Array{Shape: []int{2, 4}, DType: "float16", Data: f16}))
			Expect(*st[0].YPred.Array).To(Equal(Array{Shape: []int{4}, DType: "bfloat16", Data: bf16}))
			Expect(st[0].SampleWeight.Array.Data).To(Equal(f64))
			Expect(*st[0].Expect.Value.Array).To(Equal(Array{Shape: []int{}, DType: "float32", Data: []float64{0.15625}}))

			Expect(st[1].YTrue.Array.Data).To(Equal([]float64{-7, 0, math.MaxInt32}))
			Expect(st[1].YPred.Array.Data).To(Equal([]float64{-(1 << 53), 1 << 40, 3}))
			Expect(st[1].SampleWeight.Array).To(Equal(&Array{Shape: []int{3}, DType: "bool", Data: []float64{1, 0, 1}}))
			Expect(math.IsNaN(st[1].Expect.Value.Array.Data[0])).To(BeTrue())

			Expect(st[2].YTrue.Array.Shape).To(Equal([]int{0, 3}))
			Expect(st[2].YPred.Array.Data).To(BeEmpty())
			Expect(st[2].Expect.Error.Type).To(Equal("ValueError"))

			Expect(st[3].YTrue.Array.Data).To(Equal(iota(6)), "Fortran 2-d reordered to C order")
			Expect(st[3].YPred.Array.Data).To(Equal(iota(24)), "Fortran 3-d big-endian reordered to C order")
			Expect(st[3].Expect.Value.Array.Data).To(Equal([]float64{0.5}))
			Expect(st[4].Expect.Value.Array.Data).To(Equal([]float64{0}))
		})

		It("reads a set of several backends, ordered by backend", func() {
			root := filepath.Dir(k.dir)
			Expect(os.Rename(k.dir, filepath.Join(root, "numpy"))).To(Succeed())
			j := newKit(filepath.Join(root, "jax"), "jax")
			j.lossCase("loss/MeanSquaredError/f32/0000", lossFile)
			j.write()
			Expect(os.MkdirAll(filepath.Join(root, "notes"), 0o755)).To(Succeed())
			Expect(os.WriteFile(filepath.Join(root, "README.md"), []byte("hi"), 0o644)).To(Succeed())

			s, err := Load(root)
			Expect(err).NotTo(HaveOccurred())
			Expect(s.Backends()).To(Equal([]string{"jax", "numpy"}))
			var got []string
			for _, c := range s.Cases() {
				got = append(got, c.Backend+" "+c.ID)
			}
			Expect(got).To(Equal([]string{
				"jax loss/MeanSquaredError/f32/0000",
				"numpy loss/MeanSquaredError/f32/0000",
				"numpy metric/Mean/kinds/0001",
			}))
		})

		It("refuses a backend that disagrees with its folder", func() {
			root := filepath.Dir(k.dir)
			Expect(os.Rename(k.dir, filepath.Join(root, "jax"))).To(Succeed())
			_, err := Load(root)
			Expect(err).To(MatchError(ContainSubstring(`backend "numpy" disagrees with its folder "jax"`)))
			Expect(err.Error()).To(ContainSubstring(filepath.Join(root, "jax", ManifestName)))
		})

		It("gives each ArrayRef naming one member its own data", func() {
			k2 := newKit(filepath.Join(GinkgoT().TempDir(), "set"), "numpy")
			c := k2.lossCase("loss/a/0000", lossFile)
			c.Steps = append(c.Steps, &Step{Op: "call", YTrue: c.Steps[0].YTrue, YPred: c.Steps[0].YPred,
				Expect: Outcome{Value: c.Steps[0].Expect.Value}})
			cp := *c.Steps[0].YTrue
			c.Steps[1].YTrue = &cp
			k2.write()
			s, err := Load(k2.dir)
			Expect(err).NotTo(HaveOccurred())
			st := s.Cases()[0].Steps
			Expect(st[1].YTrue.Array.Data).To(Equal(st[0].YTrue.Array.Data))
			st[1].YTrue.Array.Data[0] = 42
			Expect(st[0].YTrue.Array.Data[0]).To(Equal(0.0))
		})
	})

	Describe("a corrupt set", func() {
		const id = "loss/MeanSquaredError/f32/0000"
		var c *Case
		BeforeEach(func() {
			c = k.lossCase(id, lossFile)
		})

		// expectNames asserts that msg points at the manifest, the file, the
		// case and, when given, the member.
		expectNames := func(msg, key string, more ...string) {
			GinkgoHelper()
			Expect(msg).To(ContainSubstring(k.path()))
			Expect(msg).To(ContainSubstring(lossFile))
			Expect(msg).To(ContainSubstring(`"` + id + `"`))
			if key != "" {
				Expect(msg).To(ContainSubstring(`member "` + key + `"`))
			}
			for _, m := range more {
				Expect(msg).To(ContainSubstring(m))
			}
		}

		It("refuses a truncated array file", func() {
			k.write()
			k.editFile(lossFile, func(b []byte) []byte { return b[:len(b)/2] })
			expectNames(loadError(k), "", "first used by case", "truncated")
		})

		It("refuses a flipped byte inside a deflated member, even under a matching file checksum", func() {
			k.write()
			k.flipInMember(lossFile, "c0000/s0/y_pred")
			expectNames(loadError(k), "c0000/s0/y_pred", "step 0 y_pred")
		})

		It("refuses a flipped byte inside a stored member (zip CRC)", func() {
			c.Steps[0].YPred = k.arr(lossFile, "c0000/s0/stored", "float32", []int{2, 2}, []float64{1, 2, 3, 4}, arrOpt{stored: true})
			k.write()
			k.flipInMember(lossFile, "c0000/s0/stored")
			expectNames(loadError(k), "c0000/s0/stored", "step 0 y_pred", "checksum")
		})

		It("refuses a flipped byte inside a stored member without a CRC (member sha256)", func() {
			c.Steps[0].YPred = k.arr(lossFile, "c0000/s0/stored", "float32", []int{2, 2}, []float64{1, 2, 3, 4}, arrOpt{noCRC: true})
			k.write()
			k.flipInMember(lossFile, "c0000/s0/stored")
			expectNames(loadError(k), "c0000/s0/stored", "step 0 y_pred", "sha256 of member")
		})

		It("refuses a missing array file", func() {
			k.write()
			Expect(os.Remove(filepath.Join(k.dir, lossFile))).To(Succeed())
			expectNames(loadError(k), "", "no such file")
		})

		It("refuses a case whose member is not in the archive", func() {
			ref := *c.Steps[0].YPred
			ref.Key = "c0000/s0/absent"
			c.Steps[0].SampleWeight = &ref
			k.write()
			expectNames(loadError(k), "c0000/s0/absent", "step 0 sample_weight", `no member "c0000/s0/absent.npy"`)
		})

		It("refuses a file not listed in files", func() {
			k.write()
			c.Steps[0].YPred.File = "other.npz"
			k.writeManifest()
			msg := loadError(k)
			Expect(msg).To(ContainSubstring(`case "` + id + `" step 0 y_pred`))
			Expect(msg).To(ContainSubstring(`file "other.npz" is not listed`))
		})

		It("refuses a file whose checksum differs from the manifest's", func() {
			k.write()
			fi := k.m.Files[lossFile]
			fi.SHA256 = "00" + fi.SHA256[2:]
			k.m.Files[lossFile] = fi
			k.writeManifest()
			expectNames(loadError(k), "", "sha256", "does not match manifest 00")
		})

		It("refuses a member whose checksum differs from the manifest's", func() {
			k.write()
			c.Steps[0].Expect.Value.SHA256 = "ab" + c.Steps[0].Expect.Value.SHA256[2:]
			k.writeManifest()
			expectNames(loadError(k), "c0000/s0/value", "step 0 expect.value", "sha256 of member")
		})

		It("refuses a checksum that is not one", func() {
			c.Steps[0].YTrue.SHA256 = "xyz"
			k.write()
			expectNames(loadError(k), "c0000/s0/y_true", `sha256 "xyz"`)
		})

		It("refuses an npy header whose shape disagrees with the manifest", func() {
			c.Steps[0].YPred.Shape = []int{4}
			k.write()
			expectNames(loadError(k), "c0000/s0/y_pred", "shape (2, 2) disagrees with manifest shape [4]")
		})

		It("refuses an npy header whose dtype disagrees with the manifest", func() {
			c.Steps[0].YPred.DType = "float64"
			k.write()
			expectNames(loadError(k), "c0000/s0/y_pred", `descr "<f4" does not store dtype float64 (want <f8)`)
		})

		It("accepts bfloat16 only with bfloat16 values", func() {
			c.Steps[0].YPred = k.arr(lossFile, "c0000/s0/bf", "bfloat16", []int{2}, []float64{1, 0.1})
			k.write()
			expectNames(loadError(k), "c0000/s0/bf", "element 1 = 0.10000000149011612 is not a bfloat16 value")
		})

		DescribeTable("refuses a member that is not a valid array, without panicking",
			func(raw []byte, want string) {
				c.Steps[0].YPred.SHA256 = k.member(lossFile, "c0000/s0/bad", raw, arrOpt{})
				c.Steps[0].YPred.Key = "c0000/s0/bad"
				k.write()
				expectNames(loadError(k), "c0000/s0/bad", "step 0 y_pred", want)
			},
			Entry("empty", []byte{}, "npy header truncated"),
			Entry("magic only", []byte("\x93NUMPY\x01"), "npy header truncated"),
			Entry("not npy", []byte("PK\x03\x04 hello there"), "not a .npy file"),
			Entry("truncated header", []byte("\x93NUMPY\x01\x00\x76\x00{'descr': '<f4', 'fortr"), "npy header truncated"),
			Entry("header without newline", npyRaw("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), } ", 16), "npy header malformed"),
			Entry("keys out of order (npyio panics)", npyRaw("{'shape': (4,), 'fortran_order': False, 'descr': '<f4', }\n", 16), "unparsable"),
			Entry("no shape", npyRaw("{'descr': '<f4', 'fortran_order': False, }\n", 16), "npy header malformed"),
			Entry("bad shape", npyRaw("{'descr': '<f4', 'fortran_order': False, 'shape': (x,), }\n", 16), "npy header malformed"),
			Entry("negative shape", npyRaw("{'descr': '<f4', 'fortran_order': False, 'shape': (-4,), }\n", 16), "negative dimension"),
			Entry("bad fortran_order", npyRaw("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (4,), }\n", 16), "fortran_order"),
			Entry("unknown descr", npyRaw("{'descr': '<c8', 'fortran_order': False, 'shape': (4,), }\n", 32), `unsupported npy descr "<c8"`),
			Entry("version 3", append([]byte("\x93NUMPY\x03\x00"), npyRaw("{}\n", 0)[8:]...), "npy version 3.0 not supported"),
			Entry("data truncated", npyRaw("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n", 12), "member holds 12 data bytes, its header promises 16"),
			Entry("data too long", npyRaw("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n", 20), "member holds 20 data bytes, its header promises 16"),
			Entry("huge shape", npyRaw("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }\n", 16), "too large"),
		)

		It("refuses a bool that is neither 0 nor 1", func() {
			raw := npytest.File("|b1", false, []int{2}, []byte{1, 2})
			c.Steps[0].SampleWeight = &ArrayRef{File: lossFile, Key: "w", DType: "bool", Shape: []int{2}, SHA256: k.member(lossFile, "w", raw, arrOpt{})}
			k.write()
			expectNames(loadError(k), "w", "bool element 1 holds byte 0x2")
		})

		It("refuses duplicate case ids", func() {
			k.lossCase(id, lossFile)
			k.write()
			msg := loadError(k)
			Expect(msg).To(ContainSubstring(k.path()))
			Expect(msg).To(ContainSubstring(`case "` + id + `": duplicate case id (cases 0 and 1)`))
		})

		It("refuses a set with no cases", func() {
			k.write()
			k.m.Cases = nil
			k.writeManifest()
			Expect(loadError(k)).To(Equal(k.path() + ": no cases"))
		})

		It("refuses a bad format tag", func() {
			k.m.Format = "kerasparity-fixtures/2"
			k.write()
			Expect(loadError(k)).To(ContainSubstring(k.path() + `: format "kerasparity-fixtures/2" is not "kerasparity-fixtures/1"`))
		})

		It("refuses unknown fields and says where", func() {
			k.write()
			raw, err := os.ReadFile(k.path())
			Expect(err).NotTo(HaveOccurred())
			raw = []byte(string(raw[:len(raw)-1]) + `,"sample_weights": 1}`)
			Expect(os.WriteFile(k.path(), raw, 0o644)).To(Succeed())
			_, err = Load(k.dir)
			Expect(err).To(MatchError(And(ContainSubstring(k.path()), ContainSubstring(`unknown field "sample_weights"`))))
		})

		It("refuses malformed JSON with its line and column", func() {
			k.write()
			Expect(os.WriteFile(k.path(), []byte("{\n \"format\": ,\n}"), 0o644)).To(Succeed())
			_, err := Load(k.dir)
			Expect(err).To(MatchError(ContainSubstring(k.path() + ": line 2 col")))
		})

		It("refuses a file name that leaves the set's folder", func() {
			k.write()
			k.m.Files["../x.npz"] = k.m.Files[lossFile]
			k.writeManifest()
			Expect(loadError(k)).To(ContainSubstring(`file ../x.npz: file name "../x.npz" is not a plain file name`))
		})

		It("verifies listed files no case uses", func() {
			k.write()
			k.m.Files["spare.npz"] = k.m.Files[lossFile]
			k.writeManifest()
			Expect(loadError(k)).To(ContainSubstring("file spare.npz: missing: lstat"))
		})

		It("refuses a folder with no manifest", func() {
			_, err := Load(GinkgoT().TempDir())
			Expect(err).To(MatchError(ContainSubstring("no manifest.json")))
		})

		DescribeTable("refuses steps without the fields their op needs",
			func(edit func(c *Case), want string) {
				edit(c)
				k.write()
				msg := loadError(k)
				Expect(msg).To(ContainSubstring(k.path() + `: case "` + id + `"`))
				Expect(msg).To(ContainSubstring(want))
			},
			Entry("no steps", func(c *Case) { c.Steps = nil }, ": no steps"),
			Entry("unknown kind", func(c *Case) { c.Kind = "layer" }, `kind "layer" is not loss, metric or function`),
			Entry("no class", func(c *Case) { c.Class = "" }, "no class"),
			Entry("op of another kind", func(c *Case) { c.Steps[0].Op = "update" }, `step 0: op "update" is not valid for kind loss`),
			Entry("call without y_true", func(c *Case) { c.Steps[0].YTrue = nil }, "step 0 y_true: call needs y_true"),
			Entry("call without y_pred", func(c *Case) { c.Steps[0].YPred = nil }, "step 0 y_pred: call needs y_pred"),
			Entry("call expecting nothing", func(c *Case) { c.Steps[0].Expect.Value = nil }, "step 0 expect: expect must hold exactly one"),
			Entry("call expecting both", func(c *Case) { c.Steps[0].Expect.Error = &KerasError{Type: "ValueError"} }, "exactly one of value and error"),
			Entry("error without type", func(c *Case) {
				c.Steps[0].Expect = Outcome{Error: &KerasError{Message: "x"}}
			}, "step 0 expect.error: error has no type"),
			Entry("construct among other steps", func(c *Case) {
				c.Steps = append(c.Steps, &Step{Op: "construct", Expect: Outcome{Error: &KerasError{Type: "ValueError"}}})
			}, "step 1: construct must be the only step (case has 2)"),
			Entry("construct with a value", func(c *Case) {
				c.Steps = []*Step{{Op: "construct", Expect: Outcome{Value: c.Steps[0].Expect.Value}}}
			}, "construct takes no arrays and expects an error only"),
			Entry("reset with arrays", func(c *Case) {
				c.Kind = "metric"
				c.Steps[0].Op = "update"
				c.Steps = append(c.Steps, &Step{Op: "reset", YTrue: c.Steps[0].YTrue, Expect: c.Steps[0].Expect})
			}, "step 1: reset takes no arrays"),
			Entry("reset expecting nothing", func(c *Case) {
				c.Kind = "metric"
				c.Steps[0].Op = "update"
				c.Steps = append(c.Steps, &Step{Op: "reset"})
			}, "step 1 expect: expect must hold exactly one"),
			Entry("unknown dtype", func(c *Case) { c.Steps[0].YTrue.DType = "float8" }, `step 0 y_true: file loss.MeanSquaredError.npz member "c0000/s0/y_true": unknown dtype "float8"`),
		)

		It("accepts a construct-only case", func() {
			k.m.Cases = append(k.m.Cases, &Case{ID: "loss/x/bad/0001", Kind: "loss", Class: "X",
				Steps: []*Step{{Op: "construct", Expect: Outcome{Error: &KerasError{Type: "ValueError", Message: "bad"}}}}})
			k.write()
			s, err := Load(k.dir)
			Expect(err).NotTo(HaveOccurred())
			Expect(s.Cases()).To(HaveLen(2))
		})
	})
})

// npyRaw builds a version 1.0 .npy file from a header dictionary as given
// and n zero data bytes.
func npyRaw(dict string, n int) []byte {
	out := append([]byte("\x93NUMPY\x01\x00"), byte(len(dict)), byte(len(dict)>>8))
	out = append(out, dict...)
	return append(out, make([]byte, n)...)
}
