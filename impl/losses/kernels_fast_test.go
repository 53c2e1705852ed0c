package losses

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The shortcuts of kernels_fast.go must give what the full computation gives,
// bit for bit, on every row, whether or not their precondition holds. These
// tests run both on rows built to sit on the edges of the preconditions:
// non-finite and extreme values, zero row sums, signed zeros, soft, negative,
// NaN and missing labels, strided rows, every backend and float dtype.

var edgeValues = []float64{
	0, math.Copysign(0, -1), 1, -1, 0.5, 2, 1e-7, 1 - 1e-7, 1e-30, 1e-45, 100, -100,
	1e30, -1e30, 3e38, -3e38, math.MaxFloat32, -math.MaxFloat32, 1e300, -1e300,
	math.NaN(), math.Inf(1), math.Inf(-1),
}

// edgeRow fills a row of n predictions in dtype c: positive values when
// probabilities, normal ones otherwise, each replaced by an edge value
// with probability edge.
func edgeRow(r *rand.Rand, c tensor.DType, n int, logits bool, edge float64) []float64 {
	row := make([]float64, n)
	if r.IntN(8) == 0 {
		// Rows whose sum is zero or overflows, or whose spread overflows.
		v := []float64{0, 1, 0.5, math.MaxFloat32, 3e38, 6e4, 1e300}[r.IntN(7)]
		for j := range row {
			switch r.IntN(3) {
			case 0:
				row[j] = c.Round(v)
			case 1:
				row[j] = c.Round(-v)
			}
		}
		return row
	}
	for j := range row {
		v := r.Float64() + 1e-3
		if logits {
			v = r.NormFloat64() * []float64{1, 10, 1e4}[r.IntN(3)]
		}
		if r.Float64() < edge {
			v = edgeValues[r.IntN(len(edgeValues))]
		}
		row[j] = c.Round(v)
	}
	return row
}

// edgeLabels is a row of dense labels: mostly one-hot with a 1, sometimes
// with another value at the hot position, no hot position, two of them or
// negative zeros around.
func edgeLabels(r *rand.Rand, c tensor.DType, n int) []float64 {
	t := make([]float64, n)
	if r.IntN(4) == 0 {
		for j := range t {
			t[j] = math.Copysign(0, -1)
		}
	}
	hot := []float64{1, 1, 1, 0.3, -1, 2, 1e-30, math.NaN(), math.Inf(1), 0}
	t[r.IntN(n)] = c.Round(hot[r.IntN(len(hot))])
	if r.IntN(8) == 0 {
		t[r.IntN(n)] = c.Round(r.Float64())
	}
	return t
}

func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (a != a && b != b)
}

// layouts are (outer, n, inner) row views: contiguous and strided rows.
var layouts = [][3]int{{6, 1, 1}, {6, 2, 1}, {6, 5, 1}, {4, 33, 1}, {3, 300, 1}, {2, 1000, 1}, {2, 7, 3}, {1, 40, 2}}

var floatDTypes = []tensor.DType{tensor.Float32, tensor.Float64, tensor.Float16, tensor.BFloat16}

func TestDenseRowShortcutsMatchFullRows(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	taken, total := 0, 0
	for _, b := range []backend.Backend{backend.TensorFlow, backend.JAX, backend.NumPy} {
		for _, c := range floatDTypes {
			for _, logits := range []bool{false, true} {
				for _, ls := range []float64{0, 0.1} {
					for _, l := range layouts {
						lay := lanes{l[0], l[1], l[2]}
						k := categoricalKernel{numerics: newNumerics(b, c), fromLogits: logits}
						if ls != 0 {
							classes := c.Round(float64(lay.n))
							k.smoothing = smoothing{on: true, keep: k.s.Round(1 - ls), shift: k.s.Round(k.s.Round(ls) / classes)}
						}
						k.strided = lay.strided()
						for range 40 {
							size := lay.outer * lay.n * lay.inner
							p, tt := make([]float64, 0, size), make([]float64, 0, size)
							edge := []float64{0, 0.01, 0.2}[r.IntN(3)]
							for range lay.outer * lay.inner {
								p = append(p, edgeRow(r, c, lay.n, logits, edge)...)
								tt = append(tt, edgeLabels(r, c, lay.n)...)
							}
							buf := make([]float64, lay.n)
							for row := range lay.rows() {
								base := lay.start(row)
								want := k.denseRowFull(tt, p, base, lay.n, lay.inner, buf)
								got := k.denseRow(tt, p, base, lay.n, lay.inner, buf)
								if _, ok := k.denseRowOneHot(tt, p, base, lay.n, lay.inner, buf); ok {
									taken++
								}
								total++
								if !sameBits(got, want) {
									t.Fatalf("%v %v logits=%v ls=%v layout %v row %d: shortcut %v, full %v\nt=%v\np=%v",
										b, c, logits, ls, l, row, got, want, tt, p)
								}
							}
						}
					}
				}
			}
		}
	}
	if taken < total/5 || taken == total {
		t.Fatalf("the shortcut was taken on %d of %d rows: the test does not cover both sides", taken, total)
	}
	t.Logf("shortcut taken on %d of %d rows", taken, total)
}

