package report

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"

	"github.com/kerasparity/kerasparity/results"
)

// Group is the cases that share one cause: the same kind and class, the same
// checks failed, and the same first finding once its numbers are
// normalised. Backends and dtypes are merged.
type Group struct {
	// Key identifies the cause, stable across runs of the same port: a
	// hash of Target, Check and Message.
	Key string
	// Target is kind and class ("loss/Huber").
	Target string
	// Check is the check the cases failed, or the checks joined by "+"
	// ("shape+value") when they failed several.
	Check string
	// Message is the first finding's message, normalised (see Normalize).
	Message string
	// Backends and DTypes are those the cases span, sorted.
	Backends, DTypes []string
	// Outcomes counts the cases per outcome.
	Outcomes results.Counts
	// Cases are the group's cases in the order the run finished them.
	Cases []*results.CaseResult
	// Example is the case shown in full: the first with a view of its
	// inputs and outputs.
	Example *results.CaseResult
}

// Count is the number of cases in the group.
func (g Group) Count() int { return len(g.Cases) }

// Outcome is the outcome most of the group's cases have (fail, error or
// nondeterministic).
func (g Group) Outcome() results.Outcome {
	best := results.Fail
	for _, o := range results.Outcomes {
		if g.Outcomes.Of(o) > g.Outcomes.Of(best) {
			best = o
		}
	}
	return best
}

// Anchor is the id of the group's section on the page.
func (g Group) Anchor() string { return "cause-" + g.Key }

// causeOf is the grouping key of a failing case: its target, its checks and
// its normalised first message.
func causeOf(c *results.CaseResult) (check, message string) {
	var checks []string
	for _, f := range c.Findings {
		if !slices.Contains(checks, f.Check) {
			checks = append(checks, f.Check)
		}
	}
	slices.Sort(checks)
	switch {
	case len(c.Findings) > 0:
		return strings.Join(checks, "+"), normalizeCase(c, c.Findings[0].Message)
	case !c.Outcome.Known():
		return "outcome", normalizeCase(c, fmt.Sprintf("unknown outcome %q: %s", c.Outcome, c.Detail))
	}
	// A failing case without findings: its detail is all there is.
	return string(c.Outcome), normalizeCase(c, c.Detail)
}

// normalizeCase normalises a message of case c, and also writes the case's
// own dtype and backend as {dtype} and {backend} wherever they stand as
// words, so that "Keras returned a float32 value" on a float32 case and
// "Keras returned a float16 value" on a float16 case are one cause, while a
// port that always answers float64 still says so.
func normalizeCase(c *results.CaseResult, msg string) string {
	msg = replaceWord(msg, c.DType, "{dtype}")
	msg = replaceWord(msg, c.Backend, "{backend}")
	return Normalize(msg)
}

// replaceWord replaces every occurrence of word in s that is not part of a
// longer word.
func replaceWord(s, word, with string) string {
	if word == "" || !strings.Contains(s, word) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, word)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(word)
		whole := (i == 0 || !isWord(s[i-1])) && (end == len(s) || !isWord(s[end]))
		b.WriteString(s[:i])
		if whole {
			b.WriteString(with)
		} else {
			b.WriteString(word)
		}
		s = s[end:]
	}
}

// groupCases groups cases by the key cause gives them (nil: leave the case
// out) and returns the groups largest first, ties by target then message.
func groupCases(cases []results.CaseResult, cause func(*results.CaseResult) (check, message string, ok bool)) []Group {
	index := map[string]int{}
	var groups []Group
	backends := map[string]map[string]bool{}
	dtypes := map[string]map[string]bool{}
	for i := range cases {
		c := &cases[i]
		check, msg, ok := cause(c)
		if !ok {
			continue
		}
		id := c.Target() + "\x00" + check + "\x00" + msg
		j, seen := index[id]
		if !seen {
			j = len(groups)
			index[id] = j
			groups = append(groups, Group{Key: hashKey(id), Target: c.Target(), Check: check, Message: msg})
			backends[id], dtypes[id] = map[string]bool{}, map[string]bool{}
		}
		g := &groups[j]
		g.Cases = append(g.Cases, c)
		g.Outcomes.Add(c.Outcome)
		backends[id][c.Backend] = true
		dtypes[id][cmp.Or(c.DType, "none")] = true
		if g.Example == nil || (g.Example.View == nil && c.View != nil) {
			g.Example = c
		}
	}
	for id, j := range index {
		groups[j].Backends = slices.Sorted(maps.Keys(backends[id]))
		groups[j].DTypes = slices.SortedFunc(maps.Keys(dtypes[id]), dtypeOrder)
	}
	slices.SortStableFunc(groups, func(a, b Group) int {
		return cmp.Or(cmp.Compare(b.Count(), a.Count()), strings.Compare(a.Target, b.Target),
			strings.Compare(a.Check, b.Check), strings.Compare(a.Message, b.Message))
	})
	return groups
}

