package report_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/results"
)

// A synthetic run stands in for a port full of bugs: results files written
// line by line in the format package results reads, with cases filled the
// way suites/conformance/check.go fills them (findings with statistics
// where values were compared, a detail line, a view, rerun and show lines).

// synth says what a synthetic run holds.
type synth struct {
	Pass, Failing, NotPorted, Divergent int
	// Causes is how many of synthCauses the failing cases are spread over.
	Causes int
	Seed   uint64
	// Strict makes the divergence entry that XPASSes a failure of the suite.
	Strict bool
}

var (
	synthBackends = []string{"jax", "numpy", "tensorflow"}
	synthDTypes   = []string{"float32", "float32", "float32", "float64", "float16", "bfloat16"}
	synthShort    = map[string]string{"float32": "f32", "float64": "f64", "float16": "f16", "bfloat16": "bf16"}
	synthEps      = map[string]float64{"float32": 0x1p-23, "float64": 0x1p-52, "float16": 0x1p-10, "bfloat16": 0x1p-7}
	synthPassing  = []string{"loss/MeanSquaredError", "loss/MeanAbsoluteError", "loss/BinaryCrossentropy", "loss/CategoricalCrossentropy",
		"loss/Huber", "loss/KLDivergence", "loss/Poisson", "metric/Accuracy", "metric/BinaryAccuracy", "metric/AUC", "metric/Precision",
		"metric/MeanIoU", "function/binary_crossentropy", "function/huber", "metric/Mean"}
)

// synthCause is one bug of the synthetic port: the class it touches and how
// a case of it fails.
type synthCause struct {
	target string
	weight int
	fail   func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance)
}

