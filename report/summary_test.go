package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"slices"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/report"
	"github.com/kerasparity/kerasparity/results"
)

// summaryOf decodes what WriteSummary writes, loosely, as a CI script would.
func summaryOf(run *report.Run) map[string]any {
	GinkgoHelper()
	var doc map[string]any
	Expect(json.Unmarshal(written(report.WriteSummary, run), &doc)).To(Succeed())
	return doc
}

var _ = Describe("WriteSummary", func() {
	It("gives the verdict, the reason, the exit code and the counts", func() {
		_, run := sample(failingRun)
		doc := summaryOf(run)
		Expect(doc["format"]).To(Equal("kerasparity-summary/2"))
		Expect(doc["verdict"]).To(Equal("fail"))
		Expect(doc["reason"]).To(Equal(run.Summary.Reason))
		Expect(doc["exit_code"]).To(BeNumerically("==", 1))
		Expect(doc["counts"]).To(HaveKeyWithValue("fail", BeNumerically("==", run.Summary.Counts.Fail)))
		Expect(doc["by_backend"]).To(HaveKey("tensorflow"))
		Expect(doc["by_class"]).To(HaveKey("loss/Huber"))
		Expect(doc["by_dtype"]).To(HaveKey("bfloat16"))
		Expect(doc["run"]).To(HaveKeyWithValue("port", "bentport"))
		Expect(doc["run"]).To(HaveKeyWithValue("finished", true))
	})

	It("lists every cause with its example, and the not ported reasons", func() {
		_, run := sample(failingRun)
		doc := summaryOf(run)
		causes := doc["causes"].([]any)
		Expect(causes).To(HaveLen(16))
		total := 0
		for _, c := range causes {
			m := c.(map[string]any)
			Expect(m).To(HaveKey("key"))
			Expect(m).To(HaveKey("check"))
			Expect(m).To(HaveKey("message"))
			Expect(m["example"]).To(HavePrefix("["))
			total += int(m["count"].(float64))
		}
		Expect(total).To(Equal(failingRun.Failing))
		Expect(doc["not_ported"]).To(HaveLen(3))
	})

	It("caps the failing cases at 500 and counts the rest", func() {
		_, run := sample(failingRun)
		doc := summaryOf(run)
		Expect(doc["failing"]).To(HaveLen(report.FailingCap))
		Expect(doc["failing_more"]).To(BeNumerically("==", failingRun.Failing-report.FailingCap))
		first := doc["failing"].([]any)[0].(map[string]any)
		Expect(first["rerun"]).To(HavePrefix("make -C /src/bentport conformance CASE='["))
		Expect(first["cause"]).To(Equal(run.Groups[0].Key))
	})

	It("writes the largest ULP over every compared value and over matching ones apart, non-finite as strings", func() {
		_, run := sample(failingRun)
		doc := summaryOf(run)
		Expect(doc["max_ulp"]).To(HaveKeyWithValue("jax", HaveKeyWithValue("float32", "+Inf")))
		Expect(doc["max_ulp_matching"]).To(HaveKeyWithValue("jax", HaveKeyWithValue("float32", BeNumerically("<", 16))))
	})

	It("is the same, byte for byte, every time, and small for a passing run of 27,000 cases", func() {
		_, run := sample(passingRun)
		a, b := written(report.WriteSummary, run), written(report.WriteSummary, run)
		Expect(a).To(Equal(b))
		Expect(len(a)).To(BeNumerically("<", 100<<10))
		doc := summaryOf(run)
		Expect(doc["failing"]).To(BeEmpty())
		Expect(doc["causes"]).To(BeEmpty())
		Expect(doc["entries"]).To(HaveLen(2))
		Expect(doc["warnings"]).NotTo(BeNil())
	})

	It("says how a crashed run ended", func() {
		dir := GinkgoT().TempDir()
		run := load(writeResults(dir, synthInfo(), []results.CaseResult{pass("a")}, nil, "[jax] a"))
		doc := summaryOf(run)
		Expect(doc["verdict"]).To(Equal("broken"))
		Expect(doc["exit_code"]).To(BeNumerically("==", 4))
		Expect(doc["run"]).To(HaveKeyWithValue("finished", false))
		Expect(doc["run"]).To(HaveKeyWithValue("running", "[jax] a"))
	})
})

