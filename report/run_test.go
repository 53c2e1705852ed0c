package report_test

import (
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/report"
	"github.com/kerasparity/kerasparity/results"
)

// pass, fail and notPorted are one-line cases for the small runs of the
// verdict specs.
func pass(id string) results.CaseResult {
	return results.CaseResult{ID: id, Backend: "jax", Kind: "loss", Class: "Huber", DType: "float32", Outcome: results.Pass, Steps: 1,
		Stats: &results.Stats{Elements: 4, MaxULP: 1}, Compared: 4}
}

func notPorted(id string) results.CaseResult {
	return results.CaseResult{ID: id, Backend: "jax", Kind: "loss", Class: "Hinge", DType: "float32", Outcome: results.NotPorted,
		Steps: 1, Detail: "construct: not implemented: Hinge"}
}

func refused(id string) results.CaseResult {
	return results.CaseResult{ID: id, Backend: "numpy", Kind: "loss", Class: "Huber", DType: "float32", Outcome: results.Fail, Steps: 1,
		Detail: "step 0 (call): the port returned an error: no", Rerun: "make conformance CASE=x",
		Findings: []results.Finding{{Step: 0, Op: "call", Check: results.CheckRefused, Message: "the port returned an error: no; Keras returned a float32 value of shape [4]"}}}
}

func end(cases ...results.CaseResult) *results.End {
	e := &results.End{Seconds: 1}
	for _, c := range cases {
		e.Counts.Add(c.Outcome)
	}
	return e
}

