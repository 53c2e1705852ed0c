package caseview

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/kerasparity/kerasparity/reference"
)

// Array renders a on one line: dtype, shape and the values in nested
// brackets (float32 2x2 [[0.5, 1.0], [nan, -inf]]; a scalar is just
// float32 0.5). When a holds more than limit elements it is summarised
// instead: dtype, shape, min and max ignoring NaN, the mean of the finite
// values and how many elements are NaN or infinite. A negative limit
// inlines every array.
func Array(a reference.Array, limit int) string {
	head := a.DType
	if len(a.Shape) > 0 {
		head += " " + Shape(a.Shape)
	}
	if bad := checkArray(a); bad != "" {
		return head + " " + bad
	}
	if limit >= 0 && len(a.Data) > limit {
		return head + " " + summary(a)
	}
	return head + " " + nested(a, func(x float64) string { return Number(x, a.DType) })
}

// Shape writes a shape the way case ids and params do: 4x3, 0x3; "()" for a
// scalar.
func Shape(shape []int) string {
	if len(shape) == 0 {
		return "()"
	}
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, "x")
}

// checkArray says what is wrong with an array that cannot be rendered as
// nested brackets, or "" when it can.
func checkArray(a reference.Array) string {
	n := 1
	for _, d := range a.Shape {
		if d < 0 {
			return fmt.Sprintf("<invalid shape %v>", a.Shape)
		}
		if d > 0 && n > math.MaxInt32/d {
			return fmt.Sprintf("<shape %v overflows, array holds %d values>", a.Shape, len(a.Data))
		}
		n *= d
	}
	if n != len(a.Data) {
		return fmt.Sprintf("<shape %v needs %d values, array holds %d>", a.Shape, n, len(a.Data))
	}
	return ""
}

// nested writes the data of a (already checked) as nested lists, each
// element formatted by num: [[1.0, 2.0], [3.0, 4.0]]. A scalar is its value.
func nested(a reference.Array, num func(float64) string) string {
	var b strings.Builder
	var rec func(dim, off int)
	rec = func(dim, off int) {
		if dim == len(a.Shape) {
			b.WriteString(num(a.Data[off]))
			return
		}
		stride := 1
		for _, d := range a.Shape[dim+1:] {
			stride *= d
		}
		b.WriteByte('[')
		for i := range a.Shape[dim] {
			if i > 0 {
				b.WriteString(", ")
			}
			rec(dim+1, off+i*stride)
		}
		b.WriteByte(']')
	}
	rec(0, 0)
	return b.String()
}

// summary describes a large array in one line.
func summary(a reference.Array) string {
	if a.DType == "bool" {
		var n int
		for _, x := range a.Data {
			if x != 0 {
				n++
			}
		}
		return fmt.Sprintf("(%d of %d true)", n, len(a.Data))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	var sum float64
	var finite, nans, infs int
	for _, x := range a.Data {
		switch {
		case math.IsNaN(x):
			nans++
			continue
		case math.IsInf(x, 0):
			infs++
		default:
			sum += x
			finite++
		}
		lo, hi = min(lo, x), max(hi, x)
	}
	if nans == len(a.Data) {
		return fmt.Sprintf("(all %d nan)", nans)
	}
	parts := []string{"min " + Number(lo, a.DType), "max " + Number(hi, a.DType)}
	if finite > 0 {
		mean := strconv.FormatFloat(sum/float64(finite), 'g', 6, 64)
		if infs > 0 {
			mean += " (of the finite)"
		}
		parts = append(parts, "mean "+mean)
	}
	if nans > 0 {
		parts = append(parts, fmt.Sprintf("%d nan", nans))
	}
	if infs > 0 {
		parts = append(parts, fmt.Sprintf("%d inf", infs))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
