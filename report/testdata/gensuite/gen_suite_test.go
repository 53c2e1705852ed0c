// Package kpgen is the throwaway suite that made ../ginkgo.json and
// ../empty.json; ../README.md says how to run it.
package kpgen

import (
	"math"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/report"
)

func TestGen(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "kerasparity conformance (testdata)")
}

var _ = BeforeSuite(func() {})

func stats(ulp, abs, rel, got, want float64, mism int) *reference.Stats {
	return &reference.Stats{Elements: 12, Mismatches: mism, MaxAbs: abs, MaxRel: rel, MaxULP: ulp,
		WorstIndex: []int{1, 2}, Got: got, Want: want,
		Tolerance: reference.Tolerance{ATol: 1e-6, RTol: 1e-5, Reason: "float32 default: a few ULP of Keras's order of operations"}}
}

func lbl(class, kind, backend, dtype string) Labels {
	return Label("class:"+class, "kind:"+kind, "backend:"+backend, "dtype:"+dtype)
}

func rerun(text string) string { return "make conformance FOCUS='" + text + "$'" }

func attach(r report.CaseResult) {
	AddReportEntry(report.EntryName, r)
	switch r.Outcome {
	case report.NotPorted:
		Skip("not ported: " + r.Detail)
	case report.Fail, report.Error:
		Fail(r.Detail)
	}
}

var _ = Describe("kerasparity/testport", func() {
	It("[numpy] MeanSquaredError/red=sum/f32/000", lbl("MeanSquaredError", "loss", "numpy", "float32"), func() {
		attach(report.CaseResult{ID: "MeanSquaredError/red=sum/f32/000", Kind: "loss", Class: "MeanSquaredError", Backend: "numpy", DType: "float32",
			Params: map[string]string{"reduction": "sum"}, Outcome: report.Pass, Steps: 1, Stats: stats(1, 1.2e-7, 5.9e-8, 2.0000002, 2, 0), Rerun: rerun("\\[numpy\\] MeanSquaredError/red=sum/f32/000")})
	})
	It("[numpy] MeanSquaredError/red=none/f64/001", lbl("MeanSquaredError", "loss", "numpy", "float64"), func() {
		attach(report.CaseResult{ID: "MeanSquaredError/red=none/f64/001", Kind: "loss", Class: "MeanSquaredError", Backend: "numpy", DType: "float64",
			Params: map[string]string{"reduction": "none"}, Edges: []string{"empty_batch"}, Outcome: report.Pass, Steps: 1, Stats: stats(0, 0, 0, 0.5, 0.5, 0), Rerun: rerun("\\[numpy\\] MeanSquaredError/red=none/f64/001")})
	})
	It("[numpy] CategoricalCrossentropy/logits/ls=0.1/red=sum/f32/007", lbl("CategoricalCrossentropy", "loss", "numpy", "float32"), func() {
		attach(report.CaseResult{ID: "CategoricalCrossentropy/logits/ls=0.1/red=sum/f32/007", Kind: "loss", Class: "CategoricalCrossentropy", Backend: "numpy", DType: "float32",
			Params: map[string]string{"reduction": "sum", "from_logits": "true", "label_smoothing": "0.1"}, Outcome: report.Fail, Steps: 1,
			Detail: "step 1 (call): 3 of 12 values differ; max abs 0.0123 at (1, 2)", Stats: stats(4096, 0.0123, 0.0031, 3.9123, 3.9, 3), Rerun: rerun("\\[numpy\\] CategoricalCrossentropy/logits/ls=0\\.1/red=sum/f32/007")})
	})
	It("[numpy] Hinge/f32/000", lbl("Hinge", "loss", "numpy", "float32"), func() {
		attach(report.CaseResult{ID: "Hinge/f32/000", Kind: "loss", Class: "Hinge", Backend: "numpy", DType: "float32", Outcome: report.NotPorted, Steps: 1,
			Detail: "construct: not implemented: Hinge", Rerun: rerun("\\[numpy\\] Hinge/f32/000")})
	})
	It("[tensorflow] SparseCategoricalCrossentropy/f32/003", lbl("SparseCategoricalCrossentropy", "loss", "tensorflow", "float32"), func() {
		attach(report.CaseResult{ID: "SparseCategoricalCrossentropy/f32/003", Kind: "loss", Class: "SparseCategoricalCrossentropy", Backend: "tensorflow", DType: "float32",
			Params: map[string]string{"reduction": "sum_over_batch_size"}, Outcome: report.KnownDivergence, Steps: 1, Detail: "step 1 (call): 1 of 4 values differ",
			Stats: stats(812, 2e-4, 1e-4, 1.0002, 1.0, 1), Divergence: "TensorFlow renormalises probabilities that do not sum to 1", Rerun: rerun("\\[tensorflow\\] SparseCategoricalCrossentropy/f32/003")})
	})
	It("[tensorflow] BinaryCrossentropy/f32/002", lbl("BinaryCrossentropy", "loss", "tensorflow", "float32"), func() {
		attach(report.CaseResult{ID: "BinaryCrossentropy/f32/002", Kind: "loss", Class: "BinaryCrossentropy", Backend: "tensorflow", DType: "float32",
			Outcome: report.XPass, Steps: 1, Stats: stats(2, 2.4e-7, 1.2e-7, 2.0000002, 2.0, 0), Divergence: "clips logits at 1e-7", Rerun: rerun("\\[tensorflow\\] BinaryCrossentropy/f32/002")})
	})
	It("[jax] AUC/f32/000", lbl("AUC", "metric", "jax", "float32"), func() {
		attach(report.CaseResult{ID: "AUC/f32/000", Kind: "metric", Class: "AUC", Backend: "jax", DType: "float32", Params: map[string]string{"num_thresholds": "200"},
			Outcome: report.Error, Steps: 2, Detail: "step 2 (update): the port returned 3 values for shape [2]", Rerun: rerun("\\[jax\\] AUC/f32/000")})
	})
	It("[jax] Accuracy/f32/004", lbl("Accuracy", "metric", "jax", "float32"), func() {
		var m []int
		_ = m[3] // panics before attaching a result
	})
	It("[jax] <script>alert(1)</script>/f32/000", lbl("Evil", "loss", "jax", "float32"), func() {
		// Non-finite statistics, which reference.Stats writes as strings.
		st := &reference.Stats{Elements: 4, Mismatches: 1, MaxAbs: math.NaN(), MaxRel: math.NaN(), MaxULP: math.Inf(1),
			WorstIndex: []int{3}, Got: math.NaN(), Want: math.Inf(1), Tolerance: reference.Tolerance{RTol: 1e-5, Reason: "x"}}
		AddReportEntry(report.EntryName, report.CaseResult{ID: "<script>alert(1)</script>/f32/000", Kind: "loss", Class: "Evil", Backend: "jax", DType: "float32",
			Edges: []string{"nan", "inf"}, Outcome: report.Fail, Detail: `step 1 (call): got NaN where Keras gave +Inf & "more"`, Steps: 1, Stats: st,
			Rerun: "make conformance FOCUS='<script>alert(1)</script>'"})
		Fail("step 1 (call): got NaN where Keras gave +Inf")
	})
	It("[jax] MeanAbsoluteError/f32/009 (slow)", Label("slow"), lbl("MeanAbsoluteError", "loss", "jax", "float32"), func() {
		attach(report.CaseResult{ID: "MeanAbsoluteError/f32/009", Outcome: report.Pass})
	})
	It("fixture set verifies", func() { Expect(1).To(Equal(1)) })
})
