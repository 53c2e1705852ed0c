package reference

import "math"

// Band is, element by element, the range of values Keras's own backends
// computed for one step of one case: the same inputs through numpy, jax and
// tensorflow. Where the backends disagree only by the rounding noise of
// their kernels (numpy's SIMD exp and log, Eigen's, XLA's, none of them
// correctly rounded), a port is as close to Keras as Keras is to itself when
// its value lies within that range, widened by the tolerance. The band is
// only as wide as that noise: where backends differ by more than
// BandLimit, they compute different things on purpose (TensorFlow's
// sparse crossentropy without renormalisation, say), and the band is not
// used for that element.
type Band struct {
	Lo, Hi []float64
}

// BandLimit is the widest band, relative to the reference value, that is
// still read as kernel noise: 2^-16, 128 float32 ulp, which covers the
// few-ulp differences of transcendental kernels after the cancellation
// that amplifies them (1 - p^q with q = 0.01, 1 - sigmoid(x)), and is far
// below any semantic difference between backends seen in the fixtures.
const BandLimit = 0x1p-16

// NewBand spans the values of the other references for one output with the
// reference's own. Arrays of another length, and non-finite values, are left
// out; an element where no other value is finite has a band of one point.
func NewBand(want Array, others []Array) *Band {
	b := &Band{Lo: append([]float64(nil), want.Data...), Hi: append([]float64(nil), want.Data...)}
	for _, o := range others {
		if len(o.Data) != len(want.Data) {
			continue
		}
		for i, v := range o.Data {
			if math.IsNaN(v) || math.IsInf(v, 0) || math.IsNaN(want.Data[i]) || math.IsInf(want.Data[i], 0) {
				continue
			}
			b.Lo[i], b.Hi[i] = min(b.Lo[i], v), max(b.Hi[i], v)
		}
	}
	return b
}

// admits reports whether got lies within the band at i, widened by the
// tolerance, and the band is narrow enough to be noise.
func (b *Band) admits(i int, got, want float64, tol Tolerance) bool {
	lo, hi := b.Lo[i], b.Hi[i]
	if hi-lo > BandLimit*math.Abs(want)+tol.ATol || math.IsNaN(got) || math.IsInf(got, 0) {
		return false
	}
	allowed := tol.ATol + tol.RTol*math.Abs(want)
	return got >= lo-allowed && got <= hi+allowed
}
