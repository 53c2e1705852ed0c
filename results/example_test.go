package results_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/kerasparity/kerasparity/results"
)

// A run's results are written as the cases finish and read back by the
// report, diff and show tools.
func ExampleRead() {
	dir, _ := os.MkdirTemp("", "results")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, results.FileName)

	w, _ := results.Create(path, results.RunInfo{Port: "myport", Fixtures: "fixtures"})
	w.Add(results.CaseResult{ID: "loss/Huber/f32/0001", Backend: "jax", Kind: "loss", Class: "Huber", Outcome: results.Pass})
	w.Add(results.CaseResult{ID: "loss/Huber/f32/0002", Backend: "jax", Kind: "loss", Class: "Huber", Outcome: results.Fail,
		Detail: "step 0 (call): values differ"})
	w.Close(results.End{})

	f, _ := results.Read(path)
	for _, c := range f.Cases {
		fmt.Println(c.Key(), c.Outcome)
	}
	fmt.Println("finished:", f.Finished(), "broken:", f.End.Counts.Broken())
	// Output:
	// [jax] loss/Huber/f32/0001 pass
	// [jax] loss/Huber/f32/0002 fail
	// finished: true broken: 1
}

// Rerun lines quote every value so that no character of an id can reach a
// shell as syntax.
func ExampleShellQuote() {
	fmt.Println("make conformance CASE=" + results.ShellQuote(results.SpecText("jax", "loss/Huber/f32/0001")))
	// Output:
	// make conformance CASE='[jax] loss/Huber/f32/0001'
}
