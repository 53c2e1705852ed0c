package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/kerasparity/kerasparity/results"
)

// The ULP histogram puts every case whose values were compared into a
// power-of-two bucket of its largest ULP distance: 0, 1, 2-3, 4-7, ...,
// 2^19 to 2^20-1, then one bucket for 2^20 and beyond and one for NaN and
// infinite distances. Bars are stacked by dtype. It is drawn as plain SVG
// markup by the page template; this file computes the geometry.
const (
	histTopBucket = 20 // 2^20 and beyond share a bucket
	histBuckets   = histTopBucket + 3

	histWidth   = 860
	histHeight  = 300
	histLeft    = 48 // room for the count axis
	histRight   = 12
	histTop     = 24 // room for the count above the tallest bar
	histBottom  = 64 // room for the slanted bucket labels
	histBarFill = 0.72
	histMinSeg  = 1.5 // a non-empty segment stays visible
)

// histogram is the geometry of the ULP histogram, in SVG user units.
type histogram struct {
	Width, Height    int
	Left, Right      float64
	Baseline         float64
	Ticks            []histTick
	Bars             []histBar
	Series           []histSeries
	Cases            int
	LabelY, CaptionY float64
}

type histTick struct {
	Y     float64
	Label string
}

type histBar struct {
	X, W, Mid float64
	Label     string // the bucket's lower bound
	Range     string // the bucket's range, for the tooltip
	N         int
	TopY      float64
	Segs      []histSeg
}

type histSeg struct {
	Y, H  float64
	Class string
	Title string
}

type histSeries struct {
	Name  string
	Class string
	N     int
}

// ulpBucket is the bucket of a ULP distance.
func ulpBucket(u float64) int {
	u = math.Abs(u)
	switch {
	case math.IsNaN(u) || math.IsInf(u, 0):
		return histBuckets - 1
	case u < 1:
		return 0
	}
	_, exp := math.Frexp(u) // u = f * 2^exp with f in [0.5, 1): floor(log2 u) = exp-1
	return min(exp-1, histTopBucket) + 1
}

// bucketLabel is the lower bound of bucket b; bucketRange its whole range.
func bucketLabel(b int) string {
	switch {
	case b == 0:
		return "0"
	case b == histBuckets-1:
		return "NaN/Inf"
	case b == histBuckets-2:
		return "≥" + pow2(histTopBucket)
	}
	return pow2(b - 1)
}

func bucketRange(b int) string {
	switch {
	case b <= 1:
		return bucketLabel(b) + " ULP"
	case b == histBuckets-1:
		return "NaN or infinite ULP distance"
	case b == histBuckets-2:
		return bucketLabel(b) + " ULP"
	case b-1 < 10:
		return fmt.Sprintf("%d to %d ULP", 1<<(b-1), 1<<b-1)
	}
	return fmt.Sprintf("%s to %s−1 ULP", pow2(b-1), pow2(b))
}

// pow2 writes 2^k in digits below 1024 and as 2 with a superscript above.
func pow2(k int) string {
	if k < 10 {
		return fmt.Sprint(1 << k)
	}
	const sup = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	digits := []rune(sup)
	var b strings.Builder
	b.WriteString("2")
	for _, d := range fmt.Sprint(k) {
		b.WriteRune(digits[d-'0'])
	}
	return b.String()
}

// dtypeOrder sorts dtypes from narrow to wide floats, then the rest by name.
func dtypeOrder(a, b string) int {
	rank := func(d string) int {
		if i := slices.Index([]string{"float16", "bfloat16", "float32", "float64"}, d); i >= 0 {
			return i
		}
		return 4
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra - rb
	}
	return strings.Compare(a, b)
}

func newHistogram(cases []results.CaseResult) histogram {
	var counts [histBuckets]map[string]int
	perDType := map[string]int{}
	h := histogram{Width: histWidth, Height: histHeight, Left: histLeft, Right: histWidth - histRight,
		Baseline: histHeight - histBottom}
	for i := range cases {
		c := &cases[i]
		if c.Stats == nil {
			continue
		}
		b := ulpBucket(float64(c.Stats.MaxULP))
		if counts[b] == nil {
			counts[b] = map[string]int{}
		}
		counts[b][c.DType]++
		perDType[c.DType]++
		h.Cases++
	}
	var dtypes []string
	for d := range perDType {
		dtypes = append(dtypes, d)
	}
	slices.SortFunc(dtypes, dtypeOrder)
	class := map[string]string{}
	for i, d := range dtypes {
		class[d] = fmt.Sprintf("s%d", i%6)
		h.Series = append(h.Series, histSeries{Name: d, Class: class[d], N: perDType[d]})
	}

	tallest := 0
	for _, m := range counts {
		n := 0
		for _, k := range m {
			n += k
		}
		tallest = max(tallest, n)
	}
	step := niceStep(tallest)
	top := max(step, (tallest+step-1)/step*step)
	scale := (h.Baseline - histTop) / float64(top)
	for v := 0; v <= top; v += step {
		h.Ticks = append(h.Ticks, histTick{Y: round1(h.Baseline - float64(v)*scale), Label: fmt.Sprint(v)})
	}

	slot := (h.Right - h.Left) / histBuckets
	for b := range histBuckets {
		x := h.Left + float64(b)*slot
		bar := histBar{X: round1(x + slot*(1-histBarFill)/2), W: round1(slot * histBarFill), Mid: round1(x + slot/2),
			Label: bucketLabel(b), Range: bucketRange(b)}
		y := h.Baseline
		for _, d := range dtypes {
			n := counts[b][d]
			if n == 0 {
				continue
			}
			hgt := max(float64(n)*scale, histMinSeg)
			y -= hgt
			bar.Segs = append(bar.Segs, histSeg{Y: round1(y), H: round1(hgt), Class: class[d],
				Title: fmt.Sprintf("%s, %s: %s", bar.Range, d, plural(n, "case", "cases"))})
			bar.N += n
		}
		bar.TopY = round1(y - 4)
		h.Bars = append(h.Bars, bar)
	}
	h.LabelY = h.Baseline + 14
	h.CaptionY = float64(histHeight) - 6
	return h
}

// niceStep is a round step (1, 2 or 5 times a power of ten) that divides
// 0..n into at most 5 intervals.
func niceStep(n int) int {
	step := 1
	for {
		for _, m := range []int{1, 2, 5} {
			if n <= 5*m*step {
				return m * step
			}
		}
		step *= 10
	}
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
