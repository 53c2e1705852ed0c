package report_test

import (
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"golang.org/x/net/html"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/report"
)

// renderHTML reads a run and renders its page.
func renderHTML(ginkgoJSON, runInfo string) string {
	GinkgoHelper()
	return string(written(report.WriteHTML, ginkgoJSON, runInfo))
}

// parse parses a page as a browser would, and fails on what makes a page
// less than self-contained: scripts, external resources, links outside <a>.
func parse(page string) *html.Node {
	GinkgoHelper()
	doc, err := html.Parse(strings.NewReader(page))
	Expect(err).NotTo(HaveOccurred())
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			Expect(n.Data).NotTo(BeElementOf("script", "link", "img", "iframe", "object", "embed"), "element <%s>", n.Data)
			for _, a := range n.Attr {
				Expect(a.Key).NotTo(HavePrefix("on"), "event handler on <%s>", n.Data)
				Expect(a.Key).NotTo(Equal("src"))
				if a.Key == "href" {
					Expect(n.Data).To(Equal("a"))
				}
			}
		}
		for c := range n.ChildNodes() {
			walk(c)
		}
	}
	walk(doc)
	return doc
}

// text is the text content of a parsed page.
func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// cells is the text of every table cell of a parsed page.
func cells(doc *html.Node) []string {
	var out []string
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "td" {
			out = append(out, text(n))
		}
	}
	return out
}

// balanced checks that the key container tags of the template are closed as
// often as they are opened.
func balanced(page string) {
	GinkgoHelper()
	for _, tag := range []string{"html", "body", "main", "section", "table", "tbody", "tr", "td", "details", "svg", "ul", "li", "div", "code"} {
		open := strings.Count(page, "<"+tag+">") + strings.Count(page, "<"+tag+" ")
		Expect(strings.Count(page, "</"+tag+">")).To(Equal(open), "<%s> opened %d times", tag, open)
	}
}

var _ = Describe("WriteHTML", func() {
	var page string
	var doc *html.Node
	BeforeEach(func() {
		page = renderHTML("testdata/ginkgo.json", "testdata/run.json")
		doc = parse(page)
	})

	It("states the verdict and what was checked", func() {
		t := text(doc)
		Expect(t).To(ContainSubstring("FAIL"))
		Expect(t).To(ContainSubstring("4 of 9 cases do not match Keras"))
		Expect(t).To(ContainSubstring("kerasparity/testport"))
		Expect(t).To(ContainSubstring("keras 3.10.0"))
		Expect(t).To(ContainSubstring("tensorflow 2.19.0"))
		Expect(t).To(ContainSubstring("0123abc"))
		Expect(t).To(ContainSubstring("label filter !slow"))
		Expect(t).To(ContainSubstring("2026-11-22"))
		Expect(page).To(ContainSubstring(`class="verdict fail"`))
	})

	It("lists every failing and error case with its rerun line", func() {
		t := text(doc)
		for _, s := range []string{
			"CategoricalCrossentropy/logits/ls=0.1/red=sum/f32/007",
			`make conformance FOCUS='\[numpy\] CategoricalCrossentropy/logits/ls=0\.1/red=sum/f32/007$'`,
			"AUC/f32/000", `make conformance FOCUS='\[jax\] AUC/f32/000$'`,
			"Accuracy/f32/004", "index out of range",
			"<script>alert(1)</script>/f32/000",
		} {
			Expect(t).To(ContainSubstring(s))
		}
	})

	It("writes non-finite statistics as NaN and +Inf", func() {
		Expect(cells(doc)).To(ContainElements("+Inf", "NaN", "(3)", "1/4", "got NaNKeras +Inf", "atol 0, rtol 1e-05x"))
	})

	It("escapes every text from the run", func() {
		Expect(page).NotTo(ContainSubstring("<script>"))
		Expect(page).To(ContainSubstring("&lt;script&gt;alert(1)&lt;/script&gt;/f32/000"))
		Expect(page).To(ContainSubstring("&amp; &#34;more&#34;"))
	})

	It("is well-formed and self-contained", func() {
		balanced(page)
		Expect(page).To(HavePrefix("<!DOCTYPE html>"))
		// The only address on the page is the divergence's link, in an <a>.
		Expect(strings.Count(page, "https://")).To(Equal(2))
		Expect(page).To(ContainSubstring(`<a href="https://github.com/keras-team/keras/issues/0000">`))
		Expect(page).NotTo(ContainSubstring("http://"))
		Expect(page).NotTo(ContainSubstring("url("))
		Expect(page).NotTo(ContainSubstring("@import"))
	})

	It("shows known divergences, XPASS, not ported cases, warnings and the matrix", func() {
		t := text(doc)
		Expect(t).To(ContainSubstring("TensorFlow renormalises probabilities"))
		Expect(t).To(ContainSubstring("XPASS"))
		Expect(t).To(ContainSubstring("construct: not implemented: Hinge"))
		Expect(t).To(ContainSubstring(`known divergence "Poisson/*"`))
		Expect(t).To(ContainSubstring("reduction: sum (1)"))
		Expect(page).To(MatchRegexp(`<td class="cell good"><span class="frac">2/2</span></td>`))
	})

	It("draws the ULP histogram as inline SVG", func() {
		Expect(page).To(ContainSubstring(`<svg class="hist"`))
		Expect(page).To(ContainSubstring("NaN/Inf"))
		Expect(page).To(ContainSubstring("≥2²⁰"))
		Expect(page).To(ContainSubstring("2¹² to 2¹³−1 ULP, float32: 1 case"))
	})

	It("never shows a run in which no case ran as green", func() {
		empty := renderHTML("testdata/empty.json", "testdata/run.json")
		parse(empty)
		balanced(empty)
		Expect(empty).To(ContainSubstring(`class="verdict empty"`))
		Expect(empty).To(ContainSubstring("NOTHING CHECKED"))
		Expect(empty).NotTo(ContainSubstring(`class="verdict pass"`))
	})

	It("shows a passing run as green", func() {
		dir := GinkgoT().TempDir()
		ok := renderHTML(writeReport(dir, suiteReport(spec(report.CaseResult{ID: "A/000", Class: "A", Backend: "numpy", DType: "float32",
			Outcome: report.Pass, Stats: &reference.Stats{Elements: 4, MaxULP: 1}}))), "")
		parse(ok)
		Expect(ok).To(ContainSubstring(`class="verdict pass"`))
		Expect(ok).To(ContainSubstring(`<span class="word">PASS</span>`))
		Expect(ok).To(ContainSubstring("No case failed or errored."))
		Expect(ok).To(ContainSubstring("no run.json was given"))
	})

	It("stays small and readable for a realistic run of 5,000 cases", func() {
		dir := GinkgoT().TempDir()
		big := renderHTML(syntheticRun(dir, 5000))
		parse(big)
		balanced(big)
		Expect(len(big)).To(BeNumerically("<", 2<<20))
		// Write the page of a few hundred cases where a person can look at it:
		// KERASPARITY_REPORT_SAMPLE=/tmp/sample go test ./report/
		if out := os.Getenv("KERASPARITY_REPORT_SAMPLE"); out != "" {
			Expect(os.MkdirAll(out, 0o755)).To(Succeed())
			sample := renderHTML(syntheticRun(dir, 400))
			Expect(os.WriteFile(filepath.Join(out, "report.html"), []byte(sample), 0o644)).To(Succeed())
		}
	})
})
