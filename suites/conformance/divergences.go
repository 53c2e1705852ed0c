package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/results"
)

// Divergences is a port's own file of known divergences and tolerance
// overrides. It lives on the port's side of the tree (impl/divergences.json
// for kerasparity's own port) so that whoever changes the port also owns the
// list of what it does not match.
//
// Entries are written by cause: one entry per reason the port differs from
// Keras, selecting the cases that cause touches by kind, class, backend,
// dtype, params, edges or ids, and optionally by the check that failed and
// a substring of its message. The file is read strictly: unknown and
// duplicate keys, nulls, a reason used twice, and an entry that selects
// (nearly) every case without saying so are errors, so a typo can never
// silently widen it.
type Divergences struct {
	Path        string           `json:"-"`
	Divergences []Divergence     `json:"divergences"`
	Tolerances  []ToleranceEntry `json:"tolerances"`
}

// Selector chooses cases. Every field that is set must match (a list
// matches when the case has any of its values; params must all equal the
// case's); a selector with no field set matches nothing unless All is set.
type Selector struct {
	Kinds    []string          `json:"kinds,omitempty"`
	Classes  []string          `json:"classes,omitempty"`
	Backends []string          `json:"backends,omitempty"`
	DTypes   []string          `json:"dtypes,omitempty"`
	Params   map[string]string `json:"params,omitempty"`
	Edges    []string          `json:"edges,omitempty"`
	// IDs are case id patterns, in which '*' matches any run of characters.
	IDs []string `json:"ids,omitempty"`
	// All must be set for an entry meant to select every case, or more
	// than half of them: the one way to write a blanket entry.
	All bool `json:"all,omitempty"`
}

// Divergence marks the cases it selects as known not to match Keras, for one
// reason. A selected case that fails only in ways the entry covers is a
// known divergence; one that passes is XPASS, unless the entry describes a
// symptom (Check or Message), which a passing case simply does not show.
type Divergence struct {
	Selector
	// Check limits the entry to findings of one check: value, shape,
	// dtype, accepted, refused, error_kind.
	Check string `json:"check,omitempty"`
	// Message limits it to findings whose message contains this text.
	Message string `json:"message,omitempty"`
	// Ops limits it to findings at steps of these ops: construct, call,
	// update, reset.
	Ops    []string `json:"ops,omitempty"`
	Reason string   `json:"reason"`
	Link   string   `json:"link,omitempty"`
}

// ToleranceEntry is a port's override of the tolerance of the cases it
// selects. An override beyond the per-dtype ceiling (see Ceiling) needs
// Wide, so that no entry can make every value pass unnoticed.
type ToleranceEntry struct {
	Selector
	ATol   float64 `json:"atol"`
	RTol   float64 `json:"rtol"`
	Wide   bool    `json:"wide,omitempty"`
	Reason string  `json:"reason"`
}

// CeilingFactor is how many times a dtype's default tolerance an override
// may be without "wide": true.
const CeilingFactor = 64

// blanketShare is the share of a run's cases above which a selector must
// say "all": true.
const blanketShare = 0.5

var (
	knownKinds    = []string{"loss", "function", "metric"}
	knownChecks   = []string{results.CheckValue, results.CheckShape, results.CheckDType, results.CheckAccepted, results.CheckRefused, results.CheckErrorKind, results.CheckMissing, results.CheckDefaults}
	knownOps      = []string{"construct", "call", "update", "reset", "api"}
	knownBackends = []string{"numpy", "jax", "tensorflow", "torch", "tf-keras"}
)

// ReadDivergences reads and checks a divergence file. Every entry needs a
// reason and a selector; each reason is given once (one entry per cause).
func ReadDivergences(path string) (*Divergences, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("known divergences: %w", err)
	}
	d, err := ParseDivergences(data)
	if err != nil {
		return nil, fmt.Errorf("known divergences %s: %w", path, err)
	}
	d.Path = path
	return d, nil
}

