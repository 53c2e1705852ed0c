package report

import (
	"encoding/json"
	"math"

	"github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/results"
)

func stats(ulp float64) *results.Stats { return &results.Stats{MaxULP: reference.Float(ulp)} }

var _ = ginkgo.Describe("Number", func() {
	ginkgo.DescribeTable("writes and reads back",
		func(x float64, text, short string) {
			data, err := json.Marshal(Number(x))
			Expect(err).NotTo(HaveOccurred())
			Expect(string(data)).To(Equal(text))
			Expect(Number(x).Short()).To(Equal(short))
			var back Number
			Expect(json.Unmarshal(data, &back)).To(Succeed())
			if math.IsNaN(x) {
				Expect(math.IsNaN(float64(back))).To(BeTrue())
			} else {
				Expect(float64(back)).To(Equal(x))
			}
		},
		ginkgo.Entry("zero", 0.0, "0", "0"),
		ginkgo.Entry("a float32 value", float64(float32(0.1)), "0.10000000149011612", "0.1"),
		ginkgo.Entry("a tiny value", 1e-300, "1e-300", "1e-300"),
		ginkgo.Entry("NaN", math.NaN(), `"NaN"`, "NaN"),
		ginkgo.Entry("+Inf", math.Inf(1), `"+Inf"`, "+Inf"),
		ginkgo.Entry("-Inf", math.Inf(-1), `"-Inf"`, "-Inf"),
	)

	ginkgo.It("reads null, numbers in strings and other spellings of infinity", func() {
		for text, want := range map[string]float64{`null`: 0, `"2.5"`: 2.5, `"Inf"`: math.Inf(1), `"-Infinity"`: math.Inf(-1)} {
			var n Number
			Expect(json.Unmarshal([]byte(text), &n)).To(Succeed(), text)
			Expect(float64(n)).To(Equal(want), text)
		}
		var n Number
		Expect(json.Unmarshal([]byte(`"lots"`), &n)).NotTo(Succeed())
	})

	ginkgo.It("formats ULP distances as whole numbers", func() {
		Expect(Number(4096).ULP()).To(Equal("4096"))
		Expect(Number(0.5).ULP()).To(Equal("0.5"))
		Expect(Number(math.Inf(1)).ULP()).To(Equal("+Inf"))
		Expect(Number(1e300).ULP()).To(Equal("1e+300"))
	})

	ginkgo.It("ranks NaN above +Inf above every finite distance", func() {
		Expect(worse(math.NaN(), math.Inf(1))).To(BeTrue())
		Expect(worse(math.Inf(1), math.NaN())).To(BeFalse())
		Expect(worse(math.NaN(), math.NaN())).To(BeFalse())
		Expect(worse(math.Inf(1), 1e308)).To(BeTrue())
		Expect(worse(3, 2)).To(BeTrue())
	})
})

var _ = ginkgo.Describe("the ULP histogram", func() {
	ginkgo.DescribeTable("puts a distance in its power-of-two bucket",
		func(u float64, bucket int, label string) {
			Expect(ulpBucket(u)).To(Equal(bucket))
			Expect(bucketLabel(bucket)).To(Equal(label))
		},
		ginkgo.Entry("bit-identical", 0.0, 0, "0"),
		ginkgo.Entry("below one ULP", 0.5, 0, "0"),
		ginkgo.Entry("one", 1.0, 1, "1"),
		ginkgo.Entry("two", 2.0, 2, "2"),
		ginkgo.Entry("three", 3.0, 2, "2"),
		ginkgo.Entry("four", 4.0, 3, "4"),
		ginkgo.Entry("1023", 1023.0, 10, "512"),
		ginkgo.Entry("1024", 1024.0, 11, "2¹⁰"),
		ginkgo.Entry("2^20-1", float64(1<<20-1), 20, "2¹⁹"),
		ginkgo.Entry("2^20", float64(1<<20), 21, "≥2²⁰"),
		ginkgo.Entry("huge", 1e300, 21, "≥2²⁰"),
		ginkgo.Entry("+Inf", math.Inf(1), 22, "NaN/Inf"),
		ginkgo.Entry("NaN", math.NaN(), 22, "NaN/Inf"),
	)

	ginkgo.It("stacks the cases of each dtype, narrow floats first", func() {
		cases := []results.CaseResult{
			{DType: "float64", Outcome: results.Pass, Stats: stats(0)},
			{DType: "float32", Outcome: results.Pass, Stats: stats(0)},
			{DType: "float32", Outcome: results.Fail, Stats: stats(math.NaN())},
			{DType: "float32", Outcome: results.NotPorted},
		}
		h := newHistogram(cases)
		Expect(h.Cases).To(Equal(3))
		Expect(h.Bars).To(HaveLen(histBuckets))
		Expect(h.Series).To(HaveLen(2))
		Expect(h.Series[0].Name).To(Equal("float32"))
		Expect(h.Bars[0].N).To(Equal(2))
		Expect(h.Bars[0].Segs).To(HaveLen(2))
		Expect(h.Bars[histBuckets-1].N).To(Equal(1))
		for _, b := range h.Bars {
			for _, s := range b.Segs {
				Expect(s.Y).To(BeNumerically(">=", 0))
				Expect(s.Y + s.H).To(BeNumerically("<=", h.Baseline+0.1))
			}
		}
	})

	ginkgo.It("picks round count steps", func() {
		Expect([]int{niceStep(0), niceStep(3), niceStep(7), niceStep(24), niceStep(134), niceStep(4800)}).
			To(Equal([]int{1, 1, 2, 5, 50, 1000}))
	})
})
