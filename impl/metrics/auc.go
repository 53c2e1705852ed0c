package metrics

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/kwargs"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// AUCConfig holds the constructor arguments of keras.metrics.AUC (name and
// dtype aside). DefaultAUCConfig gives Keras's defaults.
type AUCConfig struct {
	// NumThresholds is the number of thresholds, endpoints included; it must
	// exceed 1. Ignored when Thresholds is set.
	NumThresholds int
	// Curve is "ROC", "PR" or "PRGAIN" (or "roc", "pr", "prgain").
	Curve string
	// SummationMethod is "interpolation", "majoring" or "minoring" (or
	// capitalised).
	SummationMethod string
	// Thresholds, if not nil, replaces the evenly spaced thresholds; they
	// are sorted and the endpoints -ε and 1+ε are added.
	Thresholds []float64
	// MultiLabel computes one curve per label (y_pred must be rank 2) and
	// averages their AUCs; otherwise every value is pooled.
	MultiLabel bool
	// NumLabels (multi-label only; 0 means None) fixes the number of labels
	// instead of taking it from the first y_pred.
	NumLabels int
	// LabelWeights, if not nil, weigh the labels: multiplied into the
	// weights along y_pred's last axis when pooled, used to average the
	// per-label AUCs when multi-label.
	LabelWeights []float64
	// FromLogits applies a sigmoid to y_pred first.
	FromLogits bool
}

// DefaultAUCConfig returns Keras's defaults: 200 thresholds, ROC curve,
// interpolation.
func DefaultAUCConfig() AUCConfig {
	return AUCConfig{NumThresholds: DefaultNumThresholds, Curve: "ROC", SummationMethod: "interpolation"}
}

// AUC is keras.metrics.AUC: the area under the ROC, precision-recall or
// precision-recall-gain curve, approximated by a Riemann sum over the
// confusion counts at a set of thresholds.
type AUC struct {
	state
	cfg           AUCConfig
	numThresholds int
	thresholds    []float64 // with the endpoints -ε and 1+ε
	evenly        bool
	curve         string // ROC, PR or PRGAIN
	summation     string // interpolation, majoring or minoring
	built         bool
	labels        int // the number of labels of a multi-label AUC
	acc           counts
}

// NewAUC returns the metric for config c, refusing what Keras refuses:
// num_thresholds <= 1 (without thresholds), an unknown curve or summation
// method, num_labels without multi_label.
func NewAUC(c AUCConfig) (*AUC, error) {
	m := &AUC{state: state{Name: "auc"}, cfg: c}
	m.cfg.Thresholds = slices.Clone(c.Thresholds)
	m.cfg.LabelWeights = slices.Clone(c.LabelWeights)
	var inner []float64
	if c.Thresholds != nil {
		m.numThresholds = len(c.Thresholds) + 2
		inner = slices.Clone(c.Thresholds)
		slices.Sort(inner)
		m.evenly = evenlyDistributed(append(append([]float64{0}, inner...), 1))
	} else {
		if c.NumThresholds <= 1 {
			return nil, fmt.Errorf("auc: argument num_thresholds must be an integer > 1, got %d", c.NumThresholds)
		}
		m.numThresholds = c.NumThresholds
		inner = make([]float64, c.NumThresholds-2)
		for i := range inner {
			inner[i] = float64(i+1) * 1.0 / float64(c.NumThresholds-1)
		}
		m.evenly = true
	}
	m.thresholds = append(append([]float64{0 - tensor.Epsilon}, inner...), 1+tensor.Epsilon)
	switch c.Curve {
	case "ROC", "roc":
		m.curve = "ROC"
	case "PR", "pr":
		m.curve = "PR"
	case "PRGAIN", "prgain":
		m.curve = "PRGAIN"
	default:
		return nil, fmt.Errorf(`auc: invalid AUC curve value %q, expected one of "PR", "ROC", "PRGAIN"`, c.Curve)
	}
	switch c.SummationMethod {
	case "interpolation", "Interpolation", "majoring", "Majoring", "minoring", "Minoring":
		m.summation = strings.ToLower(c.SummationMethod)
	default:
		return nil, fmt.Errorf(`auc: invalid AUC summation method value %q, expected one of "interpolation", "majoring", "minoring"`,
			c.SummationMethod)
	}
	if c.NumLabels < 0 {
		return nil, fmt.Errorf("auc: num_labels must not be negative, got %d", c.NumLabels)
	}
	if c.MultiLabel {
		if c.NumLabels != 0 {
			m.build(c.NumLabels)
		}
	} else {
		if c.NumLabels != 0 {
			return nil, fmt.Errorf("auc: num_labels is needed only when multi_label is True")
		}
		m.build(0)
	}
	return m, nil
}

