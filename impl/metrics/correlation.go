package metrics

import (
	"fmt"
	"math"
	"slices"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/parallel"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The correlation metrics of keras/src/metrics/correlation_metrics.py:
// MeanMetricWrappers over functions that compute one coefficient per row
// along an axis. They average per-row coefficients; they are not streaming
// correlations over the whole data set.

// corr holds what both correlation functions share: the compute dtype (the
// dtype y_pred converts to; NumPy and JAX narrow float64), the backend and
// the axis.
type corr struct {
	b         backend.Backend
	c         tensor.DType
	ax        int
	broadcast bool // the reduced axis has several elements, so reduced values are broadcast (see divBroadcast)
}

// setup converts and aligns the inputs and resolves the axis against the
// aligned rank.
func setupCorr(name string, b backend.Backend, yTrue, yPred tensor.Tensor, axis int) (corr, tensor.Tensor, tensor.Tensor, error) {
	if err := losses.CheckInputs(name, b, yTrue, yPred); err != nil {
		return corr{}, tensor.Tensor{}, tensor.Tensor{}, err
	}
	c := b.FloatCompute(yPred.DType)
	p := yPred.Cast(c)
	t := yTrue.Cast(c)
	t, p = tensor.SqueezeOrExpandToSameRank(t, p, true)
	shape, err := tensor.BroadcastShapes(t.Shape, p.Shape)
	if err != nil {
		return corr{}, tensor.Tensor{}, tensor.Tensor{}, fmt.Errorf("%s: %w", name, err)
	}
	if t.Rank() != p.Rank() {
		return corr{}, tensor.Tensor{}, tensor.Tensor{}, fmt.Errorf("%s: y_true %v and y_pred %v of different ranks: %w",
			name, t.Shape, p.Shape, tensor.ErrNotImplemented)
	}
	ax, err := tensor.CanonicalAxis(axis, len(shape))
	if err != nil {
		return corr{}, tensor.Tensor{}, tensor.Tensor{}, fmt.Errorf("%s: %w", name, err)
	}
	return corr{b, c, ax, shape[ax] > 1}, t, p, nil
}

// reduce is ops.mean(x, axis, keepdims=True), or with variance the mean of the
// squared deviations from that mean (ops.var), each op rounded to c.
func (k corr) reduce(x tensor.Tensor, variance bool) tensor.Tensor {
	shape := slices.Clone(x.Shape)
	n := shape[k.ax]
	shape[k.ax] = 1
	outer, inner := tensor.Size(x.Shape[:k.ax]), tensor.Size(x.Shape[k.ax+1:])
	out := tensor.Tensor{Shape: shape, DType: k.c, Data: make([]float64, outer*inner)}
	strided := inner > 1
	parallel.Rows(len(out.Data), n, func(lo, hi int) {
		row := make([]float64, n)
		for r := lo; r < hi; r++ {
			base := (r/inner)*n*inner + r%inner
			for j := range n {
				row[j] = x.Data[base+j*inner]
			}
			m := k.b.Mean(k.c, row, strided)
			if variance {
				for j, v := range row {
					dv := k.c.Round(v - m)
					row[j] = k.c.Round(dv * dv)
				}
				m = k.b.Mean(k.c, row, strided)
			}
			out.Data[r] = m
		}
	})
	return out
}

// op is one elementwise Keras op between broadcast operands, rounded to c.
func (k corr) op(a, b tensor.Tensor, f func(x, y float64) float64) tensor.Tensor {
	out, err := tensor.Map2(a, b, k.c, f)
	if err != nil {
		// Unreachable: every operand has the shape of y_true or y_pred, or
		// that shape with 1 on the axis, and setupCorr checked that those
		// broadcast. Values recovers it as an error all the same.
		panic(shapePanic{err})
	}
	return out
}

// meanOut is ops.mean(x, axis) without keepdims.
func (k corr) meanOut(x tensor.Tensor) tensor.Tensor {
	r := k.reduce(x, false)
	r.Shape = tensor.RemoveAxis(r.Shape, k.ax)
	return r
}

// divBroadcast is x / y where y is broadcast from a reduced (keepdims)
// tensor: XLA computes that as x · (1/y) on JAX, unless the axis has a
// single element (then nothing is broadcast and it divides).
func (k corr) divBroadcast(x, y float64) float64 {
	return k.b.DivideBroadcast(k.c, x, y, k.broadcast)
}

type shapePanic struct{ err error }

// recoverShape turns a shapePanic into *err.
func recoverShape(name string, err *error) {
	if r := recover(); r != nil {
		sp, ok := r.(shapePanic)
		if !ok {
			panic(r)
		}
		*err = fmt.Errorf("%s: %w", name, sp.err)
	}
}

// rowwise reports whether y_true and y_pred have the same shape and the
// axis is the last one: each coefficient then comes from two contiguous
// rows, computed without intermediate tensors.
func (k corr) rowwise(t, p tensor.Tensor) bool {
	return slices.Equal(t.Shape, p.Shape) && k.ax == t.Rank()-1
}

// eachRow returns fn of every pair of rows (along the last axis) as a
// tensor of the leading shape; fn gets a scratch buffer of three times the
// row length. Rows are independent and split over goroutines.
func (k corr) eachRow(t, p tensor.Tensor, fn func(tr, pr, buf []float64) float64) tensor.Tensor {
	n := t.Shape[k.ax]
	out := tensor.Tensor{Shape: slices.Clone(t.Shape[:k.ax]), DType: k.c}
	out.Data = make([]float64, tensor.Size(out.Shape))
	parallel.Rows(len(out.Data), n, func(lo, hi int) {
		buf := make([]float64, 3*n)
		for r := lo; r < hi; r++ {
			out.Data[r] = fn(t.Data[r*n:(r+1)*n], p.Data[r*n:(r+1)*n], buf)
		}
	})
	return out
}

// varianceRow is ops.var(x - m) for a row x of mean m: the deviations are
// centred again on their own mean before squaring; buf is scratch.
func (k corr) varianceRow(x []float64, m float64, buf []float64) float64 {
	for j, v := range x {
		buf[j] = k.c.Round(v - m)
	}
	m2 := k.b.Mean(k.c, buf, false)
	for j, v := range buf {
		dv := k.c.Round(v - m2)
		buf[j] = k.c.Round(dv * dv)
	}
	return k.b.Mean(k.c, buf, false)
}

// normRow writes (x − mean)/std(x − mean) of a row into dst; sq is
// scratch of the row's length.
func (k corr) normRow(x, dst, sq []float64) {
	c := k.c
	m := k.b.Mean(k.c, x, false)
	for j, v := range x {
		dst[j] = c.Round(v - m)
	}
	// std of the centred row: its mean, deviations, squares, mean, sqrt.
	sq = sq[:len(x)]
	m2 := k.b.Mean(k.c, dst, false)
	for j, v := range dst {
		dv := c.Round(v - m2)
		sq[j] = c.Round(dv * dv)
	}
	std := c.Round(math.Sqrt(k.b.Mean(k.c, sq, false)))
	for j, v := range dst {
		dst[j] = k.divBroadcast(v, std)
	}
}

func sub(a, b float64) float64 { return a - b }

// PearsonCorrelationFunc is keras.metrics.pearson_correlation: per row along
// Axis, mean((t − t̄)/σ_t · (p − p̄)/σ_p) with population standard
// deviations and no epsilon, so a constant row gives NaN.
type PearsonCorrelationFunc struct {
	Axis int
}

// NewPearsonCorrelationFunc returns pearson_correlation's defaults.
func NewPearsonCorrelationFunc() PearsonCorrelationFunc { return PearsonCorrelationFunc{Axis: -1} }

// Values implements losses.Func.
func (f PearsonCorrelationFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (_ tensor.Tensor, err error) {
	defer recoverShape("pearson_correlation", &err)
	k, t, p, err := setupCorr("pearson_correlation", b, yTrue, yPred, f.Axis)
	if err != nil {
		return tensor.Tensor{}, err
	}
	if k.rowwise(t, p) {
		return k.eachRow(t, p, func(tr, pr, buf []float64) float64 {
			n := len(tr)
			k.normRow(tr, buf[:n], buf[2*n:])
			k.normRow(pr, buf[n:2*n], buf[2*n:])
			for j := range tr {
				buf[j] = k.c.Round(buf[j] * buf[len(tr)+j])
			}
			return k.b.Mean(k.c, buf[:len(tr)], false)
		}), nil
	}
	norm := func(x tensor.Tensor) tensor.Tensor {
		x = k.op(x, k.reduce(x, false), sub)
		std := k.reduce(x, true)
		for i, v := range std.Data {
			std.Data[i] = k.c.Round(math.Sqrt(v))
		}
		return k.op(x, std, k.divBroadcast)
	}
	return k.meanOut(k.op(norm(t), norm(p), mul)), nil
}

// ConcordanceCorrelationFunc is keras.metrics.concordance_correlation: per
// row along Axis, mean(2·(t − p̄)(p − p̄) / (σ_t² + σ_p² + (t̄ − p̄)² + ε)),
// y_true centred on the mean of y_pred, as Keras writes it.
type ConcordanceCorrelationFunc struct {
	Axis int
}

// NewConcordanceCorrelationFunc returns concordance_correlation's defaults.
func NewConcordanceCorrelationFunc() ConcordanceCorrelationFunc {
	return ConcordanceCorrelationFunc{Axis: -1}
}

// Values implements losses.Func.
func (f ConcordanceCorrelationFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (_ tensor.Tensor, err error) {
	defer recoverShape("concordance_correlation", &err)
	k, t, p, err := setupCorr("concordance_correlation", b, yTrue, yPred, f.Axis)
	if err != nil {
		return tensor.Tensor{}, err
	}
	c := k.c
	eps := c.Round(tensor.Epsilon)
	if k.rowwise(t, p) {
		return k.eachRow(t, p, func(tr, pr, buf []float64) float64 {
			n := len(tr)
			tm, pm := k.b.Mean(k.c, tr, false), k.b.Mean(k.c, pr, false)
			tv := k.varianceRow(tr, tm, buf[:n])
			pv := k.varianceRow(pr, pm, buf[:n])
			g := c.Round(tm - pm)
			den := c.Round(c.Round(c.Round(tv+pv)+c.Round(g*g)) + eps)
			for j := range n {
				covar := c.Round(c.Round(tr[j]-pm) * c.Round(pr[j]-pm))
				buf[j] = k.divBroadcast(c.Round(2*covar), den)
			}
			return k.b.Mean(k.c, buf[:n], false)
		}), nil
	}
	tMean, pMean := k.reduce(t, false), k.reduce(p, false)
	tVar := k.reduce(k.op(t, tMean, sub), true)
	pVar := k.reduce(k.op(p, pMean, sub), true)
	covar := k.op(k.op(t, pMean, sub), k.op(p, pMean, sub), mul)
	gap := k.op(tMean, pMean, func(x, y float64) float64 {
		g := c.Round(x - y)
		return g * g
	})
	norm := k.op(k.op(tVar, pVar, func(x, y float64) float64 { return x + y }), gap, func(x, y float64) float64 { return x + y })
	denom := mapValues(norm, func(v float64) float64 { return c.Round(v + eps) })
	twice := mapValues(covar, func(v float64) float64 { return c.Round(2 * v) })
	return k.meanOut(k.op(twice, denom, k.divBroadcast)), nil
}

// PearsonCorrelation is keras.metrics.PearsonCorrelation.
type PearsonCorrelation struct {
	PearsonCorrelationFunc
	Mean
}

// NewPearsonCorrelation returns the metric with Keras's defaults.
func NewPearsonCorrelation() *PearsonCorrelation {
	return &PearsonCorrelation{NewPearsonCorrelationFunc(), newMean("pearson_correlation")}
}

// UpdateState accumulates the coefficients of a batch.
func (m *PearsonCorrelation) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.PearsonCorrelationFunc, yTrue, yPred, sampleWeight)
}

// ConcordanceCorrelation is keras.metrics.ConcordanceCorrelation.
type ConcordanceCorrelation struct {
	ConcordanceCorrelationFunc
	Mean
}

// NewConcordanceCorrelation returns the metric with Keras's defaults.
func NewConcordanceCorrelation() *ConcordanceCorrelation {
	return &ConcordanceCorrelation{NewConcordanceCorrelationFunc(), newMean("concordance_correlation")}
}

// UpdateState accumulates the coefficients of a batch.
func (m *ConcordanceCorrelation) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.updateWith(m.ConcordanceCorrelationFunc, yTrue, yPred, sampleWeight)
}