// hashKey is a short stable key for a cause: 8 hex digits of FNV-1a.
func hashKey(s string) string {
	h := fnv.New32a()
	h.Write([]byte(s))
	return fmt.Sprintf("%08x", h.Sum32())
}

// failing reports whether a case fails the run: fail, error,
// nondeterministic, or an outcome the report does not know (counted as an
// error by results.Counts).
func failing(c *results.CaseResult) bool { return c.Outcome.Broken() || !c.Outcome.Known() }

// Normalize rewrites a finding's message or a port's error so that the same
// cause with other numbers reads the same: a bracketed or parenthesised list
// of numbers (a shape, an index, a short array, a Python tuple with None) becomes
// "[…]" or "(…)", every other number becomes "N", and hex addresses too.
// NaN and the infinities are numbers like any other (an input that held a
// NaN does not make a cause of its own; a comparison that met one says so in
// words, "non-finite mismatch"). Numbers inside words ("float32", "f16",
// "x2") are kept.
//
//	values: 3 of 12 elements differ beyond atol=1e-07 rtol=1e-06; worst at [1 2]: got 0.5 want 0.6
//	values: N of N elements differ beyond atol=N rtol=N; worst at […]: got N want N
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		prevWord := i > 0 && isWord(s[i-1])
		if !prevWord && (s[i] == '[' || s[i] == '(') {
			if j := numberList(s, i); j > 0 {
				if s[i] == '[' {
					b.WriteString("[…]")
				} else {
					b.WriteString("(…)")
				}
				i = j
				continue
			}
		}
		if !prevWord {
			if j := nonFinite(s, i); j > 0 {
				b.WriteByte('N')
				i = j
				continue
			}
			if j := number(s, i); j > 0 {
				b.WriteByte('N')
				i = j
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func isWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number returns the end of the number that starts at s[i] (a sign, digits,
// a fraction, an exponent, or a hex literal), or 0 when none does.
func number(s string, i int) int {
	j := i
	if j < len(s) && (s[j] == '-' || s[j] == '+') {
		j++
	}
	if j+1 < len(s) && s[j] == '0' && (s[j+1] == 'x' || s[j+1] == 'X') {
		k := j + 2
		for k < len(s) && (isDigit(s[k]) || s[k] >= 'a' && s[k] <= 'f' || s[k] >= 'A' && s[k] <= 'F') {
			k++
		}
		if k > j+2 {
			return k
		}
	}
	start := j
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j < len(s) && s[j] == '.' && j+1 < len(s) && isDigit(s[j+1]) {
		j++
		for j < len(s) && isDigit(s[j]) {
			j++
		}
	}
	if j == start {
		return 0
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '-' || s[k] == '+') {
			k++
		}
		if k < len(s) && isDigit(s[k]) {
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			j = k
		}
	}
	return j
}

// nonFinite returns the end of "NaN", "Inf", "+Inf" or "-Inf" (not inside
// a longer word) at s[i], or 0.
func nonFinite(s string, i int) int {
	for _, w := range []string{"NaN", "+Inf", "-Inf", "Inf"} {
		if strings.HasPrefix(s[i:], w) && (i+len(w) == len(s) || !isWord(s[i+len(w)])) {
			return i + len(w)
		}
	}
	return 0
}

// numberList returns the end of a bracketed or parenthesised list that
// holds only numbers, None, NaN, Inf, commas and spaces ("[4 1]", "[]",
// "(None, 3)"), or 0 when the brackets hold anything else.
func numberList(s string, i int) int {
	closer := byte(']')
	if s[i] == '(' {
		closer = ')'
	}
	for j := i + 1; j < len(s); {
		switch {
		case s[j] == closer:
			if closer == ')' && j == i+1 {
				return 0 // "()" is a call, not an empty tuple
			}
			return j + 1
		case s[j] == ' ' || s[j] == ',':
			j++
		case strings.HasPrefix(s[j:], "None"):
			j += 4
		case nonFinite(s, j) > 0:
			j = nonFinite(s, j)
		default:
			k := number(s, j)
			if k == 0 {
				return 0
			}
			j = k
		}
	}
	return 0
}