func (m *AUC) build(labels int) {
	m.labels = labels
	m.acc = newCounts(m.numThresholds*max(labels, 1), true, true, true, true)
	m.built = true
}

// Thresholds returns the thresholds, endpoints included.
func (m *AUC) Thresholds() []float64 { return slices.Clone(m.thresholds) }

// labelWeights returns the label weights as Keras holds them: an array of
// the metric dtype.
func (m *AUC) labelWeights() *tensor.Tensor {
	if m.cfg.LabelWeights == nil {
		return nil
	}
	d := m.Backend.Materialize(m.DType)
	lw := tensor.Tensor{Shape: []int{len(m.cfg.LabelWeights)}, DType: d, Data: slices.Clone(m.cfg.LabelWeights)}
	d.RoundAll(lw.Data)
	return &lw
}

// UpdateState adds the batch's four confusion counts at every threshold.
// A multi-label AUC takes its number of labels from the first y_pred, which
// must be rank 2.
func (m *AUC) UpdateState(yTrue, yPred tensor.Tensor, sampleWeight *tensor.Tensor) error {
	if err := m.check(); err != nil {
		return err
	}
	if err := yPred.Validate(); err != nil {
		return fmt.Errorf("%s: y_pred: %w", m.Name, err)
	}
	if !m.built {
		if yPred.Rank() != 2 {
			return fmt.Errorf("%s: %w: y_pred must have rank 2 when multi_label=True, got shape %v", m.Name, tensor.ErrShape, yPred.Shape)
		}
		m.build(yPred.Shape[1])
	}
	u := confusionUpdate{
		thresholds: m.thresholds, evenly: m.evenly,
		multiLabel: m.cfg.MultiLabel, labels: m.labels,
	}
	if !m.cfg.MultiLabel {
		u.labelWeights = m.labelWeights()
	}
	p := yPred
	if m.cfg.FromLogits {
		p = sigmoid(m.Backend, yPred)
	}
	if err := m.acc.update(m.Backend, yTrue, p, sampleWeight, &u); err != nil {
		return fmt.Errorf("%s: %w", m.Name, err)
	}
	return nil
}

// sigmoid is keras.activations.sigmoid, computed in the dtype ops.sigmoid
// gives x.
func sigmoid(b backend.Backend, x tensor.Tensor) tensor.Tensor {
	d := b.FloatCompute(x.DType)
	out := tensor.Tensor{Shape: x.Shape, DType: d, Data: make([]float64, len(x.Data))}
	for i, v := range x.Data {
		out.Data[i] = b.Sigmoid(d, d.Round(v))
	}
	return out
}

// ResetState zeroes the counts (of a built metric).
func (m *AUC) ResetState() { m.acc.reset() }

// Result returns the AUC; see TryResult. Where Keras's result() raises it
// returns a NaN scalar.
func (m *AUC) Result() tensor.Tensor {
	r, err := m.TryResult()
	if err != nil {
		return tensor.Scalar(confusionDType, math.NaN())
	}
	return r
}

