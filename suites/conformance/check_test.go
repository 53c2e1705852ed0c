package conformance_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/results"
	"github.com/kerasparity/kerasparity/suites/conformance"
	"github.com/kerasparity/kerasparity/suites/port"
)

// oracle is a port that replays what Keras recorded for one case, optionally
// bent by a function, so the harness can be checked against a port whose
// answers are known exactly.
type oracle struct {
	c    *reference.Case
	step int
	bend func(port.Array) port.Array
	// refuse makes construction fail with this error.
	refuse error
	panics bool
}

func (o *oracle) Name() string { return "oracle" }

func (o *oracle) NewLoss(port.Spec) (port.Loss, error) { return o, o.construct() }

func (o *oracle) NewMetric(port.Spec) (port.Metric, error) { return o, o.construct() }

// construct refuses a config where Keras's constructor raised, or where the
// test asks it to.
func (o *oracle) construct() error {
	o.step = 0
	if o.refuse != nil {
		return o.refuse
	}
	if st := o.c.Steps[0]; st.Op == "construct" {
		return errors.New(st.Expect.Error.Message)
	}
	return nil
}

func (o *oracle) Call(_, _ port.Array, _ *port.Array) (port.Array, error) { return o.next() }

func (o *oracle) UpdateState(_, _ port.Array, _ *port.Array) error {
	if e := o.c.Steps[o.step].Expect.Error; e != nil {
		o.step++
		return errors.New(e.Message)
	}
	return nil
}

func (o *oracle) Result() (port.Array, error) { return o.next() }
func (o *oracle) ResetState()                 {}

func (o *oracle) next() (port.Array, error) {
	if o.panics {
		panic("boom")
	}
	st := o.c.Steps[o.step]
	o.step++
	if st.Expect.Error != nil {
		return port.Array{}, errors.New(st.Expect.Error.Message)
	}
	a := *st.Expect.Value.Array
	a.Data = append([]float64(nil), a.Data...)
	if o.bend != nil {
		a = o.bend(a)
	}
	return a, nil
}

// check runs one case against an oracle.
func check(c *reference.Case, o *oracle, divs *conformance.Divergences) results.CaseResult {
	o.c = c
	k := &conformance.Checker{Port: o, Policy: reference.DefaultPolicy(), Divergences: divs}
	return k.Check(c)
}

// valueCase is the first case of the set whose every step expects a value.
func valueCase(cases []*reference.Case, kind string) *reference.Case {
	for _, c := range cases {
		if c.Kind != kind {
			continue
		}
		ok := true
		for _, st := range c.Steps {
			ok = ok && st.Expect.Value != nil && st.Expect.Value.Array.Size() > 0 && allFinite(st.Expect.Value.Array)
		}
		if ok {
			return c
		}
	}
	Fail("the fixtures hold no all-value " + kind + " case")
	return nil
}

