package report

import (
	"bufio"
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/kerasparity/kerasparity/results"
)

// The JUnit XML that WriteJUnit writes: one <testsuite> per backend, one
// <testcase> per case, named "[backend] id" (what a focus or
// -kerasparity.case selects) with its kind and class as classname. A failed
// case has a <failure> (type: its checks), an error of the port an <error>,
// a not ported case or a known divergence is <skipped> with its reason, and
// an XPASS is a failure, because its divergence entry should go. A run that
// broke down or whose suite failed gets a suite "kerasparity" that says so.
// No clock is read: the only time written is the run's own duration.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr,omitempty"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	// Text is CDATA, so that its lines read as lines in the raw file.
	Text string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes junit.xml. Cases are sorted by id within their
// backend, so the same results give the same bytes even when a parallel run
// wrote them in another order.
func WriteJUnit(w io.Writer, r *Run) error {
	cause := map[*results.CaseResult]*Group{}
	for i := range r.Groups {
		for _, c := range r.Groups[i].Cases {
			cause[c] = &r.Groups[i]
		}
	}
	byBackend := map[string]*junitSuite{}
	for i := range r.File.Cases {
		c := &r.File.Cases[i]
		s := byBackend[c.Backend]
		if s == nil {
			s = &junitSuite{Name: c.Backend}
			byBackend[c.Backend] = s
		}
		s.add(junitCaseOf(c, cause[c]))
	}
	doc := junitSuites{Name: "kerasparity: " + cmp.Or(r.File.Info.Port, "unnamed port")}
	for _, b := range slices.Sorted(maps.Keys(byBackend)) {
		s := byBackend[b]
		slices.SortStableFunc(s.Cases, func(a, b junitCase) int { return strings.Compare(a.Name, b.Name) })
		doc.Suites = append(doc.Suites, *s)
	}
	if run := runCase(r); run != nil {
		s := junitSuite{Name: "kerasparity"}
		s.add(*run)
		doc.Suites = append(doc.Suites, s)
	}
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
	}
	if r.File.End != nil {
		doc.Time = strconv.FormatFloat(r.File.End.Seconds, 'f', 3, 64)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", " ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing JUnit XML: %w", err)
	}
	bw.WriteString("\n")
	return bw.Flush()
}

func (s *junitSuite) add(c junitCase) {
	s.Tests++
	switch {
	case c.Failure != nil:
		s.Failures++
	case c.Error != nil:
		s.Errors++
	case c.Skipped != nil:
		s.Skipped++
	}
	s.Cases = append(s.Cases, c)
}

func junitCaseOf(c *results.CaseResult, g *Group) junitCase {
	jc := junitCase{Name: c.Key(), ClassName: c.Target()}
	switch c.Outcome {
	case results.Pass:
	case results.NotPorted:
		jc.Skipped = &junitSkipped{Message: "not ported: " + c.Detail}
	case results.KnownDivergence:
		jc.Skipped = &junitSkipped{Message: "known divergence: " + c.Divergence}
	case results.XPass:
		jc.Failure = &junitProblem{Type: "xpass", Message: "XPASS: listed as a known divergence, yet matches Keras: narrow or remove the entry",
			Text: xmlSafe("divergence: " + c.Divergence + "\n" + rerunText(c))}
	default:
		p := &junitProblem{Message: c.Detail, Text: xmlSafe(findingsText(c, g) + rerunText(c))}
		if g != nil {
			p.Type = g.Check
		}
		if c.Outcome == results.Fail {
			jc.Failure = p
		} else {
			jc.Error = p
		}
	}
	return jc
}

// findingsText is every finding of a case in plain text, with the
// statistics of the values compared, or why none were.
func findingsText(c *results.CaseResult, g *Group) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s)", outcomeShort(c.Outcome), cmp.Or(c.DType, "no dtype"))
	if g != nil {
		fmt.Fprintf(&b, ", cause %s: %s", g.Key, g.Message)
	}
	b.WriteString("\n")
	for _, f := range c.Findings {
		fmt.Fprintf(&b, "%s [%s]: %s\n", stepName(f.Step, f.Op), f.Check, f.Message)
		if f.Stats != nil {
			fmt.Fprintf(&b, "  %s\n", statsText(f.Stats))
		} else {
			fmt.Fprintf(&b, "  no value compared: %s\n", notCompared(f.Check, f.Message))
		}
	}
	if len(c.Findings) == 0 && c.Detail != "" {
		b.WriteString(c.Detail + "\n")
	}
	return b.String()
}

func rerunText(c *results.CaseResult) string {
	if c.Rerun == "" {
		return ""
	}
	return "rerun: " + c.Rerun + "\n"
}

// runCase is the test case that stands for the run itself when it broke
// down or its suite failed, or nil.
func runCase(r *Run) *junitCase {
	s := r.Summary
	msgs := slices.Clone(s.Failures)
	if s.Verdict == VerdictBroken || s.Verdict == VerdictEmpty {
		msgs = append([]string{s.Reason}, msgs...)
	}
	if len(msgs) == 0 {
		return nil
	}
	c := &junitCase{Name: "run", ClassName: "kerasparity"}
	p := &junitProblem{Type: string(s.Verdict), Message: msgs[0], Text: xmlSafe(strings.Join(msgs, "\n") + "\n")}
	if s.Verdict == VerdictBroken {
		c.Error = p
	} else {
		c.Failure = p
	}
	return c
}

// xmlSafe replaces the characters XML 1.0 cannot carry (control characters
// a port's error message might hold) by U+FFFD. Attributes and plain
// character data are escaped by encoding/xml; CDATA is written as it is.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}
