// Package results holds what a conformance run produces and the conventions
// every part of kerasparity shares about it: the outcome of a case, the
// findings behind a failure, the run's description, outcome counting, the
// name a case's spec carries and the labels it is selected by, and the
// results file (results.jsonl) in which the suites record a run as it goes.
//
// It is a leaf: the suites write results with it and the report, diff and
// show tools read them with it, so neither side parses strings the other
// formatted.
//
// # The results file
//
// A run writes one JSON Lines file. The first line is {"run": RunInfo}; then
// each case adds {"case": CaseResult} the moment it finishes, so a run that
// crashes leaves every finished case behind; a complete run ends with
// {"end": End}. A file without its end line is a run that did not finish:
// [Read] says so, and names the case that was running from the side file
// [RunningFile] the suites keep beside it.
//
// Passing cases are written lean (id, backend, class, outcome and the error
// statistics); a case that does not pass also carries its params, edges,
// config, every finding, and a view of its inputs and outputs, so the report
// can show a failure without the fixtures at hand.
package results