// TryResult returns the AUC, or the error Keras's result() raises: a
// multi-label AUC that has not seen y_pred yet has no variables, and label
// weights must match its number of labels.
//
// With TPR = TP/(TP+FN), FPR = FP/(FP+TN) and precision = TP/(TP+FP)
// (divide_no_nan, float32), consecutive thresholds i, i+1 give the terms
// (x_i - x_{i+1})·h_i, h_i the mean (interpolation), min (minoring) or max
// (majoring) of y_i and y_{i+1}: ROC plots TPR against FPR, PR precision
// against recall, PRGAIN precision gain against recall gain. PR with
// interpolation uses Davis & Goadrich's closed form instead. The terms are
// summed; a multi-label AUC averages its per-label sums, weighted by the
// label weights if any.
func (m *AUC) TryResult() (tensor.Tensor, error) {
	if !m.built {
		return tensor.Tensor{}, fmt.Errorf("%s: 'AUC' object has no attribute 'true_positives': a multi-label AUC has no variables before its first update", m.Name)
	}
	L := max(m.labels, 1)
	T := m.numThresholds
	terms := make([]float64, (T-1)*L)
	for i := range T - 1 {
		for l := range L {
			terms[i*L+l] = m.term(i*L+l, (i+1)*L+l)
		}
	}
	if !m.cfg.MultiLabel {
		return tensor.Scalar(confusionDType, m.Backend.Sum(confusionDType, terms, false)), nil
	}
	byLabel := make([]float64, L)
	col := make([]float64, T-1)
	for l := range L {
		for i := range col {
			col[i] = terms[i*L+l]
		}
		byLabel[l] = m.Backend.Sum(confusionDType, col, true)
	}
	lw := m.labelWeights()
	if lw == nil {
		return tensor.Scalar(confusionDType, m.Backend.Mean(confusionDType, byLabel, false)), nil
	}
	if n := len(lw.Data); n != L && n != 1 {
		return tensor.Tensor{}, fmt.Errorf("%s: %w: label_weights of shape %v do not match the %d labels", m.Name, tensor.ErrShape, lw.Shape, L)
	}
	return weightedLabelMean(m.Backend, byLabel, *lw), nil
}

// weightedLabelMean is divide_no_nan(sum(auc·lw), sum(lw)) in the dtypes
// Keras computes them: float64 on TensorFlow for float64 label weights,
// float32 otherwise (NumPy and JAX narrow float64; halves promote).
func weightedLabelMean(b backend.Backend, byLabel []float64, lw tensor.Tensor) tensor.Tensor {
	ld := b.Implicit(lw.DType)
	pd := tensor.PromoteFloat(ld, tensor.Float32)
	w := make([]float64, len(lw.Data))
	for i, v := range lw.Data {
		w[i] = ld.Round(v)
	}
	prods := make([]float64, len(byLabel))
	for i, a := range byLabel {
		prods[i] = pd.Round(a * w[min(i, len(w)-1)])
	}
	num := b.Sum(pd, prods, false)
	den := b.SumAll(ld, w)
	if den == 0 {
		return tensor.Scalar(pd, 0)
	}
	return tensor.Scalar(pd, num/den)
}

// term is the Riemann term between thresholds at offsets i and j (j the
// next threshold) of the variables.
func (m *AUC) term(i, j int) float64 {
	tp, fp, tn, fn := m.acc.tp, m.acc.fp, m.acc.tn, m.acc.fn
	if m.curve == "PR" && m.summation == "interpolation" {
		return prInterpolationTerm(tp[i], fp[i], tp[j], fp[j], fn[j])
	}
	var xi, xj, yi, yj float64
	switch m.curve {
	case "ROC":
		xi, xj = divNoNaN32(fp[i], fl32(fp[i]+tn[i])), divNoNaN32(fp[j], fl32(fp[j]+tn[j]))
		yi, yj = divNoNaN32(tp[i], fl32(tp[i]+fn[i])), divNoNaN32(tp[j], fl32(tp[j]+fn[j]))
	case "PR":
		xi, xj = divNoNaN32(tp[i], fl32(tp[i]+fn[i])), divNoNaN32(tp[j], fl32(tp[j]+fn[j]))
		yi, yj = divNoNaN32(tp[i], fl32(tp[i]+fp[i])), divNoNaN32(tp[j], fl32(tp[j]+fp[j]))
	default:
		xi, yi = prGain(tp[i], fp[i], tn[i], fn[i])
		xj, yj = prGain(tp[j], fp[j], tn[j], fn[j])
	}
	var h float64
	switch m.summation {
	case "interpolation":
		h = fl32(fl32(yi+yj) / 2)
	case "minoring":
		h = nanMin(yi, yj)
	default:
		h = nanMax(yi, yj)
	}
	return fl32(fl32(xi-xj) * h)
}