// The 16 causes. Each varies its numbers, shapes and indices from case to
// case, as real failures do, so that only normalisation can group them.
var synthCauses = []synthCause{
	{"loss/CategoricalCrossentropy", 300, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		valueFinding(r, c, 0, "call", tol, false)
	}},
	{"metric/AUC", 260, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		valueFinding(r, c, 1+r.IntN(3), "update", tol, false)
		valueFinding(r, c, 5, "update", tol, false)
	}},
	{"loss/BinaryCrossentropy", 220, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		valueFinding(r, c, 0, "call", tol, true)
	}},
	{"loss/MeanSquaredError", 180, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		n := 2 + r.IntN(6)
		st := valueStats(r, c.DType, tol, 0, n)
		c.Findings = append(c.Findings, results.Finding{Step: 0, Op: "call", Check: results.CheckShape,
			Message: fmt.Sprintf("shape [%d], Keras [%d 1]", n, n), Stats: st})
		c.Stats, c.Compared = st, n
	}},
	{"loss/Huber", 160, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		n := 2 + r.IntN(6)
		c.Findings = append(c.Findings, results.Finding{Step: 0, Op: "call", Check: results.CheckShape,
			Message: fmt.Sprintf("shape [%d], Keras [] (%d values vs 1: not compared)", n, n)})
	}},
	{"metric/Accuracy", 140, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		st := valueStats(r, c.DType, tol, 0, 1)
		c.Findings = append(c.Findings, results.Finding{Step: 1, Op: "result", Check: results.CheckDType,
			Message: "dtype int64, Keras " + c.DType, Stats: st})
		c.Stats, c.Compared = st, 1
	}},
	{"loss/SparseCategoricalCrossentropy", 130, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		n := 2 + r.IntN(8)
		c.Findings = append(c.Findings, results.Finding{Step: 0, Op: "call", Check: results.CheckRefused,
			Message: fmt.Sprintf("the port returned an error: losses: y_true shape [%d] and y_pred shape [%d %d] do not fit; Keras returned a %s value of shape [%d]", n, n, 3+r.IntN(4), c.DType, n)})
	}},
	{"loss/KLDivergence", 120, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		c.Findings = append(c.Findings, results.Finding{Step: 0, Op: "construct", Check: results.CheckAccepted,
			Message: fmt.Sprintf("Keras raised ValueError (`label_smoothing` must be in [0, 1], received %g); the port accepted the config", 1+r.Float64())})
		c.Steps = 1
	}},
	{"metric/MeanIoU", 110, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		c.Findings = append(c.Findings, results.Finding{Step: 2, Op: "update", Check: results.CheckErrorKind,
			Message: fmt.Sprintf("Keras raised InvalidArgumentError (indices[%d] = %d is not in [0, %d)); the port raised ValueError", r.IntN(9), 5+r.IntN(4), 3+r.IntN(2))})
	}},
	{"metric/Precision", 100, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		c.Outcome = results.Error
		c.Findings = append(c.Findings, results.Finding{Step: 1, Op: "update", Check: results.CheckPanic,
			Message: fmt.Sprintf("port panicked: runtime error: index out of range [%d] with length %d", 4+r.IntN(9), 4)})
	}},
	{"metric/Recall", 90, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		c.Outcome = results.Error
		c.Findings = append(c.Findings, results.Finding{Step: 3, Op: "result", Check: results.CheckTimeout, Message: "timed out after 10s"})
	}},
	{"metric/BinaryAccuracy", 80, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		c.Outcome = results.Error
		n := 2 + r.IntN(5)
		c.Findings = append(c.Findings, results.Finding{Step: 1, Op: "result", Check: results.CheckMalformed,
			Message: fmt.Sprintf("the port returned %d values for shape [%d] (%d elements)", n+1, n, n)})
	}},
	{"loss/Poisson", 70, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		c.Outcome = results.Error
		c.Findings = append(c.Findings, results.Finding{Step: 0, Op: "call", Check: results.CheckMutated,
			Message: fmt.Sprintf("the port wrote into y_pred (element %d was %v, is %v): inputs are read-only", r.IntN(12), r.Float64(), r.Float64())})
	}},
	{"metric/Mean", 60, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		c.Outcome = results.Nondeterministic
		c.Findings = append(c.Findings, results.Finding{Step: 2, Check: results.CheckNondeterministic,
			Message: fmt.Sprintf("element %d: first run %v, second run %v", r.IntN(4), r.Float64(), r.Float64())})
	}},
	{"function/huber", 50, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		valueFinding(r, c, 0, "call", tol, false)
	}},
	{"metric/MeanSquaredError", 40, func(r *rand.Rand, c *results.CaseResult, tol reference.Tolerance) {
		n := 2 + r.IntN(6)
		c.Findings = append(c.Findings, results.Finding{Step: 1, Op: "update", Check: results.CheckRefused,
			Message: fmt.Sprintf("sample_weight of shape [%d %d] cannot broadcast to [%d]", n, 2, n)})
	}},
}

// valueStats are the statistics of n compared values of which some differ;
// nan puts a NaN where Keras has a number.
func valueStats(r *rand.Rand, dtype string, tol reference.Tolerance, mismatches, n int) *results.Stats {
	want := (1 + r.Float64()*3) * float64(1-2*r.IntN(2))
	if dtype != "float64" {
		want = float64(float32(want))
	}
	ulp := float64(int(16) << r.IntN(12))
	got := want * (1 + ulp*synthEps[dtype])
	if dtype != "float64" {
		got = float64(float32(got))
	}
	if mismatches == 0 {
		ulp, got = float64(r.IntN(3)), want
	}
	g, w := reference.Float(got), reference.Float(want)
	abs := math.Abs(got - want)
	return &results.Stats{Elements: n, Mismatches: mismatches, MaxAbs: reference.Float(abs), MaxRel: reference.Float(abs / math.Abs(want)),
		MaxULP: reference.Float(ulp), WorstIndex: []int{r.IntN(n)}, Got: &g, Want: &w,
		ATol: reference.Float(tol.ATol), RTol: reference.Float(tol.RTol), Reason: tol.Reason}
}

