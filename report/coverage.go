package report

import (
	"fmt"
	"maps"
	"slices"

	"github.com/kerasparity/kerasparity/results"
)

// matrix is the coverage matrix: one row per kind and class, one column per
// backend, each cell the counts of the cases of that class on that backend.
type matrix struct {
	Backends []string
	Rows     []matrixRow
	Totals   matrixRow // per backend, over every class
}

type matrixRow struct {
	Target string
	Cells  []results.Counts // one per backend, in matrix.Backends order
	All    results.Counts
	// Cause is the anchor of the largest cause among the row's failing
	// cases, so a red row links to what went wrong.
	Cause string
}

func newMatrix(cases []results.CaseResult, groups []Group) matrix {
	col := map[string]int{}
	for i := range cases {
		col[cases[i].Backend] = 0
	}
	m := matrix{Backends: slices.Sorted(maps.Keys(col))}
	for i, b := range m.Backends {
		col[b] = i
	}
	rows := map[string]*matrixRow{}
	m.Totals.Cells = make([]results.Counts, len(m.Backends))
	for i := range cases {
		c := &cases[i]
		row := rows[c.Target()]
		if row == nil {
			row = &matrixRow{Target: c.Target(), Cells: make([]results.Counts, len(m.Backends))}
			rows[c.Target()] = row
		}
		j := col[c.Backend]
		row.Cells[j].Add(c.Outcome)
		row.All.Add(c.Outcome)
		m.Totals.Cells[j].Add(c.Outcome)
		m.Totals.All.Add(c.Outcome)
	}
	// Groups come largest first: the first one of a target is its largest.
	for i := range groups {
		if row := rows[groups[i].Target]; row != nil && row.Cause == "" {
			row.Cause = groups[i].Anchor()
		}
	}
	for _, target := range slices.Sorted(maps.Keys(rows)) {
		m.Rows = append(m.Rows, *rows[target])
	}
	return m
}

// tone is the colour class of a matrix cell: bad when any case fails the
// run, none when there is no case, idle when nothing was ported, mixed when
// some case was not ported or is a known divergence, good when every case
// matched Keras.
func tone(c results.Counts) string {
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

// note names the outcomes of a cell other than matching, briefly.
func note(c results.Counts) []string {
	var parts []string
	for _, o := range results.Outcomes {
		if o == results.Pass {
			continue
		}
		if n := c.Of(o); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, outcomeShort(o)))
		}
	}
	return parts
}
