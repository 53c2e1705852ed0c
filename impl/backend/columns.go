package backend

import (
	"math"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

// ColumnSums is ops.sum(x, axis=0) of a row-major (rows, cols) matrix of
// dtype d on backend b, accumulated one row at a time, so that a caller can
// compute the matrix's values on the fly without storing them.
//
// With several columns every backend reduces a non-innermost axis one value
// at a time (see Sum, strided): the partial sums are rounded to d, except
// on JAX (d's accumulator dtype) and for bfloat16 on TensorFlow (float32;
// measured: TensorFlow adds float16 columns in float16 but bfloat16 ones in
// float32). With one column the axis is effectively
// contiguous and the backends use their vectorised orders: the values are
// kept and summed by Sum at the end.
type ColumnSums struct {
	b       Backend
	d, part tensor.DType
	cols    int
	acc     []float64
	single  []float64 // the values of a single column
}

// NewColumnSums starts column sums of cols columns.
func (b Backend) NewColumnSums(d tensor.DType, cols int) *ColumnSums {
	part := d
	if b == JAX || (b == TensorFlow && d == tensor.BFloat16) {
		part = d.Accumulator()
	}
	c := &ColumnSums{b: b, d: d, part: part, cols: cols}
	if cols != 1 {
		c.acc = make([]float64, cols)
		for k := range c.acc {
			c.acc[k] = math.Copysign(0, -1)
		}
	}
	return c
}

// AddRow adds the next row.
func (c *ColumnSums) AddRow(row []float64) {
	if c.cols == 1 {
		c.single = append(c.single, row[0])
		return
	}
	for k, v := range row {
		c.acc[k] = c.part.Round(c.acc[k] + v)
	}
}

// Add adds the value of column k of the next row; a row's values must be
// added before the next row's.
func (c *ColumnSums) Add(k int, v float64) {
	if c.cols == 1 {
		c.single = append(c.single, v)
		return
	}
	c.acc[k] = c.part.Round(c.acc[k] + v)
}

// Sums returns the column sums, rounded to d.
func (c *ColumnSums) Sums() []float64 {
	if c.cols == 1 {
		if c.b == TensorFlow && c.d == tensor.Float16 && len(c.single) < 8 {
			// Fewer values than a packet of 8 halves: Eigen adds them one
			// at a time in float16 (measured; bfloat16 sums in float32).
			return []float64{sequential(c.d, c.single)}
		}
		return []float64{c.b.Sum(c.d, c.single, false)}
	}
	out := make([]float64, c.cols)
	for k, v := range c.acc {
		out[k] = c.d.Round(v)
	}
	return out
}
