package metrics

import (
	"fmt"
	"math"

	"github.com/kerasparity/kerasparity/impl/internal/kwargs"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// DefaultNumThresholds is Keras's default num_thresholds for AUC and the
// SensitivitySpecificityBase metrics.
const DefaultNumThresholds = 200

// sensitivitySpecificity is SensitivitySpecificityBase: the four confusion
// counts at num_thresholds thresholds [0, 1/(T-1), ..., (T-2)/(T-1), 1]
// (exact 0 and 1, no ε: p = 0 is never positive), or at 0.5 alone when
// num_thresholds is 1; result picks the best value of one rate among the
// thresholds where another rate reaches value.
type sensitivitySpecificity struct {
	state
	value         float64
	numThresholds int
	classID       *int
	thresholds    []float64
	acc           counts
	// constrained and dependent are the rates result compares and returns.
	constrained, dependent rate
}

// rate is one of the rates computed from the four counts.
type rate int

const (
	sensitivity rate = iota // recall, TP / (TP + FN)
	specificity             // TN / (TN + FP)
	precision               // TP / (TP + FP)
)

func newSensitivitySpecificity(name, arg string, value float64, numThresholds int, classID *int, constrained, dependent rate) (
	sensitivitySpecificity, error) {
	if value < 0 || value > 1 {
		return sensitivitySpecificity{}, fmt.Errorf("%s: argument %s must be in the range [0, 1], got %v", name, arg, value)
	}
	if numThresholds <= 0 {
		return sensitivitySpecificity{}, fmt.Errorf("%s: argument num_thresholds must be an integer > 0, got %d", name, numThresholds)
	}
	thr := []float64{0.5}
	if numThresholds > 1 {
		thr = make([]float64, numThresholds)
		for i := 1; i < numThresholds-1; i++ {
			thr[i] = float64(i) * 1.0 / float64(numThresholds-1)
		}
		thr[numThresholds-1] = 1
	}
	return sensitivitySpecificity{
		state: state{Name: name}, value: value, numThresholds: numThresholds, classID: clonePtr(classID),
		thresholds: thr, acc: newCounts(len(thr), true, true, true, true),
		constrained: constrained, dependent: dependent,
	}, nil
}

// UpdateState adds the batch's four confusion counts at every threshold.
func (m *sensitivitySpecificity) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	if err := m.check(); err != nil {
		return err
	}
	u := confusionUpdate{thresholds: m.thresholds, evenly: m.numThresholds > 1, classID: m.classID}
	if err := m.acc.update(m.Backend, yTrue, yPred, sampleWeight, &u); err != nil {
		return fmt.Errorf("%s: %w", m.Name, err)
	}
	return nil
}

// Result returns max(where(constrained >= value, dependent, 0), initial=0)
// over the thresholds, in float32 (value rounded to float32).
func (m *sensitivitySpecificity) Result() tensor.Tensor {
	v := fl32(m.value)
	best := 0.0
	for i := range m.thresholds {
		c, d := m.rate(m.constrained, i), m.rate(m.dependent, i)
		if !(c >= v) {
			d = 0
		}
		if d > best || math.IsNaN(d) {
			best = d
		}
		if math.IsNaN(best) {
			break
		}
	}
	return tensor.Scalar(confusionDType, best)
}

func (m *sensitivitySpecificity) rate(r rate, i int) float64 {
	tp := m.acc.tp[i]
	switch r {
	case sensitivity:
		return divNoNaN32(tp, fl32(tp+m.acc.fn[i]))
	case specificity:
		tn := m.acc.tn[i]
		return divNoNaN32(tn, fl32(tn+m.acc.fp[i]))
	}
	return divNoNaN32(tp, fl32(tp+m.acc.fp[i]))
}

// ResetState zeroes the counts.
func (m *sensitivitySpecificity) ResetState() { m.acc.reset() }

// Thresholds returns the thresholds the metric counts at.
func (m *sensitivitySpecificity) Thresholds() []float64 {
	return append([]float64(nil), m.thresholds...)
}

