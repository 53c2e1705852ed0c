package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// matrix is the coverage matrix: one row per Keras class, one column per
// backend, each cell the counts of the cases of that class on that backend.
type matrix struct {
	Backends []string
	Rows     []matrixRow
	Totals   matrixRow // per backend, over every class
}

type matrixRow struct {
	Class string
	Kind  string
	Cells []Counts // one per backend, in matrix.Backends order
	All   Counts
}

func newMatrix(cases []Case) matrix {
	col := map[string]int{}
	for _, c := range cases {
		col[c.Backend] = 0
	}
	m := matrix{Backends: slices.Sorted(maps.Keys(col))}
	for i, b := range m.Backends {
		col[b] = i
	}
	rows := map[string]*matrixRow{}
	m.Totals.Cells = make([]Counts, len(m.Backends))
	for _, c := range cases {
		row := rows[c.Target()]
		if row == nil {
			row = &matrixRow{Class: c.Class, Kind: c.Kind, Cells: make([]Counts, len(m.Backends))}
			rows[c.Target()] = row
		}
		j := col[c.Backend]
		row.Cells[j].add(c.Outcome)
		row.All.add(c.Outcome)
		m.Totals.Cells[j].add(c.Outcome)
		m.Totals.All.add(c.Outcome)
	}
	for _, target := range slices.Sorted(maps.Keys(rows)) {
		m.Rows = append(m.Rows, *rows[target])
	}
	return m
}

// Tone is the colour class of a matrix cell or count: bad when any case
// failed or errored, none when there is no case, idle when nothing was
// ported, mixed when some case was not ported or is a known divergence,
// good when every case matched Keras.
func (c Counts) Tone() string {
	switch {
	case c.Total == 0:
		return "none"
	case c.Broken() > 0:
		return "bad"
	case c.NotPorted == c.Total:
		return "idle"
	case c.Matching() < c.Total:
		return "mixed"
	}
	return "good"
}

// Note names the outcomes of a cell other than matching, briefly.
func (c Counts) Note() string {
	var parts []string
	for _, p := range []struct {
		n    int
		name string
	}{{c.Fail, "fail"}, {c.Error, "error"}, {c.NotPorted, "not ported"}, {c.KnownDivergence, "known div."}, {c.XPass, "XPASS"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.name))
		}
	}
	return strings.Join(parts, " · ")
}

// classView is what the cases of one Keras class exercised: the dtypes,
// backends, config parameters and edge cases, each value with its count.
type classView struct {
	Class  string
	Kind   string
	Counts Counts
	Facets []facet
	Cases  []Case
	MaxULP Number
	HasULP bool
}

// facet is one dimension of the cases of a class (a parameter, the dtype,
// the edges) and how many cases took each of its values.
type facet struct {
	Name   string
	Values []valueCount
}

type valueCount struct {
	Value string
	N     int
}

func newClassViews(cases []Case, maxULP map[string]Number) []classView {
	byTarget := map[string][]Case{}
	for _, c := range cases {
		byTarget[c.Target()] = append(byTarget[c.Target()], c)
	}
	views := make([]classView, 0, len(byTarget))
	for _, target := range slices.Sorted(maps.Keys(byTarget)) {
		cs := byTarget[target]
		v := classView{Class: cs[0].Class, Kind: cs[0].Kind, Cases: cs}
		v.MaxULP, v.HasULP = maxULP[target]
		tally := map[string]map[string]int{}
		count := func(name, value string) {
			if tally[name] == nil {
				tally[name] = map[string]int{}
			}
			tally[name][value]++
		}
		for _, c := range cs {
			v.Counts.add(c.Outcome)
			count(" backend", c.Backend) // a leading space sorts the case's own facets first
			count(" dtype", c.DType)
			for k, val := range c.Params {
				count(k, val)
			}
			if len(c.Edges) == 0 {
				count("~edge", "none")
			}
			for _, e := range c.Edges {
				count("~edge", e) // a leading ~ sorts edges last
			}
		}
		for _, name := range slices.Sorted(maps.Keys(tally)) {
			f := facet{Name: strings.TrimLeft(name, " ~")}
			for val, n := range tally[name] {
				f.Values = append(f.Values, valueCount{val, n})
			}
			slices.SortFunc(f.Values, func(a, b valueCount) int {
				return cmp.Or(cmp.Compare(b.N, a.N), strings.Compare(a.Value, b.Value))
			})
			v.Facets = append(v.Facets, f)
		}
		views = append(views, v)
	}
	return views
}