// valueFinding adds a value finding in the words reference.Compare uses.
func valueFinding(r *rand.Rand, c *results.CaseResult, step int, op string, tol reference.Tolerance, nan bool) {
	n := 4 + r.IntN(60)
	st := valueStats(r, c.DType, tol, 1+r.IntN(min(n, 5)), n)
	st.WorstIndex = []int{r.IntN(4), r.IntN(n/4 + 1)}
	pair := fmt.Sprintf("got %s want %s (abs %.2g, rel %.2g, %s ulp)", Num(*st.Got), Num(*st.Want), float64(st.MaxAbs), float64(st.MaxRel), Num(st.MaxULP))
	if nan {
		g := reference.Float(math.NaN())
		st.Got, st.MaxAbs, st.MaxRel, st.MaxULP = &g, reference.Float(math.Inf(1)), reference.Float(math.Inf(1)), reference.Float(math.Inf(1))
		pair = fmt.Sprintf("got NaN want %s (non-finite mismatch)", Num(*st.Want))
	}
	idx := fmt.Sprint(st.WorstIndex)
	c.Findings = append(c.Findings, results.Finding{Step: step, Op: op, Check: results.CheckValue, Stats: st,
		Message: fmt.Sprintf("values: %d of %d elements differ beyond atol=%g rtol=%g; worst at %s: %s", st.Mismatches, st.Elements, tol.ATol, tol.RTol, idx, pair)})
	if c.Stats == nil || st.Mismatches > c.Stats.Mismatches {
		c.Stats = st
	}
	c.Compared += n
}

// Num formats a value as the shortest decimal that reads back.
func Num(x reference.Float) string { return strconv.FormatFloat(float64(x), 'g', -1, 64) }

// synthCase is a case of a target with its id, rerun line and params.
func synthCase(r *rand.Rand, target string, i int) results.CaseResult {
	kind, class, _ := strings.Cut(target, "/")
	dtype := synthDTypes[r.IntN(len(synthDTypes))]
	backend := synthBackends[r.IntN(len(synthBackends))]
	red := []string{"sum", "sum_over_batch_size", "none", "mean"}[r.IntN(4)]
	c := results.CaseResult{Kind: kind, Class: class, Backend: backend, DType: dtype, Outcome: results.Pass, Steps: 1,
		Params: map[string]string{"reduction": red}}
	if kind == "metric" {
		c.Steps = 6
		c.Params = map[string]string{"batches": "3-1-2-r-2"}
	}
	c.ID = fmt.Sprintf("%s/red=%s/%s/%04d", target, red, synthShort[dtype], i)
	return c
}

