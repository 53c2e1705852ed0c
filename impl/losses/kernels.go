package losses

import (
	"math"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/parallel"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// This file is the crossentropy core: the per-element and per-row arithmetic
// of every crossentropy loss, shared by the loss classes, the plain functions
// and the metrics. Each Keras op that materialises a tensor is one rounding
// to the dtype that op's result has on the backend; sums go through the
// backend's own reduction order (backend.Sum).
//
// Two dtypes are in play. c is the dtype of the inputs and of ops between
// tensors. s is the dtype of an op between a c tensor and a Python float:
// c everywhere except NumPy with bfloat16, where ml_dtypes does not treat
// Python floats as weakly typed, so 1.0 - x, np.clip(x, eps, 1 - eps) or
// x * 0.9 come out float32. Everything computed after such an op stays in s.

// numerics is what a kernel needs to round like the backend.
type numerics struct {
	b       backend.Backend
	c, s    tensor.DType
	lo, hi  float64 // clip bounds epsilon and 1 - epsilon, in s
	strided bool    // rows run along a non-innermost axis (NumPy sums those sequentially)
}

func newNumerics(b backend.Backend, c tensor.DType) numerics {
	s := b.WithPythonFloat(c)
	lo, hi := tensor.ClipBounds(s)
	return numerics{b: b, c: c, s: s, lo: lo, hi: hi}
}

// rc and rs round an op's result to c and to s.
func (n *numerics) rc(x float64) float64 { return n.c.Round(x) }
func (n *numerics) rs(x float64) float64 { return n.s.Round(x) }

// clip is clip(x, epsilon, 1 - epsilon), whose result is in s; NaN passes.
func (n *numerics) clip(x float64) float64 {
	if x < n.lo {
		return n.lo
	}
	if x > n.hi {
		return n.hi
	}
	return x
}

// sum adds the terms of one row, of dtype d, in the backend's order.
func (n *numerics) sum(d tensor.DType, xs []float64) float64 { return n.b.Sum(d, xs, n.strided) }

// labelDType is the dtype of the labels once smoothing (an op with a Python
// float) has or has not touched them.
func (n *numerics) labelDType(s smoothing) tensor.DType {
	if s.on {
		return n.s
	}
	return n.c
}

// smoothing is label smoothing as Keras writes it: t*(1 - ls) + shift,
// each op rounded to s, where the shift is 0.5*ls for binary losses and
// ls/C for categorical ones. Keras skips it when ls is exactly 0.
type smoothing struct {
	on          bool
	keep, shift float64
}

func (n *numerics) smooth(s smoothing, t float64) float64 {
	if !s.on {
		return t
	}
	return n.rs(n.rs(t*s.keep) + s.shift)
}

// lanes views a tensor as rows along one axis: outer × n × inner, a row being
// the n elements at stride inner. Per-sample results are indexed by row.
type lanes struct{ outer, n, inner int }

func lanesOf(shape []int, axis int) lanes {
	return lanes{tensor.Size(shape[:axis]), shape[axis], tensor.Size(shape[axis+1:])}
}

func (l lanes) rows() int { return l.outer * l.inner }

// start is the flat index of row r's first element; the stride is l.inner.
func (l lanes) start(r int) int { return (r/l.inner)*l.n*l.inner + r%l.inner }

// strided reports whether rows run along a non-innermost axis.
func (l lanes) strided() bool { return l.inner > 1 }

// each computes fn for every row and returns the results in row order. Rows
// are independent, so large inputs are split over goroutines without
// changing any result. fn gets the row index, the row's first element and
// two scratch buffers of the row's length owned by its goroutine.
func (l lanes) each(fn func(r, base int, buf, spare []float64) float64) []float64 {
	out := make([]float64, l.rows())
	parallel.Rows(len(out), l.n, func(lo, hi int) {
		buf, spare := make([]float64, l.n), make([]float64, l.n)
		for r := lo; r < hi; r++ {
			out[r] = fn(r, l.start(r), buf, spare)
		}
	})
	return out
}

// laneMax is the NaN-propagating maximum of a row, as np.max computes it.
func laneMax(x []float64, base, n, st int) float64 {
	m := math.Inf(-1)
	for j, i := 0, base; j < n; j, i = j+1, i+st {
		if v := x[i]; v > m || v != v {
			if v != v {
				return v
			}
			m = v
		}
	}
	return m
}

// gather copies a row into buf.
func gather(buf, x []float64, base, n, st int) []float64 {
	buf = buf[:n]
	for j, i := 0, base; j < n; j, i = j+1, i+st {
		buf[j] = x[i]
	}
	return buf
}

// ---------------------------------------------------------------------------
// Binary crossentropy, plain and focal.

// binaryKernel computes the elementwise binary crossentropy of Keras's
// backend.nn.binary_crossentropy, or the focal variant of
// keras.losses.binary_focal_crossentropy. Its results are in s.
type binaryKernel struct {
	numerics
	fromLogits bool
	smoothing  smoothing
	focal      bool
	gamma      float64 // in s
	balance    bool
	alpha      float64 // in s
	alphaNeg   float64 // 1 - alpha computed in float64, then rounded to s
}

// element returns the loss for one label t and one prediction x (both in c).
func (k *binaryKernel) element(t, x float64) float64 {
	t = k.smooth(k.smoothing, t)
	if !k.focal {
		if !k.fromLogits {
			return k.fromProbability(t, x)
		}
		switch k.b {
		case backend.NumPy:
			return k.fromProbability(t, k.b.Sigmoid(k.c, x))
		case backend.JAX:
			return k.logSigmoidForm(t, x)
		default:
			return k.reluForm(t, x)
		}
	}
	p := x
	if k.fromLogits {
		p = k.b.Sigmoid(k.c, x)
	}
	var bce float64
	if k.fromLogits && k.b == backend.TensorFlow {
		// TF's sigmoid output remembers its logits (_keras_logits) and the
		// backend crossentropy silently uses them: the exact logit form.
		bce = k.reluForm(t, x)
	} else {
		bce = k.fromProbability(t, p)
	}
	// p_t = t*p + (1 - t)*(1 - p) stays in the labels' dtype (Python ints
	// are weak even for ml_dtypes); 1.0 - p_t and what follows are in s.
	td := k.labelDType(k.smoothing)
	notT := td.Round(1 - t)
	pt := td.Round(td.Round(t*p) + td.Round(notT*k.rc(1-p)))
	v := k.rs(k.rs(math.Pow(k.rs(1-pt), k.gamma)) * bce)
	if k.balance {
		v = k.rs(k.rs(k.rs(t*k.alpha)+k.rs(notT*k.alphaNeg)) * v)
	}
	return v
}

// fromProbability is -(t*log(p̂) + (1-t)*log(1-p̂)), p̂ the clipped p, in s.
// A zero coefficient times a finite log is skipped (it adds ±0); with an
// infinite log it is not, since 0*-Inf is NaN in Keras too.
func (k *binaryKernel) fromProbability(t, p float64) float64 {
	p = k.clip(p)
	var a, b float64
	if t != 0 || p != p {
		a = k.rs(t * k.rs(math.Log(p)))
	}
	notT, notP := k.rs(1-t), k.rs(1-p)
	if notT != 0 || !(notP > 0) || math.IsInf(notP, 1) {
		b = k.rs(notT * k.rs(math.Log(notP)))
	}
	return -k.rs(a + b)
}

// logSigmoidForm is JAX's -t*log_sigmoid(x) - (1-t)*log_sigmoid(-x).
func (k *binaryKernel) logSigmoidForm(t, x float64) float64 {
	a := k.rc(-t * k.rc(logSigmoid(x)))
	b := k.rc(k.rc(1-t) * k.rc(logSigmoid(-x)))
	return k.rc(a - b)
}

// logSigmoid is -softplus(-x), softplus being logaddexp(x, 0).
func logSigmoid(x float64) float64 {
	return -(max(-x, 0) + math.Log1p(math.Exp(-math.Abs(x))))
}

// reluForm is TensorFlow's sigmoid_cross_entropy_with_logits:
// max(x, 0) - x*t + log1p(exp(-|x|)), op by op.
func (k *binaryKernel) reluForm(t, x float64) float64 {
	relu, negAbs := 0.0, x
	if x >= 0 {
		relu, negAbs = x, -x
	}
	d := k.rc(relu - k.rc(x*t))
	return k.rc(d + k.rc(math.Log1p(k.rc(math.Exp(negAbs)))))
}

// meanRow is the per-sample value: the mean of one row's elementwise losses,
// as ops.mean over the axis computes it. buf holds n values.
func (k *binaryKernel) meanRow(t, p []float64, base, n, st int, buf []float64) float64 {
	buf = buf[:n]
	for j, i := 0, base; j < n; j, i = j+1, i+st {
		buf[j] = k.element(t[i], p[i])
	}
	return k.b.Mean(k.s, buf, k.strided)
}

// ---------------------------------------------------------------------------
// Categorical crossentropy: dense labels, sparse labels, focal.

// categoricalKernel computes per-row categorical crossentropies.
type categoricalKernel struct {
	numerics
	fromLogits bool
	smoothing  smoothing
	// focal loss only
	gamma float64   // in s
	alpha []float64 // one value, or one per index of the last dimension
	ad    tensor.DType
}

// xentDType is the dtype TensorFlow's fused softmax crossentropy computes in:
// it upcasts float16 (and, for the dense op, bfloat16) to float32.
func xentDType(c tensor.DType, sparse bool) tensor.DType {
	if c == tensor.Float16 || (c == tensor.BFloat16 && !sparse) {
		return tensor.Float32
	}
	return c
}

// laneSum is Σp over a row, in c: the denominator Keras renormalises
// probabilities with.
func (k *categoricalKernel) laneSum(p []float64, base, n, st int, buf []float64) float64 {
	return k.sum(k.c, gather(buf, p, base, n, st))
}

// logSumExp returns the row maximum m and log Σ exp(x - m) as log_softmax
// computes them in dtype d; the log-probability of class j is then
// d(d(x_j - m) - lse).
func (k *categoricalKernel) logSumExp(d tensor.DType, x []float64, base, n, st int, buf []float64) (m, lse float64) {
	m = laneMax(x, base, n, st)
	buf = buf[:n]
	for j, i := 0, base; j < n; j, i = j+1, i+st {
		buf[j] = d.Round(math.Exp(d.Round(x[i] - m)))
	}
	return m, d.Round(math.Log(k.sum(d, buf)))
}

// denseDType is the dtype of categorical crossentropy's result.
func (k *categoricalKernel) denseDType() tensor.DType {
	switch {
	case !k.fromLogits:
		return k.s
	case k.b == backend.TensorFlow:
		return k.c
	}
	return k.labelDType(k.smoothing)
}

// denseRow is categorical crossentropy for one row of labels t and
// predictions p (probabilities or logits). buf holds n values.
func (k *categoricalKernel) denseRow(t, p []float64, base, n, st int, buf []float64) float64 {
	td := k.labelDType(k.smoothing)
	buf = buf[:n]
	switch {
	case !k.fromLogits:
		// All backends: renormalise (in c), clip (into s), log.
		s := k.laneSum(p, base, n, st, buf)
		for j, i := 0, base; j < n; j, i = j+1, i+st {
			tj := k.smooth(k.smoothing, t[i])
			q := k.clip(k.rc(p[i] / s))
			if tj == 0 && q == q {
				buf[j] = 0 // 0 * finite log
				continue
			}
			buf[j] = k.rs(tj * k.rs(math.Log(q)))
		}
		return -k.sum(k.s, buf)
	case k.b == backend.TensorFlow:
		// softmax_cross_entropy_with_logits: Σ t*(lse - (x - m)).
		d := xentDType(k.c, false)
		m, lse := k.logSumExp(d, p, base, n, st, buf)
		for j, i := 0, base; j < n; j, i = j+1, i+st {
			tj := k.smooth(k.smoothing, t[i])
			buf[j] = d.Round(tj * d.Round(lse-d.Round(p[i]-m)))
		}
		return k.rc(k.sum(d, buf))
	default:
		// -Σ t * log_softmax(x).
		m, lse := k.logSumExp(k.c, p, base, n, st, buf)
		for j, i := 0, base; j < n; j, i = j+1, i+st {
			tj := k.smooth(k.smoothing, t[i])
			buf[j] = td.Round(tj * k.rc(k.rc(p[i]-m)-lse))
		}
		return -k.sum(td, buf)
	}
}

// sparseRow is sparse categorical crossentropy for one row with class label
// (label < 0 or >= n: a label the backend turns into an all-zero one-hot
// row). NumPy and JAX multiply a one-hot row by the log-probabilities, so a
// NaN or infinite log-probability anywhere in the row makes the loss NaN.
func (k *categoricalKernel) sparseRow(label int, p []float64, base, n, st int, buf []float64) float64 {
	if k.b == backend.TensorFlow {
		return k.sparseRowTF(label, p, base, n, st, buf)
	}
	inRange := label >= 0 && label < n
	if !k.fromLogits {
		s := k.laneSum(p, base, n, st, buf)
		for j, i := 0, base; j < n; j, i = j+1, i+st {
			if q := p[i] / s; q != q {
				return math.NaN()
			}
		}
		if !inRange {
			return math.Copysign(0, -1)
		}
		return -k.rs(math.Log(k.clip(k.rc(p[base+label*st] / s))))
	}
	m, lse := k.logSumExp(k.c, p, base, n, st, buf)
	var picked float64
	poisoned := false
	for j, i := 0, base; j < n; j, i = j+1, i+st {
		lp := k.rc(k.rc(p[i]-m) - lse)
		if j == label {
			picked = lp
		} else if math.IsNaN(lp) || math.IsInf(lp, 0) {
			poisoned = true
		}
	}
	switch {
	case poisoned:
		return math.NaN()
	case !inRange:
		return math.Copysign(0, -1)
	}
	return -picked
}

// sparseRowTF is TensorFlow's sparse crossentropy: probabilities are clipped
// and logged but not renormalised, then fed as logits to
// sparse_softmax_cross_entropy_with_logits, lse - (z_label - m).
func (k *categoricalKernel) sparseRowTF(label int, p []float64, base, n, st int, buf []float64) float64 {
	d := xentDType(k.c, true)
	z := gather(buf, p, base, n, st)
	if !k.fromLogits {
		for j, v := range z {
			z[j] = k.rc(math.Log(k.clip(v)))
		}
	}
	m := laneMax(z, 0, n, 1)
	picked := z[label]
	for j, v := range z {
		z[j] = d.Round(math.Exp(d.Round(v - m)))
	}
	lse := d.Round(math.Log(k.sum(d, z)))
	return k.rc(d.Round(lse - d.Round(picked-m)))
}

// focalDType is the dtype of categorical focal crossentropy's result: the
// product of the weighting factor (in ad) and the crossentropy term (in
// the labels' dtype).
func (k *categoricalKernel) focalDType() tensor.DType {
	return tensor.PromoteFloat(k.ad, k.labelDType(k.smoothing))
}

// focalRow is categorical focal crossentropy for one row:
// Σ α·(1 - q)^γ · (-t·log q), q the renormalised clipped probabilities (from
// a softmax of the logits first, if from_logits). buf and probs hold n
// values each. Alpha, when it has one value per class, is broadcast on the
// last dimension (as Keras multiplies by the list), lastDim long.
func (k *categoricalKernel) focalRow(t, p []float64, base, n, st, lastDim int, buf, probs []float64) float64 {
	c, s := k.c, k.s
	td, fd := k.labelDType(k.smoothing), k.focalDType()
	probs = gather(probs, p, base, n, st)
	if k.fromLogits {
		// ops.softmax: exp(x - m) / Σ exp(x - m), op by op in c.
		m := laneMax(probs, 0, n, 1)
		for j, v := range probs {
			probs[j] = c.Round(math.Exp(c.Round(v - m)))
		}
		se := k.sum(c, probs)
		for j, v := range probs {
			probs[j] = c.Round(v / se)
		}
	}
	total := k.sum(c, gather(buf, probs, 0, n, 1))
	buf = buf[:n]
	for j := range n {
		i := base + j*st
		tj := k.smooth(k.smoothing, t[i])
		// ops.clip returns its input's dtype: clipped in s, back to c.
		q := c.Round(k.clip(c.Round(probs[j] / total)))
		alpha := k.alpha[0]
		if len(k.alpha) > 1 {
			alpha = k.alpha[i%lastDim]
		}
		if tj == 0 && q == q && k.gamma >= 0 && !math.IsInf(alpha, 0) && alpha == alpha {
			buf[j] = 0 // (1-q)^γ·α·(-0·log q) is ±0
			continue
		}
		ce := td.Round(-tj * c.Round(math.Log(q)))
		mod := s.Round(math.Pow(s.Round(1-q), k.gamma))
		buf[j] = fd.Round(k.ad.Round(mod*alpha) * ce)
	}
	return k.sum(fd, buf)
}