func TestSparseRowShortcutsMatchFullRows(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	taken, total := 0, 0
	for _, b := range []backend.Backend{backend.JAX, backend.NumPy} {
		for _, c := range floatDTypes {
			for _, logits := range []bool{false, true} {
				for _, l := range layouts {
					lay := lanes{l[0], l[1], l[2]}
					k := categoricalKernel{numerics: newNumerics(b, c), fromLogits: logits}
					k.strided = lay.strided()
					for range 40 {
						p := make([]float64, 0, lay.outer*lay.n*lay.inner)
						edge := []float64{0, 0.01, 0.2}[r.IntN(3)]
						for range lay.outer * lay.inner {
							p = append(p, edgeRow(r, c, lay.n, logits, edge)...)
						}
						buf := make([]float64, lay.n)
						for row := range lay.rows() {
							label := r.IntN(lay.n+2) - 1 // -1 and n select nothing
							base := lay.start(row)
							want := k.sparseRowFull(label, p, base, lay.n, lay.inner, buf)
							got := k.sparseRow(label, p, base, lay.n, lay.inner, buf)
							if _, ok := k.sparseRowFinite(label, p, base, lay.n, lay.inner, buf); ok {
								taken++
							}
							total++
							if !sameBits(got, want) {
								t.Fatalf("%v %v logits=%v layout %v row %d label %d: shortcut %v, full %v\np=%v",
									b, c, logits, l, row, label, got, want, p)
							}
						}
					}
				}
			}
		}
	}
	if taken < total/5 || taken == total {
		t.Fatalf("the shortcut was taken on %d of %d rows: the test does not cover both sides", taken, total)
	}
	t.Logf("shortcut taken on %d of %d rows", taken, total)
}

// TestLogSigmoidFormSharesItsTail checks the JAX binary crossentropy from
// logits against log_sigmoid written out twice, as it was before the shared
// log1p(exp(-|x|)).
func TestLogSigmoidFormSharesItsTail(t *testing.T) {
	logSigmoid := func(x float64) float64 { return -(max(-x, 0) + math.Log1p(math.Exp(-math.Abs(x)))) }
	r := rand.New(rand.NewPCG(5, 6))
	labels := append([]float64{0, 1, 0.5, 0.9, -1, 2}, edgeValues...)
	for _, c := range floatDTypes {
		k := binaryKernel{numerics: newNumerics(backend.JAX, c)}
		xs := append([]float64(nil), edgeValues...)
		for range 2000 {
			xs = append(xs, r.NormFloat64()*[]float64{1, 30, 1e5}[r.IntN(3)])
		}
		for _, x := range xs {
			x = c.Round(x)
			for _, tv := range labels {
				tv = c.Round(tv)
				want := k.rc(k.rc(-tv*k.rc(logSigmoid(x))) - k.rc(k.rc(1-tv)*k.rc(logSigmoid(-x))))
				if got := k.logSigmoidForm(tv, x); !sameBits(got, want) {
					t.Fatalf("%v t=%v x=%v: %v, want %v", c, tv, x, got, want)
				}
			}
		}
	}
}

// TestMeanSquaredErrorRowsMatchElements checks mean squared error, whose
// rows are now filled in one call, against the elementwise form it had.
func TestMeanSquaredErrorRowsMatchElements(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, b := range []backend.Backend{backend.TensorFlow, backend.JAX, backend.NumPy} {
		for _, c := range floatDTypes {
			for _, shape := range [][]int{{}, {1}, {7}, {3, 40}, {2, 300}, {2, 3, 5}} {
				size := tensor.Size(shape)
				yt, yp := tensor.Zeros(c, shape...), tensor.Zeros(c, shape...)
				copy(yt.Data, edgeRow(r, c, size, true, 0.1))
				copy(yp.Data, edgeRow(r, c, size, true, 0.1))
				got, gotErr := NewMeanSquaredErrorFunc().Values(b, yt, yp)
				q, err := newPair("mean_squared_error", b, yt, yp, true)
				if err != nil {
					t.Fatal(err)
				}
				want, wantErr := q.reduceLast(q.c, rowMean, false, func(t, p float64) float64 {
					e := q.c.Round(t - p)
					return q.c.Round(e * e)
				})
				if (gotErr == nil) != (wantErr == nil) {
					t.Fatalf("%v %v %v: error %v, want %v", b, c, shape, gotErr, wantErr)
				}
				for i := range want.Data {
					if !sameBits(got.Data[i], want.Data[i]) {
						t.Fatalf("%v %v %v [%d]: %v, want %v", b, c, shape, i, got.Data[i], want.Data[i])
					}
				}
			}
		}
	}
}