// synthCases makes the cases of a synthetic run, in the order a run would
// write them, and the end line that closes it.
func synthCases(o synth) ([]results.CaseResult, results.RunInfo, results.End) {
	r := rand.New(rand.NewPCG(o.Seed, 2))
	info := synthInfo()
	var cases []results.CaseResult
	i := 0
	complete := func(c *results.CaseResult) {
		key := results.SpecText(c.Backend, c.ID)
		if c.Outcome != results.Pass {
			c.Params = map[string]string{"reduction": "sum"}
			c.Rerun = strings.NewReplacer("{case}", results.ShellQuote(key), "{out}", "/tmp/out/rerun").Replace(info.Rerun)
		}
		if len(c.Findings) > 0 {
			f := c.Findings[0]
			c.Detail = stepText(f.Step, f.Op) + ": " + f.Message
			if n := len(c.Findings); n > 1 {
				c.Detail += fmt.Sprintf(" (and %d more finding%s)", n-1, map[bool]string{true: "", false: "s"}[n == 2])
			}
		}
		if c.Outcome.Broken() || c.Outcome == results.KnownDivergence {
			c.View = synthView(r, c, strings.ReplaceAll(info.Show, "{case}", results.ShellQuote(key)))
		}
	}
	// Passing cases, lean as the suites write them.
	for range o.Pass {
		c := synthCase(r, synthPassing[r.IntN(len(synthPassing))], i)
		i++
		u := 0.0
		if r.IntN(3) == 0 {
			u = float64(r.IntN(9))
		}
		n := 1 + r.IntN(40)
		c.Stats = &results.Stats{Elements: n, MaxULP: reference.Float(u), MaxAbs: reference.Float(u * synthEps[c.DType]), MaxRel: reference.Float(u * synthEps[c.DType])}
		c.Compared = n
		cases = append(cases, c)
	}
	// Failing cases, spread over the causes by weight.
	causes := synthCauses[:o.Causes]
	total := 0
	for _, k := range causes {
		total += k.weight
	}
	for j := range o.Failing {
		k := causes[j%len(causes)] // every cause gets at least one case
		if j >= len(causes) {
			x := r.IntN(total)
			for _, kk := range causes {
				if x < kk.weight {
					k = kk
					break
				}
				x -= kk.weight
			}
		}
		c := synthCase(r, k.target, i)
		i++
		c.Outcome = results.Fail
		tol := reference.Tolerance{ATol: 2 * synthEps[c.DType], RTol: 8 * synthEps[c.DType], Reason: c.DType + " default: 8 ulp relative"}
		k.fail(r, &c, tol)
		complete(&c)
		cases = append(cases, c)
	}
	// Not ported: a class the port lacks, and a config value it refuses.
	for j := range o.NotPorted {
		c := synthCase(r, []string{"loss/Hinge", "loss/LogCosh", "loss/Huber"}[j%3], i)
		i++
		c.Outcome, c.Steps = results.NotPorted, 1
		switch c.Class {
		case "Huber":
			c.Detail = fmt.Sprintf("construct: not implemented: delta=%d", r.IntN(9))
		default:
			c.Detail = "construct: not implemented: " + c.Class
		}
		complete(&c)
		cases = append(cases, c)
	}
	// Known divergences, and one XPASS of the same entry.
	reason := "TensorFlow renormalises probabilities that do not sum to 1; the port follows the documented formula"
	for j := range o.Divergent {
		c := synthCase(r, "loss/SparseCategoricalCrossentropy", i)
		i++
		c.Backend = "tensorflow"
		c.Divergence = reason
		if j == o.Divergent-1 {
			c.Outcome = results.XPass
			c.Stats = &results.Stats{Elements: 4, MaxULP: 2, MaxAbs: 2e-7, MaxRel: 1e-7}
		} else {
			c.Outcome = results.KnownDivergence
			valueFinding(r, &c, 0, "call", reference.Tolerance{ATol: 2 * synthEps[c.DType], RTol: 8 * synthEps[c.DType]}, false)
		}
		complete(&c)
		cases = append(cases, c)
	}
	var counts results.Counts
	for _, c := range cases {
		counts.Add(c.Outcome)
		for k := range info.Manifests {
			if info.Manifests[k].Backend == c.Backend {
				info.Manifests[k].Cases++
			}
		}
	}
	end := results.End{Counts: counts, Seconds: 12.5,
		Params: map[string]map[string]int{"reduction": {"sum": 40, "none": 12, "sum_over_batch_size": 30}, "from_logits": {"true": 10, "false": 20}}}
	if o.Divergent > 0 {
		end.Entries = append(end.Entries, results.EntryUse{Kind: "divergence", Index: 0, Summary: "classes=SparseCategoricalCrossentropy backends=tensorflow",
			Reason: reason, Link: "https://github.com/keras-team/keras/issues/12345", Matched: o.Divergent, XPass: 1, LargestULP: 4096})
		problem := "known divergence divergences.json[0] (classes=SparseCategoricalCrossentropy backends=tensorflow) matches Keras on 1 case (XPASS): narrow or remove it"
		if o.Strict {
			end.Failures = append(end.Failures, "strict: "+problem)
		} else {
			end.Warnings = append(end.Warnings, problem)
		}
	}
	end.Entries = append(end.Entries, results.EntryUse{Kind: "tolerance", Index: 0, Summary: "dtypes=bfloat16", Reason: "bfloat16 sums round at every step", Matched: 12, LargestULP: 3})
	return cases, info, end
}

func stepText(step int, op string) string {
	if step < 0 {
		return op
	}
	return fmt.Sprintf("step %d (%s)", step, op)
}

