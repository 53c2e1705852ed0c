package conformance

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/results"
	"github.com/kerasparity/kerasparity/suites/port"
)

// The API coverage check asks a port that implements port.Introspector for
// every class the pinned Keras exports and compares its constructor defaults
// with Keras's. It catches a missing class, or a default that no fixture case
// happens to exercise, and it puts every exported class in the report's
// coverage matrix, ported or not.

// apiCases are pseudo-cases, one per class each manifest's API lists, with
// ids "api/<kind>/<Class>", so that labels, divergences and the report treat
// them like any other case. They have no steps: CheckAPI runs them.
func apiCases(set *reference.Set) []apiCase {
	var out []apiCase
	for _, m := range set.Manifests {
		if m.API == nil {
			continue
		}
		for _, kc := range []struct {
			kind    string
			classes map[string]reference.APIClass
		}{{"loss", m.API.Losses}, {"metric", m.API.Metrics}} {
			names := make([]string, 0, len(kc.classes))
			for name := range kc.classes {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				c := &reference.Case{
					ID: "api/" + kc.kind + "/" + name, Kind: kc.kind, Class: name, Backend: m.Backend,
					Params: map[string]string{"check": "api"}, Edges: []string{"api"},
				}
				out = append(out, apiCase{c, kc.classes[name]})
			}
		}
	}
	return out
}

type apiCase struct {
	c     *reference.Case
	class reference.APIClass
}

// CheckAPI checks that the port has the class c names and that every
// constructor default Keras declares for it is the port's default too.
func (k *Checker) CheckAPI(c *reference.Case, class reference.APIClass) results.CaseResult {
	res := results.CaseResult{ID: c.ID, Backend: c.Backend, Kind: c.Kind, Class: c.Class, Steps: 1}
	var check, msg string
	res.Outcome, check, msg = k.api(c, class)
	if check != "" {
		res.Findings = []results.Finding{{Check: check, Op: "api", Message: msg}}
	} else {
		res.Detail = msg
	}
	k.judge(&res, c)
	k.complete(&res, c, nil)
	return res
}

func (k *Checker) api(c *reference.Case, class reference.APIClass) (results.Outcome, string, string) {
	intro, ok := k.Port.(port.Introspector)
	if !ok {
		return results.NotPorted, "", "the port does not implement port.Introspector"
	}
	got, err := guard(func() (map[string]any, error) { return intro.Defaults(c.Kind, c.Class) })
	switch {
	case errors.Is(err, errPanic):
		return results.Error, results.CheckPanic, "defaults: " + err.Error()
	case errors.Is(err, port.ErrNotImplemented):
		return results.Fail, results.CheckMissing, fmt.Sprintf("Keras %s exports %s; the port does not have it", kindModule(c.Kind), c.Class)
	case err != nil:
		return results.Fail, results.CheckRefused, "defaults: the port returned an error: " + err.Error()
	}
	var diffs []string
	for _, a := range class.Args {
		if a.Required {
			continue
		}
		v, ok := got[a.Name]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s: Keras's default is %s; the port has no such argument", a.Name, show(a.Default)))
		case !sameJSON(v, a.Default):
			diffs = append(diffs, fmt.Sprintf("%s: Keras's default is %s; the port's is %s", a.Name, show(a.Default), show(v)))
		}
	}
	if len(diffs) > 0 {
		return results.Fail, results.CheckDefaults, "constructor defaults differ from Keras: " + strings.Join(diffs, "; ")
	}
	return results.Pass, "", ""
}

func kindModule(kind string) string {
	if kind == "metric" {
		return "keras.metrics"
	}
	return "keras.losses"
}

// sameJSON compares two values as JSON would see them: every number is a
// float64, lists are []any.
func sameJSON(a, b any) bool {
	return reflect.DeepEqual(normalise(a), normalise(b))
}

func normalise(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case float32:
		return float64(x)
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = normalise(x[i])
		}
		return out
	case []float64:
		out := make([]any, len(x))
		for i := range x {
			out[i] = x[i]
		}
		return out
	case []int:
		out := make([]any, len(x))
		for i := range x {
			out[i] = float64(x[i])
		}
		return out
	}
	return v
}

func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprint(v)
}