// prGain returns the recall gain and precision gain of one threshold:
// k = (TP+FN)/(TN+FP), rg = 1 - k·FN/TP, pg = 1 - k·FP/TP (divide_no_nan);
// where TP is 0, rg = 0 and pg = 1; rg is floored at 0.
func prGain(tp, fp, tn, fn float64) (rg, pg float64) {
	k := divNoNaN32(fl32(tp+fn), fl32(tn+fp))
	rg = fl32(1 - fl32(k*divNoNaN32(fn, tp)))
	pg = fl32(1 - fl32(k*divNoNaN32(fp, tp)))
	if tp == 0 {
		rg, pg = 0, 1
	}
	return nanMax(rg, 0), pg
}

// prInterpolationTerm is interpolate_pr_auc's increment between thresholds
// A (tpA, fpA) and B (tpB, fpB, fnB): with P = TP+FP,
// slope = dTP / max(dP, 0), intercept = TP_B - slope·P_B,
// ratio = P_A / max(P_B, 0) if both are positive else 1,
// term = slope·(dTP + intercept·log(ratio)) / max(TP_B + FN_B, 0).
func prInterpolationTerm(tpA, fpA, tpB, fpB, fnB float64) float64 {
	dtp := fl32(tpA - tpB)
	pA, pB := fl32(tpA+fpA), fl32(tpB+fpB)
	dp := fl32(pA - pB)
	slope := divNoNaN32(dtp, nanMax(dp, 0))
	intercept := fl32(tpB - fl32(slope*pB))
	ratio := 1.0
	if pA > 0 && pB > 0 {
		ratio = divNoNaN32(pA, nanMax(pB, 0))
	}
	num := fl32(slope * fl32(dtp+fl32(intercept*fl32(math.Log(ratio)))))
	return divNoNaN32(num, nanMax(fl32(tpB+fnB), 0))
}

// nanMax and nanMin are ops.maximum and ops.minimum: NaN propagates.
func nanMax(a, b float64) float64 {
	if a != a || b != b {
		return math.NaN()
	}
	return max(a, b)
}

func nanMin(a, b float64) float64 {
	if a != a || b != b {
		return math.NaN()
	}
	return min(a, b)
}

// buildAUC binds AUC's arguments onto DefaultAUCConfig.
func buildAUC(d *kwargs.Decoder, _ map[string]any, base state) (Metric, error) {
	c := DefaultAUCConfig()
	d.Int("num_thresholds", &c.NumThresholds)
	d.String("curve", &c.Curve)
	d.String("summation_method", &c.SummationMethod)
	d.Record("thresholds", anyList(c.Thresholds))
	if v, ok := d.Raw("thresholds"); ok && v != nil {
		if _, isList := v.([]any); !isList {
			return nil, fmt.Errorf("thresholds=%v: want a list of numbers (Keras takes its len)", v)
		}
		var one float64
		d.FloatOrList("thresholds", &one, &c.Thresholds)
		if c.Thresholds == nil {
			c.Thresholds = []float64{}
		}
	}
	d.Bool("multi_label", &c.MultiLabel)
	var numLabels *int // None: c.NumLabels is 0 for "unknown"
	d.OptionalInt("num_labels", &numLabels)
	if numLabels != nil {
		c.NumLabels = *numLabels
	}
	d.Record("label_weights", anyList(c.LabelWeights))
	if v, ok := d.Raw("label_weights"); ok && v != nil {
		var one float64
		d.FloatOrList("label_weights", &one, &c.LabelWeights)
		if c.LabelWeights == nil {
			c.LabelWeights = []float64{one}
		}
	}
	d.Bool("from_logits", &c.FromLogits)
	m, err := NewAUC(c)
	if err != nil {
		return nil, err
	}
	m.state = base
	return m, nil
}
