package losses

import (
	"fmt"
	"math"
	"slices"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// CosineSimilarityFunc is keras.losses.cosine_similarity: -Σ n(y_true)·n(y_pred)
// along Axis, n being the L2 normalisation along Axis (keras.utils.normalize).
// It aligns ranks itself; each input is normalised with its own shape before
// the product broadcasts. A zero vector gives 0 (-0). The normalisation
// differs by backend, as in Keras 3.15:
//   - NumPy (keras.utils.normalize's NumPy branch): x / ‖x‖ with ‖x‖ = 0
//     replaced by 1; np.linalg.norm computes bfloat16 in float64, so the
//     result is float64 there; the norm is expanded at axis -1 when Axis is 0
//     (Keras writes `axis or -1`), and a rank-1 input gives a result of
//     shape (1,) (np.atleast_1d);
//   - JAX and TensorFlow (ops.normalize): x · min(rsqrt(Σx²), 1/ε), so a zero
//     vector in float16, where 1/ε overflows to +Inf, gives NaN; a scalar is
//     treated as a vector of one element.
//
// rsqrt is taken as correctly rounded, which XLA's and Eigen's are only to
// within an ulp or two.
type CosineSimilarityFunc struct {
	Axis int
}

// NewCosineSimilarityFunc returns cosine_similarity's defaults.
func NewCosineSimilarityFunc() CosineSimilarityFunc { return CosineSimilarityFunc{Axis: -1} }

// Values implements Func.
func (f CosineSimilarityFunc) Values(b backend.Backend, yTrue, yPred tensor.Tensor) (tensor.Tensor, error) {
	const name = "cosine_similarity"
	q, err := newPair(name, b, yTrue, yPred, true)
	if err != nil {
		return tensor.Tensor{}, err
	}
	k := newCosineKernel(q.numerics)
	rank := q.p.Rank()
	numpyQuirk := b == backend.NumPy && (f.Axis == 0 || rank <= 1) // keras/src/utils/numerical_utils.py: normalize: if isinstance(x, np.ndarray): axis = axis or -1
	if slices.Equal(q.t.Shape, q.p.Shape) && rank > 0 && !numpyQuirk {
		// Same shapes: normalise, multiply and sum each row in one pass.
		ax, err := tensor.CanonicalAxis(f.Axis, rank)
		if err != nil {
			return tensor.Tensor{}, fmt.Errorf("%s: %w", name, err)
		}
		lay := lanesOf(q.p.Shape, ax)
		t, p := q.t.Data, q.p.Data
		out := lay.each(func(_, base int, buf, _ []float64) float64 {
			st, sp := k.scale(t, base, lay, buf), k.scale(p, base, lay, buf)
			buf = buf[:lay.n]
			for j, i := 0, base; j < lay.n; j, i = j+1, i+lay.inner {
				buf[j] = k.od.Round(k.apply(t[i], st) * k.apply(p[i], sp))
			}
			return -b.Sum(k.od, buf, lay.strided())
		})
		return tensor.Tensor{Shape: tensor.RemoveAxis(q.p.Shape, ax), DType: k.od, Data: out}, nil
	}
	t, err := k.normalize(q.t, f.Axis)
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: y_true: %w", name, err)
	}
	p, err := k.normalize(q.p, f.Axis)
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: y_pred: %w", name, err)
	}
	prod, err := tensor.Map2(t, p, k.od, mul)
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: normalised y_true %v and y_pred %v: %w", name, t.Shape, p.Shape, err)
	}
	ax, err := tensor.CanonicalAxis(f.Axis, prod.Rank())
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %w", name, err)
	}
	lay := lanesOf(prod.Shape, ax)
	out := lay.each(func(_, base int, buf, _ []float64) float64 {
		return -b.Sum(k.od, gather(buf, prod.Data, base, lay.n, lay.inner), lay.strided())
	})
	return tensor.Tensor{Shape: tensor.RemoveAxis(prod.Shape, ax), DType: k.od, Data: out}, nil
}

