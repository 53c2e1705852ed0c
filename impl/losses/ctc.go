package losses

import (
	"fmt"
	"math"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/parallel"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// CTCFunc is keras.losses.ctc: the CTC (connectionist temporal
// classification) negative log-likelihood of integer label rows y_true
// (B, L) under logits y_pred (B, T, K), with class 0 as the blank and every
// sample using all T steps.
//
// A row's label length is its number of non-zero entries, wherever they are,
// and the target is the row's first that many entries, zeros included (a 0
// inside the target is scored as the blank class). Labels are cast to int32
// first, so 1.7 is class 1.
//
// Each backend computes it its own way, and the port follows each:
//   - NumPy and JAX run optax's forward algorithm in log space with
//     log(ε) = -1e5 standing for impossible paths: a target that no
//     alignment of T steps can produce (too long, or repeats needing blanks
//     that do not fit) costs about 1e5 rather than +Inf;
//   - TensorFlow runs tf.nn.ctc_loss's dense forward-backward algorithm,
//     whose initial and final state log-probabilities use log(1e-307) ≈
//     -706.9 for "impossible": an infeasible target costs about 707 to 710.
//
// Everything is computed in float32 (float16 and bfloat16 logits are widened
// to it, float64 ones narrowed); the result is float32, or float64 on
// TensorFlow for float64 logits. Labels >= K are an error on NumPy and select
// nothing (log-probability 0) elsewhere, as do negative labels everywhere;
// a NaN or infinite log-probability poisons its whole time step (NaN).
type CTCFunc struct{}

// Values implements Func.
func (CTCFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "ctc"
	if err := CheckInputs(name, b, yTrue, yPred); err != nil {
		return tensor.Tensor{}, err
	}
	if yTrue.Rank() != 2 {
		return tensor.Tensor{}, fmt.Errorf("%s: %w: targets y_true must be of shape (batch_size, max_length) in integer format, got shape %v",
			name, tensor.ErrShape, yTrue.Shape)
	}
	if yPred.Rank() != 3 {
		return tensor.Tensor{}, fmt.Errorf("%s: %w: logits y_pred must be of shape (batch_size, max_length, num_classes), got shape %v",
			name, tensor.ErrShape, yPred.Shape)
	}
	k := ctcKernel{b: b, width: yTrue.Shape[1], steps: yPred.Shape[1], classes: yPred.Shape[2]}
	batch := yTrue.Shape[0]
	switch {
	case yPred.Shape[0] != batch:
		return tensor.Tensor{}, fmt.Errorf("%s: %w: y_true %v and y_pred %v have different batch sizes", name, tensor.ErrShape, yTrue.Shape, yPred.Shape)
	case k.classes == 0:
		return tensor.Tensor{}, fmt.Errorf("%s: %w: y_pred %v has no classes (class 0 is the blank)", name, tensor.ErrShape, yPred.Shape)
	case k.steps == 0 && b != backend.TensorFlow: // keras/src/backend/jax/nn.py, keras/src/backend/numpy/nn.py: ctc_loss scans the time steps
		return tensor.Tensor{}, fmt.Errorf("%s: y_pred %v has no time steps: the %v backend's scan over them fails", name, yPred.Shape, b)
	case batch == 0 && b == backend.TensorFlow: // keras/src/backend/tensorflow/nn.py: ctc_loss calls tf.nn.ctc_loss
		return tensor.Tensor{}, fmt.Errorf("%s: y_pred %v is an empty batch, which tf.nn.ctc_loss refuses", name, yPred.Shape)
	}
	labels, ids, err := ctcLabels(name, b, yTrue.Data, k.classes)
	if err != nil {
		return tensor.Tensor{}, err
	}
	x := yPred.Cast(tensor.Float32).Data
	out := tensor.Tensor{Shape: []int{batch}, DType: tensor.Float32, Data: make([]float64, batch)}
	if b == backend.TensorFlow && yPred.DType == tensor.Float64 { // keras/src/backend/tensorflow/nn.py: ctc_loss
		out.DType = tensor.Float64
	}
	frame := k.steps * k.classes
	parallel.Rows(batch, frame*max(k.width, 1), func(lo, hi int) {
		w := k.newWork()
		for r := lo; r < hi; r++ {
			row := yTrue.Data[r*k.width : (r+1)*k.width]
			length := 0
			for _, v := range row {
				if v != 0 {
					length++
				}
			}
			k.logSoftmax(x[r*frame:(r+1)*frame], w)
			lab, id := labels[r*k.width:(r+1)*k.width], ids[r*k.width:(r+1)*k.width]
			if b == backend.TensorFlow { // keras/src/backend/tensorflow/nn.py: ctc_loss; jax/nn.py and numpy/nn.py port optax
				out.Data[r] = k.denseRow(lab, id, length, w)
			} else {
				out.Data[r] = k.optaxRow(lab, id, length, w)
			}
		}
	})
	return out, nil
}

// ctcLabels casts labels to int32 as the backend does (NumPy and TensorFlow
// truncate, JAX saturates with NaN as 0) and maps each to the class its
// one-hot vector selects, -1 for none; NumPy refuses labels >= K.
func ctcLabels(name string, b backend.Backend, data []float64, classes int) (labels, ids []int, err error) {
	labels, ids = make([]int, len(data)), make([]int, len(data))
	for i, v := range data {
		l := b.ToInt32(v)
		if l >= classes && b == backend.NumPy { // keras/src/backend/numpy/nn.py: one_hot
			return nil, nil, fmt.Errorf("%s: label %v (index %d) is out of bounds for %d classes", name, v, i, classes)
		}
		labels[i], ids[i] = l, l
		if l < 0 || l >= classes {
			ids[i] = -1
		}
	}
	return labels, ids, nil
}

type ctcKernel struct {
	b                     backend.Backend
	width, steps, classes int
}

// ctcWork is one goroutine's scratch space.
type ctcWork struct {
	lp   []float64   // log-probabilities, steps x classes
	bad  []int       // per step, how many log-probabilities are NaN or infinite
	buf  []float64   // a row of classes or of states
	a, c []float64   // optax: phi and its update; TF: state and next state
	e, g []float64   // optax: emit and next emit; TF: observations and final state
	rep  []float64   // optax: log(ε)·repeat[n]
	norp []float64   // optax: log(ε)·(1 - repeat[n])
	succ [][3]ctcArc // TF: each state's successors
	pos  []int       // TF: a sparse row's positions
	vals []float64   // TF: and values
}

// ctcArc is a transition of TensorFlow's state graph: to state j, with
// log-weight w (0, or log 2 where two transitions coincide).
type ctcArc struct {
	j int
	w float64
}

func (k *ctcKernel) newWork() *ctcWork {
	n, states := k.width+1, 2*(k.width+1)
	return &ctcWork{
		lp: make([]float64, k.steps*k.classes), bad: make([]int, k.steps), buf: make([]float64, max(k.classes, states)),
		a: make([]float64, states), c: make([]float64, states), e: make([]float64, states), g: make([]float64, states),
		rep: make([]float64, n), norp: make([]float64, n), succ: make([][3]ctcArc, states),
		pos: make([]int, 0, states), vals: make([]float64, 0, states),
	}
}

// logSoftmax fills w.lp with log_softmax over classes, (x - max) - log Σ
// exp(x - max) op by op in float32, as NumPy, JAX and TensorFlow's
// LogSoftmax all write it, and counts the non-finite values of each step.
func (k *ctcKernel) logSoftmax(x []float64, w *ctcWork) {
	f := tensor.Float32
	for t := range k.steps {
		row, lp := x[t*k.classes:(t+1)*k.classes], w.lp[t*k.classes:(t+1)*k.classes]
		m := laneMax(row, 0, k.classes, 1)
		buf := w.buf[:k.classes]
		for j, v := range row {
			buf[j] = f.Round(math.Exp(f.Round(v - m)))
		}
		lse := f.Round(math.Log(k.b.Sum(f, buf, false)))
		w.bad[t] = 0
		for j, v := range row {
			lp[j] = f.Round(f.Round(v-m) - lse)
			if math.IsNaN(lp[j]) || math.IsInf(lp[j], 0) {
				w.bad[t]++
			}
		}
	}
}

// emission is the log-probability of class id at step t as the backends
// compute it, Σ_k lp[t,k]·one_hot(id)[k]: NaN when a non-finite
// log-probability meets a zero of the one-hot vector, 0 for id -1.
func (k *ctcKernel) emission(w *ctcWork, t, id int) float64 {
	bad := w.bad[t]
	v := 0.0
	if id >= 0 {
		v = w.lp[t*k.classes+id]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			bad--
		}
	}
	if bad > 0 {
		return math.NaN()
	}
	return v
}