func allFinite(a *reference.Array) bool {
	for _, v := range a.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

var _ = Describe("Checker", func() {
	var cases []*reference.Case
	BeforeEach(func() {
		set, err := committed()
		Expect(err).NotTo(HaveOccurred())
		cases = set.Cases()
		Expect(cases).NotTo(BeEmpty())
	})

	It("passes every committed case when the port answers exactly what Keras recorded", func() {
		for _, c := range cases {
			res := check(c, &oracle{}, nil)
			Expect(res.Outcome).To(Equal(results.Pass), "%s [%s]: %s", c.ID, c.Backend, res.Detail)
		}
	})

	It("fails a value off by a relative 1e-3 and says where", func() {
		c := valueCase(cases, "loss")
		res := check(c, &oracle{bend: func(a port.Array) port.Array {
			for i := range a.Data {
				a.Data[i] = a.Data[i]*1.001 + 1e-3
			}
			return a
		}}, nil)
		Expect(res.Outcome).To(Equal(results.Fail))
		Expect(res.Detail).To(ContainSubstring("step 0 (call)"))
		Expect(res.Stats).NotTo(BeNil())
		Expect(res.Stats.Mismatches).To(BeNumerically(">", 0))
	})

	It("fails a wrong shape and a wrong dtype", func() {
		c := valueCase(cases, "loss")
		res := check(c, &oracle{bend: func(a port.Array) port.Array {
			a.Shape = append(a.Shape, 1)
			return a
		}}, nil)
		Expect(res.Outcome).To(Equal(results.Fail))
		Expect(res.Detail).To(ContainSubstring("shape"))

		res = check(c, &oracle{bend: func(a port.Array) port.Array {
			a.DType = "float16"
			return a
		}}, nil)
		Expect(res.Outcome).To(Equal(results.Fail))
		Expect(res.Detail).To(ContainSubstring("dtype"))
	})

	It("fails a metric stream whose last result drifts", func() {
		c := valueCase(cases, "metric")
		Expect(len(c.Steps)).To(BeNumerically(">=", 4), "a metric case is a stream")
		calls := 0
		res := check(c, &oracle{bend: func(a port.Array) port.Array {
			calls++
			if calls == len(c.Steps) {
				a.Data[0] += 1
			}
			return a
		}}, nil)
		Expect(res.Outcome).To(Equal(results.Fail))
		Expect(res.Detail).To(ContainSubstring(fmt.Sprintf("step %d", len(c.Steps)-1)))
	})

	It("fails a port that returns a value where Keras raised", func() {
		var c *reference.Case
		for _, x := range cases {
			if x.Steps[0].Op == "call" && x.Steps[0].Expect.Error != nil {
				c = x
				break
			}
		}
		Expect(c).NotTo(BeNil(), "the fixtures hold a call Keras refused")
		o := &oracle{c: c}
		k := &conformance.Checker{Port: accepting{o}, Policy: reference.DefaultPolicy()}
		res := k.Check(c)
		Expect(res.Outcome).To(Equal(results.Fail))
		Expect(res.Detail).To(ContainSubstring("Keras raised"))
	})

	It("reports not ported, a refused config, and a panic as such", func() {
		c := valueCase(cases, "loss")
		res := check(c, &oracle{refuse: fmt.Errorf("class %s: %w", c.Class, port.ErrNotImplemented)}, nil)
		Expect(res.Outcome).To(Equal(results.NotPorted))

		res = check(c, &oracle{refuse: errors.New("bad config")}, nil)
		Expect(res.Outcome).To(Equal(results.Fail))
		Expect(res.Detail).To(ContainSubstring("bad config"))

		res = check(c, &oracle{panics: true}, nil)
		Expect(res.Outcome).To(Equal(results.Error))
		Expect(res.Detail).To(ContainSubstring("panicked"))
	})

	It("turns a listed failure into a known divergence and a listed pass into XPASS", func() {
		c := valueCase(cases, "loss")
		divs := &conformance.Divergences{Divergences: []conformance.Divergence{{Selector: conformance.Selector{IDs: []string{c.ID}}, Reason: "because"}}}
		res := check(c, &oracle{bend: func(a port.Array) port.Array { a.DType = "int8"; return a }}, divs)
		Expect(res.Outcome).To(Equal(results.KnownDivergence))
		Expect(res.Divergence).To(Equal("because"))

		res = check(c, &oracle{}, divs)
		Expect(res.Outcome).To(Equal(results.XPass))

		other := &conformance.Divergences{Divergences: []conformance.Divergence{{Selector: conformance.Selector{IDs: []string{c.ID}, Backends: []string{"no-such-backend"}}, Reason: "x"}}}
		res = check(c, &oracle{}, other)
		Expect(res.Outcome).To(Equal(results.Pass))
	})
})

// committed loads the committed fixture set once per test process.
var committed = sync.OnceValues(func() (*reference.Set, error) { return reference.Load("../../fixtures") })

// accepting wraps an oracle so that every call returns a value, even where
// Keras raised.
type accepting struct{ *oracle }

func (a accepting) NewLoss(s port.Spec) (port.Loss, error) { return a, nil }

func (a accepting) Call(_, _ port.Array, _ *port.Array) (port.Array, error) {
	return port.Array{Shape: []int{}, DType: "float32", Data: []float64{0}}, nil
}

var _ = Describe("ReadDivergences", func() {
	write := func(body string) string {
		p := filepath.Join(GinkgoT().TempDir(), "divergences.json")
		Expect(os.WriteFile(p, []byte(body), 0o644)).To(Succeed())
		return p
	}

	It("reads entries with reasons", func() {
		d, err := conformance.ReadDivergences(write(`{"divergences":[{"ids":["loss/*"],"backends":["jax"],"reason":"r"}],"tolerances":[]}`))
		Expect(err).NotTo(HaveOccurred())
		Expect(d.Divergences).To(HaveLen(1))
	})

	It("refuses an entry without a reason, a negative tolerance, and bad JSON, naming the file", func() {
		p := write(`{"divergences":[{"ids":["loss/*"]}],"tolerances":[{"ids":["x"],"rtol":-1,"reason":"r"}]}`)
		_, err := conformance.ReadDivergences(p)
		Expect(err).To(MatchError(And(ContainSubstring(p), ContainSubstring("divergences[0]"), ContainSubstring("tolerances[0]"))))

		_, err = conformance.ReadDivergences(write(`{`))
		Expect(err).To(HaveOccurred())

		_, err = conformance.ReadDivergences(filepath.Join(GinkgoT().TempDir(), "missing.json"))
		Expect(err).To(HaveOccurred())
	})
})
