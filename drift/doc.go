// Package drift tells what changes for a Keras user who upgrades: it compares
// two fixture sets made by the same catalogue under two Keras versions (for
// example the pinned 3.15.1 and keras-nightly), case by case for each backend
// both sets hold, and reports every case whose outputs or refusals changed.
//
// Each changed case gets one cause, the most telling of its steps' changes,
// in this order:
//
//   - newly refused: Keras now raises where it returned a value;
//   - newly accepted: Keras now returns a value where it raised;
//   - error type changed: it still raises, with another exception class;
//   - shape or dtype changed: it still returns a value, of another shape or
//     dtype (or the stream has another number of steps);
//   - value changed: same shape and dtype, other numbers (NaN equals NaN).
//
// Two lesser kinds are counted apart, since they change no output a port is
// checked against: an error whose message alone changed, and a config (what
// get_config() returns, or the case's dtype) that changed while every output
// stayed the same. The exported API (classes and constructor arguments) is
// compared too.
//
// Compare builds the Report; WriteMarkdown and WriteText print it.
package drift
