package reference

import (
	"encoding/json"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func arr(dtype string, shape []int, data ...float64) Array {
	return Array{Shape: shape, DType: dtype, Data: data}
}

var (
	nan  = math.NaN()
	pinf = math.Inf(1)
	ninf = math.Inf(-1)
	tol0 = Tolerance{Reason: "exact"}
)

var _ = Describe("Compare", func() {
	tol := Tolerance{ATol: 1e-7, RTol: 2e-6, Reason: "test"}

	It("accepts equal arrays and fills the stats", func() {
		st, err := Compare(arr("float32", []int{2}, 1, 2), arr("float32", []int{2}, 1, 2), tol)
		Expect(err).NotTo(HaveOccurred())
		Expect(st).To(Equal(Stats{Elements: 2, WorstIndex: []int{0}, Got: 1, Want: 1, Tolerance: tol}))
	})

	It("checks shape first, then dtype", func() {
		_, err := Compare(arr("float32", []int{4}, 1, 2, 3, 4), arr("float64", []int{4, 1}, 1, 2, 3, 4), tol)
		Expect(err).To(MatchError("shape: got [4] want [4 1]"))
		_, err = Compare(arr("float32", []int{4}, 1, 2, 3, 4), arr("float64", []int{4}, 1, 2, 3, 4), tol)
		Expect(err).To(MatchError("dtype: got float32 want float64"))
	})

	It("treats a nil and an empty shape alike as a scalar, and tells a scalar from [1]", func() {
		st, err := Compare(arr("float64", nil, 3), arr("float64", []int{}, 3), tol)
		Expect(err).NotTo(HaveOccurred())
		Expect(st.WorstIndex).To(Equal([]int{}))
		_, err = Compare(arr("float64", []int{1}, 3), arr("float64", nil, 3), tol)
		Expect(err).To(MatchError("shape: got [1] want []"))
	})

	It("compares empty arrays", func() {
		st, err := Compare(arr("float32", []int{0, 3}), arr("float32", []int{0, 3}), tol)
		Expect(err).NotTo(HaveOccurred())
		Expect(st.Elements).To(Equal(0))
		Expect(st.WorstIndex).To(BeNil())
	})

	It("refuses arrays whose data does not fill their shape, and bad tolerances", func() {
		_, err := Compare(arr("float32", []int{2, 2}, 1, 2, 3), arr("float32", []int{2, 2}, 1, 2, 3, 4), tol)
		Expect(err).To(MatchError("got: 3 values for shape [2 2] (4 elements)"))
		// 2^32 * 2^32 wraps to 0 in int arithmetic: no data must not fill it.
		huge := arr("float32", []int{1 << 32, 1 << 32})
		Expect(huge.Size()).To(Equal(-1))
		_, err = Compare(huge, huge, tol)
		Expect(err).To(MatchError("got: shape [4294967296 4294967296] has a negative dimension or too many elements"))
		_, err = Compare(arr("float32", []int{-2, -2}, 1, 2, 3, 4), arr("float32", []int{2, 2}, 1, 2, 3, 4), tol)
		Expect(err).To(MatchError(ContainSubstring("negative dimension")))
		_, err = Compare(arr("float32", nil, 1), arr("float32", nil, 1), Tolerance{ATol: -1})
		Expect(err).To(MatchError(ContainSubstring("tolerance")))
		_, err = Compare(arr("float32", nil, 1), arr("float32", nil, 1), Tolerance{RTol: nan})
		Expect(err).To(MatchError(ContainSubstring("tolerance")))
	})

	DescribeTable("non-finite values",
		func(got, want float64, ok bool) {
			st, err := Compare(arr("float64", nil, got), arr("float64", nil, want), tol)
			if ok {
				Expect(err).NotTo(HaveOccurred())
			} else {
				Expect(err).To(MatchError(ContainSubstring("(non-finite mismatch)")))
				Expect(st.Mismatches).To(Equal(1))
			}
			Expect(st.MaxAbs).To(Equal(0.0), "max abs is over finite pairs only")
		},
		Entry("NaN equals NaN", nan, nan, true),
		Entry("NaN is not a number", nan, 1.0, false),
		Entry("a number is not NaN", 1.0, nan, false),
		Entry("+Inf equals +Inf", pinf, pinf, true),
		Entry("-Inf equals -Inf", ninf, ninf, true),
		Entry("+Inf is not -Inf", pinf, ninf, false),
		Entry("+Inf is not the largest float", pinf, math.MaxFloat64, false),
		Entry("a large float is not +Inf", math.MaxFloat64, pinf, false),
		Entry("NaN is not +Inf", nan, pinf, false),
	)

	It("takes relative error and ULPs only where |want| > atol", func() {
		t := Tolerance{ATol: 1e-8, RTol: 1e-3, Reason: "test"}
		st, err := Compare(arr("float64", []int{2}, 5e-9, 1+1e-7), arr("float64", []int{2}, 0, 1), t)
		Expect(err).NotTo(HaveOccurred())
		Expect(st.MaxAbs).To(BeNumerically("~", 1e-7, 1e-15))
		Expect(st.MaxRel).To(BeNumerically("~", 1e-7, 1e-15))
		Expect(st.MaxULP).To(BeNumerically("~", 1e-7/0x1p-52, 1))

		st, err = Compare(arr("float64", nil, 5e-9), arr("float64", nil, 0), t)
		Expect(err).NotTo(HaveOccurred())
		Expect(st.MaxAbs).To(Equal(5e-9))
		Expect(st.MaxRel).To(Equal(0.0))
		Expect(st.MaxULP).To(Equal(0.0))

		_, err = Compare(arr("float64", nil, 5e-8), arr("float64", nil, 0), t)
		Expect(err).To(MatchError("values: 1 of 1 elements differ beyond atol=1e-08 rtol=0.001; worst at []: got 5e-08 want 0 (abs 5e-08; |want| <= atol, no rel or ulp)"))
	})

	DescribeTable("counts ULPs in the dtype of want",
		func(dtype string, want, got float64, ulps float64) {
			st, _ := Compare(arr(dtype, nil, got), arr(dtype, nil, want), tol0)
			Expect(st.MaxULP).To(Equal(ulps))
		},
		Entry("float64", "float64", 1.0, math.Nextafter(math.Nextafter(1, 2), 2), 2.0),
		Entry("float64 across zero", "float64", -5e-324, 5e-324, 2.0),
		Entry("float32", "float32", 1.0, 1+3*0x1p-23, 3.0),
		Entry("float32 below one", "float32", 1.0, 1-0x1p-24, 1.0),
		Entry("float32 across zero", "float32", -0x1p-149, 0x1p-149, 2.0),
		Entry("float32 rounds got to float32 first", "float32", 1.0, 1+0x1p-30, 0.0),
		Entry("float16", "float16", 1.0, 1+2*0x1p-10, 2.0),
		Entry("float16 binade edge", "float16", 2.0, 2-0x1p-10, 1.0),
		Entry("float16 tie rounds to even", "float16", 2.0, 2-0x1p-11, 0.0),
		Entry("float16 subnormals", "float16", 0x1p-24, 5*0x1p-24, 4.0),
		Entry("float16 largest to Inf", "float16", 65504.0, 65520.0, 1.0),
		Entry("bfloat16", "bfloat16", 1.0, 1+5*0x1p-7, 5.0),
		Entry("bfloat16 large", "bfloat16", 0x1p100, 0x1p100*(1+0x1p-7), 1.0),
		Entry("int32", "int32", 3.0, 7.0, 4.0),
		Entry("int64", "int64", -3.0, 7.0, 10.0),
	)

	It("points at the worst violation, and names it in one line", func() {
		want := arr("float32", []int{2, 3}, 1, 2, 3, 4, float64(float32(0.5123)), 6)
		got := arr("float32", []int{2, 3}, 1, 2.00001, 3, 4, float64(float32(0.51234)), 6)
		st, err := Compare(got, want, tol)
		Expect(st.Mismatches).To(Equal(2))
		Expect(st.WorstIndex).To(Equal([]int{1, 1}))
		Expect(st.Got).To(Equal(float64(float32(0.51234))))
		Expect(st.Want).To(Equal(float64(float32(0.5123))))
		Expect(err).To(MatchError(MatchRegexp(
			`^values: 2 of 6 elements differ beyond atol=1e-07 rtol=2e-06; worst at \[1 1\]: got 0.51234 want 0.5123 \(abs 4e-05, rel 7.8e-05, 671 ulp\)$`)))
		Expect(err.Error()).NotTo(ContainSubstring("\n"))
	})

	It("without a violation, points at the largest absolute error", func() {
		st, err := Compare(arr("float64", []int{3}, 1, 2+1e-12, 3), arr("float64", []int{3}, 1, 2, 3), Tolerance{ATol: 1e-9})
		Expect(err).NotTo(HaveOccurred())
		Expect(st.WorstIndex).To(Equal([]int{1}))
	})

	It("puts a non-finite mismatch above any finite one", func() {
		st, err := Compare(arr("float64", []int{3}, 100, nan, 3), arr("float64", []int{3}, 1, 2, 3), tol)
		Expect(err).To(HaveOccurred())
		Expect(st.WorstIndex).To(Equal([]int{1}))
		Expect(st.Mismatches).To(Equal(2))
		Expect(st.MaxAbs).To(Equal(99.0))
	})

	It("with no tolerance at all, still picks the largest error", func() {
		st, _ := Compare(arr("float64", []int{3}, 1.5, 2, 4), arr("float64", []int{3}, 1, 2, 3), tol0)
		Expect(st.WorstIndex).To(Equal([]int{2}))
	})
})

var _ = Describe("Stats JSON", func() {
	It("writes non-finite values as strings and reads them back", func() {
		st := Stats{Elements: 3, Mismatches: 2, MaxAbs: pinf, MaxRel: nan, MaxULP: 7,
			WorstIndex: []int{1, 2}, Got: ninf, Want: 0.1,
			Tolerance: Tolerance{ATol: pinf, RTol: 1e-6, Reason: "anything goes"}}
		raw, err := json.Marshal(map[string]any{"stats": st}) // as in a report entry
		Expect(err).NotTo(HaveOccurred())
		Expect(string(raw)).To(ContainSubstring(`"max_abs":"+Inf"`))
		Expect(string(raw)).To(ContainSubstring(`"max_rel":"NaN"`))
		Expect(string(raw)).To(ContainSubstring(`"got":"-Inf"`))
		Expect(string(raw)).To(ContainSubstring(`"atol":"+Inf"`))
		Expect(string(raw)).To(ContainSubstring(`"want":0.1`))

		var back struct{ Stats Stats }
		Expect(json.Unmarshal(raw, &back)).To(Succeed())
		Expect(math.IsNaN(back.Stats.MaxRel)).To(BeTrue())
		back.Stats.MaxRel = 0
		st.MaxRel = 0
		Expect(back.Stats).To(Equal(st))
	})

	It("writes every field of Stats and Tolerance under its tag", func() {
		raw, err := json.Marshal(Stats{})
		Expect(err).NotTo(HaveOccurred())
		var got map[string]json.RawMessage
		Expect(json.Unmarshal(raw, &got)).To(Succeed())
		Expect(slices.Sorted(maps.Keys(got))).To(Equal(jsonTags(reflect.TypeFor[Stats]())))
		Expect(json.Unmarshal(got["tolerance"], &got)).To(Succeed())
		Expect(got).To(HaveKey("reason"))
		Expect(jsonTags(reflect.TypeFor[Tolerance]())).To(Equal([]string{"atol", "reason", "rtol"}))
	})

	It("refuses strings that are not numbers", func() {
		var st Stats
		Expect(json.Unmarshal([]byte(`{"max_abs":"big"}`), &st)).To(MatchError(ContainSubstring(`"big" is not a number`)))
	})
})

func jsonTags(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		out = append(out, strings.Split(f.Tag.Get("json"), ",")[0])
	}
	slices.Sort(out)
	return out
}