var _ = Describe("Load", func() {
	var dir string
	BeforeEach(func() { dir = GinkgoT().TempDir() })

	Describe("a run of 2,100 failing cases from 16 causes", func() {
		var run *report.Run
		BeforeEach(func() { _, run = sample(failingRun) })

		It("finds exactly the 16 causes", func() {
			Expect(run.Groups).To(HaveLen(16))
		})

		It("puts every failing case in exactly one cause, largest first", func() {
			seen := map[*results.CaseResult]bool{}
			total := 0
			for i, g := range run.Groups {
				if i > 0 {
					Expect(g.Count()).To(BeNumerically("<=", run.Groups[i-1].Count()))
				}
				for _, c := range g.Cases {
					Expect(seen[c]).To(BeFalse(), c.Key())
					seen[c] = true
					Expect(c.Outcome.Broken()).To(BeTrue())
					Expect(c.Target()).To(Equal(g.Target))
				}
				total += g.Count()
			}
			Expect(total).To(Equal(run.Summary.Counts.Broken()))
			Expect(total).To(Equal(failingRun.Failing))
			Expect(run.Failing()).To(HaveLen(total))
		})

		It("merges backends and dtypes, and picks an example with a view", func() {
			for _, g := range run.Groups {
				Expect(g.Example).NotTo(BeNil())
				Expect(g.Example.View).NotTo(BeNil(), g.Target)
				if g.Count() > 40 {
					Expect(g.Backends).To(Equal([]string{"jax", "numpy", "tensorflow"}), g.Target)
					Expect(len(g.DTypes)).To(BeNumerically(">=", 3), g.Target)
				}
				Expect(g.Key).To(MatchRegexp(`^[0-9a-f]{8}$`))
			}
		})

		It("fails with the counts and the number of causes", func() {
			Expect(run.Summary.Verdict).To(Equal(report.VerdictFail))
			Expect(run.ExitCode()).To(Equal(1))
			Expect(run.Summary.Reason).To(ContainSubstring("2100 of 8280 cases do not match Keras"))
			Expect(run.Summary.Reason).To(ContainSubstring("from 16 causes"))
		})

		It("groups the not ported cases by class and reason", func() {
			Expect(run.NotPorted).To(HaveLen(3))
			for _, g := range run.NotPorted {
				Expect(g.Count()).To(Equal(50))
			}
		})

		It("takes the largest ULP over every compared value, failing cases included, and apart over matching ones", func() {
			for b, byDType := range run.Summary.MaxULP {
				Expect(byDType["float32"].String()).To(Equal("+Inf"), b) // the NaN cause
				Expect(float64(run.Summary.MaxULPMatching[b]["float32"])).To(BeNumerically("<", 16), b)
			}
		})
	})

	It("passes a run that only passes, with known divergences, and gives it no cause", func() {
		run := load(writeSynth(dir, synth{Pass: 300, Divergent: 5, Seed: 1}))
		Expect(run.Summary.Verdict).To(Equal(report.VerdictPass))
		Expect(run.ExitCode()).To(Equal(0))
		Expect(run.Groups).To(BeEmpty())
		Expect(run.Summary.Warnings).To(ContainElement(ContainSubstring("XPASS")))
	})

	It("fails a run whose strict suite failed on an XPASS, though every case matches", func() {
		run := load(writeSynth(dir, synth{Pass: 300, Divergent: 5, Seed: 1, Strict: true}))
		Expect(run.Summary.Verdict).To(Equal(report.VerdictFail))
		Expect(run.ExitCode()).To(Equal(1))
		Expect(run.Summary.Reason).To(ContainSubstring("the suite failed: strict: known divergence"))
		Expect(run.Summary.Failures).To(HaveLen(1))
	})

	It("calls a run without its end line broken, naming the case that was running", func() {
		cases := []results.CaseResult{pass("a"), pass("b"), refused("c")}
		run := load(writeResults(dir, synthInfo(), cases, nil, "[jax] loss/Huber/red=sum/f32/0042"))
		Expect(run.Summary.Verdict).To(Equal(report.VerdictBroken))
		Expect(run.ExitCode()).To(Equal(4))
		Expect(run.Summary.Reason).To(ContainSubstring("the run crashed while running case [jax] loss/Huber/red=sum/f32/0042: 3 cases finished"))
		Expect(run.Groups).To(HaveLen(1), "the cases that finished are still reported")
	})

	It("calls a run that stopped without a running file broken too, and says the case is unknown", func() {
		run := load(writeResults(dir, synthInfo(), []results.CaseResult{pass("a")}, nil, ""))
		Expect(run.Summary.Verdict).To(Equal(report.VerdictBroken))
		Expect(run.Summary.Reason).To(ContainSubstring("stopped before its end"))
		Expect(run.Summary.Reason).To(ContainSubstring("1 case finished"))
	})

	It("reads a run whose last line was cut short as broken, with a warning", func() {
		path := writeResults(dir, synthInfo(), []results.CaseResult{pass("a"), pass("b")}, nil, "[jax] b")
		data, err := os.ReadFile(path)
		Expect(err).NotTo(HaveOccurred())
		Expect(os.WriteFile(path, data[:len(data)-20], 0o644)).To(Succeed())
		run := load(path)
		Expect(run.Summary.Verdict).To(Equal(report.VerdictBroken))
		Expect(run.Summary.Reason).To(ContainSubstring("cut short"))
		Expect(run.Summary.Warnings).To(ContainElement(ContainSubstring("cut short")))
	})

	It("calls a run whose fixtures did not load broken, with the error, never empty", func() {
		e := &results.End{Error: "fixture set /nowhere: no manifest.json in it or in any of its subfolders"}
		run := load(writeResults(dir, results.RunInfo{Port: "p", Fixtures: "/nowhere"}, nil, e, ""))
		Expect(run.Summary.Verdict).To(Equal(report.VerdictBroken))
		Expect(run.ExitCode()).To(Equal(4))
		Expect(run.Summary.Reason).To(Equal("the fixtures did not load, so nothing was checked: fixture set /nowhere: no manifest.json in it or in any of its subfolders"))
	})

	It("calls an interrupted run broken", func() {
		cases := []results.CaseResult{pass("a")}
		e := end(cases...)
		e.Failures = []string{"Interrupted by User"}
		run := load(writeResults(dir, synthInfo(), cases, e, ""))
		Expect(run.Summary.Verdict).To(Equal(report.VerdictBroken))
		Expect(run.Summary.Reason).To(ContainSubstring("Interrupted by User"))
	})

	It("calls a run in which no case ran empty, naming the selection", func() {
		info := synthInfo()
		info.Selection = "labels: class:Nothing"
		e := end()
		e.Failures = []string{"no case ran: the selection (labels, focus, -kerasparity.case) matched nothing"}
		run := load(writeResults(dir, info, nil, e, ""))
		Expect(run.Summary.Verdict).To(Equal(report.VerdictEmpty))
		Expect(run.ExitCode()).To(Equal(3))
		Expect(run.Summary.Reason).To(Equal("no case ran: the selection (labels: class:Nothing) matched nothing, so nothing was checked"))
	})

	It("calls a run in which nothing was ported empty: nothing was compared", func() {
		cases := []results.CaseResult{notPorted("a"), notPorted("b")}
		run := load(writeResults(dir, synthInfo(), cases, end(cases...), ""))
		Expect(run.Summary.Verdict).To(Equal(report.VerdictEmpty))
		Expect(run.ExitCode()).To(Equal(3))
		Expect(run.Summary.Reason).To(Equal("nothing was compared: the port implements none of the 2 cases that ran"))
	})

	It("counts an unknown outcome as an error and gives it a cause", func() {
		odd := pass("odd")
		odd.Outcome, odd.Detail = "sideways", "who knows"
		cases := []results.CaseResult{pass("a"), odd}
		run := load(writeResults(dir, synthInfo(), cases, end(cases...), ""))
		Expect(run.Summary.Counts.Error).To(Equal(1))
		Expect(run.Summary.Verdict).To(Equal(report.VerdictFail))
		Expect(run.Groups).To(HaveLen(1))
		Expect(run.Groups[0].Message).To(ContainSubstring("sideways"))
	})

	It("warns when the end line's counts disagree with the cases", func() {
		cases := []results.CaseResult{pass("a"), pass("b")}
		e := end(cases[0])
		run := load(writeResults(dir, synthInfo(), cases, e, ""))
		Expect(run.Summary.Warnings).To(ContainElement(ContainSubstring("the end line counts 1 cases, the file holds 2")))
	})

	DescribeTable("names the file it cannot read",
		func(content string) {
			path := filepath.Join(dir, "results.jsonl")
			if content != "-" {
				Expect(os.WriteFile(path, []byte(content), 0o644)).To(Succeed())
			}
			_, err := report.Load(path)
			Expect(err).To(HaveOccurred())
			Expect(err.Error()).To(ContainSubstring(path))
		},
		Entry("missing", "-"),
		Entry("not a results file", "{\"SuitePath\": \"/x\"}\n{}\n"),
		Entry("garbage in the middle", "{\"run\":{}}\nnot json\n{\"end\":{}}\n"),
	)
})