// logEpsilon is optax's log-probability of an impossible transition.
const logEpsilon = -1e5

// optaxRow is Keras's NumPy and JAX ctc_loss for one sample: optax's
// forward recursion over phi (N+1 blank-or-start states) and emit (N label
// states), every op in float32, then -phi[length] after the last epsilon
// transition.
func (k *ctcKernel) optaxRow(labels, ids []int, length int, w *ctcWork) float64 {
	f := tensor.Float32
	n := k.width
	phi, nphi, emit, nemit := w.a[:n+1], w.c[:n+1], w.e[:n], w.g[:n]
	lae := func(x, y float64) float64 { return k.b.LogAddExp(f, x, y) }
	// repeat[n] = labels[n] == labels[n+1], 0 for the last; log(ε)·repeat
	// and log(ε)·(1 - repeat) in float32.
	for q := range n {
		repeat := 0.0
		if q+1 < n && labels[q] == labels[q+1] {
			repeat = 1
		}
		w.rep[q], w.norp[q] = f.Round(logEpsilon*repeat), f.Round(logEpsilon*(1-repeat))
	}
	phi[0] = 0
	for q := range n {
		phi[q+1], emit[q] = logEpsilon, logEpsilon
	}
	for t := range k.steps {
		blank := w.lp[t*k.classes] // the mask_index column, sliced: no one-hot
		// prev_phi = update_phi_score(prev_phi, prev_emit + log(ε)·repeat)
		// into nphi: the emit-to-phi epsilon transition, except onto a
		// repeated label.
		nphi[0] = phi[0]
		for q := range n {
			nphi[q+1] = lae(phi[q+1], f.Round(emit[q]+w.rep[q]))
		}
		// phi-to-emit and emit self-loop.
		for q := range n {
			e := k.emission(w, t, ids[q])
			nemit[q] = lae(f.Round(nphi[q]+e), f.Round(emit[q]+e))
		}
		// next_phi = prev_phi + blank into phi (the phi self-loop), then
		// emit-to-phi through a blank when the next label repeats; nphi
		// keeps the original phi for the padding blend below.
		for q := range n + 1 {
			old := phi[q]
			phi[q] = f.Round(nphi[q] + blank)
			nphi[q] = old
		}
		for q := range n {
			phi[q+1] = lae(phi[q+1], f.Round(f.Round(emit[q]+blank)+w.norp[q]))
		}
		// pad * prev + (1 - pad) * next with pad = 0: the previous value
		// contributes 0·prev, NaN when it is infinite or NaN.
		for q := range n + 1 {
			phi[q] = f.Round(0*nphi[q] + phi[q])
		}
		for q := range n {
			emit[q] = f.Round(0*emit[q] + nemit[q])
		}
	}
	for q := range n {
		phi[q+1] = lae(phi[q+1], emit[q])
	}
	return -pickOneHot(phi, length)
}

