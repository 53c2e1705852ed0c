package report_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/report"
)

// resultEntry wraps a CaseResult as the conformance suites attach it.
func resultEntry(r report.CaseResult) types.ReportEntry {
	return types.ReportEntry{Name: report.EntryName, Value: types.WrapEntryValue(r)}
}

// spec is a spec report for a case, in the state the conformance suite
// leaves it for the result's outcome.
func spec(r report.CaseResult) types.SpecReport {
	text := "[" + r.Backend + "] " + r.ID
	s := types.SpecReport{
		ContainerHierarchyTexts: []string{"kerasparity/impl"},
		LeafNodeType:            types.NodeTypeIt,
		LeafNodeText:            text,
		LeafNodeLocation:        types.CodeLocation{FileName: "/src/suites/conformance/suite.go", LineNumber: 96},
		LeafNodeLabels:          []string{"class:" + r.Class, "kind:" + r.Kind, "backend:" + r.Backend, "dtype:" + r.DType},
		State:                   types.SpecStatePassed,
		RunTime:                 80 * time.Microsecond,
		NumAttempts:             1,
		ReportEntries:           types.ReportEntries{resultEntry(r)},
		SpecEvents: types.SpecEvents{
			{SpecEventType: types.SpecEventNodeStart, Message: text, NodeType: types.NodeTypeIt, CodeLocation: types.CodeLocation{FileName: "/src/suites/conformance/suite.go", LineNumber: 96}},
			{SpecEventType: types.SpecEventNodeEnd, Message: text, NodeType: types.NodeTypeIt, Duration: 80 * time.Microsecond, CodeLocation: types.CodeLocation{FileName: "/src/suites/conformance/suite.go", LineNumber: 96}},
		},
	}
	switch r.Outcome {
	case report.NotPorted:
		s.State = types.SpecStateSkipped
		s.Failure.Message = "not ported: " + r.Detail
	case report.Fail, report.Error:
		s.State = types.SpecStateFailed
		s.Failure.Message = r.Detail
		s.Failure.Location = types.CodeLocation{FileName: "/src/suites/conformance/suite.go", LineNumber: 104}
	}
	return s
}

// suiteReport is a Ginkgo report holding the given specs.
func suiteReport(specs ...types.SpecReport) types.Report {
	start := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	return types.Report{
		SuitePath: "/src/suites/conformance", SuiteDescription: "Keras conformance",
		SuiteSucceeded: true, StartTime: start, EndTime: start.Add(1500 * time.Millisecond), RunTime: 1500 * time.Millisecond,
		PreRunStats: types.PreRunStats{TotalSpecs: len(specs), SpecsThatWillRun: len(specs)},
		SpecReports: specs,
	}
}

// writeReport writes a report with Ginkgo's own --json-report writer, and
// returns the path.
func writeReport(dir string, r types.Report) string {
	path := filepath.Join(dir, "ginkgo.json")
	if err := reporters.GenerateJSONReport(r, path); err != nil {
		panic(err)
	}
	return path
}

// writeRunInfo writes info as the conformance suite does, and returns the path.
func writeRunInfo(dir string, info report.RunInfo) string {
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		panic(err)
	}
	path := filepath.Join(dir, report.RunInfoFile)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		panic(err)
	}
	return path
}

