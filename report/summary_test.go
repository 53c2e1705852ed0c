package report_test

import (
	"encoding/json"
	"math"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/report"
)

// summaryJSON reads a run and writes its summary.
func summaryJSON(ginkgoJSON, runInfo string) []byte {
	GinkgoHelper()
	return written(report.WriteSummary, ginkgoJSON, runInfo)
}

// decodedSummary is the part of summary.json the specs look at.
type decodedSummary struct {
	Format   string
	Port     string
	Fixtures string
	report.Summary
	Failing []struct {
		ID, Backend, Outcome, Rerun string
		MaxULP                      *report.Number `json:"max_ulp"`
		MaxAbs                      *report.Number `json:"max_abs"`
	}
	Worst []struct {
		ID     string
		MaxULP report.Number `json:"max_ulp"`
	}
	Manifests []report.ManifestInfo
}

var _ = Describe("WriteSummary", func() {
	var data []byte
	var s decodedSummary
	BeforeEach(func() {
		data = summaryJSON("testdata/ginkgo.json", "testdata/run.json")
		s = decodedSummary{}
		Expect(json.Unmarshal(data, &s)).To(Succeed())
	})

	It("round-trips the verdict, the counts and the maximum ULP distances", func() {
		run, err := report.Read("testdata/ginkgo.json", "testdata/run.json")
		Expect(err).NotTo(HaveOccurred())
		Expect(s.Format).To(Equal(report.SummaryFormat))
		Expect(s.Port).To(Equal("kerasparity/testport"))
		Expect(s.Summary).To(Equal(run.Summary))
		Expect(s.Manifests).To(Equal(run.Info.Manifests))
	})

	It("lists every failing case with its rerun line", func() {
		Expect(s.Failing).To(HaveLen(4))
		var ids []string
		for _, f := range s.Failing {
			ids = append(ids, f.ID)
			Expect(f.Rerun).NotTo(BeEmpty())
		}
		Expect(ids).To(ConsistOf("<script>alert(1)</script>/f32/000", "AUC/f32/000", "Accuracy/f32/004",
			"CategoricalCrossentropy/logits/ls=0.1/red=sum/f32/007"))
	})

	It("writes non-finite numbers as strings", func() {
		Expect(string(data)).To(ContainSubstring(`"max_abs": "NaN"`))
		Expect(string(data)).To(ContainSubstring(`"max_ulp": "+Inf"`))
		evil := s.Failing[0]
		Expect(math.IsNaN(float64(*evil.MaxAbs))).To(BeTrue())
		Expect(math.IsInf(float64(*evil.MaxULP), 1)).To(BeTrue())
		Expect(s.Failing[1].MaxULP).To(BeNil()) // an error case compared no value
	})

	It("lists the worst-fitting matching cases, worst first", func() {
		Expect(s.Worst).To(HaveLen(3))
		Expect(s.Worst[0].ID).To(Equal("BinaryCrossentropy/f32/002"))
		Expect(s.Worst[0].MaxULP).To(Equal(report.Number(2)))
	})

	It("is the same, byte for byte, every time", func() {
		Expect(summaryJSON("testdata/ginkgo.json", "testdata/run.json")).To(Equal(data))
	})

	It("keeps at most 20 worst cases and gives lists, not null, for an empty run", func() {
		big := decodedSummary{}
		Expect(json.Unmarshal(summaryJSON(syntheticRun(GinkgoT().TempDir(), 500)), &big)).To(Succeed())
		Expect(big.Worst).To(HaveLen(report.WorstCount))
		for i := 1; i < len(big.Worst); i++ {
			Expect(big.Worst[i].MaxULP).To(BeNumerically("<=", big.Worst[i-1].MaxULP))
		}
		empty := string(summaryJSON("testdata/empty.json", ""))
		Expect(empty).To(ContainSubstring(`"verdict": "empty"`))
		Expect(empty).To(ContainSubstring(`"failing": []`))
		Expect(empty).To(ContainSubstring(`"worst": []`))
		Expect(empty).To(ContainSubstring(`"manifests": []`))
		Expect(empty).NotTo(ContainSubstring("null"))
	})
})