// tfLogZero is ctc_state_log_probs's log_0: log(1e-307) in float64, cast to
// float32.
var tfLogZero = tensor.Float32.Round(math.Log(1e-307))

// denseRow is tf.nn.ctc_loss (ctc_loss_dense) for one sample: the backward
// half of _forward_backward_log over the 2(N+1) states [start, label 1..N,
// blank 0..N], normalised at every step; the loss is -(bwd[0][start] + Σ
// log normalisers). The forward half does not affect the loss.
func (k *ctcKernel) denseRow(labels, ids []int, length int, w *ctcWork) float64 {
	f := tensor.Float32
	n := k.width
	states := 2 * (n + 1)
	state, next, obs, final := w.a[:states], w.c[:states], w.e[:states], w.g[:states]
	k.tfGraph(labels, w.succ[:states])
	for i := range final {
		final[i] = tfLogZero
		if i == length || i == n+1+length {
			final[i] = math.Copysign(0, -1) // (1 - 1) * log_0
		}
	}
	copy(state, final)
	cum := 0.0
	for t := k.steps - 1; t >= 0; t-- {
		// Observations: -Inf for the start state (log 0), the label's
		// log-probability, the blank's.
		obs[0] = math.Inf(-1)
		for q := range n {
			obs[q+1] = k.emission(w, t, ids[q])
		}
		for q := n + 1; q < states; q++ {
			obs[q] = w.lp[t*k.classes]
		}
		poisoned := false
		for i := range state {
			state[i] = f.Round(state[i] + obs[i])
			poisoned = poisoned || state[i] != state[i]
		}
		// new[i] = logsumexp_j(state[j] + log trans[j][i]) over the whole
		// row, the non-successors being -Inf.
		for i := range next {
			if poisoned {
				next[i] = math.NaN()
				continue
			}
			w.pos, w.vals = w.pos[:0], w.vals[:0]
			top := math.Inf(-1)
			for _, a := range w.succ[i] {
				if a.j < 0 {
					break
				}
				v := f.Round(state[a.j] + a.w)
				w.pos, w.vals = append(w.pos, a.j), append(w.vals, v)
				top = max(top, v)
			}
			shift := top
			if math.IsInf(top, 0) {
				shift = 0
			}
			for q, v := range w.vals {
				w.vals[q] = f.Round(math.Exp(f.Round(v - shift)))
			}
			next[i] = f.Round(f.Round(math.Log(k.b.SumSparse(f, states, w.pos, w.vals))) + shift)
		}
		norm := k.b.LogSumExp(f, next, w.buf)
		for i, v := range next {
			state[i] = f.Round(v - norm) // then * mask + final * (1 - mask): + (-0)
		}
		cum = f.Round(cum + norm)
	}
	return -f.Round(state[0] + cum)
}