// synthetic makes n plausible cases over many classes, backends, dtypes and
// configs, with the outcomes and error sizes a young port might show.
func synthetic(n int, seed uint64) ([]report.CaseResult, report.RunInfo) {
	rng := rand.New(rand.NewPCG(seed, 1))
	type class struct {
		name, kind string
		params     map[string][]string
	}
	red := []string{"sum", "sum_over_batch_size", "none", "mean"}
	classes := []class{
		{"MeanSquaredError", "loss", map[string][]string{"reduction": red}},
		{"MeanAbsoluteError", "loss", map[string][]string{"reduction": red}},
		{"BinaryCrossentropy", "loss", map[string][]string{"reduction": red, "from_logits": {"true", "false"}, "label_smoothing": {"0", "0.1"}}},
		{"CategoricalCrossentropy", "loss", map[string][]string{"reduction": red, "from_logits": {"true", "false"}, "label_smoothing": {"0", "0.1", "0.2"}}},
		{"SparseCategoricalCrossentropy", "loss", map[string][]string{"reduction": red, "from_logits": {"true", "false"}, "ignore_class": {"none", "0"}}},
		{"Huber", "loss", map[string][]string{"reduction": red, "delta": {"1", "0.5"}}},
		{"KLDivergence", "loss", map[string][]string{"reduction": red}},
		{"Poisson", "loss", map[string][]string{"reduction": red}},
		{"Hinge", "loss", map[string][]string{"reduction": red}},
		{"LogCosh", "loss", map[string][]string{"reduction": red}},
		{"Accuracy", "metric", nil},
		{"BinaryAccuracy", "metric", map[string][]string{"threshold": {"0.5", "0.7"}}},
		{"AUC", "metric", map[string][]string{"num_thresholds": {"200", "50"}, "curve": {"ROC", "PR"}}},
		{"Precision", "metric", map[string][]string{"thresholds": {"none", "0.5"}}},
		{"MeanIoU", "metric", map[string][]string{"num_classes": {"3", "5"}}},
	}
	backends := []string{"jax", "numpy", "tensorflow"}
	dtypes := []string{"float32", "float32", "float32", "float32", "float64", "float64", "float16", "bfloat16"}
	short := map[string]string{"float32": "f32", "float64": "f64", "float16": "f16", "bfloat16": "bf16"}
	eps := map[string]float64{"float32": 0x1p-23, "float64": 0x1p-52, "float16": 0x1p-10, "bfloat16": 0x1p-7}
	edges := []string{"nan", "inf", "empty_batch", "zero_weights", "large_logits", "all_ignored"}
	var out []report.CaseResult
	for i := range n {
		c := classes[rng.IntN(len(classes))]
		backend := backends[rng.IntN(len(backends))]
		dtype := dtypes[rng.IntN(len(dtypes))]
		r := report.CaseResult{Kind: c.kind, Class: c.name, Backend: backend, DType: dtype, Params: map[string]string{}, Steps: 1}
		id := c.name
		for _, k := range []string{"from_logits", "label_smoothing", "reduction", "delta", "ignore_class", "threshold", "thresholds", "num_thresholds", "curve", "num_classes"} {
			if vs, ok := c.params[k]; ok {
				v := vs[rng.IntN(len(vs))]
				r.Params[k] = v
				id += "/" + k + "=" + v
			}
		}
		if c.kind == "metric" {
			r.Steps = 4
		}
		if rng.IntN(6) == 0 {
			r.Edges = []string{edges[rng.IntN(len(edges))]}
		}
		r.ID = fmt.Sprintf("%s/%s/%04d", id, short[dtype], i)
		r.Rerun = "make conformance FOCUS='" + regexp.QuoteMeta("["+backend+"] "+r.ID) + "$'"
		ulp := 0.0
		if rng.IntN(5) > 1 {
			ulp = math.Floor(math.Exp2(rng.ExpFloat64() * 1.3))
		}
		want := rng.NormFloat64() * 3
		tol := reference.Tolerance{ATol: 8 * eps[dtype], RTol: 16 * eps[dtype], Reason: "default for " + dtype + ": 16 ULP of Keras's order of operations"}
		r.Stats = &reference.Stats{Elements: 8 + rng.IntN(120), MaxULP: ulp, MaxAbs: ulp * eps[dtype] * math.Abs(want), MaxRel: ulp * eps[dtype],
			WorstIndex: []int{rng.IntN(8), rng.IntN(4)}, Want: want, Got: want * (1 + ulp*eps[dtype]), Tolerance: tol}
		r.Outcome = report.Pass
		switch p := rng.IntN(1000); {
		case c.name == "Hinge" || (c.name == "LogCosh" && backend != "numpy"):
			r.Outcome, r.Stats, r.Detail = report.NotPorted, nil, "construct: not implemented: "+c.name
		case c.name == "SparseCategoricalCrossentropy" && backend == "tensorflow" && r.Params["from_logits"] == "false":
			r.Outcome = report.KnownDivergence
			r.Divergence = "TensorFlow renormalises probabilities that do not sum to 1; the port follows the documented formula"
			r.Stats.MaxULP, r.Stats.Mismatches = 1<<14+float64(rng.IntN(999)), 3
			r.Detail = "step 1 (call): 3 of 16 values outside tolerance"
			if rng.IntN(10) == 0 {
				r.Outcome, r.Stats.MaxULP, r.Stats.Mismatches, r.Detail = report.XPass, 2, 0, ""
			}
		case p < 20:
			r.Outcome = report.Fail
			r.Stats.MaxULP, r.Stats.Mismatches = float64(int(1)<<(6+rng.IntN(18))), 1+rng.IntN(5)
			r.Stats.MaxAbs, r.Stats.MaxRel = r.Stats.MaxULP*eps[dtype]*math.Abs(want), r.Stats.MaxULP*eps[dtype]
			r.Stats.Got = want * (1 + r.Stats.MaxRel)
			r.Detail = fmt.Sprintf("step %d (%s): %d of %d values outside tolerance; worst at %v", r.Steps, map[string]string{"loss": "call", "metric": "update"}[c.kind], r.Stats.Mismatches, r.Stats.Elements, r.Stats.WorstIndex)
		case p < 24:
			r.Outcome = report.Fail
			r.Stats.MaxULP, r.Stats.MaxAbs, r.Stats.MaxRel, r.Stats.Got, r.Stats.Mismatches = math.Inf(1), math.NaN(), math.NaN(), math.NaN(), 1
			r.Detail = "step 1 (call): got NaN where Keras gave " + fmt.Sprint(want)
		case p < 28:
			r.Outcome, r.Stats = report.Error, nil
			r.Detail = "step 2 (update): the port returned 3 values for shape [2]"
		case p < 40:
			r.Outcome, r.Stats, r.Detail = report.NotPorted, nil, "construct: not implemented: "+c.name+" with "+id[len(c.name):]
		}
		out = append(out, r)
	}
	info := report.RunInfo{Port: "kerasparity/impl", Fixtures: "fixtures"}
	for _, b := range backends {
		v := map[string]string{"keras": "3.10.0", "numpy": "2.2.6", "python": "3.12.3"}
		if b != "numpy" {
			v[b] = map[string]string{"jax": "0.6.2", "tensorflow": "2.19.0"}[b]
		}
		info.Manifests = append(info.Manifests, report.ManifestInfo{Backend: b, Versions: v,
			Generator: reference.Generator{Name: "kerasparity-gen", Revision: "3f9c2e1", Seed: 20250101},
			Keras:     reference.KerasSettings{Epsilon: 1e-7, Floatx: "float32"}})
	}
	for _, r := range out {
		for i := range info.Manifests {
			if info.Manifests[i].Backend == r.Backend {
				info.Manifests[i].Cases++
			}
		}
	}
	info.Divergences = []report.DivergenceUse{
		{Pattern: "SparseCategoricalCrossentropy/from_logits=false/*", Backend: "tensorflow", Reason: "TensorFlow renormalises probabilities that do not sum to 1; the port follows the documented formula", Link: "https://github.com/keras-team/keras/issues/12345", Matched: 40},
		{Pattern: "Poisson/*/f16/*", Reason: "float16 log underflows differently", Matched: 0},
	}
	info.Warnings = []string{`known divergence "Poisson/*/f16/*" (backend "") matches no case`}
	return out, info
}

// syntheticRun writes a synthetic run of n cases into dir and returns the
// paths of its Ginkgo JSON report and run.json.
func syntheticRun(dir string, n int) (string, string) {
	results, info := synthetic(n, 7)
	specs := make([]types.SpecReport, len(results))
	for i, r := range results {
		specs[i] = spec(r)
	}
	return writeReport(dir, suiteReport(specs...)), writeRunInfo(dir, info)
}
