// Package conformance declares the Ginkgo specs that check a port of Keras
// losses and metrics against a fixture set: one spec per fixture case,
// labelled so that any subset can be run, each carrying its error statistics
// in the report.
//
// A suite for any port is a few lines:
//
//	var opts = conformance.Flags(flag.CommandLine, conformance.Options{})
//
//	func TestConformance(t *testing.T) {
//		RegisterFailHandler(Fail)
//		if err := conformance.Register(myport.New(), *opts); err != nil {
//			t.Fatal(err)
//		}
//		RunSpecs(t, "Keras conformance")
//	}
package conformance

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/report"
	"github.com/kerasparity/kerasparity/suites/port"
)

// Options says which fixtures to check and where the run's description goes.
type Options struct {
	// Fixtures is the fixture set folder (see fixtures/README.md).
	Fixtures string
	// Divergences is the port's known-divergence file; empty for none.
	Divergences string
	// OutDir receives run.json, the input of the HTML report beside Ginkgo's
	// JSON report; empty to write nothing.
	OutDir string
}

// Flags registers -kerasparity.fixtures, -kerasparity.divergences and
// -kerasparity.out on fs. Defaults come from the environment
// (KERASPARITY_FIXTURES, KERASPARITY_DIVERGENCES, KERASPARITY_OUT), then from
// defaults. The returned options are filled in when fs is parsed, which for a
// test binary happens before the Test function runs.
func Flags(fs *flag.FlagSet, defaults Options) *Options {
	o := new(Options)
	fs.StringVar(&o.Fixtures, "kerasparity.fixtures", env("KERASPARITY_FIXTURES", defaults.Fixtures), "fixture set folder")
	fs.StringVar(&o.Divergences, "kerasparity.divergences", env("KERASPARITY_DIVERGENCES", defaults.Divergences), "the port's known-divergence file (JSON)")
	fs.StringVar(&o.OutDir, "kerasparity.out", env("KERASPARITY_OUT", defaults.OutDir), "folder for run.json (the HTML report's input)")
	return o
}

