package metrics

import (
	"fmt"
	"math"
	"slices"

	"github.com/kerasparity/kerasparity/impl/internal/kwargs"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Thresholds and the state the thresholded confusion metrics share.

// evenlyDistributed is is_evenly_distributed_thresholds: at least three
// thresholds, allclose (atol 1e-7, rtol 1e-5) to arange(T)/(T-1) in float32.
func evenlyDistributed(thr []float64) bool {
	n := len(thr)
	if n < 3 {
		return false
	}
	for i, t := range thr {
		e := fl32(float64(i) / float64(n-1))
		if !(math.Abs(t-e) <= 1e-7+1e-5*math.Abs(e)) {
			return false
		}
	}
	return true
}

// divNoNaN32 is ops.divide_no_nan in float32.
func divNoNaN32(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return fl32(a / b)
}

// parseThresholds is parse_init_thresholds: nil gives [def]; every given
// threshold must lie in [0, 1].
func parseThresholds(thresholds []float64, def float64) ([]float64, error) {
	if thresholds == nil {
		return []float64{def}, nil
	}
	var bad []float64
	for _, t := range thresholds {
		if t < 0 || t > 1 { // as Python compares: NaN passes
			bad = append(bad, t)
		}
	}
	if bad != nil {
		return nil, fmt.Errorf("threshold values must be in [0, 1], got %v", bad)
	}
	return slices.Clone(thresholds), nil
}

// bindThresholds reads a thresholds argument: None, a number or a list of
// numbers; nil means None.
func bindThresholds(d *kwargs.Decoder) []float64 {
	d.Record("thresholds", nil)
	v, ok := d.Raw("thresholds")
	if !ok || v == nil {
		return nil
	}
	var one float64
	var list []float64
	d.FloatOrList("thresholds", &one, &list)
	if list == nil {
		if _, isList := v.([]any); isList {
			return []float64{} // an empty list
		}
		return []float64{one}
	}
	return list
}

// vectorResult is a confusion metric's result: the value per threshold, a
// scalar when there is one threshold.
func vectorResult(v []float64) tensor.Tensor {
	if len(v) == 1 {
		return tensor.Scalar(confusionDType, v[0])
	}
	return tensor.Tensor{Shape: []int{len(v)}, DType: confusionDType, Data: slices.Clone(v)}
}

// thresholded is what the metrics with a thresholds argument share.
type thresholded struct {
	state
	thresholds []float64
	evenly     bool
	acc        counts
}

func newThresholded(name string, thresholds []float64, def float64, tp, fp, tn, fn bool) (thresholded, error) {
	thr, err := parseThresholds(thresholds, def)
	if err != nil {
		return thresholded{}, fmt.Errorf("%s: %w", name, err)
	}
	return thresholded{
		state:      state{Name: name},
		thresholds: thr,
		evenly:     evenlyDistributed(thr),
		acc:        newCounts(len(thr), tp, fp, tn, fn),
	}, nil
}

// Thresholds returns the thresholds the metric counts at.
func (m *thresholded) Thresholds() []float64 { return slices.Clone(m.thresholds) }

func (m *thresholded) update(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor, topK, classID *int) error {
	if err := m.check(); err != nil {
		return err
	}
	u := confusionUpdate{thresholds: m.thresholds, evenly: m.evenly, topK: topK, classID: classID}
	if err := m.acc.update(m.Backend, yTrue, yPred, sampleWeight, &u); err != nil {
		return fmt.Errorf("%s: %w", m.Name, err)
	}
	return nil
}

// ResetState zeroes the counts.
func (m *thresholded) ResetState() { m.acc.reset() }
