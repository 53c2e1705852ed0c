package report_test

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"golang.org/x/net/html"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/report"
	"github.com/kerasparity/kerasparity/results"
)

// parse parses a page as a browser would, and fails on what makes a page
// less than self-contained: scripts, external resources, links outside <a>.
func parse(page string) *html.Node {
	GinkgoHelper()
	doc, err := html.Parse(strings.NewReader(page))
	Expect(err).NotTo(HaveOccurred())
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		Expect(n.Data).NotTo(BeElementOf("script", "link", "img", "iframe", "object", "embed"), "element <%s>", n.Data)
		for _, a := range n.Attr {
			Expect(a.Key).NotTo(HavePrefix("on"), "event handler on <%s>", n.Data)
			Expect(a.Key).NotTo(Equal("src"))
			if a.Key == "href" {
				Expect(n.Data).To(Equal("a"))
			}
		}
	}
	return doc
}

// text is the text content of a node.
func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// byID finds the element with this id.
func byID(doc *html.Node, id string) *html.Node {
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "id" && a.Val == id {
					return n
				}
			}
		}
	}
	return nil
}

// hrefs lists the targets of the links inside n.
func hrefs(n *html.Node) []string {
	var out []string
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == "a" {
			for _, a := range d.Attr {
				if a.Key == "href" {
					out = append(out, a.Val)
				}
			}
		}
	}
	return out
}

// balanced checks that the key container tags of the template are closed as
// often as they are opened.
func balanced(page string) {
	GinkgoHelper()
	for _, tag := range []string{"html", "body", "main", "section", "table", "tbody", "tr", "td", "details", "svg", "ul", "ol", "li", "div", "code", "pre"} {
		open := strings.Count(page, "<"+tag+">") + strings.Count(page, "<"+tag+" ")
		Expect(strings.Count(page, "</"+tag+">")).To(Equal(open), "<%s> opened %d times", tag, open)
	}
}

