package conformance_test

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/results"
	"github.com/kerasparity/kerasparity/suites/conformance"
	"github.com/kerasparity/kerasparity/suites/port"
)

// introspective is a port that knows one class and its defaults.
type introspective struct {
	oracle
	defaults map[string]map[string]any
}

func (p *introspective) Defaults(kind, class string) (map[string]any, error) {
	d, ok := p.defaults[kind+"/"+class]
	if !ok {
		return nil, fmt.Errorf("%s: %w", class, port.ErrNotImplemented)
	}
	return d, nil
}

var _ = Describe("the API coverage check", func() {
	huber := reference.APIClass{Args: []reference.APIArg{
		{Name: "delta", Default: 1.0},
		{Name: "reduction", Default: "sum_over_batch_size"},
		{Name: "name", Default: "huber_loss"},
		{Name: "dtype", Default: nil},
	}}
	iou := reference.APIClass{Args: []reference.APIArg{
		{Name: "num_classes", Required: true},
		{Name: "target_class_ids", Default: []any{0.0, 1.0}},
	}}
	apiCase := func(kind, class string) *reference.Case {
		return &reference.Case{ID: "api/" + kind + "/" + class, Kind: kind, Class: class, Backend: "jax", Edges: []string{"api"}}
	}
	check := func(p port.Port, c *reference.Case, class reference.APIClass) results.CaseResult {
		k := &conformance.Checker{Port: p, Policy: reference.DefaultPolicy()}
		return k.CheckAPI(c, class)
	}
	port := &introspective{defaults: map[string]map[string]any{
		"loss/Huber":   {"delta": 1, "reduction": "sum_over_batch_size", "name": "huber_loss", "dtype": nil, "extra": true},
		"metric/IoU":   {"target_class_ids": []int{0, 1}},
		"loss/WrongHu": {"delta": 2.0, "reduction": "sum", "name": "huber_loss"},
	}}

	It("passes a class whose defaults equal Keras's, numbers compared as JSON numbers", func() {
		Expect(check(port, apiCase("loss", "Huber"), huber).Outcome).To(Equal(results.Pass))
		Expect(check(port, apiCase("metric", "IoU"), iou).Outcome).To(Equal(results.Pass))
	})

	It("fails a class the port lacks, naming it", func() {
		res := check(port, apiCase("loss", "Tversky"), huber)
		Expect(res.Outcome).To(Equal(results.Fail))
		Expect(res.Detail).To(ContainSubstring("keras.losses exports Tversky"))
	})

	It("fails a different or missing default, naming each argument", func() {
		res := check(port, apiCase("loss", "WrongHu"), huber)
		Expect(res.Outcome).To(Equal(results.Fail))
		Expect(res.Detail).To(And(ContainSubstring("delta: Keras's default is 1; the port's is 2"),
			ContainSubstring(`reduction: Keras's default is "sum_over_batch_size"; the port's is "sum"`),
			ContainSubstring("dtype: Keras's default is None; the port has no such argument")))
	})

	It("reports a port without introspection as not ported", func() {
		Expect(check(&oracle{}, apiCase("loss", "Huber"), huber).Outcome).To(Equal(results.NotPorted))
	})
})