var _ = Describe("Normalize", func() {
	DescribeTable("puts the same cause with other numbers together",
		func(a, b, want string) {
			Expect(report.Normalize(a)).To(Equal(want))
			Expect(report.Normalize(b)).To(Equal(want))
		},
		Entry("value statistics",
			"values: 3 of 12 elements differ beyond atol=2.384185791015625e-07 rtol=9.5e-07; worst at [1 2]: got 0.5 want 0.6 (abs 0.1, rel 0.17, 1.678e+06 ulp)",
			"values: 1 of 4 elements differ beyond atol=1e-15 rtol=2e-14; worst at []: got -3 want 7.25 (abs 10, rel 1.4, 12 ulp)",
			"values: N of N elements differ beyond atol=N rtol=N; worst at […]: got N want N (abs N, rel N, N ulp)"),
		Entry("shapes",
			"shape [4], Keras [4 1] (4 values vs 4: not compared)", "shape [], Keras [2 3 1] (1 values vs 6: not compared)",
			"shape […], Keras […] (N values vs N: not compared)"),
		Entry("Python tuples with None",
			"Received: target.shape=(None, 3), output.shape=(None, 3, 1)", "Received: target.shape=(2,), output.shape=(5, 1)",
			"Received: target.shape=(…), output.shape=(…)"),
		Entry("panics with indices and addresses",
			"port panicked: runtime error: index out of range [5] with length 4 at 0xc000123abc",
			"port panicked: runtime error: index out of range [12] with length 7 at 0xc0000f00",
			"port panicked: runtime error: index out of range […] with length N at N"),
	)

	It("keeps numbers inside words, and calls", func() {
		Expect(report.Normalize("float32 f16 x2 NaNs Information")).To(Equal("float32 f16 x2 NaNs Information"))
		Expect(report.Normalize("call f() then g(x)")).To(Equal("call f() then g(x)"))
	})

	It("counts NaN and the infinities as numbers, and keeps apart what differs in words", func() {
		Expect(report.Normalize("element 3 was NaN, is -Inf; [NaN 2]")).To(Equal("element N was N, is N; […]"))
		Expect(report.Normalize("got NaN want 3 (non-finite mismatch)")).NotTo(Equal(report.Normalize("got 2 want 3 (abs 1, rel 0.3, 9 ulp)")))
	})
})