// SensitivityAtSpecificity is keras.metrics.SensitivityAtSpecificity: the
// best sensitivity among the thresholds whose specificity is >= the given one.
type SensitivityAtSpecificity struct{ sensitivitySpecificity }

// SpecificityAtSensitivity is keras.metrics.SpecificityAtSensitivity.
type SpecificityAtSensitivity struct{ sensitivitySpecificity }

// PrecisionAtRecall is keras.metrics.PrecisionAtRecall.
type PrecisionAtRecall struct{ sensitivitySpecificity }

// RecallAtPrecision is keras.metrics.RecallAtPrecision.
type RecallAtPrecision struct{ sensitivitySpecificity }

// NewSensitivityAtSpecificity returns the metric for the given specificity
// in [0, 1], numThresholds > 0 (Keras's default: DefaultNumThresholds) and
// classID (nil: None).
func NewSensitivityAtSpecificity(specificity float64, numThresholds int, classID *int) (*SensitivityAtSpecificity, error) {
	m, err := sensSpecClasses[0].make(specificity, numThresholds, classID)
	return &SensitivityAtSpecificity{m}, err
}

// NewSpecificityAtSensitivity is NewSensitivityAtSpecificity for
// SpecificityAtSensitivity.
func NewSpecificityAtSensitivity(sensitivity float64, numThresholds int, classID *int) (*SpecificityAtSensitivity, error) {
	m, err := sensSpecClasses[1].make(sensitivity, numThresholds, classID)
	return &SpecificityAtSensitivity{m}, err
}

// NewPrecisionAtRecall is NewSensitivityAtSpecificity for PrecisionAtRecall.
func NewPrecisionAtRecall(recall float64, numThresholds int, classID *int) (*PrecisionAtRecall, error) {
	m, err := sensSpecClasses[2].make(recall, numThresholds, classID)
	return &PrecisionAtRecall{m}, err
}

// NewRecallAtPrecision is NewSensitivityAtSpecificity for RecallAtPrecision.
func NewRecallAtPrecision(precision float64, numThresholds int, classID *int) (*RecallAtPrecision, error) {
	m, err := sensSpecClasses[3].make(precision, numThresholds, classID)
	return &RecallAtPrecision{m}, err
}

type sensSpecClass struct {
	class, name, arg       string
	constrained, dependent rate
}

func (c sensSpecClass) make(value float64, numThresholds int, classID *int) (sensitivitySpecificity, error) {
	return newSensitivitySpecificity(c.name, c.arg, value, numThresholds, classID, c.constrained, c.dependent)
}

var sensSpecClasses = [4]sensSpecClass{
	{"SensitivityAtSpecificity", "sensitivity_at_specificity", "specificity", specificity, sensitivity},
	{"SpecificityAtSensitivity", "specificity_at_sensitivity", "sensitivity", sensitivity, specificity},
	{"PrecisionAtRecall", "precision_at_recall", "recall", sensitivity, precision},
	{"RecallAtPrecision", "recall_at_precision", "precision", precision, sensitivity},
}

// buildSensSpec builds sensSpecClasses[k]. Its constrained value is
// required; a recording decoder (kwargs.Defaults) goes on without it.
func buildSensSpec(k int) build {
	c := sensSpecClasses[k]
	return func(d *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
		var value float64
		if _, ok := d.Raw(c.arg); !ok && !d.Recording() {
			return nil, fmt.Errorf("missing required argument %q", c.arg)
		}
		d.Float(c.arg, &value)
		n := DefaultNumThresholds
		d.Int("num_thresholds", &n)
		var classID *int // None
		d.OptionalInt("class_id", &classID)
		m, err := c.make(value, n, classID)
		if err != nil {
			return nil, err
		}
		m.state = base
		switch k {
		case 0:
			return &SensitivityAtSpecificity{m}, nil
		case 1:
			return &SpecificityAtSensitivity{m}, nil
		case 2:
			return &PrecisionAtRecall{m}, nil
		}
		return &RecallAtPrecision{m}, nil
	}
}
