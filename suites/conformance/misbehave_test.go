package conformance_test

import (
	"errors"
	"math"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/results"
	"github.com/kerasparity/kerasparity/suites/conformance"
	"github.com/kerasparity/kerasparity/suites/port"
)

// Ports that misbehave in each way the harness must survive. Each is an
// oracle (exact answers) with one fault.

// hanging never returns from Call.
type hanging struct{ *oracle }

func (h hanging) NewLoss(s port.Spec) (port.Loss, error) { h.construct(); return h, nil }
func (h hanging) Call(_, _ port.Array, _ *port.Array) (port.Array, error) {
	select {}
}

// mutating writes into y_pred before answering exactly.
type mutating struct{ *oracle }

func (m mutating) NewLoss(s port.Spec) (port.Loss, error) { m.construct(); return m, nil }
func (m mutating) Call(yTrue, yPred port.Array, w *port.Array) (port.Array, error) {
	if len(yPred.Data) > 0 {
		yPred.Data[0] = 42
	}
	return m.next()
}

// flaky answers exactly on odd calls and off by one ulp on even calls.
type flaky struct {
	*oracle
	n *int
}

func (f flaky) NewLoss(s port.Spec) (port.Loss, error) { f.construct(); return f, nil }
func (f flaky) Call(_, _ port.Array, _ *port.Array) (port.Array, error) {
	*f.n++
	a, err := f.next()
	if *f.n%2 == 0 && len(a.Data) > 0 {
		a.Data[0] = math.Nextafter(a.Data[0], math.Inf(1))
	}
	return a, err
}

var _ = Describe("Checker on misbehaving ports", func() {
	var c *reference.Case
	BeforeEach(func() {
		set, err := committed()
		Expect(err).NotTo(HaveOccurred())
		c = valueCase(set.Cases(), "loss")
	})

	It("turns a hung call into a timeout error of that case", func() {
		k := &conformance.Checker{Port: hanging{&oracle{c: c}}, Policy: reference.DefaultPolicy(), Timeout: 50 * time.Millisecond}
		res := k.Check(c)
		Expect(res.Outcome).To(Equal(results.Error))
		Expect(res.Findings).To(ContainElement(HaveField("Check", results.CheckTimeout)))
		Expect(res.Detail).To(ContainSubstring("timed out after 50ms"))
	})

	It("fails a port that writes into its inputs, and keeps the fixture intact", func() {
		before := append([]float64(nil), c.Steps[0].YPred.Array.Data...)
		k := &conformance.Checker{Port: mutating{&oracle{c: c}}, Policy: reference.DefaultPolicy()}
		res := k.Check(c)
		Expect(res.Outcome).To(Equal(results.Error))
		Expect(res.Detail).To(ContainSubstring("wrote into y_pred"))
		Expect(c.Steps[0].YPred.Array.Data).To(Equal(before))
	})

	It("reports a case whose two runs differ as nondeterministic, with both values", func() {
		n := 0
		k := &conformance.Checker{Port: flaky{&oracle{c: c}, &n}, Policy: reference.DefaultPolicy(), Repeat: true}
		res := k.Check(c)
		Expect(res.Outcome).To(Equal(results.Nondeterministic))
		Expect(res.Findings).To(ContainElement(HaveField("Message", ContainSubstring("first run"))))
	})

	It("calls malformed output an error, whatever is wrong with it", func() {
		for _, bend := range []func(port.Array) port.Array{
			func(a port.Array) port.Array { a.Shape = []int{-1}; return a },
			func(a port.Array) port.Array { a.Shape = []int{1 << 32, 1 << 32}; a.Data = nil; return a },
			func(a port.Array) port.Array { a.DType = ""; return a },
			func(a port.Array) port.Array { a.Data = append(a.Data, 1); return a },
		} {
			res := check(c, &oracle{bend: bend}, nil)
			Expect(res.Outcome).To(Equal(results.Error), res.Detail)
			Expect(res.Findings[0].Check).To(Equal(results.CheckMalformed))
		}
	})

	It("compares values even when the shape or dtype differs, and reports every finding", func() {
		res := check(c, &oracle{bend: func(a port.Array) port.Array {
			a.Shape = []int{a.Size()} // flattened: same values, other shape
			a.DType = "float16"
			if a.Size() > 0 {
				a.Data[0] += 1
			}
			return a
		}}, nil)
		Expect(res.Outcome).To(Equal(results.Fail))
		checks := []string{}
		for _, f := range res.Findings {
			checks = append(checks, f.Check)
		}
		Expect(checks).To(ContainElements(results.CheckDType, results.CheckValue))
		Expect(res.Stats).NotTo(BeNil())
		Expect(res.Compared).To(BeNumerically(">", 0))
	})

	It("compares no value, and reports no statistics, when the element counts differ", func() {
		res := check(c, &oracle{bend: func(a port.Array) port.Array {
			a.Shape, a.Data = []int{a.Size() + 1}, append(a.Data, 0)
			return a
		}}, nil)
		Expect(res.Outcome).To(Equal(results.Fail))
		Expect(res.Findings[0].Check).To(Equal(results.CheckShape))
		Expect(res.Findings[0].Stats).To(BeNil())
		Expect(res.Stats).To(BeNil())
		Expect(res.Compared).To(BeZero())
	})

	It("shows a failing case's config, inputs, Keras's output and the port's", func() {
		res := check(c, &oracle{refuse: errors.New("no such option")}, nil)
		Expect(res.View).NotTo(BeNil())
		Expect(res.View.Config).To(ContainSubstring("{"))
		Expect(res.View.Steps).NotTo(BeEmpty())
		Expect(res.View.Steps[0].Port).To(ContainSubstring("no such option"))
		Expect(res.View.Steps[1].Inputs).To(HaveKey("y_pred"))
	})
})

