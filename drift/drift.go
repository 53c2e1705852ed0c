package drift

import (
	"encoding/json"
	"fmt"
	"github.com/kerasparity/kerasparity/caseview"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/kerasparity/kerasparity/reference"
)

// Cause is why a case changed. The causes are ordered from the most telling
// to the least; a case with several changed steps gets the first in this
// order.
type Cause int

// The causes, most telling first. Causes up to ValueChanged change an output
// or a refusal; the last two do not and are counted apart.
const (
	NewlyRefused Cause = iota
	NewlyAccepted
	ErrorTypeChanged
	ShapeOrDTypeChanged
	ValueChanged
	MessageChanged
	ConfigChanged
)

// Causes lists every cause in order.
var Causes = []Cause{NewlyRefused, NewlyAccepted, ErrorTypeChanged, ShapeOrDTypeChanged, ValueChanged, MessageChanged, ConfigChanged}

var causeNames = [...]string{
	NewlyRefused:        "newly refused",
	NewlyAccepted:       "newly accepted",
	ErrorTypeChanged:    "error type changed",
	ShapeOrDTypeChanged: "shape or dtype changed",
	ValueChanged:        "value changed",
	MessageChanged:      "error message changed",
	ConfigChanged:       "config changed",
}

func (c Cause) String() string {
	if c < 0 || int(c) >= len(causeNames) {
		return fmt.Sprintf("Cause(%d)", int(c))
	}
	return causeNames[c]
}

// Material reports whether the cause changes an output or a refusal, which a
// port checked against the newer Keras would notice.
func (c Cause) Material() bool { return c <= ValueChanged }

// Report is the comparison of two fixture sets.
type Report struct {
	From, To string // the two sets' folders
	// Backends holds one entry per backend both sets hold, sorted.
	Backends []*Backend
	// OnlyFrom and OnlyTo name the backends only one set holds.
	OnlyFrom, OnlyTo []string
}

// Backend is the comparison of one backend's manifests.
type Backend struct {
	Name string
	// FromVersions and ToVersions are the manifests' versions (keras, numpy,
	// the backend's packages, python).
	FromVersions, ToVersions map[string]string
	// Warnings name differences that make the comparison less meaningful:
	// another catalogue revision or seed, other Keras settings.
	Warnings []string
	// Cases is the number of cases both manifests hold.
	Cases int
	// OnlyFrom and OnlyTo are ids of cases one manifest lacks.
	OnlyFrom, OnlyTo []string
	// Changes are the changed cases, in the order of the newer manifest.
	Changes []*Change
	// API lists the differences of the exported classes and arguments.
	API []string
}

// Change is one case that differs between the two sets.
type Change struct {
	ID, Kind, Class string
	Cause           Cause
	// Step is the index of the step that gave the cause, and Op its op
	// ("construct" when either side raised in the constructor).
	Step int
	Op   string
	// From and To describe the step's outcome on each side: the error as
	// "Type: message", or the value as "dtype[shape]", or the value itself
	// for a scalar.
	From, To string
	// Value is the largest value change over every step whose value changed
	// (set for every change that has one, whatever its cause).
	Value *ValueDiff
	// ConfigKeys names the config keys that differ ("dtype" for the case's
	// dtype), whatever the cause.
	ConfigKeys []string
}

// ValueDiff measures how far a changed value moved, over its elements.
type ValueDiff struct {
	Step      int
	Elements  int // elements of the value
	Differing int // elements that are not identical (NaN equals NaN)
	NonFinite int // differing elements where one side is NaN or infinite
	MaxAbs    float64
	AbsIndex  []int   // N-d index of the largest absolute change
	AbsFrom   float64 // the values there
	AbsTo     float64
	MaxRel    float64 // |to-from|/|from|, +Inf where from is 0
	RelIndex  []int
	RelFrom   float64
	RelTo     float64
	MaxULP    float64 // in the value's dtype, over the finite pairs
	DType     string
}

// Group is the group a change is counted in: kind and class, so a loss and
// a metric of the same name stay apart ("loss/Tversky").
func (c *Change) Group() string { return c.Kind + "/" + c.Class }

// Changed counts the material changes (outputs or refusals).
func (b *Backend) Changed() int {
	n := 0
	for _, c := range b.Changes {
		if c.Cause.Material() {
			n++
		}
	}
	return n
}

// Count returns how many changes have the cause.
func (b *Backend) Count(cause Cause) int {
	n := 0
	for _, c := range b.Changes {
		if c.Cause == cause {
			n++
		}
	}
	return n
}

