package report_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/report"
)

// byID finds a case of a run by id.
func byID(r *report.Run, id string) report.Case {
	GinkgoHelper()
	for _, c := range r.Cases {
		if c.ID == id {
			return c
		}
	}
	Fail("no case " + id)
	return report.Case{}
}

var _ = Describe("Read", func() {
	// testdata/ginkgo.json comes from a real Ginkgo run of a throwaway suite
	// (run with --label-filter='!slow') that attaches CaseResults the way the
	// conformance suites do; testdata/empty.json from the same suite with a
	// label filter that selects nothing.
	Context("a real Ginkgo JSON report", func() {
		var run *report.Run
		BeforeEach(func() {
			var err error
			run, err = report.Read("testdata/ginkgo.json", "testdata/run.json")
			Expect(err).NotTo(HaveOccurred())
		})

		It("counts every outcome", func() {
			Expect(run.Summary.Counts).To(Equal(report.Counts{Total: 9, Pass: 2, Fail: 2, Error: 2, NotPorted: 1, KnownDivergence: 1, XPass: 1}))
			Expect(run.Summary.Verdict).To(Equal(report.VerdictFail))
			Expect(run.Summary.Reason).To(ContainSubstring("4 of 9 cases do not match Keras"))
		})

		It("leaves out filtered-out specs, the suite's own passing checks and suite nodes", func() {
			Expect(run.Ignored).To(Equal(3)) // BeforeSuite, the slow spec, "fixture set verifies"
			for _, c := range run.Cases {
				Expect(c.ID).NotTo(ContainSubstring("MeanAbsoluteError"))
				Expect(c.ID).NotTo(ContainSubstring("fixture set"))
			}
		})

		It("counts a spec that panicked before attaching a result as an error, named from its text and labels", func() {
			c := byID(run, "Accuracy/f32/004")
			Expect(c.Outcome).To(Equal(report.Error))
			Expect(c.Backend).To(Equal("jax"))
			Expect(c.Class).To(Equal("Accuracy"))
			Expect(c.DType).To(Equal("float32"))
			Expect(c.State).To(Equal("panicked"))
			Expect(c.Detail).To(ContainSubstring("index out of range"))
			Expect(c.Rerun).To(ContainSubstring(`--focus='\[jax\] Accuracy/f32/004$'`))
		})

		It("keeps the result of a skipped (not ported) spec", func() {
			c := byID(run, "Hinge/f32/000")
			Expect(c.Outcome).To(Equal(report.NotPorted))
			Expect(c.State).To(Equal("skipped"))
			Expect(c.Detail).To(Equal("construct: not implemented: Hinge"))
		})

		It("reads statistics whose non-finite values were written as strings", func() {
			c := byID(run, "<script>alert(1)</script>/f32/000")
			Expect(c.Stats).NotTo(BeNil())
			Expect(math.IsNaN(c.Stats.MaxAbs)).To(BeTrue())
			Expect(math.IsInf(c.Stats.MaxULP, 1)).To(BeTrue())
			Expect(math.IsInf(c.Stats.Want, 1)).To(BeTrue())
			Expect(c.Stats.Tolerance.RTol).To(Equal(1e-5))
		})

		It("reads the run info and the suite", func() {
			Expect(run.Info.Port).To(Equal("kerasparity/testport"))
			Expect(run.Info.Manifests).To(HaveLen(3))
			Expect(run.Info.LabelFilter).To(Equal("!slow"))
			Expect(run.Suites).To(HaveLen(1))
			Expect(run.Suites[0].Description).To(Equal("kerasparity conformance (testdata)"))
			Expect(run.Start.IsZero()).To(BeFalse())
			Expect(run.End).To(BeTemporally(">=", run.Start))
			Expect(run.Summary.Warnings).To(ConsistOf(ContainSubstring(`"Poisson/*"`)))
		})

		It("computes the maximum ULP of matching cases per backend, dtype and class", func() {
			Expect(run.Summary.MaxULP).To(Equal(map[string]map[string]report.Number{
				"numpy": {"float32": 1, "float64": 0}, "tensorflow": {"float32": 2}}))
			Expect(run.Summary.MaxULPByClass).To(HaveKeyWithValue("loss/MeanSquaredError", report.Number(1)))
			Expect(run.Summary.ByBackend["jax"]).To(Equal(report.Counts{Total: 3, Fail: 1, Error: 2}))
			Expect(run.Summary.ByClass["loss/MeanSquaredError"]).To(Equal(report.Counts{Total: 2, Pass: 2}))
			Expect(run.Summary.ByDType["float64"]).To(Equal(report.Counts{Total: 1, Pass: 1}))
		})

		It("sorts cases by id", func() {
			Expect(run.Cases[0].ID).To(Equal("<script>alert(1)</script>/f32/000"))
			Expect(run.Cases[len(run.Cases)-1].ID).To(Equal("SparseCategoricalCrossentropy/f32/003"))
		})
	})

	It("gives the verdict empty to a run in which no case ran", func() {
		run, err := report.Read("testdata/empty.json", "testdata/run.json")
		Expect(err).NotTo(HaveOccurred())
		Expect(run.Cases).To(BeEmpty())
		Expect(run.Summary.Counts.Total).To(BeZero())
		Expect(run.Summary.Verdict).To(Equal(report.VerdictEmpty))
		Expect(run.Summary.Reason).To(ContainSubstring("no case ran"))
	})

	It("gives the verdict empty to a run in which no case was ported", func() {
		dir := GinkgoT().TempDir()
		path := writeReport(dir, suiteReport(spec(report.CaseResult{ID: "Hinge/f32/000", Class: "Hinge", Backend: "numpy", Outcome: report.NotPorted})))
		run, err := report.Read(path, "")
		Expect(err).NotTo(HaveOccurred())
		Expect(run.Summary.Verdict).To(Equal(report.VerdictEmpty))
	})

	It("passes a run with only matching cases, known divergences and not ported cases", func() {
		dir := GinkgoT().TempDir()
		path := writeReport(dir, suiteReport(
			spec(report.CaseResult{ID: "A/000", Class: "A", Backend: "numpy", DType: "float32", Outcome: report.Pass, Stats: &reference.Stats{MaxULP: 3}}),
			spec(report.CaseResult{ID: "B/000", Class: "B", Backend: "numpy", DType: "float32", Outcome: report.KnownDivergence}),
			spec(report.CaseResult{ID: "C/000", Class: "C", Backend: "numpy", DType: "float32", Outcome: report.XPass}),
			spec(report.CaseResult{ID: "D/000", Class: "D", Backend: "numpy", DType: "float32", Outcome: report.NotPorted}),
		))
		run, err := report.Read(path, "")
		Expect(err).NotTo(HaveOccurred())
		Expect(run.Summary.Verdict).To(Equal(report.VerdictPass))
		Expect(run.Summary.Counts).To(Equal(report.Counts{Total: 4, Pass: 1, NotPorted: 1, KnownDivergence: 1, XPass: 1}))
		Expect(run.Summary.Warnings).To(ConsistOf(ContainSubstring("no run.json")))
	})

	It("turns a result that claimed success in a spec that then broke down into an error", func() {
		s := spec(report.CaseResult{ID: "A/000", Class: "A", Backend: "numpy", Outcome: report.Pass})
		s.State, s.Failure.Message, s.Failure.ForwardedPanic = types.SpecStatePanicked, "Test Panicked", "nil map"
		run, err := report.Read(writeReport(GinkgoT().TempDir(), suiteReport(s)), "")
		Expect(err).NotTo(HaveOccurred())
		Expect(run.Cases).To(HaveLen(1))
		Expect(run.Cases[0].Outcome).To(Equal(report.Error))
		Expect(run.Cases[0].Detail).To(ContainSubstring("nil map"))
	})

	It("turns an unknown outcome and an undecodable result into errors", func() {
		odd := spec(report.CaseResult{ID: "A/000", Class: "A", Backend: "numpy", Outcome: "maybe"})
		bad := spec(report.CaseResult{ID: "B/000", Class: "B", Backend: "jax", DType: "float64"})
		bad.ReportEntries = types.ReportEntries{{Name: report.EntryName, Value: types.WrapEntryValue([]int{1})}}
		run, err := report.Read(writeReport(GinkgoT().TempDir(), suiteReport(odd, bad)), "")
		Expect(err).NotTo(HaveOccurred())
		Expect(run.Summary.Counts).To(Equal(report.Counts{Total: 2, Error: 2}))
		Expect(byID(run, "A/000").Detail).To(ContainSubstring(`unknown outcome "maybe"`))
		b := byID(run, "B/000")
		Expect(b.Detail).To(ContainSubstring("could not be decoded"))
		Expect([]string{b.Backend, b.Class, b.DType}).To(Equal([]string{"jax", "B", "float64"}))
	})

	It("turns a failed suite node and a suite-level failure into errors", func() {
		r := suiteReport(types.SpecReport{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStateFailed,
			LeafNodeLocation: types.CodeLocation{FileName: "suite_test.go", LineNumber: 12},
			Failure:          types.Failure{Message: "fixtures/numpy/manifest.json: checksum mismatch"}})
		r.SuiteSucceeded, r.SpecialSuiteFailureReasons = false, []string{"Interrupted by User"}
		run, err := report.Read(writeReport(GinkgoT().TempDir(), r), "")
		Expect(err).NotTo(HaveOccurred())
		Expect(run.Summary.Counts).To(Equal(report.Counts{Total: 2, Error: 2}))
		Expect(run.Summary.Verdict).To(Equal(report.VerdictFail))
		Expect(run.Cases[0].ID).To(Equal("[BeforeSuite] suite_test.go:12"))
		Expect(run.Cases[0].Detail).To(ContainSubstring("checksum mismatch"))
		Expect(run.Cases[1].Detail).To(ContainSubstring("Interrupted by User"))
	})

	It("merges the suites of a report that holds several", func() {
		a := suiteReport(spec(report.CaseResult{ID: "A/000", Class: "A", Backend: "numpy", Outcome: report.Pass}))
		b := suiteReport(spec(report.CaseResult{ID: "B/000", Class: "B", Backend: "jax", Outcome: report.Fail}))
		b.StartTime = a.StartTime.Add(-time.Second)
		data, err := json.Marshal([]types.Report{a, b})
		Expect(err).NotTo(HaveOccurred())
		path := filepath.Join(GinkgoT().TempDir(), "merged.json")
		Expect(os.WriteFile(path, data, 0o644)).To(Succeed())
		run, err := report.Read(path, "")
		Expect(err).NotTo(HaveOccurred())
		Expect(run.Suites).To(HaveLen(2))
		Expect(run.Summary.Counts).To(Equal(report.Counts{Total: 2, Pass: 1, Fail: 1}))
		Expect(run.Start).To(Equal(b.StartTime))
		Expect(run.Duration).To(Equal(a.RunTime + b.RunTime))
	})

	It("warns when an unfiltered run ran fewer cases than the manifests hold", func() {
		dir := GinkgoT().TempDir()
		path := writeReport(dir, suiteReport(spec(report.CaseResult{ID: "A/000", Class: "A", Backend: "numpy", Outcome: report.Pass})))
		runInfo := writeRunInfo(dir, report.RunInfo{Port: "p", Manifests: []report.ManifestInfo{{Backend: "numpy", Cases: 3}}})
		run, err := report.Read(path, runInfo)
		Expect(err).NotTo(HaveOccurred())
		Expect(run.Summary.Warnings).To(ConsistOf(ContainSubstring("the manifests hold 3 cases but 1 ran")))
	})

	DescribeTable("names the file it cannot read",
		func(content *string, wantErr string) {
			dir := GinkgoT().TempDir()
			path := filepath.Join(dir, "ginkgo.json")
			if content != nil {
				Expect(os.WriteFile(path, []byte(*content), 0o644)).To(Succeed())
			}
			_, err := report.Read(path, "")
			Expect(err).To(MatchError(And(ContainSubstring(path), ContainSubstring(wantErr))))
		},
		Entry("missing", nil, "no such file"),
		Entry("empty", ptr(""), "empty"),
		Entry("truncated", ptr(`[{"SuiteDescription": "x", "SpecReports": [`), "unexpected EOF"),
		Entry("not a report", ptr(`{"a": 1}`), "not valid JSON of the expected form"),
		Entry("trailing garbage", ptr(`[] []`), "unexpected data"),
	)

	It("names a run info file it cannot read", func() {
		_, err := report.Read("testdata/ginkgo.json", "testdata/missing-run.json")
		Expect(err).To(MatchError(ContainSubstring("testdata/missing-run.json")))
		garbled := filepath.Join(GinkgoT().TempDir(), "run.json")
		Expect(os.WriteFile(garbled, []byte(`{"port": 3}`), 0o644)).To(Succeed())
		_, err = report.Read("testdata/ginkgo.json", garbled)
		Expect(err).To(MatchError(ContainSubstring(garbled)))
	})
})

func ptr[T any](v T) *T { return &v }
