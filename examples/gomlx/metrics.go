package gomlxport

import (
	"errors"
	"fmt"
	"path"
	"slices"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/metric"
	"github.com/gomlx/gomlx/support/exceptions"

	"github.com/kerasparity/kerasparity/suites/port"
)

// metricFor maps a Keras metric class to the GoMLX metric a GoMLX user would
// build for it: GoMLX's own accuracy metrics, or a metric.MeanMetric over a
// GoMLX loss function (the way GoMLX's trainer turns its loss into the
// "Mean Loss" metric). sparse says the labels are class ids.
func metricFor(c config) (m *metric.MeanMetric, sparse bool, err error) {
	fromLoss := func(name string, ls lossSpec) (*metric.MeanMetric, bool, error) {
		fn := func(_ *model.Scope, labels, predictions []*Node) *Node { return ls.fn(labels, predictions) }
		return metric.NewMeanMetric(name, name, metric.LossMetricType, fn, nil), ls.sparse, nil
	}
	switch c.class {
	case "MeanSquaredError", "MeanAbsoluteError":
		ls, _ := lossFor(c)
		return fromLoss(c.class, ls)
	case "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy":
		ls, err := lossFor(c)
		if err != nil {
			return nil, false, err
		}
		return fromLoss(c.class, ls)
	case "BinaryAccuracy":
		// GoMLX's binary accuracy counts |label - prediction| < 0.5: a
		// threshold of 0.5 and nothing else.
		if err := c.only("threshold", 0.5); err != nil {
			return nil, false, err
		}
		return metric.NewMeanBinaryAccuracy(c.class, c.class), false, nil
	case "SparseCategoricalAccuracy":
		return metric.NewSparseCategoricalAccuracy(c.class, c.class), true, nil
	case "MeanMetricWrapper":
		return wrapperFor(c)
	}
	return nil, false, fmt.Errorf("gomlx: %s: %w", c.class, port.ErrNotImplemented)
}

// wrapperFor maps a MeanMetricWrapper, whose config names the wrapped Keras
// function in fn and its keyword arguments beside it.
func wrapperFor(c config) (*metric.MeanMetric, bool, error) {
	fn, _ := c.cfg["fn"].(map[string]any)
	name, _ := fn["config"].(string)
	if name == "" {
		return nil, false, c.notImplemented("fn")
	}
	inner := config{class: name, cfg: c.cfg}
	if name == "binary_accuracy" {
		if err := inner.only("threshold", 0.5); err != nil {
			return nil, false, err
		}
		return metric.NewMeanBinaryAccuracy(name, name), false, nil
	}
	ls, err := lossFor(inner)
	if err != nil {
		return nil, false, err
	}
	f := func(_ *model.Scope, labels, predictions []*Node) *Node { return ls.fn(labels, predictions) }
	return metric.NewMeanMetric(name, name, metric.LossMetricType, f, nil), ls.sparse, nil
}

// NewMetric builds a stateful metric: a GoMLX metric with its own variable
// store, updated by a model.Exec over metric.Interface.UpdateGraph (what
// GoMLX's trainer runs in its eval step) and reset with
// metric.Interface.Reset.
func (p *gomlxPort) NewMetric(s port.Spec) (port.Metric, error) {
	if s.Kind != "metric" {
		return nil, fmt.Errorf("gomlx: kind %q is not a metric: %w", s.Kind, port.ErrNotImplemented)
	}
	c := config{class: s.Class, cfg: s.Config}
	m, sparse, err := metricFor(c)
	if err != nil {
		return nil, err
	}
	// GoMLX metrics have no dtype: MeanMetric computes in the dtype of the
	// values it is given and returns that (float32 for float16/bfloat16).
	// So the inputs are passed in their own dtype, and a metric dtype other
	// than Keras's default float32 cannot be asked for.
	if err := c.only("dtype", "float32"); err != nil {
		return nil, err
	}
	b, err := p.compute()
	if err != nil {
		return nil, err
	}
	store := model.NewStore()
	e, err := model.NewExec(b, store, func(scope *model.Scope, inputs []*Node) *Node {
		labels := append([]*Node{inputs[0]}, inputs[2:]...)
		return m.UpdateGraph(scope, labels, []*Node{inputs[1]})
	})
	if err != nil {
		return nil, err
	}
	e.SetMaxCache(-1)
	return &metricAdapter{m: m, store: store, exec: e, sparse: sparse}, nil
}

type metricAdapter struct {
	m      *metric.MeanMetric
	store  *model.Store
	exec   *model.Exec
	sparse bool
	last   *port.Array  // what the last UpdateGraph returned; nil after a reset
	seen   dtypes.DType // the dtype of the last predictions given
}

func (a *metricAdapter) UpdateState(yTrue, yPred port.Array, sampleWeight *port.Array) error {
	args, err := inputs(yTrue, yPred, sampleWeight, dtypes.InvalidDType, a.sparse)
	if err != nil {
		return err
	}
	a.seen, _ = dtypeOf(yPred.DType)
	out, err := a.exec.Exec(args...)
	if err != nil {
		return execError(err)
	}
	if len(out) == 0 {
		return errors.New("gomlx: the metric graph returned no output")
	}
	v, err := fromTensor(out[len(out)-1])
	if err != nil {
		return err
	}
	a.last = &v
	return nil
}

// Result is the value GoMLX's MeanMetric returned from its last update.
// GoMLX has no result() of its own: a metric's value is the output of
// UpdateGraph, total/weight over the batches seen. With no batch since the
// last reset, Result computes the same total/weight from the metric's
// variables, both 0 after Reset, so the value is 0/0 = NaN, in the dtype
// of the metric's variables (float32 for float16/bfloat16 inputs, which
// MeanMetric promotes).
func (a *metricAdapter) Result() (port.Array, error) {
	if a.last != nil {
		return port.Array{Shape: slices.Clone(a.last.Shape), DType: a.last.DType, Data: slices.Clone(a.last.Data)}, nil
	}
	d := a.seen // the dtype MeanMetric would have kept its variables in
	if d == dtypes.InvalidDType || d == dtypes.Float16 || d == dtypes.BFloat16 {
		d = dtypes.Float32
	}
	total, weight := 0.0, 0.0
	scope := a.store.Scope(path.Join("/", metric.Scope, a.m.ScopeName()))
	if tv, wv := scope.GetVariable("total"), scope.GetVariable("weight"); tv != nil && wv != nil {
		tt, err := tv.Value()
		if err != nil {
			return port.Array{}, err
		}
		wt, err := wv.Value()
		if err != nil {
			return port.Array{}, err
		}
		t, err := fromTensor(tt)
		if err != nil {
			return port.Array{}, err
		}
		w, err := fromTensor(wt)
		if err != nil {
			return port.Array{}, err
		}
		total, weight, d = t.Data[0], w.Data[0], tt.DType()
	}
	name, err := kerasName(d)
	if err != nil {
		return port.Array{}, err
	}
	v := total / weight
	if d == dtypes.Float32 {
		v = float64(float32(v))
	}
	return port.Array{Shape: []int{}, DType: name, Data: []float64{v}}, nil
}

// ResetState calls GoMLX's Reset, which zeroes the metric's variables.
func (a *metricAdapter) ResetState() {
	_ = exceptions.TryCatch[error](func() { a.m.Reset(a.store.RootScope()) })
	a.last = nil
}
