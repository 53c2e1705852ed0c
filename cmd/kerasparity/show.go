package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/kerasparity/kerasparity/caseview"
	"github.com/kerasparity/kerasparity/reference"
)

const showUsage = `usage: kerasparity show [flags] CASE

Prints a fixture case: its config, params, steps and inputs, and what Keras
returned (or raised) on every backend that holds it. CASE is a case id, or
"[backend] id" as spec names and report lines write it.

Flags:
`

// cmdShow implements "kerasparity show". Exit codes: 0 shown; 2 bad usage,
// case not found or fixtures that do not load.
func cmdShow(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, showUsage)
		fs.PrintDefaults()
	}
	defaultDir := "fixtures"
	if env := os.Getenv("KERASPARITY_FIXTURES"); env != "" {
		defaultDir = env
	}
	dir := fs.String("fixtures", defaultDir, "fixture set `dir` (default from KERASPARITY_FIXTURES when set)")
	backend := fs.String("backend", "", "show only this backend (default: every backend that holds the case)")
	python := fs.Bool("python", false, "print only the Python program that reproduces the case")
	limit := fs.Int("limit", 64, "print arrays of up to `n` elements in full, summarise larger ones")
	full := fs.Bool("full", false, "print every array in full")

	// Flags may come before or after CASE: parse, take a positional, repeat.
	var words []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		words = append(words, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(words) == 0 {
		fmt.Fprintln(stderr, "kerasparity show: no CASE given")
		fs.Usage()
		return 2
	}
	id, specBackend, err := parseCaseArg(strings.Join(words, " "))
	if err != nil {
		fmt.Fprintf(stderr, "kerasparity show: %v\n", err)
		return 2
	}
	if specBackend != "" {
		if *backend != "" && *backend != specBackend {
			fmt.Fprintf(stderr, "kerasparity show: CASE names backend %q but -backend is %q\n", specBackend, *backend)
			return 2
		}
		*backend = specBackend
	}
	if *full {
		*limit = -1
	}

	if _, err := os.Stat(*dir); err != nil {
		fmt.Fprintf(stderr, "kerasparity show: no fixture set at %s (-fixtures DIR or KERASPARITY_FIXTURES): %v\n", *dir, err)
		return 2
	}
	set, err := loadSet(*dir, *backend)
	if err != nil {
		fmt.Fprintf(stderr, "kerasparity show: loading fixtures: %v\n", err)
		return 2
	}
	cases, msg := findCase(set, id, *backend)
	if cases == nil {
		fmt.Fprintf(stderr, "kerasparity show: %s\n", msg)
		return 2
	}
	configs, err := rawConfigs(set, cases)
	if err != nil {
		fmt.Fprintf(stderr, "kerasparity show: %v\n", err)
		return 2
	}

	out := bufio.NewWriter(stdout)
	if *python {
		c := cases[0]
		if len(cases) > 1 {
			fmt.Fprintf(stderr, "kerasparity show: %s is on %d backends; this is %s (-backend NAME for another)\n",
				id, len(cases), c.Backend)
		}
		fmt.Fprint(out, caseview.Python(c, pythonOptions(set, c, configs[c])))
	} else {
		if err := caseview.Text(out, cases, caseview.Options{Limit: *limit, Configs: configs}); err != nil {
			fmt.Fprintf(stderr, "kerasparity show: %v\n", err)
			return 2
		}
		fmt.Fprintf(out, "\nrerun in Keras: kerasparity show -python -fixtures %s -backend %s '%s' | python3\n",
			*dir, cases[0].Backend, id)
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "kerasparity show: %v\n", err)
		return 2
	}
	return 0
}

// loadSet loads the fixture set in dir, or only the backend's manifest when
// one is named and dir has the usual <backend>/manifest.json layout: a third
// of the work, since Load verifies every array of what it reads.
func loadSet(dir, backend string) (*reference.Set, error) {
	if backend != "" {
		sub := filepath.Join(dir, backend)
		if _, err := os.Stat(filepath.Join(sub, reference.ManifestName)); err == nil {
			return reference.Load(sub)
		}
	}
	return reference.Load(dir)
}

// specName matches "[backend] id", the form of spec names and report lines.
var specName = regexp.MustCompile(`^\[([A-Za-z0-9_]+)\]\s*(\S+)$`)

