package losses

import (
	"fmt"
	"math"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/parallel"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// CircleFunc is keras.losses.circle: the Circle loss (Sun et al., 2020)
// between integer labels y_true (B,) and L2-normalised embeddings y_pred
// (B, D), against a reference set that is the batch itself unless
// RefLabels and RefEmbeddings are given.
//
// With d_ij = max(1 - P_i·R_j, 0), positives j (same label; not j = i, by
// index, if RemoveDiagonal) and negatives (another label), sample i's loss
// is softplus(logsumexp_pos(-γ·max(m + d, 0)·(m - d)) +
// logsumexp_neg(γ·max(1 + m - d, 0)·(1 - m - d))). A sample with no
// positive or no negative gets 0. The result carries the Keras mask
// "loss > 0", so a loss class averages over the samples with a positive
// loss only (sum_over_batch_size divides by their number, and
// mean_with_sample_weight by their weights).
type CircleFunc struct {
	Gamma          float64
	Margin         float64
	RemoveDiagonal bool
	// RefLabels (R,) and RefEmbeddings (R, D) are the function's ref_labels
	// and ref_embeddings; nil means y_true and y_pred. The loss classes have
	// neither. RefEmbeddings is cast to y_pred's dtype (Keras would promote
	// two different float dtypes instead).
	RefLabels, RefEmbeddings *tensor.Tensor
}

// NewCircleFunc returns circle's defaults: gamma=80, margin=0.4,
// remove_diagonal=True, no reference set.
func NewCircleFunc() CircleFunc {
	return CircleFunc{Gamma: 80, Margin: 0.4, RemoveDiagonal: true}
}

// Values implements Func.
func (f CircleFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "circle"
	if err := CheckInputs(name, b, yTrue, yPred); err != nil {
		return tensor.Tensor{}, err
	}
	refLabels, refEmb := yTrue, yPred
	if f.RefLabels != nil {
		refLabels = *f.RefLabels
	}
	if f.RefEmbeddings != nil {
		refEmb = *f.RefEmbeddings
	}
	if err := CheckInputs(name, b, refLabels, refEmb); err != nil {
		return tensor.Tensor{}, fmt.Errorf("reference set: %w", err)
	}
	for _, e := range []tensor.Tensor{yPred, refEmb} {
		if e.Rank() != 2 || !e.DType.IsFloat() {
			return tensor.Tensor{}, fmt.Errorf("%s: embeddings of shape %v and dtype %v: %w (float embeddings of rank 2 only)",
				name, e.Shape, e.DType, tensor.ErrNotImplemented)
		}
	}
	rows, refs, dim := yPred.Shape[0], refEmb.Shape[0], yPred.Shape[1]
	if refEmb.Shape[1] != dim {
		return tensor.Tensor{}, fmt.Errorf("%s: %w: embeddings %v and reference embeddings %v differ in their last dimension",
			name, tensor.ErrShape, yPred.Shape, refEmb.Shape)
	}
	if err := circleLabelShape(name, yTrue, rows); err != nil {
		return tensor.Tensor{}, err
	}
	if err := circleLabelShape(name, refLabels, refs); err != nil {
		return tensor.Tensor{}, fmt.Errorf("reference set: %w", err)
	}
	c := b.FloatCompute(yPred.DType)
	k := circleKernel{numerics: newNumerics(b, c), removeDiagonal: f.RemoveDiagonal}
	s := k.s
	// Python floats: -1 * gamma, margin, 1 + margin and 1 - margin are
	// computed in float64, then meet tensors.
	k.negGamma, k.gamma, k.margin = s.Round(-f.Gamma), s.Round(f.Gamma), s.Round(f.Margin)
	k.optimNeg, k.deltaNeg = s.Round(1+f.Margin), s.Round(1-f.Margin)
	k.p, k.r = yPred.Cast(c).Data, refEmb.Cast(c).Data
	k.labels, k.refLabels = circleLabels(b, yTrue.Data), circleLabels(b, refLabels.Data)
	k.dim, k.refs = dim, refs

	out := tensor.Tensor{Shape: []int{rows}, DType: s, Data: make([]float64, rows)}
	mask := tensor.Tensor{Shape: []int{rows}, DType: tensor.Bool, Data: make([]float64, rows)}
	parallel.Rows(rows, refs*max(dim, 1), func(lo, hi int) {
		pos, neg := make([]float64, refs), make([]float64, refs)
		for i := lo; i < hi; i++ {
			out.Data[i] = k.row(i, pos, neg)
			if out.Data[i] > 0 {
				mask.Data[i] = 1
			}
		}
	})
	out.Mask = &mask
	return out, nil
}

// circleLabelShape accepts the label shapes build_pos_neg_masks pairs
// with n embeddings: (n,) and (n, 1).
func circleLabelShape(name string, labels tensor.Tensor, n int) error {
	switch {
	case labels.Rank() == 1 && labels.Shape[0] == n, labels.Rank() == 2 && labels.Shape[0] == n && labels.Shape[1] == 1:
		return nil
	}
	return fmt.Errorf("%s: labels of shape %v for %d embeddings: %w (labels of shape (%d,) or (%d, 1) only)",
		name, labels.Shape, n, tensor.ErrNotImplemented, n, n)
}

// circleLabels casts labels to int32 as ops.cast does on the backend.
func circleLabels(b backend.Backend, labels []float64) []int {
	ids := make([]int, len(labels))
	for i, v := range labels {
		ids[i] = b.ToInt32(v)
	}
	return ids
}

type circleKernel struct {
	numerics
	removeDiagonal                              bool
	negGamma, gamma, margin, optimNeg, deltaNeg float64 // in s
	p, r                                        []float64
	labels, refLabels                           []int
	dim, refs                                   int
}

// row is sample i's loss. pos and neg are scratch rows of length refs.
func (k *circleKernel) row(i int, pos, neg []float64) float64 {
	c, s := k.c, k.s
	inf := math.Inf(-1)
	k.dots(k.p[i*k.dim:(i+1)*k.dim], pos)
	for j, dot := range pos {
		// pairwise_cosine_distances = maximum(1 - matmul(P, R^T), 0).
		d := maxNaN(c.Round(1-dot), 0)
		same := k.labels[i] == k.refLabels[j]
		pos[j], neg[j] = inf, inf // where(mask, ..., -inf)
		if same && !(k.removeDiagonal && i == j) {
			w := maxNaN(s.Round(k.margin+d), 0)
			pos[j] = s.Round(s.Round(k.negGamma*w) * s.Round(k.margin-d))
		}
		if !same {
			w := maxNaN(s.Round(k.optimNeg-d), 0)
			neg[j] = s.Round(s.Round(k.gamma*w) * s.Round(k.deltaNeg-d))
		}
	}
	return k.b.Softplus(s, s.Round(k.b.LogSumExp(s, pos, pos)+k.b.LogSumExp(s, neg, neg)))
}

// dot is one element of matmul(P, R^T): a running sum with one fused
// multiply-add per term, in order, as OpenBLAS's sgemm (NumPy) and Eigen's
// (TensorFlow) kernels accumulate, measured bit for bit for B > 1. The sum
// runs in the accumulator dtype (float32 for the half types) and is rounded
// to the compute dtype at the end. A float32 fused multiply-add is taken as
// the float64 sum of the exact product, rounded to float32 (a double
// rounding that differs from a true fma once in about 2^29 sums).
func (k *circleKernel) dot(p, r []float64) float64 {
	acc := k.c.Accumulator()
	s := 0.0
	if acc == tensor.Float64 {
		for q, x := range p {
			s = math.FMA(x, r[q], s)
		}
		return s
	}
	for q, x := range p {
		s = acc.Round(x*r[q] + s)
	}
	return k.c.Round(s)
}

// dots sets out[j] to dot(p, R_j) for every reference j, four references
// at a time in float32 (independent sums, each in its own order).
func (k *circleKernel) dots(p, out []float64) {
	n := k.dim
	j := 0
	if k.c.Accumulator() == tensor.Float32 && n > 0 {
		for ; j+4 <= len(out); j += 4 {
			r0, r1, r2, r3 := k.r[j*n:(j+1)*n], k.r[(j+1)*n:(j+2)*n], k.r[(j+2)*n:(j+3)*n], k.r[(j+3)*n:(j+4)*n]
			_, _, _, _ = r0[len(p)-1], r1[len(p)-1], r2[len(p)-1], r3[len(p)-1]
			var s0, s1, s2, s3 float64
			for q, x := range p {
				s0 = float64(float32(x*r0[q] + s0))
				s1 = float64(float32(x*r1[q] + s1))
				s2 = float64(float32(x*r2[q] + s2))
				s3 = float64(float32(x*r3[q] + s3))
			}
			out[j], out[j+1], out[j+2], out[j+3] = k.c.Round(s0), k.c.Round(s1), k.c.Round(s2), k.c.Round(s3)
		}
	}
	for ; j < len(out); j++ {
		out[j] = k.dot(p, k.r[j*n:(j+1)*n])
	}
}

// maxNaN is ops.maximum: NaN wins.
func maxNaN(x, y float64) float64 {
	if x != x || x > y {
		return x
	}
	return y
}

// Circle is keras.losses.Circle.
type Circle struct {
	CircleFunc
	Base
}

// NewCircle returns the loss with Keras's defaults (gamma=80.0, margin=0.4,
// remove_diagonal=True, name "circle").
func NewCircle() *Circle { return &Circle{NewCircleFunc(), defaultBase("circle")} }

// Call implements Loss. The loss's samples with a zero loss (no positive or
// no negative) are masked out of the reduction.
func (l *Circle) Call(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) (tensor.Tensor, error) {
	return l.call(l.CircleFunc, yTrue, yPred, sampleWeight)
}
