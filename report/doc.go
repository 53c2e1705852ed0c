// Package report turns a conformance run's results file (results.jsonl, see
// package results) into what people and CI systems read: one self-contained
// HTML page made for triage, a compact JSON summary for gates, and JUnit XML
// for CI systems that show test results.
//
//	run, err := report.Load("out/results.jsonl")
//	...
//	report.WriteHTML(page, run)     // report.html
//	report.WriteSummary(sum, run)   // summary.json
//	report.WriteJUnit(junit, run)   // junit.xml
//	os.Exit(run.ExitCode())
//
// # Verdicts and exit codes
//
// A run has one verdict, decided in this order:
//
//   - broken (exit 4): no verdict on the port can be drawn. The results file
//     has no end line (the run crashed or was killed: the report names the
//     case that was running and how many finished), its end line carries an
//     error (the fixtures, the divergence file or the selection did not load),
//     or Ginkgo says the suite was interrupted.
//   - empty (exit 3): nothing was checked. No case ran (the selection matched
//     nothing), or every case that ran was not ported.
//   - fail (exit 1): a case failed, errored or was nondeterministic, or the
//     suite recorded failures of its own (End.Failures: a strict-mode XPASS or
//     an unused divergence entry, Ginkgo's reasons).
//   - pass (exit 0): everything else. Not ported cases, known divergences and
//     (outside strict mode) XPASS do not fail a run; they are listed.
//
// # Causes
//
// Failing cases (outcomes fail, error and nondeterministic) are grouped by
// cause rather than listed one by one: two cases share a cause when they
// check the same kind and class, fail the same set of checks, and their first
// findings say the same thing once numbers, shapes, indices and hex
// addresses are replaced by placeholders (see [Normalize]). Backends and
// dtypes are merged into one cause, so a bug that shows on every backend is
// one line of the index, not three. Every failing case belongs to exactly
// one cause; the HTML page shows each cause with one example in full and
// the list of its cases collapsed.
//
// # Conventions
//
// Outcomes, counts, spec names ("[backend] id") and shell quoting come from
// package results; this package adds no second copy of them. Statistics are
// shown only where a value was compared (a non-nil Stats): a case or finding
// without them says "no value compared" and why. Everything the report
// writes is deterministic for a given results file: maps are sorted, and
// nothing reads the clock.
package report
