package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/kerasparity/kerasparity/reference"
)

// Divergences is a port's own file of known divergences and tolerance
// overrides. It lives on the port's side of the tree (impl/divergences.json
// for kerasparity's own port) so that whoever changes the port also owns the
// list of what it does not match, each entry with its reason.
type Divergences struct {
	Divergences []Divergence     `json:"divergences"`
	Tolerances  []ToleranceEntry `json:"tolerances"`
}

// Divergence marks the cases matching Pattern (and Backend, when set) as
// known not to match Keras. Such a case that fails is reported as a known
// divergence; one that passes is reported as XPASS so the entry can go.
type Divergence struct {
	Pattern string `json:"pattern"`
	Backend string `json:"backend,omitempty"`
	Reason  string `json:"reason"`
	Link    string `json:"link,omitempty"`
}

// ToleranceEntry is a port's override of the tolerance for matching cases.
type ToleranceEntry struct {
	Pattern string  `json:"pattern"`
	Backend string  `json:"backend,omitempty"`
	ATol    float64 `json:"atol"`
	RTol    float64 `json:"rtol"`
	Reason  string  `json:"reason"`
}

// ReadDivergences reads and checks a divergence file. Every entry needs a
// pattern and a reason: an unexplained divergence or widening is refused.
func ReadDivergences(path string) (*Divergences, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("known divergences: %w", err)
	}
	var d Divergences
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("known divergences %s: %w", path, err)
	}
	var errs []error
	for i, e := range d.Divergences {
		if e.Pattern == "" || e.Reason == "" {
			errs = append(errs, fmt.Errorf("known divergences %s: divergences[%d] needs both a pattern and a reason", path, i))
		}
	}
	for i, e := range d.Tolerances {
		if e.Pattern == "" || e.Reason == "" {
			errs = append(errs, fmt.Errorf("known divergences %s: tolerances[%d] needs both a pattern and a reason", path, i))
		}
		if e.ATol < 0 || e.RTol < 0 {
			errs = append(errs, fmt.Errorf("known divergences %s: tolerances[%d] has a negative atol or rtol", path, i))
		}
	}
	return &d, errors.Join(errs...)
}

// match returns the first divergence entry that covers the case, or nil.
func (d *Divergences) match(c *reference.Case) *Divergence {
	if d == nil {
		return nil
	}
	for i := range d.Divergences {
		e := &d.Divergences[i]
		if covers(e.Pattern, e.Backend, c) {
			return e
		}
	}
	return nil
}

// covers reports whether an entry with pattern and backend applies to c.
func covers(pattern, backend string, c *reference.Case) bool {
	return (backend == "" || backend == c.Backend) && reference.MatchPattern(pattern, c.ID)
}