// junitDoc is the part of junit.xml the specs read back.
type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suites   []struct {
		Name  string `xml:"name,attr"`
		Tests int    `xml:"tests,attr"`
		Cases []struct {
			Name      string `xml:"name,attr"`
			ClassName string `xml:"classname,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
			} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func junitOf(run *report.Run) (junitDoc, []byte) {
	GinkgoHelper()
	data := written(report.WriteJUnit, run)
	var doc junitDoc
	Expect(xml.Unmarshal(data, &doc)).To(Succeed())
	return doc, data
}

var _ = Describe("WriteJUnit", func() {
	It("writes one test case per case, one suite per backend, with failures, errors and skips", func() {
		_, run := sample(failingRun)
		doc, data := junitOf(run)
		c := run.Summary.Counts
		Expect(doc.Tests).To(Equal(c.Total))
		Expect(doc.Failures).To(Equal(c.Fail + c.XPass))
		Expect(doc.Errors).To(Equal(c.Error + c.Nondeterministic))
		Expect(doc.Skipped).To(Equal(c.NotPorted + c.KnownDivergence))
		Expect(doc.Suites).To(HaveLen(3))
		Expect(doc.Suites[0].Name).To(Equal("jax"))
		kinds := map[string]int{}
		for _, s := range doc.Suites {
			for _, k := range s.Cases {
				Expect(k.Name).To(HavePrefix("[" + s.Name + "] "))
				Expect(k.ClassName).To(MatchRegexp(`^(loss|metric|function)/\w+$`))
				switch {
				case k.Failure != nil && k.Failure.Type == "xpass":
					kinds["xpass"]++
				case k.Failure != nil:
					Expect(k.Failure.Type).NotTo(BeEmpty())
					Expect(k.Failure.Text).To(ContainSubstring("rerun: make -C"))
					kinds["failure"]++
				case k.Error != nil:
					kinds["error"]++
				case k.Skipped != nil:
					Expect(k.Skipped.Message).To(MatchRegexp(`^(not ported|known divergence): `))
					kinds["skipped"]++
				}
			}
		}
		Expect(kinds).To(Equal(map[string]int{"xpass": c.XPass, "failure": c.Fail, "error": c.Error + c.Nondeterministic, "skipped": c.NotPorted + c.KnownDivergence}))
		Expect(string(data)).NotTo(MatchRegexp(`0xc0|&\{|map\[`), "no Go pointers or struct dumps")
	})

	It("writes the statistics of a failure, or says no value was compared", func() {
		_, run := sample(failingRun)
		_, data := junitOf(run)
		Expect(string(data)).To(ContainSubstring("values outside tolerance; max abs"))
		Expect(string(data)).To(ContainSubstring("no value compared: the port panicked"))
	})

	It("stays well-formed whatever a port's message holds", func() {
		dir := GinkgoT().TempDir()
		c := refused("loss/Huber/f32/0003")
		c.Detail = "bell \x07 and ]]> and <tag> & \"quotes\""
		c.Findings[0].Message = c.Detail + "\x00\x1b[31m"
		run := load(writeResults(dir, synthInfo(), []results.CaseResult{c}, end(c), ""))
		doc, _ := junitOf(run)
		k := doc.Suites[0].Cases[0]
		Expect(k.Failure.Message).To(ContainSubstring("]]> and <tag> & \"quotes\""))
		Expect(k.Failure.Text).To(ContainSubstring("]]> and <tag>"))
	})

	It("is byte-identical across two writes of the same results", func() {
		path, _ := sample(failingRun)
		a := written(report.WriteJUnit, load(path))
		b := written(report.WriteJUnit, load(path))
		Expect(bytes.Equal(a, b)).To(BeTrue())
		Expect(regexp.MustCompile(`timestamp=`).Match(a)).To(BeFalse())
	})

	It("is byte-identical when a parallel run wrote the same cases in another order", func() {
		cases, info, e := synthCases(synth{Pass: 200, Failing: 100, NotPorted: 10, Divergent: 5, Causes: 16, Seed: 9})
		a := written(report.WriteJUnit, load(writeResults(GinkgoT().TempDir(), info, cases, &e, "")))
		slices.Reverse(cases)
		b := written(report.WriteJUnit, load(writeResults(GinkgoT().TempDir(), info, cases, &e, "")))
		Expect(bytes.Equal(a, b)).To(BeTrue())
	})

	It("stays under 10 MB for a passing run of 27,000 cases", func() {
		_, run := sample(passingRun)
		_, data := junitOf(run)
		Expect(len(data)).To(BeNumerically("<", 10<<20))
	})

	It("reports a broken run as an error of the run itself", func() {
		dir := GinkgoT().TempDir()
		run := load(writeResults(dir, synthInfo(), []results.CaseResult{pass("a")}, nil, "[jax] a"))
		doc, _ := junitOf(run)
		last := doc.Suites[len(doc.Suites)-1]
		Expect(last.Name).To(Equal("kerasparity"))
		Expect(last.Cases[0].Error).NotTo(BeNil())
		Expect(last.Cases[0].Error.Message).To(ContainSubstring("crashed while running case [jax] a"))
	})
})