// tfGraph lists, for every state, its successors in ascending order, as
// _ctc_state_trans scatters them: start -> label 1, blank k -> label k+1,
// label k -> blank k, self-loops, and label k -> label k+1 unless the two
// labels are equal. Transitions that coincide add up (with no labels, start
// -> "label 1" is start -> blank 0 twice: weight log 2).
func (k *ctcKernel) tfGraph(labels []int, succ [][3]ctcArc) {
	n := k.width
	count := func(from, to int) {
		arcs := &succ[from]
		for q := range arcs {
			switch {
			case arcs[q].j == to:
				arcs[q].w++
				return
			case arcs[q].j < 0:
				arcs[q] = ctcArc{to, 1}
				return
			}
		}
	}
	for i := range succ {
		succ[i] = [3]ctcArc{{-1, 0}, {-1, 0}, {-1, 0}}
	}
	count(0, 1)
	for q := range n {
		count(n+1+q, q+1)
	}
	for q := range n + 1 {
		count(q, n+1+q)
	}
	for i := range succ {
		count(i, i)
	}
	for q := 1; q < n; q++ {
		if labels[q-1] != labels[q] {
			count(q, q+1)
		}
	}
	for i := range succ {
		arcs := &succ[i]
		// Sort the (at most three) arcs by target; weights become logs.
		for a := 0; a < 3; a++ {
			for b := a + 1; b < 3; b++ {
				if arcs[b].j >= 0 && (arcs[a].j < 0 || arcs[b].j < arcs[a].j) {
					arcs[a], arcs[b] = arcs[b], arcs[a]
				}
			}
		}
		for q := range arcs {
			if arcs[q].j >= 0 {
				arcs[q].w = tensor.Float32.Round(math.Log(arcs[q].w))
			}
		}
	}
}

// CTC is keras.losses.CTC.
type CTC struct {
	CTCFunc
	Base
}

// NewCTC returns the loss with Keras's defaults (name "ctc").
func NewCTC() *CTC { return &CTC{CTCFunc{}, defaultBase("ctc")} }

// Call implements Loss.
func (l *CTC) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.CTCFunc, yTrue, yPred, sampleWeight)
}
