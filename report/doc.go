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
// [New] does the same for a results.File already read. Load reads any
// results file a run left, finished or not: a file it cannot read at all
// is an error that names it; a crashed, empty or unloadable run is a Run
// with a verdict that says so.
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
// addresses are replaced by placeholders (see [Normalize]) and the case's
// own dtype and backend by {dtype} and {backend}. Backends and dtypes are
// merged into one cause, so a bug that shows on every backend is one line of
// the index, not three; the cause's key is a hash of what it groups by, so
// it stays the same from one run of the port to the next. Every failing case belongs to exactly
// one cause; the HTML page shows each cause with one example in full and
// the list of its cases collapsed.
//
// # The page
//
// report.html is made for triage. Its first screen holds the verdict with
// its reason (and the suite's own failures), the counts, and an index of
// every cause, largest first, each linking to its section. Then come the
// coverage matrix (kind and class by backend), every cause with one example
// in full (findings with their statistics, config, inputs, Keras's output
// and the port's, the commands that print and rerun it) and its cases in a
// collapsed list, and the details: not ported reasons, the port's
// divergence and tolerance entries with the cases each excused, the
// worst-fitting passing cases, the ULP histogram, the parameters
// exercised, warnings, and what was checked against what. It needs no
// script and fetches nothing; long ids and arrays wrap, so it fits a
// 1400 px window. Passing cases are counted, never listed, so a passing
// run of 27,000 cases stays near 100 KB; the 100 largest causes show their
// example in full and each cause lists at most 1,000 cases, so a port
// broken in many ways still gives a page a browser opens.
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
