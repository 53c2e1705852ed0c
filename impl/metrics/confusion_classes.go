package metrics

import (
	"github.com/kerasparity/kerasparity/impl/internal/kwargs"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// The confusion-count classes (TruePositives, FalsePositives,
// TrueNegatives, FalseNegatives) and Precision and Recall.

// conditionCount is _ConfusionMatrixConditionCount: the weighted count of
// one cell of the confusion matrix per threshold.
type conditionCount struct{ thresholded }

func newConditionCount(name string, thresholds []float64, cell int) (conditionCount, error) {
	t, err := newThresholded(name, thresholds, 0.5, cell == 0, cell == 1, cell == 2, cell == 3)
	return conditionCount{thresholded: t}, err
}

func (m *conditionCount) values() []float64 {
	for _, v := range [][]float64{m.acc.tp, m.acc.fp, m.acc.tn, m.acc.fn} {
		if v != nil {
			return v
		}
	}
	return nil
}

// UpdateState adds the batch's weighted count at each threshold.
func (m *conditionCount) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.update(yTrue, yPred, sampleWeight, nil, nil)
}

// Result returns the counts, a scalar for one threshold.
func (m *conditionCount) Result() tensor.Tensor { return vectorResult(m.values()) }

// TruePositives is keras.metrics.TruePositives: the weighted number of
// positive labels (y_true != 0) predicted positive (y_pred > threshold).
type TruePositives struct{ conditionCount }

// FalsePositives is keras.metrics.FalsePositives.
type FalsePositives struct{ conditionCount }

// TrueNegatives is keras.metrics.TrueNegatives.
type TrueNegatives struct{ conditionCount }

// FalseNegatives is keras.metrics.FalseNegatives.
type FalseNegatives struct{ conditionCount }

// NewTruePositives returns the metric counting at thresholds (nil: Keras's
// default, 0.5). Thresholds outside [0, 1] are refused, as Keras refuses them.
func NewTruePositives(thresholds []float64) (*TruePositives, error) {
	c, err := newConditionCount("true_positives", thresholds, 0)
	return &TruePositives{c}, err
}

// NewFalsePositives is NewTruePositives for false positives.
func NewFalsePositives(thresholds []float64) (*FalsePositives, error) {
	c, err := newConditionCount("false_positives", thresholds, 1)
	return &FalsePositives{c}, err
}

// NewTrueNegatives is NewTruePositives for true negatives.
func NewTrueNegatives(thresholds []float64) (*TrueNegatives, error) {
	c, err := newConditionCount("true_negatives", thresholds, 2)
	return &TrueNegatives{c}, err
}

// NewFalseNegatives is NewTruePositives for false negatives.
func NewFalseNegatives(thresholds []float64) (*FalseNegatives, error) {
	c, err := newConditionCount("false_negatives", thresholds, 3)
	return &FalseNegatives{c}, err
}

// precisionRecall is what Precision and Recall share: thresholds (NEG_INF
// by default when top_k is set), top_k and class_id.
type precisionRecall struct {
	thresholded
	topK, classID *int
	recall        bool
}

func newPrecisionRecall(name string, thresholds []float64, topK, classID *int, recall bool) (precisionRecall, error) {
	def := 0.5
	if topK != nil {
		def = negInf
	}
	t, err := newThresholded(name, thresholds, def, true, !recall, false, recall)
	return precisionRecall{t, clonePtr(topK), clonePtr(classID), recall}, err
}

func clonePtr(p *int) *int {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// UpdateState adds the batch's true positives and false positives (or
// false negatives, for Recall).
func (m *precisionRecall) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	return m.update(yTrue, yPred, sampleWeight, m.topK, m.classID)
}

// Result returns divide_no_nan(TP, TP + FP) (Recall: TP + FN) per
// threshold, a scalar for one threshold.
func (m *precisionRecall) Result() tensor.Tensor {
	other := m.acc.fp
	if m.recall {
		other = m.acc.fn
	}
	out := make([]float64, len(m.acc.tp))
	for i, tp := range m.acc.tp {
		out[i] = divNoNaN32(tp, fl32(tp+other[i]))
	}
	return vectorResult(out)
}

// Precision is keras.metrics.Precision: TP / (TP + FP) at each threshold,
// optionally over the top_k predictions of each row and for one class_id.
type Precision struct{ precisionRecall }

// Recall is keras.metrics.Recall: TP / (TP + FN).
type Recall struct{ precisionRecall }

// NewPrecision returns the metric with the given thresholds (nil: 0.5, or
// NEG_INF when topK is set), top_k and class_id (nil: None).
func NewPrecision(thresholds []float64, topK, classID *int) (*Precision, error) {
	p, err := newPrecisionRecall("precision", thresholds, topK, classID, false)
	return &Precision{p}, err
}

// NewRecall is NewPrecision for recall.
func NewRecall(thresholds []float64, topK, classID *int) (*Recall, error) {
	p, err := newPrecisionRecall("recall", thresholds, topK, classID, true)
	return &Recall{p}, err
}

// buildConditionCount builds the confusion-count class of cell (0 true
// positives, 1 false positives, 2 true negatives, 3 false negatives).
func buildConditionCount(cell int) build {
	return func(d *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
		m, err := newConditionCount(base.Name, bindThresholds(d), cell)
		if err != nil {
			return nil, err
		}
		m.state = base
		switch cell {
		case 0:
			return &TruePositives{m}, nil
		case 1:
			return &FalsePositives{m}, nil
		case 2:
			return &TrueNegatives{m}, nil
		}
		return &FalseNegatives{m}, nil
	}
}

// buildPrecisionRecall builds Precision, or Recall if recall is set.
func buildPrecisionRecall(recall bool) build {
	return func(d *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
		thr := bindThresholds(d)
		var topK, classID *int // None
		d.OptionalInt("top_k", &topK)
		d.OptionalInt("class_id", &classID)
		m, err := newPrecisionRecall(base.Name, thr, topK, classID, recall)
		if err != nil {
			return nil, err
		}
		m.state = base
		if recall {
			return &Recall{m}, nil
		}
		return &Precision{m}, nil
	}
}
