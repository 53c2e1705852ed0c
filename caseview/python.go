package caseview

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/kerasparity/kerasparity/reference"
)

// DefaultInlineLimit is the number of elements up to which Python embeds an
// input array as a literal; larger ones are loaded from the fixture file.
const DefaultInlineLimit = 4096

// PythonOptions tune Python.
type PythonOptions struct {
	// Config is the manifest's own JSON text of the case's config (see
	// Options.Configs). Without it, integral numbers of Case.Config are
	// written as floats, except for keys that are integers in Keras
	// (see intKeys); that guess is wrong for the cases that pass an int
	// where Keras wants a float on purpose.
	Config json.RawMessage
	// ArrayDir is the folder holding the case's .npz files (the folder of
	// its manifest). When set, inputs larger than InlineLimit are loaded
	// from there with numpy.load instead of being embedded.
	ArrayDir string
	// InlineLimit: 0 means DefaultInlineLimit; negative embeds everything.
	InlineLimit int
	// Keras is the Keras version the fixtures were made with, for the
	// program's header comment (e.g. "3.15.1"); may be empty.
	Keras string
}

// Python returns a short Python program that reproduces c with real Keras,
// the way gen/run.py produced the fixture: it sets KERAS_BACKEND (and the
// generator's other environment settings) before importing Keras, builds
// the object as Class(**config) (a plain function is called with the
// config as keyword arguments), feeds each step's inputs as NumPy arrays of
// the recorded dtype, and prints each step's result (shortest digits that
// read back in the result's dtype) or the error Keras raised, ending at the
// first error as the generator does. The header comment lists what the
// fixture recorded, to compare with; errors are normalised as the
// generator normalises them (no TensorFlow op prefix, addresses or paths).
func Python(c *reference.Case, opts PythonOptions) string {
	p := &pyWriter{opts: opts, c: c}
	if p.opts.InlineLimit == 0 {
		p.opts.InlineLimit = DefaultInlineLimit
	}
	p.program()
	return p.b.String()
}

type pyWriter struct {
	b    strings.Builder
	c    *reference.Case
	opts PythonOptions
	// arrays already assigned to a name, by file/key, so an input a metric
	// stream feeds twice is embedded once.
	named map[string]string
}

func (p *pyWriter) line(format string, args ...any) {
	fmt.Fprintf(&p.b, format+"\n", args...)
}

func (p *pyWriter) program() {
	c := p.c
	keras := "the pinned Keras"
	if p.opts.Keras != "" {
		keras = "Keras " + p.opts.Keras
	}
	backend := c.Backend
	if backend == "" {
		backend = "numpy"
	}
	p.line("# kerasparity: reproduce fixture case %s", c.ID)
	p.line("# on the %s backend with %s (as gen/run.py ran it).", backend, keras)
	p.line("# The fixture recorded:")
	for i, s := range c.Steps {
		p.line("#   step %d %s: %s", i, s.Op, oneLine(outcome(s, 8)))
	}
	p.line("# Error messages match the fixture's only under PYTHONHASHSEED=0 (Keras prints sets).")
	p.line("import os")
	p.line("")
	p.line("os.environ[\"KERAS_BACKEND\"] = %s  # before keras is imported", pyString(backend))
	p.line("os.environ.setdefault(\"TF_CPP_MIN_LOG_LEVEL\", \"3\")")
	p.line("os.environ.setdefault(\"TF_ENABLE_ONEDNN_OPTS\", \"0\")  # oneDNN changes float results")
	p.line("os.environ.setdefault(\"JAX_PLATFORMS\", \"cpu\")")
	p.line("import re")
	p.line("import sys")
	p.line("import warnings")
	p.line("")
	p.line("import keras")
	p.line("import ml_dtypes")
	p.line("import numpy as np")
	p.line("")
	p.line("warnings.simplefilter(\"ignore\")")
	if backend == "tensorflow" {
		p.line("import tensorflow as tf  # single-threaded reductions, as the generator runs them")
		p.line("tf.config.threading.set_intra_op_parallelism_threads(1)")
		p.line("tf.config.threading.set_inter_op_parallelism_threads(1)")
	}
	p.line("nan, inf = np.nan, np.inf")
	p.line("# str() of a NumPy float is the shortest decimal that reads back in its dtype.")
	p.line("np.set_printoptions(threshold=sys.maxsize, linewidth=sys.maxsize, formatter={\"float_kind\": str})")
	p.line("")
	p.line("")
	p.line("def fail(step, op, exc):")
	p.line("    \"\"\"Print the error Keras raised and stop: gen/run.py ends a case at its first error.\"\"\"")
	p.line("    message = re.sub(r\"\\{\\{function_node [^}]*\\}\\}\", \"\", str(exc))  # as gen/run.py's describe_error")
	p.line("    message = re.sub(r\"0x[0-9a-fA-F]+\", \"0x?\", message)")
	p.line("    message = re.sub(r\"(?:[A-Za-z]:)?(?:/[\\w.\\-]+)+\\.py\\b\", \"<file>\", message)")
	p.line("    print(f\"step {step} {op}: error {type(exc).__name__}: {' '.join(message.split())}\")")
	p.line("    sys.exit(0)")
	p.line("")
	p.line("")
	p.line("def run(step, op, fn):")
	p.line("    \"\"\"Run one step and print Keras's result (or its error).\"\"\"")
	p.line("    try:")
	p.line("        value = fn()")
	p.line("    except Exception as exc:")
	p.line("        fail(step, op, exc)")
	p.line("    dtype = keras.backend.standardize_dtype(value.dtype)")
	p.line("    if dtype == \"bfloat16\":  # widened exactly, as the fixture stores it")
	p.line("        value = keras.ops.cast(value, \"float32\")")
	p.line("    value = np.asarray(keras.ops.convert_to_numpy(value))")
	p.line("    text = \" \".join(np.array2string(value, separator=\", \").split())  # one line")
	p.line("    print(f\"step {step} {op}: {dtype} {text}\")")
	p.line("    return value")
	p.line("")
	p.line("")

	cfg, err := configValue(c, p.opts.Config)
	if err != nil {
		p.line("raise SystemExit(%s)", pyString(err.Error()))
		return
	}
	p.line("config = %s", p.configLiteral(cfg))
	switch c.Kind {
	case "function":
		p.line("fn = keras.losses.%s", c.Class)
	case "loss", "metric":
		module := map[string]string{"loss": "losses", "metric": "metrics"}[c.Kind]
		if c.Class == "MeanMetricWrapper" {
			if name, ok := wrappedFunction(cfg); ok {
				p.line("# fn is a serialised function: gen/run.py resolves it in keras.metrics, then keras.losses.")
				p.line("config[\"fn\"] = getattr(keras.metrics, %[1]s, None) or getattr(keras.losses, %[1]s)", pyString(name))
			}
		}
		build := fmt.Sprintf("keras.%s.%s(**config)", module, c.Class)
		if len(c.Steps) > 0 && c.Steps[0].Op == "construct" {
			p.line("# Keras refused to build this object; the fixture keeps its error.")
			p.line("try:")
			p.line("    %s", build)
			p.line("except Exception as exc:")
			p.line("    fail(0, \"construct\", exc)")
			p.line("print(\"step 0 construct: built without error\")")
			return
		}
		p.line("obj = %s  # what from_config does", build)
	default:
		p.line("raise SystemExit(%s)", pyString("unknown case kind "+strconv.Quote(c.Kind)))
		return
	}
	for i, s := range c.Steps {
		p.step(i, s)
	}
}