var _ = Describe("Divergences by cause", func() {
	var c *reference.Case
	BeforeEach(func() {
		set, err := committed()
		Expect(err).NotTo(HaveOccurred())
		c = valueCase(set.Cases(), "loss")
	})
	off := func(a port.Array) port.Array {
		for i := range a.Data {
			a.Data[i] = a.Data[i]*2 + 1
		}
		return a
	}

	It("matches by class, backend, dtype, check and message", func() {
		divs := &conformance.Divergences{Divergences: []conformance.Divergence{{
			Selector: conformance.Selector{Classes: []string{c.Class}, Backends: []string{c.Backend}, DTypes: []string{c.DType}},
			Check:    results.CheckValue, Message: "differ beyond", Reason: "doubles",
		}}}
		res := check(c, &oracle{bend: off}, divs)
		Expect(res.Outcome).To(Equal(results.KnownDivergence))
		Expect(res.Divergence).To(Equal("doubles"))

		// A symptom entry does not turn a passing case into XPASS.
		Expect(check(c, &oracle{}, divs).Outcome).To(Equal(results.Pass))
	})

	It("excuses a case only when every finding is covered", func() {
		divs := &conformance.Divergences{Divergences: []conformance.Divergence{{
			Selector: conformance.Selector{Classes: []string{c.Class}}, Check: results.CheckDType, Reason: "dtype only",
		}}}
		res := check(c, &oracle{bend: func(a port.Array) port.Array { a = off(a); a.DType = "float16"; return a }}, divs)
		Expect(res.Outcome).To(Equal(results.Fail))
	})

	It("never excuses an error of the port", func() {
		divs := &conformance.Divergences{Divergences: []conformance.Divergence{{Selector: conformance.Selector{All: true}, Reason: "everything"}}}
		Expect(check(c, &oracle{panics: true}, divs).Outcome).To(Equal(results.Error))
	})

	DescribeTable("refuses a file that could widen the run silently",
		func(body, want string) {
			_, err := conformance.ParseDivergences([]byte(body))
			Expect(err).To(MatchError(ContainSubstring(want)))
		},
		Entry("an unknown key", `{"divergences":[{"classes":["X"],"backnd":"jax","reason":"r"}]}`, `unknown field "backnd"`),
		Entry("a duplicate key", `{"divergences":[{"classes":["X"],"classes":["Y"],"reason":"r"}]}`, `key "classes" appears twice`),
		Entry("null", `{"divergences":[{"classes":null,"reason":"r"}]}`, `null`),
		Entry("a reason given twice", `{"divergences":[{"classes":["X"],"reason":"r"},{"classes":["Y"],"reason":"r"}]}`, "repeats the reason"),
		Entry("an entry that selects nothing", `{"divergences":[{"reason":"r"}]}`, "selects nothing"),
		Entry("an unknown backend", `{"divergences":[{"backends":["jaxx"],"reason":"r"}]}`, `backend "jaxx"`),
		Entry("an unknown check", `{"divergences":[{"classes":["X"],"check":"panic","reason":"r"}]}`, `check "panic"`),
		Entry("a negative tolerance", `{"tolerances":[{"classes":["X"],"rtol":-1,"reason":"r"}]}`, "must be >= 0"),
		Entry("trailing data", `{"divergences":[]} {}`, "after the JSON value"),
		Entry("an unknown op", `{"divergences":[{"classes":["X"],"ops":["result"],"reason":"r"}]}`, `op "result"`),
	)
})

