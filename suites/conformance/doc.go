// Package conformance checks a port of Keras losses and metrics against a
// fixture set: one Ginkgo spec per fixture case, each case's result written
// to a results file as it finishes.
//
// A port's whole suite is a few lines (README.md, "Plugging in your own
// port", has the full recipe):
//
//	var opts = conformance.Flags(flag.CommandLine, conformance.Options{Fixtures: "path/to/fixtures"})
//
//	func TestConformance(t *testing.T) { conformance.Run(t, myport.New(), *opts) }
//
// # Conventions
//
//   - A spec is named "[backend] id" (results.SpecText) and labelled with
//     the case's class, kind, backend, dtype, reduction and edges
//     (results.Labels), so Ginkgo's --focus and --label-filter select any
//     subset; -kerasparity.case names exact cases and registers only them.
//   - Every check of a case runs (Checker): construction, then each step's
//     outcome, shape, dtype and values, values compared even when the shape
//     or dtype differs if the element counts agree. A value also matches
//     within the band of what Keras's own backends computed for the case
//     (reference.Band). Each finding is kept; the outcome is error when the
//     port misbehaved (panic, timeout, malformed output, changed inputs,
//     crash), fail when it disagreed with Keras, nondeterministic when two
//     runs differ (Options.Repeat).
//   - Every call into the port runs under a timeout with fresh copies of
//     its inputs, checked after the call.
//   - A port's known divergences are read strictly from its own file, one
//     entry per cause (Divergences); in strict mode an XPASS or an entry
//     that matches nothing fails the run.
//   - With an output folder, Run runs the suite in a child process and
//     supervises it, so that a port that crashes the process costs one case.
//   - A run that ran no case, or compared nothing, fails; its results say
//     which, so a report calls it empty rather than failed.
//   - Progress and the closing summary go to stderr; Ginkgo's own output to
//     stdout.
package conformance