// step writes one step: its inputs, then the call through run().
func (p *pyWriter) step(i int, s *reference.Step) {
	p.line("")
	p.line("# step %d: %s", i, s.Op)
	var call string
	switch s.Op {
	case "reset":
		p.line("run(%d, \"reset\", lambda: (obj.reset_state(), obj.result())[1])", i)
		return
	case "call":
		yt, yp := p.input("y_true", s.YTrue), p.input("y_pred", s.YPred)
		if p.c.Kind == "function" {
			call = fmt.Sprintf("fn(%s, %s, **config)", yt, yp)
		} else {
			call = fmt.Sprintf("obj(%s, %s%s)", yt, yp, p.weight(s))
		}
	case "update":
		args := p.input("y_true", s.YTrue) + ", " + p.input("y_pred", s.YPred)
		if valuesOnly(p.c.Class) {
			// Mean and Sum take update_state(values, sample_weight): the
			// values are y_pred, y_true is a placeholder (fixtures/README.md).
			args = p.input("values", s.YPred)
		}
		call = fmt.Sprintf("(obj.update_state(%s%s), obj.result())[1]", args, p.weight(s))
	default:
		p.line("print(%s)", pyString(fmt.Sprintf("step %d: unknown op %q", i, s.Op)))
		return
	}
	p.line("run(%d, %s, lambda: %s)", i, pyString(s.Op), call)
}

// weight is the sample_weight keyword of a call, if the step has one.
func (p *pyWriter) weight(s *reference.Step) string {
	if s.SampleWeight == nil {
		return ""
	}
	return ", sample_weight=" + p.input("sample_weight", s.SampleWeight)
}

// input assigns an input array to a variable and returns its name.
func (p *pyWriter) input(name string, r *reference.ArrayRef) string {
	if r == nil {
		return "None"
	}
	p.line("%s = %s", name, p.array(r))
	return name
}

// array is a NumPy expression for the data of r, in r's dtype.
func (p *pyWriter) array(r *reference.ArrayRef) string {
	dt := npDType(r.DType)
	big := r.Array == nil || (p.opts.InlineLimit >= 0 && len(r.Array.Data) > p.opts.InlineLimit)
	if big && p.opts.ArrayDir != "" {
		path, err := filepath.Abs(filepath.Join(p.opts.ArrayDir, r.File))
		if err != nil {
			path = filepath.Join(p.opts.ArrayDir, r.File)
		}
		load := fmt.Sprintf("np.load(%s)[%s]", pyString(path), pyString(r.Key))
		if r.DType == "bfloat16" { // stored widened to float32
			load += ".astype(ml_dtypes.bfloat16)"
		}
		return load
	}
	if r.Array == nil {
		return fmt.Sprintf("None  # %s %s: not loaded", r.File, r.Key)
	}
	return ndarray(*r.Array, dt)
}