var _ = Describe("Refusals checked by kind", func() {
	var c *reference.Case
	BeforeEach(func() {
		set, err := committed()
		Expect(err).NotTo(HaveOccurred())
		for _, x := range set.Cases() {
			if x.Steps[0].Op == "construct" && x.Steps[0].Expect.Error.Type == "ValueError" {
				c = x
				break
			}
		}
		Expect(c).NotTo(BeNil(), "the fixtures hold a constructor Keras refused with a ValueError")
	})

	It("passes a refusal of the matching kind", func() {
		res := check(c, &oracle{refuse: port.Errorf(port.InvalidArgument, "bad value")}, nil)
		Expect(res.Outcome).To(Equal(results.Pass))
		Expect(res.Unclassified).To(BeZero())
	})

	It("fails a refusal of another kind, naming both", func() {
		res := check(c, &oracle{refuse: port.Errorf(port.TypeMismatch, "not a float")}, nil)
		Expect(res.Outcome).To(Equal(results.Fail))
		Expect(res.Findings[0].Check).To(Equal(results.CheckErrorKind))
		Expect(res.Detail).To(And(ContainSubstring("ValueError"), ContainSubstring("type error")))
	})

	It("accepts an unclassified refusal and counts it", func() {
		res := check(c, &oracle{refuse: errors.New("no")}, nil)
		Expect(res.Outcome).To(Equal(results.Pass))
		Expect(res.Unclassified).To(Equal(1))
	})
})

var _ = Describe("Divergences by symptom alone", func() {
	It("accepts an entry that names only a check and a message, and matches by them", func() {
		d, err := conformance.ParseDivergences([]byte(`{"divergences":[{"check":"value","message":"differ beyond","reason":"r"}]}`))
		Expect(err).NotTo(HaveOccurred())
		set, err := committed()
		Expect(err).NotTo(HaveOccurred())
		c := valueCase(set.Cases(), "loss")
		res := check(c, &oracle{bend: func(a port.Array) port.Array {
			for i := range a.Data {
				a.Data[i] = a.Data[i]*2 + 1
			}
			return a
		}}, d)
		Expect(res.Outcome).To(Equal(results.KnownDivergence))

		// The same entry limited to reset steps does not cover a call.
		d, err = conformance.ParseDivergences([]byte(`{"divergences":[{"check":"value","message":"differ beyond","ops":["reset"],"reason":"r"}]}`))
		Expect(err).NotTo(HaveOccurred())
		res = check(c, &oracle{bend: func(a port.Array) port.Array {
			for i := range a.Data {
				a.Data[i] = a.Data[i]*2 + 1
			}
			return a
		}}, d)
		Expect(res.Outcome).To(Equal(results.Fail))
	})
})