// Compare compares two loaded fixture sets, from (the older Keras) and to
// (the newer), backend by backend and case by case by id.
func Compare(from, to *reference.Set) *Report {
	r := &Report{From: from.Dir, To: to.Dir}
	fromBy := byBackend(from)
	toBy := byBackend(to)
	for _, name := range slices.Sorted(maps.Keys(fromBy)) {
		if _, ok := toBy[name]; !ok {
			r.OnlyFrom = append(r.OnlyFrom, name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(toBy)) {
		m, ok := fromBy[name]
		if !ok {
			r.OnlyTo = append(r.OnlyTo, name)
			continue
		}
		r.Backends = append(r.Backends, compareManifests(m, toBy[name]))
	}
	return r
}

func byBackend(s *reference.Set) map[string]*reference.Manifest {
	out := make(map[string]*reference.Manifest, len(s.Manifests))
	for _, m := range s.Manifests {
		out[m.Backend] = m
	}
	return out
}

func compareManifests(a, b *reference.Manifest) *Backend {
	out := &Backend{Name: b.Backend, FromVersions: a.Versions, ToVersions: b.Versions}
	if a.Generator.Revision != b.Generator.Revision || a.Generator.Seed != b.Generator.Seed {
		out.Warnings = append(out.Warnings, fmt.Sprintf(
			"the sets come from different catalogues (generator revision %s seed %d, and %s seed %d): cases with the same id may have other inputs",
			a.Generator.Revision, a.Generator.Seed, b.Generator.Revision, b.Generator.Seed))
	}
	if a.Keras != b.Keras {
		out.Warnings = append(out.Warnings, fmt.Sprintf("Keras settings differ: epsilon %g floatx %s, and epsilon %g floatx %s",
			a.Keras.Epsilon, a.Keras.Floatx, b.Keras.Epsilon, b.Keras.Floatx))
	}
	old := make(map[string]*reference.Case, len(a.Cases))
	for _, c := range a.Cases {
		old[c.ID] = c
	}
	seen := make(map[string]bool, len(b.Cases))
	for _, c := range b.Cases {
		seen[c.ID] = true
		o, ok := old[c.ID]
		if !ok {
			out.OnlyTo = append(out.OnlyTo, c.ID)
			continue
		}
		out.Cases++
		if ch := compareCase(o, c); ch != nil {
			out.Changes = append(out.Changes, ch)
		}
	}
	for _, c := range a.Cases {
		if !seen[c.ID] {
			out.OnlyFrom = append(out.OnlyFrom, c.ID)
		}
	}
	out.API = compareAPI(a.API, b.API)
	return out
}

// compareCase returns the change of one case, or nil when it is the same.
func compareCase(a, b *reference.Case) *Change {
	ch := &Change{ID: b.ID, Kind: b.Kind, Class: b.Class, Cause: -1}
	note := func(cause Cause, step int, sa, sb *reference.Step) {
		if ch.Cause >= 0 && ch.Cause <= cause {
			return
		}
		ch.Cause, ch.Step = cause, step
		ch.Op = sb.Op
		if sa.Op == "construct" {
			ch.Op = sa.Op // either side's construct names the step
		}
		ch.From, ch.To = describe(sa.Expect), describe(sb.Expect)
	}
	n := min(len(a.Steps), len(b.Steps))
	for i := range n {
		sa, sb := a.Steps[i], b.Steps[i]
		ea, eb := sa.Expect.Error, sb.Expect.Error
		switch {
		case ea == nil && eb != nil:
			note(NewlyRefused, i, sa, sb)
		case ea != nil && eb == nil:
			note(NewlyAccepted, i, sa, sb)
		case ea != nil && eb != nil:
			if ea.Type != eb.Type {
				note(ErrorTypeChanged, i, sa, sb)
			} else if ea.Message != eb.Message {
				note(MessageChanged, i, sa, sb)
			}
		default:
			va, vb := sa.Expect.Value, sb.Expect.Value
			if va.SHA256 == vb.SHA256 && va.DType == vb.DType && slices.Equal(va.Shape, vb.Shape) {
				continue // the same bytes
			}
			if va.Array == nil || vb.Array == nil {
				continue // not loaded: nothing to compare
			}
			if va.DType != vb.DType || !slices.Equal(va.Shape, vb.Shape) {
				note(ShapeOrDTypeChanged, i, sa, sb)
				continue
			}
			d := diffValues(*va.Array, *vb.Array)
			if d.Differing == 0 {
				continue // equal values stored differently (NaN payloads, -0)
			}
			d.Step = i
			if ch.Value == nil || worse(d, ch.Value) {
				ch.Value = d
			}
			note(ValueChanged, i, sa, sb)
		}
	}
	if len(a.Steps) != len(b.Steps) && ch.Cause < 0 {
		// Neither side refused where the other did, yet the streams differ
		// in length: another catalogue, or a stream Keras cut short.
		i := n
		if i > 0 {
			i--
		}
		note(ShapeOrDTypeChanged, i, a.Steps[min(i, len(a.Steps)-1)], b.Steps[min(i, len(b.Steps)-1)])
		ch.From = fmt.Sprintf("%d steps", len(a.Steps))
		ch.To = fmt.Sprintf("%d steps", len(b.Steps))
	}
	var from, to []string
	ch.ConfigKeys, from, to = configDiff(a, b)
	if ch.Cause < 0 && len(ch.ConfigKeys) > 0 {
		ch.Cause, ch.Op = ConfigChanged, "config"
		ch.From, ch.To = strings.Join(from, ", "), strings.Join(to, ", ")
	}
	if ch.Cause < 0 {
		return nil
	}
	return ch
}

// worse reports whether d is a larger change than e: non-finite changes
// first, then by absolute change.
func worse(d, e *ValueDiff) bool {
	if (d.NonFinite > 0) != (e.NonFinite > 0) {
		return d.NonFinite > 0
	}
	return d.MaxAbs > e.MaxAbs
}

// diffValues measures the change from a to b, which have the same shape and
// dtype.
func diffValues(a, b reference.Array) *ValueDiff {
	d := &ValueDiff{Elements: len(a.Data), DType: a.DType}
	absAt, relAt := -1, -1
	for i, x := range a.Data {
		y := b.Data[i]
		if x == y || (math.IsNaN(x) && math.IsNaN(y)) {
			continue
		}
		d.Differing++
		if !isFinite(x) || !isFinite(y) {
			d.NonFinite++
			continue
		}
		abs := math.Abs(y - x)
		rel := math.Inf(1)
		if x != 0 {
			rel = abs / math.Abs(x)
		}
		if absAt < 0 || abs > d.MaxAbs {
			absAt, d.MaxAbs = i, abs
		}
		if relAt < 0 || rel > d.MaxRel {
			relAt, d.MaxRel = i, rel
		}
	}
	if absAt >= 0 {
		d.AbsIndex, d.AbsFrom, d.AbsTo = reference.Unravel(absAt, a.Shape), a.Data[absAt], b.Data[absAt]
		d.RelIndex, d.RelFrom, d.RelTo = reference.Unravel(relAt, a.Shape), a.Data[relAt], b.Data[relAt]
	} else if d.NonFinite > 0 {
		// Only non-finite changes: point at the first.
		for i, x := range a.Data {
			y := b.Data[i]
			if !(x == y || (math.IsNaN(x) && math.IsNaN(y))) {
				d.AbsIndex, d.AbsFrom, d.AbsTo = reference.Unravel(i, a.Shape), x, y
				d.RelIndex, d.RelFrom, d.RelTo = d.AbsIndex, x, y
				break
			}
		}
		d.MaxAbs, d.MaxRel = math.Inf(1), math.Inf(1)
	}
	for i, x := range a.Data {
		if y := b.Data[i]; x != y && isFinite(x) && isFinite(y) {
			d.MaxULP = max(d.MaxULP, ulpDistance(x, y, a.DType))
		}
	}
	return d
}

// ulpDistance counts the values of dtype between x and y, both finite and
// exactly representable in it (as fixture values are). Integer and bool
// dtypes count units.
func ulpDistance(x, y float64, dtype string) float64 {
	switch dtype {
	case "float64":
		return math.Abs(float64(ordered64(x) - ordered64(y)))
	case "float32":
		return math.Abs(float64(ordered32(float32(x)) - ordered32(float32(y))))
	case "bfloat16": // the upper half of a float32
		return math.Abs(float64(ordered32(float32(x))-ordered32(float32(y)))) / (1 << 16)
	case "float16":
		return math.Abs(float64(ordered16(x) - ordered16(y)))
	}
	return math.Abs(x - y)
}

// ordered64 maps a float64 to an integer that counts representable values
// from zero, negative below it, so that a difference is a ULP count.
func ordered64(x float64) int64 {
	b := int64(math.Float64bits(math.Abs(x)))
	if x < 0 {
		return -b
	}
	return b
}

func ordered32(x float32) int64 {
	b := int64(math.Float32bits(float32(math.Abs(float64(x)))))
	if x < 0 {
		return -b
	}
	return b
}

// ordered16 is ordered64 for a float16 value: subnormals count steps of
// 2^-24, normals (1+m/1024)*2^e are (e+15)<<10 | m.
func ordered16(x float64) int64 {
	a := math.Abs(x)
	var b int64
	if a < 1.0/(1<<14) {
		b = int64(math.Round(a * (1 << 24)))
	} else {
		frac, exp := math.Frexp(a) // a = frac * 2^exp, frac in [0.5, 1)
		m := int64(math.Round((2*frac - 1) * 1024))
		b = int64(exp-1+15)<<10 | m
	}
	if x < 0 {
		return -b
	}
	return b
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// describe is one line for a step's outcome.
func describe(o reference.Outcome) string {
	if o.Error != nil {
		return o.Error.Type + ": " + o.Error.Message
	}
	v := o.Value
	if v == nil {
		return "nothing"
	}
	if v.Array != nil && len(v.Shape) == 0 && len(v.Array.Data) == 1 {
		return fmt.Sprintf("%s %s", v.DType, caseview.Number(v.Array.Data[0], v.DType))
	}
	return fmt.Sprintf("%s%v", v.DType, fmtShape(v.Shape))
}

func fmtShape(s []int) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// configDiff names the config keys whose values differ ("dtype" for the
// case's dtype too), with each side's "key=value" (value "absent" for a key
// one side lacks).
func configDiff(a, b *reference.Case) (keys, from, to []string) {
	show := func(m map[string]any, k string) string {
		v, ok := m[k]
		if !ok {
			return k + " absent"
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprintf("%s=%v", k, v)
		}
		return k + "=" + string(raw)
	}
	for _, k := range slices.Sorted(maps.Keys(unionKeys(a.Config, b.Config))) {
		va, oka := a.Config[k]
		vb, okb := b.Config[k]
		if oka != okb || !reflect.DeepEqual(va, vb) {
			keys = append(keys, k)
			from, to = append(from, show(a.Config, k)), append(to, show(b.Config, k))
		}
	}
	if a.DType != b.DType && !slices.Contains(keys, "dtype") {
		keys = append(keys, "dtype")
		from, to = append(from, "dtype="+a.DType), append(to, "dtype="+b.DType)
	}
	return keys, from, to
}

func unionKeys(a, b map[string]any) map[string]bool {
	out := make(map[string]bool, len(a)+len(b))
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// compareAPI lists the classes and constructor arguments that were added,
// removed or given another default, one line each.
func compareAPI(a, b *reference.API) []string {
	if a == nil || b == nil {
		if (a == nil) != (b == nil) {
			return []string{"only one set records the exported API"}
		}
		return nil
	}
	var out []string
	out = append(out, compareClasses("loss", a.Losses, b.Losses)...)
	return append(out, compareClasses("metric", a.Metrics, b.Metrics)...)
}

func compareClasses(kind string, a, b map[string]reference.APIClass) []string {
	var out []string
	names := make(map[string]bool)
	for k := range a {
		names[k] = true
	}
	for k := range b {
		names[k] = true
	}
	for _, name := range slices.Sorted(maps.Keys(names)) {
		ca, oka := a[name]
		cb, okb := b[name]
		switch {
		case !oka:
			out = append(out, fmt.Sprintf("%s %s: new class (%s)", kind, name, signature(cb)))
		case !okb:
			out = append(out, fmt.Sprintf("%s %s: removed", kind, name))
		default:
			out = append(out, compareArgs(kind+" "+name, ca.Args, cb.Args)...)
		}
	}
	return out
}

func compareArgs(what string, a, b []reference.APIArg) []string {
	var out []string
	old := make(map[string]reference.APIArg, len(a))
	for _, x := range a {
		old[x.Name] = x
	}
	now := make(map[string]bool, len(b))
	for _, y := range b {
		now[y.Name] = true
		x, ok := old[y.Name]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s: new argument %s", what, argString(y)))
		case x.Required != y.Required || !reflect.DeepEqual(x.Default, y.Default):
			out = append(out, fmt.Sprintf("%s: %s became %s", what, argString(x), argString(y)))
		}
	}
	for _, x := range a {
		if !now[x.Name] {
			out = append(out, fmt.Sprintf("%s: argument %s removed", what, x.Name))
		}
	}
	if len(out) == 0 && !slices.EqualFunc(a, b, func(x, y reference.APIArg) bool { return x.Name == y.Name }) {
		out = append(out, fmt.Sprintf("%s: arguments reordered (%s)", what, signature(reference.APIClass{Args: b})))
	}
	return out
}

func argString(x reference.APIArg) string {
	if x.Required {
		return x.Name + " (required)"
	}
	return fmt.Sprintf("%s=%s", x.Name, jsonish(x.Default))
}

func signature(c reference.APIClass) string {
	parts := make([]string, len(c.Args))
	for i, x := range c.Args {
		parts[i] = argString(x)
	}
	return strings.Join(parts, ", ")
}

func jsonish(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case string:
		return fmt.Sprintf("%q", v)
	case bool:
		if v {
			return "True"
		}
		return "False"
	default:
		return fmt.Sprint(v)
	}
}