func env(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

// Register loads the fixture set and declares one spec per case for the
// port. Call it from the Test function before RunSpecs. It fails when the
// fixtures or the divergence file do not load, or when the set has no cases:
// a harness that checked nothing must not pass.
func Register(p port.Port, opts Options) error {
	if opts.Fixtures == "" {
		return fmt.Errorf("conformance: no fixture set given (-kerasparity.fixtures or KERASPARITY_FIXTURES)")
	}
	set, err := reference.Load(opts.Fixtures)
	if err != nil {
		return err
	}
	cases := set.Cases()
	if len(cases) == 0 {
		return fmt.Errorf("conformance: fixture set %s holds no cases", opts.Fixtures)
	}
	var divs *Divergences
	if opts.Divergences != "" {
		if divs, err = ReadDivergences(opts.Divergences); err != nil {
			return err
		}
	}
	policy, err := policyFor(divs)
	if err != nil {
		return err
	}
	k := &Checker{Port: p, Policy: policy, Divergences: divs, Rerun: rerunLine}

	// A port that can describe its API is also checked against what Keras
	// exports; one that cannot is simply not asked.
	var api []apiCase
	if _, ok := p.(port.Introspector); ok {
		api = apiCases(set)
	}
	Describe(p.Name(), func() {
		for _, c := range cases {
			It(specText(c), Label(labels(c)...), func() { verdict(k.Check(c)) })
		}
		for _, a := range api {
			It(specText(a.c), Label(labels(a.c)...), func() { verdict(k.CheckAPI(a.c, a.class)) })
		}
	})
	ReportAfterSuite("kerasparity run info", func(r Report) {
		info := runInfo(p, opts, set.Manifests, cases, api, divs)
		info.LabelFilter = r.SuiteConfig.LabelFilter
		printSummary(r, info)
		if opts.OutDir != "" {
			writeRunInfo(filepath.Join(opts.OutDir, report.RunInfoFile), info)
		}
	})
	return nil
}

// verdict attaches a case's result to its spec and passes, skips or fails
// the spec accordingly.
func verdict(res report.CaseResult) {
	AddReportEntry(report.EntryName, res, ReportEntryVisibilityFailureOrVerbose)
	switch res.Outcome {
	case report.NotPorted:
		Skip("not ported: " + res.Detail)
	case report.Fail, report.Error:
		Fail(res.Detail)
	}
}

// policyFor layers the port's tolerance overrides over the default policy.
func policyFor(divs *Divergences) (*reference.Policy, error) {
	policy := reference.DefaultPolicy()
	if divs == nil {
		return policy, nil
	}
	for _, t := range divs.Tolerances {
		rule := reference.Rule{Pattern: t.Pattern, Backend: t.Backend,
			Tolerance: reference.Tolerance{ATol: t.ATol, RTol: t.RTol, Reason: t.Reason}}
		if err := policy.Override(rule); err != nil {
			return nil, fmt.Errorf("known divergences: tolerance %q: %w", t.Pattern, err)
		}
	}
	return policy, nil
}

// specText is a case's spec name: its backend and id, which is what a
// person searches for and what Ginkgo's --focus matches.
func specText(c *reference.Case) string {
	return "[" + c.Backend + "] " + c.ID
}

// rerunLine is the command that runs just one case.
func rerunLine(c *reference.Case) string {
	return "make conformance FOCUS='" + regexp.QuoteMeta(specText(c)) + "$'"
}

// labels are a case's Ginkgo labels: class, kind, backend, dtype, reduction
// and every edge it exercises, so that a label filter selects any subset.
func labels(c *reference.Case) []string {
	l := []string{"class:" + c.Class, "kind:" + c.Kind, "backend:" + c.Backend}
	if c.DType != "" {
		l = append(l, "dtype:"+c.DType)
	}
	if r, ok := c.Params["reduction"]; ok {
		l = append(l, "reduction:"+r)
	}
	for _, e := range c.Edges {
		l = append(l, "edge:"+e)
	}
	for i := range l {
		l[i] = labelSafe.Replace(l[i])
	}
	return l
}

// labelSafe replaces the characters Ginkgo refuses in labels.
var labelSafe = strings.NewReplacer("&", "_", "|", "_", "!", "_", ",", "_", "(", "_", ")", "_", "/", "_", " ", "_")

// runInfo describes the run: the port, the fixtures' provenance with the
// number of cases and API checks per manifest, and how many cases and API
// checks each known divergence covers (all of them, not only the filtered
// subset), so an entry that covers nothing is flagged.
func runInfo(p port.Port, opts Options, manifests []*reference.Manifest, cases []*reference.Case, api []apiCase, divs *Divergences) report.RunInfo {
	info := report.RunInfo{Port: p.Name(), Fixtures: opts.Fixtures}
	for _, m := range manifests {
		mi := report.ManifestInfo{
			Backend: m.Backend, Versions: m.Versions, Generator: m.Generator, Keras: m.Keras, Cases: len(m.Cases),
		}
		for _, a := range api {
			if a.c.Backend == m.Backend {
				mi.APIChecks++
			}
		}
		info.Manifests = append(info.Manifests, mi)
	}
	cases = slices.Clone(cases)
	for _, a := range api {
		cases = append(cases, a.c)
	}
	if divs == nil {
		return info
	}
	for _, d := range divs.Divergences {
		use := report.DivergenceUse{Pattern: d.Pattern, Backend: d.Backend, Reason: d.Reason, Link: d.Link}
		for _, c := range cases {
			if covers(d.Pattern, d.Backend, c) {
				use.Matched++
			}
		}
		if use.Matched == 0 {
			info.Warnings = append(info.Warnings, fmt.Sprintf("known divergence %q (backend %q) matches no case", d.Pattern, d.Backend))
		}
		info.Divergences = append(info.Divergences, use)
	}
	for _, t := range divs.Tolerances {
		if !slices.ContainsFunc(cases, func(c *reference.Case) bool { return covers(t.Pattern, t.Backend, c) }) {
			info.Warnings = append(info.Warnings, fmt.Sprintf("tolerance override %q (backend %q) matches no case", t.Pattern, t.Backend))
		}
	}
	return info
}

// printSummary writes the counts per outcome, the XPASS cases and the
// warnings to the console at the end of the run.
func printSummary(r Report, info report.RunInfo) {
	counts := map[report.Outcome]int{}
	var xpass []string
	for _, s := range r.SpecReports {
		for _, e := range s.ReportEntries {
			if e.Name != report.EntryName {
				continue
			}
			// Local specs hold the struct itself; specs from other
			// processes arrive as JSON.
			res, ok := e.Value.GetRawValue().(report.CaseResult)
			if !ok && json.Unmarshal([]byte(e.Value.AsJSON), &res) != nil {
				continue
			}
			counts[res.Outcome]++
			if res.Outcome == report.XPass {
				xpass = append(xpass, res.ID+" ["+res.Backend+"]")
			}
		}
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	fmt.Printf("\nkerasparity: %s: %d cases: %d pass, %d fail, %d error, %d not ported, %d known divergence, %d XPASS\n",
		info.Port, total, counts[report.Pass], counts[report.Fail], counts[report.Error],
		counts[report.NotPorted], counts[report.KnownDivergence], counts[report.XPass])
	for _, x := range xpass {
		fmt.Println("  XPASS (listed as divergent, matches Keras):", x)
	}
	for _, w := range info.Warnings {
		fmt.Println("  warning:", w)
	}
}

func writeRunInfo(path string, info report.RunInfo) {
	data, err := json.MarshalIndent(info, "", "  ")
	if err == nil {
		err = os.MkdirAll(filepath.Dir(path), 0o755)
	}
	if err == nil {
		err = os.WriteFile(path, append(data, '\n'), 0o644)
	}
	if err != nil {
		Fail("writing " + path + ": " + err.Error())
	}
}