var _ = Describe("WriteHTML", func() {
	Describe("the page of a run with 2,100 failing cases", func() {
		var page string
		var doc *html.Node
		var run *report.Run
		BeforeEach(func() {
			_, run = sample(failingRun)
			page = string(written(report.WriteHTML, run))
			doc = parse(page)
		})

		It("is well-formed and self-contained", func() {
			balanced(page)
			Expect(page).NotTo(ContainSubstring("http://"))
			Expect(page).NotTo(ContainSubstring("url("))
		})

		It("opens with the verdict, the counts and an index of every cause, before anything else", func() {
			verdict, causes, coverage := strings.Index(page, `class="verdict fail"`), strings.Index(page, `id="causes"`), strings.Index(page, `id="coverage"`)
			Expect(verdict).To(BeNumerically(">", 0))
			Expect(causes).To(BeNumerically(">", verdict))
			Expect(coverage).To(BeNumerically(">", causes))
			index := text(byID(doc, "causes"))
			Expect(index).To(ContainSubstring("2100 failing cases in 16 causes"))
			links := map[string]bool{}
			for _, h := range hrefs(byID(doc, "causes")) {
				links[h] = true
			}
			for _, g := range run.Groups {
				Expect(links).To(HaveKey("#"+g.Anchor()), g.Target)
				Expect(byID(doc, g.Anchor())).NotTo(BeNil(), "the section of cause %s", g.Key)
			}
		})

		It("shows each cause with one example in full and every case collapsed with its rerun line", func() {
			for _, g := range run.Groups {
				sec := byID(doc, g.Anchor())
				t := text(sec)
				Expect(t).To(ContainSubstring(g.Message))
				Expect(t).To(ContainSubstring("Example: " + g.Example.Key()))
				Expect(t).To(ContainSubstring(g.Example.View.Config))
				Expect(t).To(ContainSubstring(g.Example.View.Show))
				Expect(t).To(ContainSubstring(g.Example.Rerun))
				for _, c := range g.Cases {
					Expect(t).To(ContainSubstring(c.Key()))
					Expect(t).To(ContainSubstring(c.Rerun))
				}
			}
			Expect(strings.Count(page, "<details>")).To(BeNumerically(">=", 16))
		})

		It("lets long ids, messages and arrays wrap", func() {
			Expect(page).To(ContainSubstring("overflow-wrap: anywhere"))
			Expect(page).To(ContainSubstring("white-space: pre-wrap"))
		})

		It("stays under 3 MB", func() {
			Expect(len(page)).To(BeNumerically("<", 3<<20))
		})
	})

	It("stays light for a port broken in hundreds of ways: the largest causes in full, long lists cut", func() {
		dir := GinkgoT().TempDir()
		var cases []results.CaseResult
		for i := range 1200 {
			c := refused(fmt.Sprintf("loss/Huber/f32/%04d", i))
			c.View = &results.View{Config: "{}", Steps: []results.StepView{{Op: "call", Keras: "float32[] [1]", Port: "error: no"}}}
			cases = append(cases, c)
		}
		for i := range 150 {
			c := refused(fmt.Sprintf("loss/Other%03d/f32/0001", i))
			c.Class = fmt.Sprintf("Other%03d", i)
			c.View = cases[0].View
			cases = append(cases, c)
		}
		run := load(writeResults(dir, synthInfo(), cases, end(cases...), ""))
		Expect(run.Groups).To(HaveLen(151))
		page := string(written(report.WriteHTML, run))
		doc := parse(page)
		Expect(text(byID(doc, run.Groups[0].Anchor()))).To(ContainSubstring("… and 200 more"))
		Expect(text(byID(doc, run.Groups[0].Anchor()))).To(ContainSubstring("each step: its inputs"))
		Expect(text(byID(doc, run.Groups[150].Anchor()))).To(ContainSubstring("one of the smaller causes"))
		Expect(text(byID(doc, run.Groups[150].Anchor()))).NotTo(ContainSubstring("each step: its inputs"))
		for _, g := range run.Groups {
			Expect(hrefs(byID(doc, "causes"))).To(ContainElement("#" + g.Anchor()))
		}
	})

	It("lists under each divergence entry every case it excused, also those excused by several", func() {
		dir := GinkgoT().TempDir()
		both := refused("loss/Huber/f32/0001")
		both.Outcome, both.Divergence = results.KnownDivergence, "reason A / reason B"
		onlyB := refused("loss/Huber/f32/0002")
		onlyB.Outcome, onlyB.Divergence = results.KnownDivergence, "reason B"
		cases := []results.CaseResult{pass("a"), both, onlyB}
		e := end(cases...)
		e.Entries = []results.EntryUse{
			{Kind: "divergence", Index: 0, Summary: "classes=Huber", Reason: "reason A", Matched: 3},
			{Kind: "divergence", Index: 1, Summary: "classes=Huber", Reason: "reason B", Matched: 2},
		}
		run := load(writeResults(dir, synthInfo(), cases, e, ""))
		doc := parse(string(written(report.WriteHTML, run)))
		var rows []string
		for n := range byID(doc, "divergences").Descendants() {
			if n.Type == html.ElementNode && n.Data == "tr" {
				rows = append(rows, text(n))
			}
		}
		Expect(rows).To(HaveLen(3))
		Expect(rows[1]).To(ContainSubstring("1 case"))
		Expect(rows[1]).To(ContainSubstring("loss/Huber/f32/0001"))
		Expect(rows[1]).NotTo(ContainSubstring("loss/Huber/f32/0002"))
		Expect(rows[2]).To(ContainSubstring("2 cases"))
	})

	It("lists the 20 largest not ported reasons and folds the rest", func() {
		dir := GinkgoT().TempDir()
		cases := []results.CaseResult{pass("a")}
		for i := range 25 {
			c := notPorted(fmt.Sprintf("loss/C%02d/f32/0001", i))
			c.Class, c.Detail = fmt.Sprintf("C%02d", i), fmt.Sprintf("construct: not implemented: C%02d", i)
			cases = append(cases, c)
		}
		run := load(writeResults(dir, synthInfo(), cases, end(cases...), ""))
		Expect(run.NotPorted).To(HaveLen(25))
		t := text(byID(parse(string(written(report.WriteHTML, run))), "not-ported"))
		Expect(t).To(ContainSubstring("5 more reasons, smaller"))
		Expect(t).To(ContainSubstring("not implemented: C24"))
		Expect(run.Summary.Reason).To(Equal("the 1 checked case matches Keras; 25 not ported"))
	})

	It("says no value was compared where none was, instead of statistics of nothing", func() {
		dir := GinkgoT().TempDir()
		c := refused("loss/Huber/f32/0001")
		c.View = &results.View{Config: "{}", Steps: []results.StepView{{Op: "call", Keras: "float32[] [1]", Port: "error: no"}}}
		cases := []results.CaseResult{pass("a"), c}
		run := load(writeResults(dir, synthInfo(), cases, end(cases...), ""))
		doc := parse(string(written(report.WriteHTML, run)))
		t := text(byID(doc, run.Groups[0].Anchor()))
		Expect(t).To(ContainSubstring("no value compared: the port returned an error where Keras returned a value"))
		Expect(t).NotTo(ContainSubstring("ULP"))
		Expect(t).NotTo(ContainSubstring("values outside tolerance"))
		Expect(t).NotTo(ContainSubstring("got 0"))
	})

	It("shows the statistics of a shape finding whose values were compared", func() {
		dir := GinkgoT().TempDir()
		c := refused("loss/Huber/f32/0002")
		g, w := reference.Float(0.5), reference.Float(0.6)
		st := &results.Stats{Elements: 4, Mismatches: 1, MaxAbs: 0.1, MaxRel: 0.17, MaxULP: 1342177, WorstIndex: []int{2}, Got: &g, Want: &w}
		c.Findings = []results.Finding{{Step: 0, Op: "call", Check: results.CheckShape, Message: "shape [4], Keras [4 1]", Stats: st}}
		c.Stats = st
		run := load(writeResults(dir, synthInfo(), []results.CaseResult{c}, end(c), ""))
		t := text(parse(string(written(report.WriteHTML, run))))
		Expect(t).To(ContainSubstring("1 of 4 values outside tolerance"))
		Expect(t).To(ContainSubstring("max 1342177 ULP"))
		Expect(t).To(ContainSubstring("worst at (2): got 0.5, Keras 0.6"))
	})

	It("escapes every text from the run", func() {
		dir := GinkgoT().TempDir()
		c := refused("loss/Huber/<script>alert(1)</script>/0001")
		c.Findings[0].Message = "the port returned an error: <script>alert(2)</script>"
		c.View = &results.View{Config: `{"name":"<script>alert(3)</script>"}`, Show: "show '<b>'",
			Steps: []results.StepView{{Op: "call", Inputs: map[string]string{"y_true": "<i>x</i>"}, Keras: "<u>", Port: "</pre><script>"}}}
		info := synthInfo()
		info.Port = "<script>alert(4)</script>"
		e := end(c)
		e.Warnings = []string{"<script>alert(5)</script>"}
		run := load(writeResults(dir, info, []results.CaseResult{c}, e, ""))
		page := string(written(report.WriteHTML, run))
		doc := parse(page) // fails on any <script> element
		Expect(page).NotTo(ContainSubstring("<script>"))
		Expect(page).NotTo(ContainSubstring("<i>x</i>"))
		t := text(doc)
		for _, s := range []string{"alert(1)", "alert(2)", "alert(3)", "alert(4)", "alert(5)", "<i>x</i>", "</pre><script>"} {
			Expect(t).To(ContainSubstring(s))
		}
	})

	It("tells of a crashed run, the case it was running and how many finished", func() {
		dir := GinkgoT().TempDir()
		cases := []results.CaseResult{pass("a"), pass("b")}
		run := load(writeResults(dir, synthInfo(), cases, nil, "[jax] loss/Huber/red=sum/f32/0042"))
		page := string(written(report.WriteHTML, run))
		t := text(parse(page))
		Expect(page).To(ContainSubstring(`class="verdict broken"`))
		Expect(t).To(ContainSubstring("BROKEN RUN"))
		Expect(t).To(ContainSubstring("the run crashed while running case [jax] loss/Huber/red=sum/f32/0042: 2 cases finished"))
		Expect(t).To(ContainSubstring("make -C /src/bentport conformance CASE='[jax] loss/Huber/red=sum/f32/0042' OUT=" + dir + "/rerun"))
		Expect(t).NotTo(ContainSubstring("no case ran"))
		Expect(t).NotTo(ContainSubstring("nothing selected"))
	})

	It("tells of fixtures that did not load", func() {
		dir := GinkgoT().TempDir()
		run := load(writeResults(dir, results.RunInfo{Port: "p"}, nil, &results.End{Error: "fixture set x: no manifest.json"}, ""))
		t := text(parse(string(written(report.WriteHTML, run))))
		Expect(t).To(ContainSubstring("the fixtures did not load, so nothing was checked: fixture set x: no manifest.json"))
	})

	It("shows the suite's failures on the first screen", func() {
		_, run := sample(synth{Pass: 30, Divergent: 3, Seed: 4, Strict: true})
		doc := parse(string(written(report.WriteHTML, run)))
		Expect(text(byID(doc, "verdict"))).To(ContainSubstring("strict: known divergence"))
	})

	It("shows a passing run as green, without listing its passing cases, under 3 MB", func() {
		_, run := sample(passingRun)
		page := string(written(report.WriteHTML, run))
		Expect(page).To(ContainSubstring(`class="verdict pass"`))
		Expect(len(page)).To(BeNumerically("<", 3<<20))
		Expect(strings.Count(page, "/f32/")).To(BeNumerically("<", 200), "passing cases are counted, not listed")
		doc := parse(page)
		Expect(text(byID(doc, "divergences"))).To(ContainSubstring("TensorFlow renormalises"))
		Expect(text(byID(doc, "params"))).To(ContainSubstring("sum_over_batch_size (30)"))
		Expect(text(byID(doc, "worst"))).To(ContainSubstring("8"))
	})
})