// ndarray is a NumPy literal of a: np.array([[...]], dtype=...).
func ndarray(a reference.Array, dt string) string {
	if bad := checkArray(a); bad != "" {
		return "None  # " + bad
	}
	if a.Size() == 0 {
		return fmt.Sprintf("np.zeros(%s, dtype=%s)", pyShape(a.Shape), dt)
	}
	return fmt.Sprintf("np.array(%s, dtype=%s)", nested(a, func(x float64) string { return pyNumber(x, a.DType) }), dt)
}

// pyNumber is Number in Python's spelling.
func pyNumber(x float64, dtype string) string {
	s := Number(x, dtype)
	switch s {
	case "true":
		return "True"
	case "false":
		return "False"
	}
	return s // nan, inf and -inf are names the program defines
}

func pyShape(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = strconv.Itoa(d)
	}
	if len(parts) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// npDType is the NumPy spelling of a Keras dtype.
func npDType(dtype string) string {
	switch dtype {
	case "bfloat16":
		return "ml_dtypes.bfloat16"
	case "bool":
		return "bool"
	case "":
		return "np.float32"
	}
	return "np." + dtype
}

// configLiteral writes a config as a Python dict literal, with the value
// types gen/catalogue.py passed, since Keras's checks and messages depend on
// them: a metric gets lists (thresholds, target_class_ids, label_weights),
// a loss or function tuples (axis) but a list for a per-class focal alpha,
// and Circle's reference arrays are NumPy arrays (labels int32, embeddings
// in the case's dtype).
func (p *pyWriter) configLiteral(cfg map[string]any) string {
	keys := slices.Sorted(maps.Keys(cfg))
	parts := make([]string, len(keys))
	for i, k := range keys {
		v := cfg[k]
		var lit string
		switch k {
		case "ref_labels":
			lit = p.listArray(k, v, "int32")
		case "ref_embeddings":
			lit = p.listArray(k, v, p.c.DType)
		default:
			lit = pyValue(k, v, p.c.Kind != "metric" && k != "alpha")
		}
		parts[i] = pyString(k) + ": " + lit
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// listArray writes a JSON list of numbers as np.array(list, dtype=...).
func (p *pyWriter) listArray(key string, v any, dtype string) string {
	return fmt.Sprintf("np.array(%s, dtype=%s)", pyValue(key, v, false), npDType(dtype))
}

// intKeys are config keys whose numbers are ints in Keras, for a config
// without its manifest text (see PythonOptions.Config).
var intKeys = map[string]bool{
	"axis": true, "ignore_class": true, "k": true, "num_classes": true, "num_thresholds": true,
	"num_labels": true, "num_regressors": true, "top_k": true, "class_id": true,
	"target_class_ids": true, "ref_labels": true,
}

// pyValue writes a decoded JSON value as a Python literal; tuples says
// whether lists become tuples. key is the config key the value belongs to.
func pyValue(key string, v any, tuples bool) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case json.Number:
		return v.String() // Python's own json.dumps wrote it: a valid literal
	case float64:
		if intKeys[key] && v == float64(int64(v)) {
			return strconv.FormatInt(int64(v), 10)
		}
		return pyNumber(v, "float64")
	case string:
		return pyString(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = pyValue(key, e, tuples)
		}
		if !tuples {
			return "[" + strings.Join(parts, ", ") + "]"
		}
		if len(parts) == 1 {
			return "(" + parts[0] + ",)"
		}
		return "(" + strings.Join(parts, ", ") + ")"
	case map[string]any:
		keys := slices.Sorted(maps.Keys(v))
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = pyString(k) + ": " + pyValue(k, v[k], tuples)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprintf("None  # unsupported config value %T", v)
}

// pyString is a Python string literal. Go's quoting escapes are a subset of
// Python's (\n, \t, \", \\, \xNN, \uNNNN, \UNNNNNNNN).
func pyString(s string) string { return strconv.Quote(s) }

// wrappedFunction is the function name inside a MeanMetricWrapper config's
// serialised fn ({"class_name": "function", "config": "huber", ...}).
func wrappedFunction(cfg map[string]any) (string, bool) {
	fn, ok := cfg["fn"].(map[string]any)
	if !ok {
		return "", false
	}
	name, ok := fn["config"].(string)
	return name, ok
}

// valuesOnly reports the metrics whose update_state takes (values,
// sample_weight), as gen/run.py's VALUES_ONLY.
func valuesOnly(class string) bool { return class == "Mean" || class == "Sum" }

// oneLine keeps a comment on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