// cosineKernel is keras.utils.normalize on one backend for inputs of dtype
// c: per row, a scale (the norm to divide by on NumPy, the clamped inverse
// norm to multiply by elsewhere), then each element scaled.
type cosineKernel struct {
	numerics
	nd    tensor.DType // the dtype of the norm
	od    tensor.DType // the dtype of the normalised values
	limit float64      // 1/ε in c (JAX, TensorFlow)
}

func newCosineKernel(n numerics) cosineKernel {
	k := cosineKernel{numerics: n, nd: n.c, od: n.c, limit: n.c.Round(1 / tensor.Epsilon)}
	if n.b == backend.NumPy && n.c == tensor.BFloat16 { // keras/src/utils/numerical_utils.py: normalize: if isinstance(x, np.ndarray)
		// np.linalg.norm converts what is not a NumPy inexact type to
		// float64, and x / norm promotes.
		k.nd, k.od = tensor.Float64, tensor.Float64
	}
	return k
}

// scale computes the scale of the row of x starting at base, using buf.
func (k cosineKernel) scale(x []float64, base int, lay lanes, buf []float64) float64 {
	sq := buf[:lay.n]
	for j, i := 0, base; j < lay.n; j, i = j+1, i+lay.inner {
		sq[j] = k.nd.Round(x[i] * x[i])
	}
	ss := k.b.Sum(k.nd, sq, lay.strided())
	if k.b == backend.NumPy { // keras/src/utils/numerical_utils.py: normalize: if isinstance(x, np.ndarray)
		if norm := k.nd.Round(math.Sqrt(ss)); norm != 0 {
			return norm
		}
		return 1
	}
	return min(k.c.Round(1/math.Sqrt(ss)), k.limit)
}

// apply scales one element, rounding to k.od.
func (k cosineKernel) apply(x, scale float64) float64 {
	if k.b == backend.NumPy { // keras/src/utils/numerical_utils.py: normalize: if isinstance(x, np.ndarray)
		return k.od.Round(x / scale)
	}
	return k.od.Round(x * scale)
}

// normalize normalises x along axis as keras.utils.normalize does, with the
// NumPy branch's broadcasting quirks.
func (k cosineKernel) normalize(x tensor.Tensor, axis int) (tensor.Tensor, error) {
	if x.Rank() == 0 {
		if k.b == backend.NumPy { // keras/src/utils/numerical_utils.py: normalize: if isinstance(x, np.ndarray)
			return tensor.Tensor{}, fmt.Errorf("%w: np.linalg.norm along axis %d of a 0-d array", tensor.ErrShape, axis)
		}
		x.Shape = []int{1} // ops.normalize expands a scalar
	}
	ax, err := tensor.CanonicalAxis(axis, x.Rank())
	if err != nil {
		return tensor.Tensor{}, err
	}
	lay := lanesOf(x.Shape, ax)
	scales := lay.each(func(_, base int, buf, _ []float64) float64 { return k.scale(x.Data, base, lay, buf) })
	if k.b != backend.NumPy { // keras/src/utils/numerical_utils.py: normalize: if isinstance(x, np.ndarray)
		out := tensor.Tensor{Shape: x.Shape, DType: k.od, Data: make([]float64, len(x.Data))}
		for r, s := range scales {
			for j, i := 0, lay.start(r); j < lay.n; j, i = j+1, i+lay.inner {
				out.Data[i] = k.apply(x.Data[i], s)
			}
		}
		return out, nil
	}
	// x / np.expand_dims(np.atleast_1d(norm), axis or -1)
	shape := tensor.RemoveAxis(x.Shape, ax)
	if len(shape) == 0 {
		shape = []int{1}
	}
	at := axis
	if at == 0 {
		at = -1
	}
	if at < 0 {
		at += len(shape) + 1
	}
	if at < 0 || at > len(shape) {
		return tensor.Tensor{}, fmt.Errorf("axis %d is out of bounds for expanding a norm of rank %d", axis, len(shape))
	}
	expanded := slices.Insert(slices.Clone(shape), at, 1)
	norm := tensor.Tensor{Shape: expanded, DType: k.nd, Data: scales}
	out, err := tensor.Map2(x, norm, k.od, k.apply)
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("dividing by the norm: %w", err)
	}
	return out, nil
}