// ParseDivergences decodes and checks the JSON of a divergence file.
func ParseDivergences(data []byte) (*Divergences, error) {
	if err := strictJSON(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Divergences
	if err := dec.Decode(&d); err != nil {
		return nil, err
	}
	var errs []error
	reasons := map[string]int{}
	for i, e := range d.Divergences {
		where := fmt.Sprintf("divergences[%d]", i)
		sel := e.Selector
		if e.symptom() && sel.empty() {
			// A symptom (check, message) selects by itself; the share rule
			// still holds it to its message.
			sel.All = true
		}
		errs = append(errs, sel.check(where))
		if e.Check != "" && !slices.Contains(knownChecks, e.Check) {
			errs = append(errs, fmt.Errorf("%s: check %q is none of %s (a panic, timeout or malformed output is an error of the port, never a known divergence)", where, e.Check, strings.Join(knownChecks, ", ")))
		}
		for _, op := range e.Ops {
			if !slices.Contains(knownOps, op) {
				errs = append(errs, fmt.Errorf("%s: op %q is none of %s", where, op, strings.Join(knownOps, ", ")))
			}
		}
		if strings.TrimSpace(e.Reason) == "" {
			errs = append(errs, fmt.Errorf("%s needs a reason", where))
		} else if j, dup := reasons[e.Reason]; dup {
			errs = append(errs, fmt.Errorf("%s repeats the reason of divergences[%d]: one entry per cause (merge their selectors)", where, j))
		} else {
			reasons[e.Reason] = i
		}
	}
	for i, e := range d.Tolerances {
		where := fmt.Sprintf("tolerances[%d]", i)
		errs = append(errs, e.Selector.check(where))
		if strings.TrimSpace(e.Reason) == "" {
			errs = append(errs, fmt.Errorf("%s needs a reason", where))
		}
		if !(e.ATol >= 0) || !(e.RTol >= 0) {
			errs = append(errs, fmt.Errorf("%s: atol=%g rtol=%g must be >= 0", where, e.ATol, e.RTol))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &d, nil
}

func (s Selector) check(where string) error {
	var errs []error
	if s.empty() && !s.All {
		errs = append(errs, fmt.Errorf("%s selects nothing: give kinds, classes, backends, dtypes, params, edges or ids (or \"all\": true for every case)", where))
	}
	for _, k := range s.Kinds {
		if !slices.Contains(knownKinds, k) {
			errs = append(errs, fmt.Errorf("%s: kind %q is none of %s", where, k, strings.Join(knownKinds, ", ")))
		}
	}
	for _, b := range s.Backends {
		if !slices.Contains(knownBackends, b) {
			errs = append(errs, fmt.Errorf("%s: backend %q is none of %s", where, b, strings.Join(knownBackends, ", ")))
		}
	}
	for _, dt := range s.DTypes {
		if !knownDTypes[dt] {
			errs = append(errs, fmt.Errorf("%s: dtype %q is not a dtype name", where, dt))
		}
	}
	for _, list := range [][]string{s.Classes, s.Edges, s.IDs} {
		if slices.Contains(list, "") {
			errs = append(errs, fmt.Errorf("%s: an empty string in a list matches nothing", where))
		}
	}
	return errors.Join(errs...)
}

func (s Selector) empty() bool {
	return len(s.Kinds)+len(s.Classes)+len(s.Backends)+len(s.DTypes)+len(s.Params)+len(s.Edges)+len(s.IDs) == 0
}

// Matches reports whether the selector selects case c.
func (s Selector) Matches(c *reference.Case) bool {
	if s.empty() {
		return s.All
	}
	anyOf := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	if !anyOf(s.Kinds, c.Kind) || !anyOf(s.Classes, c.Class) || !anyOf(s.Backends, c.Backend) || !anyOf(s.DTypes, c.DType) {
		return false
	}
	for k, v := range s.Params {
		if got, ok := c.Params[k]; !ok || got != v {
			return false
		}
	}
	if len(s.Edges) > 0 && !slices.ContainsFunc(s.Edges, func(e string) bool { return slices.Contains(c.Edges, e) }) {
		return false
	}
	if len(s.IDs) > 0 && !slices.ContainsFunc(s.IDs, func(p string) bool { return reference.MatchPattern(p, c.ID) }) {
		return false
	}
	return true
}

// Summary writes the selector in a line, for reports.
func (s Selector) Summary() string {
	var parts []string
	add := func(key string, list []string) {
		if len(list) > 0 {
			parts = append(parts, key+"="+strings.Join(list, ","))
		}
	}
	add("kinds", s.Kinds)
	add("classes", s.Classes)
	add("backends", s.Backends)
	add("dtypes", s.DTypes)
	for _, k := range slices.Sorted(maps.Keys(s.Params)) {
		parts = append(parts, k+"="+s.Params[k])
	}
	add("edges", s.Edges)
	if len(s.IDs) > 3 {
		parts = append(parts, fmt.Sprintf("ids=%s,… (%d)", strings.Join(s.IDs[:2], ","), len(s.IDs)))
	} else {
		add("ids", s.IDs)
	}
	if s.All {
		parts = append(parts, "all")
	}
	return strings.Join(parts, " ")
}

// symptom reports whether the entry selects by what failed rather than by
// which cases it covers.
func (e *Divergence) symptom() bool { return e.Check != "" || e.Message != "" || len(e.Ops) > 0 }

// selects reports whether the entry applies to case c: by its case
// selectors, or, for a symptom entry without them, to every case.
func (e *Divergence) selects(c *reference.Case) bool {
	if e.Selector.empty() && e.symptom() {
		return true
	}
	return e.Matches(c)
}

// covers reports whether the entry excuses finding f.
func (e *Divergence) covers(f results.Finding) bool {
	return (e.Check == "" || e.Check == f.Check) && (e.Message == "" || strings.Contains(f.Message, e.Message)) &&
		(len(e.Ops) == 0 || slices.Contains(e.Ops, f.Op))
}

// checkShare refuses entries that select more than blanketShare of the
// cases without "all": true; the share of a symptom entry is not known
// before the run, so only its case selectors are held to it when it has
// no message.
func (d *Divergences) checkShare(cases []*reference.Case) error {
	if d == nil || len(cases) == 0 {
		return nil
	}
	var errs []error
	share := func(s Selector) float64 {
		n := 0
		for _, c := range cases {
			if s.Matches(c) {
				n++
			}
		}
		return float64(n) / float64(len(cases))
	}
	for i, e := range d.Divergences {
		if !e.All && e.Message == "" && (e.Selector.empty() || share(e.Selector) > blanketShare) {
			errs = append(errs, fmt.Errorf("known divergences %s: divergences[%d] (%s) selects more than half of all cases: narrow it, or say \"all\": true", d.Path, i, e.Selector.Summary()))
		}
	}
	for i, t := range d.Tolerances {
		if !t.All && share(t.Selector) > blanketShare {
			errs = append(errs, fmt.Errorf("known divergences %s: tolerances[%d] (%s) selects more than half of all cases: narrow it, or say \"all\": true", d.Path, i, t.Selector.Summary()))
		}
	}
	return errors.Join(errs...)
}

// checkCeiling refuses a tolerance override wider than CeilingFactor times
// the default of a dtype it applies to, unless it says "wide": true.
func (d *Divergences) checkCeiling(cases []*reference.Case, policy *reference.Policy) error {
	if d == nil {
		return nil
	}
	var errs []error
	for i, t := range d.Tolerances {
		if t.Wide {
			continue
		}
		seen := map[string]bool{}
		for _, c := range cases {
			dt := reference.ExpectedDType(c)
			if seen[dt] || !t.Matches(c) {
				continue
			}
			seen[dt] = true
			def := policy.For(&reference.Case{DType: dt})
			if t.ATol > CeilingFactor*def.ATol || t.RTol > CeilingFactor*def.RTol {
				errs = append(errs, fmt.Errorf("known divergences %s: tolerances[%d] (atol=%g rtol=%g) is more than %d times the %s default (atol=%g rtol=%g): say \"wide\": true, with its reason, if it must be", d.Path, i, t.ATol, t.RTol, CeilingFactor, dt, def.ATol, def.RTol))
			}
		}
	}
	return errors.Join(errs...)
}

// tolerance returns the port's override for c (the last matching entry
// wins) and its index, or -1.
func (d *Divergences) tolerance(c *reference.Case) (reference.Tolerance, int) {
	if d == nil {
		return reference.Tolerance{}, -1
	}
	for i := len(d.Tolerances) - 1; i >= 0; i-- {
		if t := d.Tolerances[i]; t.Matches(c) {
			return reference.Tolerance{ATol: t.ATol, RTol: t.RTol, Reason: t.Reason}, i
		}
	}
	return reference.Tolerance{}, -1
}

// strictJSON refuses JSON that encoding/json would accept loosely: a
// duplicate key (the last would silently win) and null (which would leave a
// field at its zero value, e.g. an empty reason or selector).
func strictJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var walk func(path string) error
	walk = func(path string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case nil:
			return fmt.Errorf("%s is null: leave the key out instead", cmpOr(path, "the file"))
		case json.Delim:
			switch t {
			case '{':
				seen := map[string]bool{}
				for dec.More() {
					kt, err := dec.Token()
					if err != nil {
						return err
					}
					key := kt.(string)
					if seen[key] {
						return fmt.Errorf("%s: key %q appears twice", cmpOr(path, "the top level"), key)
					}
					seen[key] = true
					if err := walk(path + "." + key); err != nil {
						return err
					}
				}
				_, err = dec.Token()
				return err
			case '[':
				for i := 0; dec.More(); i++ {
					if err := walk(fmt.Sprintf("%s[%d]", path, i)); err != nil {
						return err
					}
				}
				_, err = dec.Token()
				return err
			}
		}
		return nil
	}
	if err := walk(""); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// judge applies the port's known divergences to a verdict. A failing case
// is a known divergence when every finding is covered by an entry that
// selects it; the first covering entry's reason is given.
func (k *Checker) judge(res *results.CaseResult, c *reference.Case) {
	d := k.Divergences
	if d == nil {
		return
	}
	switch res.Outcome {
	case results.Fail:
		var used []int
		for _, f := range res.Findings {
			i := slices.IndexFunc(d.Divergences, func(e Divergence) bool { return e.selects(c) && e.covers(f) })
			if i < 0 {
				return
			}
			if !slices.Contains(used, i) {
				used = append(used, i)
			}
		}
		reasons := make([]string, len(used))
		for j, i := range used {
			reasons[j] = d.Divergences[i].Reason
			k.use(i, res) // once per case, however many of its findings the entry covers
		}
		res.Outcome, res.Divergence = results.KnownDivergence, strings.Join(reasons, " / ")
	case results.Pass:
		i := slices.IndexFunc(d.Divergences, func(e Divergence) bool { return !e.symptom() && e.Matches(c) })
		if i < 0 {
			return
		}
		e := d.Divergences[i]
		res.Outcome, res.Divergence = results.XPass, e.Reason
		res.Detail = fmt.Sprintf("listed as a known divergence (divergences[%d]: %s) but matches Keras: remove the case from the entry", i, e.Selector.Summary())
		k.useXPass(i)
	}
}

// entryUse counts what each entry did; it is reported at the end of a run.
type entryUse struct {
	matched, xpass int
	largestULP     float64
}

func (k *Checker) use(i int, res *results.CaseResult) {
	if k.divUse == nil {
		k.divUse = map[int]*entryUse{}
	}
	u := k.divUse[i]
	if u == nil {
		u = &entryUse{}
		k.divUse[i] = u
	}
	u.matched++
	if res.Stats != nil && !isNaN(float64(res.Stats.MaxULP)) {
		u.largestULP = max(u.largestULP, float64(res.Stats.MaxULP))
	}
}

func (k *Checker) useXPass(i int) {
	if k.divUse == nil {
		k.divUse = map[int]*entryUse{}
	}
	if k.divUse[i] == nil {
		k.divUse[i] = &entryUse{}
	}
	k.divUse[i].xpass++
}

func isNaN(x float64) bool { return x != x }

// Entries reports every divergence and tolerance entry with what it did in
// the run so far.
func (k *Checker) Entries() []results.EntryUse {
	d := k.Divergences
	if d == nil {
		return nil
	}
	var out []results.EntryUse
	for i, e := range d.Divergences {
		u := results.EntryUse{Kind: "divergence", Index: i, Summary: strings.TrimSpace(e.Selector.Summary() + " " + symptomSummary(e)), Reason: e.Reason, Link: e.Link}
		if x := k.divUse[i]; x != nil {
			u.Matched, u.XPass, u.LargestULP = x.matched, x.xpass, x.largestULP
		}
		out = append(out, u)
	}
	for i, t := range d.Tolerances {
		u := results.EntryUse{Kind: "tolerance", Index: i, Summary: fmt.Sprintf("%s atol=%g rtol=%g", t.Selector.Summary(), t.ATol, t.RTol), Reason: t.Reason}
		if x := k.tolUse[i]; x != nil {
			u.Matched, u.LargestULP = x.matched, x.largestULP
		}
		out = append(out, u)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Kind < out[b].Kind })
	return out
}

func symptomSummary(e Divergence) string {
	var parts []string
	if e.Check != "" {
		parts = append(parts, "check="+e.Check)
	}
	if e.Message != "" {
		parts = append(parts, fmt.Sprintf("message~%q", e.Message))
	}
	if len(e.Ops) > 0 {
		parts = append(parts, "ops="+strings.Join(e.Ops, ","))
	}
	return strings.Join(parts, " ")
}
