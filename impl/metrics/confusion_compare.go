package metrics

import (
	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/parallel"
)

// The general update: every prediction against every threshold.

// compare is the general update over flattened y_true and y_pred (one of
// them may hold a single value, broadcast): each prediction against each
// float32 threshold. Unweighted counts are exact; weighted ones are the
// backend's float32 sum of where(condition, w, 0) over all elements.
func (c *counts) compare(b backend.Backend, t, p, w, thr []float64) {
	n := broadcastLen(len(t), len(p))
	vars := [4][]float64{c.tp, c.fp, c.tn, c.fn}
	if w == nil && len(t) == n && len(p) == n {
		for i, th := range thr {
			cnt := countConditions(t, p, th)
			for k, v := range vars {
				if v != nil {
					v[i] = fl32(v[i] + fl32(float64(cnt[k])))
				}
			}
		}
		return
	}
	at := func(xs []float64, j int) float64 {
		if len(xs) == 1 {
			return xs[0]
		}
		return xs[j]
	}
	var buf [4][]float64
	for k, v := range vars {
		if v != nil && w != nil {
			buf[k] = make([]float64, n)
		}
	}
	for i, th := range thr {
		var cnt [4]int
		parallel.Rows(n, 1, func(lo, hi int) {
			for j := lo; j < hi; j++ {
				k := condition(isTrue(at(t, j)), at(p, j) > th)
				for q, bq := range buf {
					if bq == nil {
						continue
					}
					if q == k {
						bq[j] = at(w, j)
					} else {
						bq[j] = 0
					}
				}
			}
		})
		if w == nil {
			for j := range n {
				cnt[condition(isTrue(at(t, j)), at(p, j) > th)]++
			}
		}
		for k, v := range vars {
			if v == nil {
				continue
			}
			s := fl32(float64(cnt[k]))
			if w != nil {
				s = b.Sum(confusionDType, buf[k], false)
			}
			v[i] = fl32(v[i] + s)
		}
	}
}

// The conditions, indexing counts' variables in compare: tp, fp, tn, fn.
func condition(label, pos bool) int { return conditionOf[b2i(label)<<1|b2i(pos)] }

// conditionOf maps label<<1 | positive to the condition.
var conditionOf = [4]int{2, 1, 3, 0}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// countConditions counts tp, fp, tn, fn of equal-length y_true and y_pred
// at one threshold, over row chunks in parallel (counts add exactly).
func countConditions(t, p []float64, th float64) [4]int {
	const chunk = 1 << 15
	parts := make([][4]int, (len(p)+chunk-1)/chunk)
	parallel.Rows(len(parts), chunk, func(lo, hi int) {
		for q := lo; q < hi; q++ {
			var c [4]int
			for j := q * chunk; j < min((q+1)*chunk, len(p)); j++ {
				c[condition(isTrue(t[j]), p[j] > th)]++
			}
			parts[q] = c
		}
	})
	var total [4]int
	for _, c := range parts {
		for k := range total {
			total[k] += c[k]
		}
	}
	return total
}

// compareMultiLabel is the general update of a multi-label AUC: (B, L)
// inputs, sums over the batch axis (a strided reduction on every backend).
func (c *counts) compareMultiLabel(b backend.Backend, t, p, w, thr []float64, L int) {
	rows := len(p) / max(L, 1)
	col := make([]float64, rows)
	vars := [4][]float64{c.tp, c.fp, c.tn, c.fn}
	for i, th := range thr {
		for l := range L {
			for k, v := range vars {
				if v == nil {
					continue
				}
				cnt := 0
				for r := range rows {
					j := r*L + l
					col[r] = 0
					if condition(isTrue(t[j]), p[j] > th) == k {
						cnt++
						if w != nil {
							col[r] = w[j]
						}
					}
				}
				s := fl32(float64(cnt))
				if w != nil {
					s = b.Sum(confusionDType, col, true)
				}
				v[i*L+l] = fl32(v[i*L+l] + s)
			}
		}
	}
}
