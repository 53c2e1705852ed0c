package reference

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("Policy", func() {
	var p *Policy
	var c *Case
	BeforeEach(func() {
		p = DefaultPolicy()
		c = &Case{ID: "loss/CategoricalCrossentropy/logits/f32/0007", Kind: "loss", Class: "CategoricalCrossentropy",
			DType: "float32", Backend: "jax",
			Steps: []*Step{{Op: "call", Expect: Outcome{Value: &ArrayRef{DType: "float32"}}}}}
	})
	rule := func(pattern, backend string, atol float64) Rule {
		return Rule{Pattern: pattern, Backend: backend, Tolerance: Tolerance{ATol: atol, Reason: pattern}}
	}

	It("has a tight default with a reason for every dtype", func() {
		for _, dt := range []string{"float16", "bfloat16", "float32", "float64", "int32", "int64", "bool"} {
			t := defaultTolerances[dt]
			Expect(t.Reason).To(HavePrefix(dt+" default: "), dt)
			Expect(t.ATol).To(BeNumerically("<=", 0x1p-7), dt)
			Expect(t.RTol).To(BeNumerically("<=", 0x1p-5), dt)
		}
		Expect(p.For(c)).To(Equal(defaultTolerances["float32"]))
		Expect(p.For(c).RTol).To(BeNumerically("~", 1e-6, 1e-7))
		Expect(p.For(c).ATol).To(BeNumerically("~", 2e-7, 1e-7))
	})

	It("uses the expected value's dtype, else the case's", func() {
		c.Steps[0].Expect.Value.DType = "float64"
		Expect(p.For(c)).To(Equal(defaultTolerances["float64"]))
		c.Steps = []*Step{{Op: "construct", Expect: Outcome{Error: &KerasError{Type: "ValueError"}}}}
		c.DType = "float16"
		Expect(p.For(c)).To(Equal(defaultTolerances["float16"]))
		Expect(ExpectedDType(c)).To(Equal("float16"))
	})

	It("is exact, and says so, for a dtype it has no default for", func() {
		c.Steps[0].Expect.Value.DType = "float8"
		Expect(p.For(c)).To(Equal(Tolerance{Reason: `no default for dtype "float8": exact`}))
	})

	It("layers dtype default, class, case pattern, then port overrides", func() {
		Expect(p.Override(rule("loss/*", "", 4))).To(Succeed()) // added first, still the last layer
		Expect(p.Add(rule("*/logits/*", "", 3))).To(Succeed())
		Expect(p.AddClass("loss", "CategoricalCrossentropy", Tolerance{ATol: 2, Reason: "class"})).To(Succeed())
		Expect(p.For(c).ATol).To(Equal(4.0))

		p2 := DefaultPolicy()
		Expect(p2.AddClass("loss", "CategoricalCrossentropy", Tolerance{ATol: 2, Reason: "class"})).To(Succeed())
		Expect(p2.For(c)).To(Equal(Tolerance{ATol: 2, Reason: "class"}))
		Expect(p2.Add(rule("*/logits/*", "", 3))).To(Succeed())
		Expect(p2.For(c).ATol).To(Equal(3.0))
	})

	It("applies a class rule to its kind only, or to any kind when none is given", func() {
		Expect(p.AddClass("metric", "CategoricalCrossentropy", Tolerance{ATol: 2, Reason: "metric"})).To(Succeed())
		Expect(p.For(c)).To(Equal(defaultTolerances["float32"]))
		Expect(p.AddClass("", "CategoricalCrossentropy", Tolerance{ATol: 5, Reason: "any"})).To(Succeed())
		Expect(p.For(c).ATol).To(Equal(5.0))
	})

	It("lets the last matching rule of a layer win", func() {
		Expect(p.Add(rule("*", "", 1))).To(Succeed())
		Expect(p.Add(rule("*/f32/*", "", 2))).To(Succeed())
		Expect(p.Add(rule("*/f16/*", "", 3))).To(Succeed())
		Expect(p.For(c).ATol).To(Equal(2.0))
	})

	It("applies a backend rule to that backend only", func() {
		Expect(p.Add(rule("*", "tensorflow", 1))).To(Succeed())
		Expect(p.For(c)).To(Equal(defaultTolerances["float32"]))
		Expect(p.Add(rule("*", "jax", 2))).To(Succeed())
		Expect(p.For(c).ATol).To(Equal(2.0))
	})

	It("refuses a rule without a reason, a pattern or sane bounds", func() {
		Expect(p.Add(Rule{Pattern: "*", Tolerance: Tolerance{ATol: 1}})).To(MatchError(ContainSubstring("needs a reason")))
		Expect(p.Override(Rule{Pattern: "*", Tolerance: Tolerance{ATol: 1}})).To(MatchError(ContainSubstring("needs a reason")))
		Expect(p.Add(Rule{Tolerance: Tolerance{ATol: 1, Reason: "x"}})).To(MatchError(ContainSubstring("no pattern")))
		Expect(p.Add(Rule{Pattern: "*", Tolerance: Tolerance{ATol: -1, Reason: "x"}})).To(MatchError(ContainSubstring(">= 0")))
		Expect(p.AddClass("loss", "X", Tolerance{ATol: 1})).To(MatchError(ContainSubstring("needs a reason")))
		Expect(p.AddClass("loss", "", Tolerance{ATol: 1, Reason: "x"})).To(MatchError(ContainSubstring("no class")))
		Expect(p.SetDefault("float32", Tolerance{ATol: 1})).To(MatchError(ContainSubstring("needs a reason")))
		Expect(p.For(c)).To(Equal(defaultTolerances["float32"]))
	})

	It("replaces a dtype default", func() {
		t := Tolerance{ATol: 1e-6, RTol: 1e-5, Reason: "measured"}
		Expect(p.SetDefault("float32", t)).To(Succeed())
		Expect(p.For(c)).To(Equal(t))
		Expect(DefaultPolicy().For(c)).To(Equal(defaultTolerances["float32"]), "defaults are not shared")
	})
})
