package reference

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = DescribeTable("MatchPattern",
	func(pattern, id string, want bool) {
		Expect(MatchPattern(pattern, id)).To(Equal(want))
	},
	Entry(nil, "*", "", true),
	Entry(nil, "*", "loss/a/b/0001", true),
	Entry(nil, "", "", true),
	Entry(nil, "", "x", false),
	Entry(nil, "loss/a/0001", "loss/a/0001", true),
	Entry(nil, "loss/a/0001", "loss/a/00011", false),
	Entry("star spans slashes", "loss/CategoricalCrossentropy/*/f16/*", "loss/CategoricalCrossentropy/logits/ls=0.1/f16/0007", true),
	Entry("star may be empty", "loss/*a/0001", "loss/a/0001", true),
	Entry(nil, "*/f16/*", "loss/x/f32/0001", false),
	Entry(nil, "*0007", "loss/x/f32/0007", true),
	Entry(nil, "*0007", "loss/x/f32/00070", false),
	Entry("several stars", "a*b*c", "aXXbYYc", true),
	Entry(nil, "a*b*c", "acb", false),
	Entry(nil, "a**c", "abc", true),
	Entry("? is literal", "loss/a?/*", "loss/ab/1", false),
	Entry(nil, "loss/a?/*", "loss/a?/1", true),
	Entry("brackets are literal", "m/[0-9]/*", "m/5/1", false),
	Entry(nil, "m/[0-9]/*", "m/[0-9]/1", true),
	Entry("backslash is literal", `a\*`, `a\xyz`, true),
	Entry("case matters", "Loss/*", "loss/x", false),
	Entry("pathological backtracking stays fast", strings.Repeat("*a", 20)+"b", strings.Repeat("a", 5000), false),
)
