// Package caseview renders fixture cases (reference.Case) for people: as
// text for a terminal or a report, and as a short Python program that asks
// the pinned Keras the same question again.
//
// Conventions, shared by every renderer here so that a value reads the same
// wherever it appears:
//
//   - A number is printed with enough digits to read back to the same value
//     in its dtype: float64 and float32 values with the fewest digits that
//     do (at most 17 and 9), float16 and bfloat16 with 5 significant
//     digits. Floats always show a decimal point or an exponent (2.0, not 2),
//     so that Python reads them as floats, and keep the sign of -0.0.
//     NaN and infinities are nan, inf and -inf; integers print as integers
//     and bools as true and false (True and False in Python).
//   - An array is its dtype, its shape (4x3; a scalar has none) and its
//     values in nested brackets, row-major, comma-separated, as NumPy and
//     Python would nest them. An array with more elements than the limit is
//     summarised on one line (min and max ignoring NaN, mean of the finite
//     values, counts of NaN and Inf) instead: fixtures hold arrays of
//     10,000 elements and more, which nobody reads value by value.
//   - A config is JSON with sorted keys, compact, as the manifest holds it.
//     The loader decodes configs into float64, which cannot tell Keras's 1
//     (an int) from 1.0; renderers therefore take the manifest's own text of
//     a config when the caller has it (Options.Configs, PythonOptions.Config)
//     and fall back to the decoded map otherwise.
//   - The same case id on several backends is one case seen several times:
//     inputs are identical by construction (each case's inputs derive from
//     its id), the outputs are not, so Text prints Keras's outcome once per
//     backend, one line each, side by side.
//
// Nothing here panics on a malformed case: a missing array or a shape that
// does not fit its data is printed as such.
package caseview
