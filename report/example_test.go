package report_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kerasparity/kerasparity/report"
	"github.com/kerasparity/kerasparity/results"
)

// A conformance run leaves results.jsonl in its output folder; Load reads it
// and WriteHTML turns it into the page. Here a two-case run is written with
// package results, as the suites write it.
func Example() {
	dir, err := os.MkdirTemp("", "kerasparity-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	w, err := results.Create(filepath.Join(dir, results.FileName), results.RunInfo{Port: "myport", Fixtures: "fixtures"})
	if err != nil {
		panic(err)
	}
	w.Add(results.CaseResult{ID: "loss/Huber/f32/0001", Backend: "jax", Kind: "loss", Class: "Huber", DType: "float32",
		Outcome: results.Pass, Steps: 1, Stats: &results.Stats{Elements: 4, MaxULP: 1}})
	w.Add(results.CaseResult{ID: "loss/Huber/f32/0002", Backend: "jax", Kind: "loss", Class: "Huber", DType: "float32",
		Outcome: results.Fail, Steps: 1, Detail: "step 0 (call): shape [4], Keras [] (4 values vs 1: not compared)",
		Findings: []results.Finding{{Step: 0, Op: "call", Check: results.CheckShape, Message: "shape [4], Keras [] (4 values vs 1: not compared)"}}})
	if err := w.Close(results.End{}); err != nil {
		panic(err)
	}

	run, err := report.Load(filepath.Join(dir, results.FileName))
	if err != nil {
		panic(err)
	}
	var page bytes.Buffer
	if err := report.WriteHTML(&page, run); err != nil {
		panic(err)
	}
	fmt.Println(run.Summary.Verdict, run.ExitCode())
	fmt.Println(run.Summary.Reason)
	for _, g := range run.Groups {
		fmt.Printf("%d × %s %s: %s\n", g.Count(), g.Target, g.Check, g.Message)
	}
	fmt.Println(strings.Contains(page.String(), "no value compared"))
	// Output:
	// fail 1
	// 1 of 2 cases does not match Keras (1 failure), from 1 cause
	// 1 × loss/Huber shape: shape […], Keras […] (N values vs N: not compared)
	// true
}