// parseCaseArg splits CASE into its id and, in the "[backend] id" form, a
// backend.
func parseCaseArg(s string) (id, backend string, err error) {
	s = strings.TrimSpace(s)
	if m := specName.FindStringSubmatch(s); m != nil {
		return m[2], m[1], nil
	}
	if s == "" || strings.ContainsAny(s, " \t[]") {
		return "", "", fmt.Errorf("CASE %q is neither a case id nor \"[backend] id\"", s)
	}
	return s, "", nil
}

// findCase returns the cases with the id on the backend (every backend when
// backend is ""), in backend order, or nil and a message that names the id
// and suggests what the user may have meant.
func findCase(set *reference.Set, id, backend string) ([]*reference.Case, string) {
	var found, elsewhere []*reference.Case
	for _, c := range set.Cases() {
		if c.ID != id {
			continue
		}
		if backend == "" || c.Backend == backend {
			found = append(found, c)
		} else {
			elsewhere = append(elsewhere, c)
		}
	}
	if len(found) > 0 {
		return found, ""
	}
	if len(elsewhere) > 0 {
		var on []string
		for _, c := range elsewhere {
			on = append(on, c.Backend)
		}
		return nil, fmt.Sprintf("case %s is not on backend %q in %s; it is on %s",
			id, backend, set.Dir, strings.Join(on, ", "))
	}
	msg := fmt.Sprintf("no case %s in %s (backends %s)", id, set.Dir, strings.Join(set.Backends(), ", "))
	if near := nearestIDs(set, id, 8); len(near) > 0 {
		msg += "\nnearest ids:\n  " + strings.Join(near, "\n  ")
	}
	return nil, msg
}

// nearestIDs lists up to n distinct ids that contain id (an id typed
// without its kind, or a fragment), or else that share the longest prefix
// with it: a mistyped serial or parameter still lands next to the right
// family.
func nearestIDs(set *reference.Set, id string, n int) []string {
	best := 0
	var ids, containing []string
	seen := make(map[string]bool)
	for _, c := range set.Cases() {
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		if strings.Contains(c.ID, id) {
			containing = append(containing, c.ID)
		}
		switch p := commonPrefix(c.ID, id); {
		case p > best:
			best, ids = p, []string{c.ID}
		case p == best && p > 0:
			ids = append(ids, c.ID)
		}
	}
	if len(containing) > 0 {
		ids = containing
	}
	slices.Sort(ids)
	if len(ids) > n {
		ids = append(ids[:n], fmt.Sprintf("... and %d more", len(ids)-n))
	}
	return ids
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// rawConfigs reads the manifest text of the cases' configs. reference.Load
// decodes a config into float64s, which loses the int/float distinction
// Keras sometimes refuses on (F1Score's threshold 1 versus 1.0), so show
// reads the configs of the shown cases again, untouched.
func rawConfigs(set *reference.Set, cases []*reference.Case) (map[*reference.Case]json.RawMessage, error) {
	out := make(map[*reference.Case]json.RawMessage)
	for _, m := range set.Manifests {
		var want []*reference.Case
		for _, c := range cases {
			if c.Backend == m.Backend {
				want = append(want, c)
			}
		}
		if len(want) == 0 {
			continue
		}
		f, err := os.Open(m.Path)
		if err != nil {
			return nil, err
		}
		var raw struct {
			Cases []struct {
				ID     string          `json:"id"`
				Config json.RawMessage `json:"config"`
			} `json:"cases"`
		}
		err = json.NewDecoder(bufio.NewReader(f)).Decode(&raw)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", m.Path, err)
		}
		for _, r := range raw.Cases {
			for _, c := range want {
				if r.ID == c.ID {
					out[c] = r.Config
				}
			}
		}
	}
	return out, nil
}

// pythonOptions are the options of caseview.Python for a case of set.
func pythonOptions(set *reference.Set, c *reference.Case, raw json.RawMessage) caseview.PythonOptions {
	opts := caseview.PythonOptions{Config: raw}
	for _, m := range set.Manifests {
		if m.Backend == c.Backend {
			opts.ArrayDir = filepath.Dir(m.Path)
			opts.Keras = m.Versions["keras"]
		}
	}
	return opts
}
