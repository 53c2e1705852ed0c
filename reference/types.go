// Package reference holds the Keras reference as data: the fixture manifest
// types, the loader that reads and verifies a fixture set without trusting it,
// the tolerance policy, and the comparison of a port's output with Keras's.
//
// The on-disk format is documented in fixtures/README.md; the types here are
// its decoded form.
package reference

import "math"

// Array is a dense tensor in row-major order. It is the neutral form arrays
// take at every border of kerasparity: between fixtures and suites and between
// suites and a port. Data is widened to float64, which holds every value of
// the dtypes Keras uses here exactly (float16, bfloat16, float32, float64 and
// the integer labels and bools of the fixtures).
type Array struct {
	Shape []int     // empty for a scalar
	DType string    // Keras dtype name: float16, bfloat16, float32, float64, int32, int64, bool
	Data  []float64 // len(Data) == product of Shape (1 for a scalar)
}

// Size is the number of elements the shape holds, or -1 when the shape
// holds no valid number: a negative dimension, or a product that overflows
// int (a shape of [2^32, 2^32] would otherwise wrap to 0 and match empty
// data). A check of len(Data) against Size therefore fails for every
// invalid shape.
func (a Array) Size() int {
	n := 1
	for _, d := range a.Shape {
		if d < 0 || d != 0 && n > math.MaxInt/d {
			return -1
		}
		n *= d
	}
	return n
}

// Manifest is one backend's fixture manifest (fixtures/<backend>/manifest.json).
type Manifest struct {
	Path      string              `json:"-"` // where it was read from
	Format    string              `json:"format"`
	Backend   string              `json:"backend"`
	Generator Generator           `json:"generator"`
	Versions  map[string]string   `json:"versions"`
	Keras     KerasSettings       `json:"keras"`
	Files     map[string]FileInfo `json:"files"`
	Cases     []*Case             `json:"cases"`
	// API lists what the pinned Keras exports, for the API coverage check.
	API *API `json:"api,omitempty"`
}

// API is the public surface of the pinned Keras: every loss (and, later,
// metric) class it exports, with its constructor arguments and defaults.
type API struct {
	Losses  map[string]APIClass `json:"losses,omitempty"`
	Metrics map[string]APIClass `json:"metrics,omitempty"`
}

// APIClass is one exported class: its constructor arguments in signature order.
type APIClass struct {
	Args []APIArg `json:"args"`
}

// APIArg is one constructor argument. Default is the JSON form of Keras's
// default (null for None); Required marks an argument without a default.
type APIArg struct {
	Name     string `json:"name"`
	Default  any    `json:"default"`
	Required bool   `json:"required,omitempty"`
}

// Generator records how a manifest was made.
type Generator struct {
	Name     string `json:"name"`
	Revision string `json:"revision"`
	Seed     int64  `json:"seed"`
}

// KerasSettings are the global Keras settings in force when the fixtures were made.
type KerasSettings struct {
	Epsilon float64 `json:"epsilon"`
	Floatx  string  `json:"floatx"`
}

// FileInfo is the checksum of one array file of a manifest.
type FileInfo struct {
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// Case is one fixture case: a Keras object (or plain function), its config,
// and the steps run against it with Keras's outcome after each.
type Case struct {
	ID      string            `json:"id"`
	Kind    string            `json:"kind"`  // "loss", "metric" or "function"
	Class   string            `json:"class"` // Keras class name, or function name for kind "function"
	Config  map[string]any    `json:"config"`
	DType   string            `json:"dtype"`
	Params  map[string]string `json:"params"`
	Edges   []string          `json:"edges"`
	Source  string            `json:"source,omitempty"`
	Steps   []*Step           `json:"steps"`
	Backend string            `json:"-"` // copied from the manifest
}

// Step is one operation on a case's object and what Keras gave for it.
// Ops: "construct" (only present when the constructor raised), "call"
// (losses and functions), "update" (metric update_state then result) and
// "reset" (metric reset_state then result).
type Step struct {
	Op           string    `json:"op"`
	YTrue        *ArrayRef `json:"y_true,omitempty"`
	YPred        *ArrayRef `json:"y_pred,omitempty"`
	SampleWeight *ArrayRef `json:"sample_weight,omitempty"`
	Expect       Outcome   `json:"expect"`
}

// Outcome is what Keras produced for a step: a value or an error.
type Outcome struct {
	Value *ArrayRef   `json:"value,omitempty"`
	Error *KerasError `json:"error,omitempty"`
}

// KerasError is an exception Keras raised, kept so a port can be required to
// refuse the same input.
type KerasError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

// ArrayRef names an array inside one of the manifest's files and carries its
// expected shape, logical dtype and checksum. Array is filled in by Load
// after the data has been verified.
type ArrayRef struct {
	File   string `json:"file"`
	Key    string `json:"key"`
	DType  string `json:"dtype"`
	Shape  []int  `json:"shape"`
	SHA256 string `json:"sha256"`
	Array  *Array `json:"-"`
}

// Tolerance bounds the accepted difference between a port's value and
// Keras's: |got - want| <= ATol + RTol*|want|. Every tolerance carries the
// reason it is as wide as it is.
type Tolerance struct {
	ATol   float64 `json:"atol"`
	RTol   float64 `json:"rtol"`
	Reason string  `json:"reason"`
}

// Stats describes how far a value was from Keras's. Relative error and ULP
// distance are taken only where |want| > ATol (elsewhere they explode and
// mean nothing). Non-finite values marshal to JSON as strings.
type Stats struct {
	Elements   int       `json:"elements"`
	Mismatches int       `json:"mismatches"`
	MaxAbs     float64   `json:"max_abs"`
	MaxRel     float64   `json:"max_rel"`
	MaxULP     float64   `json:"max_ulp"`     // in the dtype of the expected value
	WorstIndex []int     `json:"worst_index"` // N-d index of the largest violation (or largest abs error)
	Got        float64   `json:"got"`         // values at WorstIndex
	Want       float64   `json:"want"`
	Tolerance  Tolerance `json:"tolerance"`
	// Spread is the widest band of Keras's own backends' values that the
	// comparison used (0 without a band); Banded counts the values that
	// matched only because they lay within that band.
	Spread float64 `json:"spread"`
	Banded int     `json:"banded"`
}