// synthView is the view check.go gives a failing case: config, and per
// step the inputs, Keras's output and the port's.
func synthView(r *rand.Rand, c *results.CaseResult, show string) *results.View {
	v := &results.View{Config: `{"name":"` + strings.ToLower(c.Class) + `","reduction":"sum","dtype":"` + c.DType + `"}`, Show: show}
	arr := func(n int) string {
		xs := make([]string, n)
		for i := range xs {
			xs[i] = strconv.FormatFloat(r.NormFloat64(), 'g', -1, 32)
		}
		return fmt.Sprintf("%s[%d] [%s]", c.DType, n, strings.Join(xs, " "))
	}
	for s := range max(c.Steps, 1) {
		op := "call"
		if c.Kind == "metric" {
			op = []string{"update", "result"}[s%2]
		}
		sv := results.StepView{Op: op, Inputs: map[string]string{"y_true": arr(8), "y_pred": arr(8)}, Keras: arr(1), Port: arr(1)}
		if s == 0 {
			sv.Inputs["sample_weight"] = arr(8)
		}
		for _, f := range c.Findings {
			if f.Step == s && results.PortError(f.Check) {
				sv.Port = "error: " + f.Message
			}
		}
		v.Steps = append(v.Steps, sv)
	}
	return v
}

// synthInfo is the first line of a synthetic run.
func synthInfo() results.RunInfo {
	info := results.RunInfo{Port: "bentport", Fixtures: "/src/kerasparity/fixtures", Suite: "/src/bentport/conformance",
		Options: map[string]string{"timeout": "10s", "repeat": "true", "strict": "false"},
		Rerun:   "make -C /src/bentport conformance CASE={case} OUT={out}",
		Show:    "go run github.com/kerasparity/kerasparity/cmd/kerasparity show -fixtures /src/kerasparity/fixtures {case}"}
	for _, b := range synthBackends {
		v := map[string]string{"keras": "3.15.1", "numpy": "2.4.6", "python": "3.11.7"}
		if b != "numpy" {
			v[b] = map[string]string{"jax": "0.10.2", "tensorflow": "2.21.0"}[b]
		}
		info.Manifests = append(info.Manifests, results.ManifestInfo{Backend: b, Versions: v,
			Generator: reference.Generator{Name: "kerasparity-gen", Revision: "385e9d682556", Seed: 20261122},
			Keras:     reference.KerasSettings{Epsilon: 1e-7, Floatx: "float32"}})
	}
	return info
}

// writeResults writes a results file into dir as the suites do: the run
// line, one line per case, and the end line unless end is nil (a crash,
// after which running names the case that was running). It returns the
// file's path.
func writeResults(dir string, info results.RunInfo, cases []results.CaseResult, end *results.End, running string) string {
	path := filepath.Join(dir, results.FileName)
	var b strings.Builder
	line := func(key string, v any) {
		data, err := json.Marshal(map[string]any{key: v})
		if err != nil {
			panic(err)
		}
		b.Write(data)
		b.WriteByte('\n')
	}
	line("run", info)
	for i := range cases {
		line("case", &cases[i])
	}
	if end != nil {
		line("end", end)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		panic(err)
	}
	if running != "" {
		if err := os.WriteFile(filepath.Join(dir, results.RunningFile), []byte(running+"\n"), 0o644); err != nil {
			panic(err)
		}
	}
	return path
}

// writeSynth writes a synthetic run into dir and returns its path.
func writeSynth(dir string, o synth) string {
	cases, info, end := synthCases(o)
	return writeResults(dir, info, cases, &end, "")
}

// failingRun is the 2,000-failure run of 16 causes the tests and the
// screenshots use.
var failingRun = synth{Pass: 6000, Failing: 2100, NotPorted: 150, Divergent: 30, Causes: 16, Seed: 7}

// passingRun is a run the size of the real one: 27,000 passing cases,
// some not ported, known divergences.
var passingRun = synth{Pass: 27200, NotPorted: 0, Divergent: 57, Causes: 0, Seed: 3}
