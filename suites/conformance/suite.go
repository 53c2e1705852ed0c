package conformance

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/reference"
	"github.com/kerasparity/kerasparity/results"
	"github.com/kerasparity/kerasparity/suites/port"
)

// Options says which fixtures to check, how, and where the results go.
type Options struct {
	// Fixtures is the fixture set folder (see fixtures/README.md).
	Fixtures string
	// Divergences is the port's known-divergence file; empty for none.
	Divergences string
	// OutDir receives results.jsonl, the run's results as they come (the
	// input of `kerasparity report` and `kerasparity diff`); empty to
	// write nothing.
	OutDir string
	// Strict makes an XPASS and a divergence entry that matches no failing
	// case fail the run, so the list cannot go stale.
	Strict bool
	// Timeout bounds every call into the port (default 10s; 0 for none).
	Timeout time.Duration
	// Repeat runs each case twice and reports a case whose runs differ as
	// nondeterministic.
	Repeat bool
	// Cases restricts the run to these cases, each "[backend] id" or a
	// bare id (every backend), separated by commas. Only they are
	// registered, so a one-case rerun starts at once.
	Cases string
	// NoIsolation runs the suite in the test process itself. By default a
	// run with an OutDir runs it in a child process, so that a port that
	// crashes the process costs one case, not the run (see supervise).
	NoIsolation bool
	// Rerun is the command line that reruns one case, with {case} and {out}
	// standing for the case's spec name and an output folder (both are
	// shell-quoted when filled in). Empty for a `go test` line built from
	// the suite's package folder and test name.
	Rerun string
}

// DefaultTimeout is the default bound on one call into the port.
const DefaultTimeout = 10 * time.Second

// Flags registers the harness's flags on fs (-kerasparity.fixtures,
// .divergences, .out, .strict, .timeout, .repeat, .case, .rerun). Defaults
// come from the environment (KERASPARITY_FIXTURES, KERASPARITY_DIVERGENCES,
// KERASPARITY_OUT, KERASPARITY_CASE), then from defaults. The returned
// options are filled in when fs is parsed, which for a test binary happens
// before the Test function runs.
func Flags(fs *flag.FlagSet, defaults Options) *Options {
	o := new(Options)
	if defaults.Timeout == 0 {
		defaults.Timeout = DefaultTimeout
	}
	fs.StringVar(&o.Fixtures, "kerasparity.fixtures", env("KERASPARITY_FIXTURES", defaults.Fixtures), "fixture set folder")
	fs.StringVar(&o.Divergences, "kerasparity.divergences", env("KERASPARITY_DIVERGENCES", defaults.Divergences), "the port's known-divergence file (JSON)")
	fs.StringVar(&o.OutDir, "kerasparity.out", env("KERASPARITY_OUT", defaults.OutDir), "folder for results.jsonl (the input of kerasparity report)")
	fs.BoolVar(&o.Strict, "kerasparity.strict", defaults.Strict, "fail the run on an XPASS or a divergence entry that matches no failing case")
	fs.DurationVar(&o.Timeout, "kerasparity.timeout", defaults.Timeout, "bound on one call into the port (0: none)")
	fs.BoolVar(&o.Repeat, "kerasparity.repeat", defaults.Repeat, "run every case twice and report cases whose runs differ")
	fs.StringVar(&o.Cases, "kerasparity.case", env("KERASPARITY_CASE", defaults.Cases), "run only these cases: \"[backend] id\" or id, comma-separated")
	fs.StringVar(&o.Rerun, "kerasparity.rerun", defaults.Rerun, "rerun line template with {case} and {out}")
	fs.BoolVar(&o.NoIsolation, "kerasparity.no-isolation", defaults.NoIsolation, "run the suite in this process, not in a child that a crashing port cannot take the run down with")
	return o
}

func env(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

// Run is the whole of a port's conformance test: it registers the specs of
// every case for p and runs them, failing t when a case fails, when nothing
// was selected, and when nothing was compared (every selected case not
// ported). Call it from a Test function:
//
//	var opts = conformance.Flags(flag.CommandLine, conformance.Options{Fixtures: "path/to/fixtures"})
//
//	func TestConformance(t *testing.T) { conformance.Run(t, myport.New(), *opts) }
func Run(t *testing.T, p port.Port, opts Options) {
	t.Helper()
	gomega.RegisterFailHandler(Fail)
	if opts.Rerun == "" {
		opts.Rerun = goTestRerun(t.Name(), opts)
	}
	if supervised(opts) {
		supervise(t, opts)
		return
	}
	if err := Register(p, opts); err != nil {
		fmt.Fprintln(os.Stderr, "kerasparity:", err)
		t.Fatal(err)
	}
	suite, reporter := GinkgoConfiguration()
	// A child that goes on after a crash may have no case left; the first
	// run already held the selection to not being empty.
	suite.FailOnEmpty = os.Getenv(resumeEnv) == ""
	RunSpecs(t, "Keras conformance: "+p.Name(), suite, reporter)
}

// goTestRerun is the rerun line of a suite run with go test: from the
// suite's package folder (where a test binary runs), its test alone, with
// the fixtures and divergence file of this run, then the report of that one
// case into its own folder.
func goTestRerun(test string, opts Options) string {
	dir, err := os.Getwd()
	if err != nil {
		dir = "."
	}
	line := "cd " + results.ShellQuote(dir) + " && go test -count=1 -run " + results.ShellQuote("^"+test+"$") + " . -args" +
		" -kerasparity.fixtures=" + results.ShellQuote(absPath(opts.Fixtures)) +
		" -kerasparity.divergences=" + results.ShellQuote(absPath(opts.Divergences)) +
		" -kerasparity.case={case}"
	if opts.OutDir != "" {
		line += " -kerasparity.out={out}; go run github.com/kerasparity/kerasparity/cmd/kerasparity report {out}"
	}
	return line
}

// Register loads the fixture set and declares one spec per case for the
// port. Call it before RunSpecs (Run does both). It fails when the fixtures
// or the divergence file do not load, or when the selection holds no case:
// a harness that checked nothing must not pass. With an OutDir, even that
// failure is written to the results file, so a report says what happened.
func Register(p port.Port, opts Options) (err error) {
	start := time.Now()
	var w *results.Writer
	info := results.RunInfo{Port: p.Name(), Fixtures: absPath(opts.Fixtures), Suite: suitePackage(), Rerun: opts.Rerun,
		Options: map[string]string{"timeout": opts.Timeout.String(), "repeat": fmt.Sprint(opts.Repeat), "strict": fmt.Sprint(opts.Strict)}}
	defer func() {
		if err == nil {
			return
		}
		// The run cannot start: say so in the results, not only on the console.
		if w == nil && opts.OutDir != "" {
			w, _ = results.Create(filepath.Join(opts.OutDir, results.FileName), info)
		}
		if w != nil {
			w.Close(results.End{Error: err.Error(), Seconds: time.Since(start).Seconds()})
		}
	}()
	if opts.Fixtures == "" {
		return errors.New("conformance: no fixture set given (-kerasparity.fixtures or KERASPARITY_FIXTURES)")
	}
	fmt.Fprintf(os.Stderr, "kerasparity: loading and verifying the fixtures in %s\n", opts.Fixtures)
	stop := ticker(5*time.Second, func(d time.Duration) {
		fmt.Fprintf(os.Stderr, "kerasparity: still loading the fixtures (%.0f s)\n", d.Seconds())
	})
	// An interrupt while the fixtures load stops the load at once (the
	// loader checks between files), not when it is over.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	set, err := reference.LoadContext(ctx, opts.Fixtures)
	cancel()
	stop()
	if err != nil {
		return err
	}
	for _, m := range set.Manifests {
		info.Manifests = append(info.Manifests, results.ManifestInfo{
			Backend: m.Backend, Versions: m.Versions, Generator: m.Generator, Keras: m.Keras, Cases: len(m.Cases)})
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
	// A port that can describe its API is also checked against what Keras
	// exports; one that cannot is simply not asked.
	var api []apiCase
	if _, ok := p.(port.Introspector); ok {
		api = apiCases(set)
	}
	all := append([]*reference.Case(nil), cases...)
	for _, a := range api {
		all = append(all, a.c)
		for i := range info.Manifests {
			if info.Manifests[i].Backend == a.c.Backend {
				info.Manifests[i].APIChecks++
			}
		}
	}
	policy := reference.DefaultPolicy()
	if err := errors.Join(divs.checkShare(all), divs.checkCeiling(all, policy)); err != nil {
		return err
	}
	if opts.Cases != "" {
		if cases, api, err = selectCases(opts.Cases, cases, api); err != nil {
			return err
		}
		info.Selection = "cases: " + opts.Cases
	}
	suiteCfg, _ := GinkgoConfiguration()
	info.Selection = selection(info.Selection, suiteCfg.LabelFilter, suiteCfg.FocusStrings, suiteCfg.SkipStrings)

	k := &Checker{Port: p, Policy: policy, Divergences: divs, Timeout: opts.Timeout, Repeat: opts.Repeat, Siblings: siblings(set.Cases())}
	if opts.Rerun != "" {
		out := ""
		if opts.OutDir != "" {
			out = filepath.Join(absPath(opts.OutDir), "rerun")
		}
		k.Rerun = func(c *reference.Case) string { return fillRerun(opts.Rerun, c, out) }
	}
	info.Show = "go run github.com/kerasparity/kerasparity/cmd/kerasparity show -fixtures " + results.ShellQuote(absPath(opts.Fixtures)) + " {case}"
	k.Show = func(c *reference.Case) string {
		return strings.ReplaceAll(info.Show, "{case}", results.ShellQuote(results.SpecText(c.Backend, c.ID)))
	}
	if opts.OutDir != "" {
		path := filepath.Join(opts.OutDir, results.FileName)
		if os.Getenv(resumeEnv) != "" {
			// A child that goes on after a crash: the cases already in the
			// file (the crashed one included) are not run again.
			var done *results.File
			if w, done, err = results.Append(path); err != nil {
				return err
			}
			cases, api = skipDone(cases, api, done)
		} else if w, err = results.Create(path, info); err != nil {
			return err
		}
	}
	r := &runner{k: k, w: w, params: map[string]map[string]int{}, start: start, lastNote: time.Now(), total: len(cases) + len(api), console: os.Stderr,
		resumed: os.Getenv(resumeEnv) != ""}
	if r.resumed && w != nil {
		r.counts = w.Counts() // the cases before the crash count too
		r.total += r.counts.Total
	}
	fmt.Fprintf(r.console, "kerasparity: %d cases of %d manifests ready in %.1f s; checking %s\n", r.total, len(set.Manifests), time.Since(start).Seconds(), p.Name())
	Describe(p.Name(), func() {
		for _, c := range cases {
			It(results.SpecText(c.Backend, c.ID), Label(results.Labels(c)...), func() { r.verdict(c, func() results.CaseResult { return k.Check(c) }) })
		}
		for _, a := range api {
			It(results.SpecText(a.c.Backend, a.c.ID), Label(results.Labels(a.c)...), func() {
				r.verdict(a.c, func() results.CaseResult { return k.CheckAPI(a.c, a.class) })
			})
		}
	})
	ReportAfterSuite("kerasparity results", func(rep Report) { r.finish(rep, opts, divs) })
	return nil
}

// runner runs the specs' cases, records each result as it comes, prints
// progress, and closes the run.
type runner struct {
	k        *Checker
	w        *results.Writer
	counts   results.Counts
	params   map[string]map[string]int
	start    time.Time
	total    int
	lastNote time.Time
	console  io.Writer
	// unclassified counts the cases with a refusal whose kind the port
	// did not say.
	unclassified int
	// broken holds the first cases that fail the run, for the console.
	broken []string
	// resumed is set in a child that goes on after a crash.
	resumed bool
}

// brokenShown is how many failing cases the console lists at the end; the
// report has them all.
const brokenShown = 10

// verdict runs one case, records its result, and passes, skips or fails
// its spec accordingly.
func (r *runner) verdict(c *reference.Case, check func() results.CaseResult) {
	key := results.SpecText(c.Backend, c.ID)
	if r.w != nil {
		r.w.Running(results.CaseResult{ID: c.ID, Backend: c.Backend, Kind: c.Kind, Class: c.Class, DType: c.DType})
	}
	res := check()
	if r.w != nil {
		r.w.Add(res)
	}
	r.counts.Add(res.Outcome)
	if res.Outcome.Broken() && len(r.broken) < brokenShown {
		r.broken = append(r.broken, fmt.Sprintf("%s %s: %s", res.Outcome, key, oneLine(res.Detail)))
	}
	if res.Unclassified > 0 {
		r.unclassified++
	}
	for k, v := range c.Params {
		if r.params[k] == nil {
			r.params[k] = map[string]int{}
		}
		r.params[k][v]++
	}
	r.progress()
	switch res.Outcome {
	case results.NotPorted:
		Skip("not ported: " + res.Detail)
	case results.Fail, results.Error, results.Nondeterministic:
		msg := string(res.Outcome) + ": " + res.Detail
		if res.Rerun != "" {
			msg += "\nrerun: " + res.Rerun
		}
		Fail(msg)
	}
}

// progress prints a line at most every 5 seconds, so a long run is never
// silent.
func (r *runner) progress() {
	now := time.Now()
	if now.Sub(r.lastNote) < 5*time.Second {
		return
	}
	r.lastNote = now
	fmt.Fprintf(r.console, "kerasparity: %d of %d cases (%.0f s): %s\n", r.counts.Total, r.total, now.Sub(r.start).Seconds(), countsText(r.counts))
}

func countsText(c results.Counts) string {
	s := fmt.Sprintf("%d pass, %d fail, %d error, %d not ported, %d known divergence, %d XPASS", c.Pass, c.Fail, c.Error, c.NotPorted, c.KnownDivergence, c.XPass)
	if c.Nondeterministic > 0 {
		s += fmt.Sprintf(", %d nondeterministic", c.Nondeterministic)
	}
	return s
}

// finish closes the run: it checks what only the whole run can tell (was
// anything compared? is the divergence list current?), writes the end of
// the results file and prints the counts.
func (r *runner) finish(rep Report, opts Options, divs *Divergences) {
	end := results.End{Seconds: time.Since(r.start).Seconds(), Entries: r.k.Entries(), Params: r.params}
	c := r.counts
	// An empty run fails the suite, but it is not a failure of the port:
	// the results say so by their counts (a report calls it empty), not by
	// a failure line.
	empty := ""
	switch {
	case c.Total == 0:
		empty = "no case ran: the selection (labels, focus, -kerasparity.case) matched nothing"
	case c.Checked() == 0:
		empty = fmt.Sprintf("nothing was compared: the port implements none of the %d cases that ran", c.Total)
	}
	for _, reason := range rep.SpecialSuiteFailureReasons {
		if empty == "" || !strings.Contains(reason, "no specs ran") {
			end.Failures = append(end.Failures, reason)
		}
	}
	if r.resumed {
		end.Warnings = append(end.Warnings, "the run went on in a new process after a crash: entries that matched no case were not looked for, and the parameter counts cover the cases after the crash only")
	}
	if r.unclassified > 0 {
		end.Warnings = append(end.Warnings, fmt.Sprintf("the port refused in %d case%s where Keras raised, without saying the kind of error (port.Errorf): whether it refused for Keras's reason was not checked", r.unclassified, plural(r.unclassified)))
	}
	filtered := opts.Cases != "" || rep.SuiteConfig.LabelFilter != "" || len(rep.SuiteConfig.FocusStrings) > 0 || len(rep.SuiteConfig.SkipStrings) > 0
	for _, e := range end.Entries {
		var problem string
		switch {
		case e.XPass > 0:
			problem = fmt.Sprintf("known divergence %s[%d] (%s) matches Keras on %d case%s (XPASS): narrow or remove it", divs.Path, e.Index, e.Summary, e.XPass, plural(e.XPass))
		case e.Matched == 0 && !filtered && !r.resumed:
			problem = fmt.Sprintf("%s entry %s[%d] (%s) matched no case: remove it", e.Kind, divs.Path, e.Index, e.Summary)
		default:
			continue
		}
		if opts.Strict {
			end.Failures = append(end.Failures, "strict: "+problem)
		} else {
			end.Warnings = append(end.Warnings, problem)
		}
	}
	if r.w != nil {
		if err := r.w.Close(end); err != nil {
			end.Failures = append(end.Failures, err.Error())
		}
	}
	fmt.Fprintf(r.console, "\nkerasparity: %s: %d cases in %.1f s: %s\n", rep.SuiteDescription, c.Total, end.Seconds, countsText(c))
	for _, b := range r.broken {
		fmt.Fprintln(r.console, "  "+b)
	}
	if n := c.Broken() - len(r.broken); n > 0 {
		fmt.Fprintf(r.console, "  ... and %d more: see the report\n", n)
	}
	for _, w := range end.Warnings {
		fmt.Fprintln(r.console, "  warning:", w)
	}
	for _, f := range end.Failures {
		fmt.Fprintln(r.console, "  failure:", f)
	}
	if r.w != nil {
		fmt.Fprintln(r.console, "  results:", r.w.Path())
	}
	if empty != "" {
		fmt.Fprintln(r.console, "  empty:", empty)
		end.Failures = append(end.Failures, empty)
	}
	if len(end.Failures) > 0 {
		Fail(strings.Join(end.Failures, "\n"))
	}
}

// siblings indexes the cases by id, so that a case finds itself on the
// other backends.
func siblings(cases []*reference.Case) func(*reference.Case) []*reference.Case {
	byID := map[string][]*reference.Case{}
	for _, c := range cases {
		byID[c.ID] = append(byID[c.ID], c)
	}
	return func(c *reference.Case) []*reference.Case {
		var out []*reference.Case
		for _, o := range byID[c.ID] {
			if o != c {
				out = append(out, o)
			}
		}
		return out
	}
}

// ticker calls note every interval, with the time since it started, until
// the returned stop is called, so that long work is never silent.
func ticker(interval time.Duration, note func(time.Duration)) (stop func()) {
	start, done := time.Now(), make(chan struct{})
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				note(time.Since(start))
			}
		}
	}()
	return func() { close(done) }
}

// oneLine keeps the first line of s, cut to fit a console line.
func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// skipDone leaves out the cases a results file already holds.
func skipDone(cases []*reference.Case, api []apiCase, done *results.File) ([]*reference.Case, []apiCase) {
	have := map[string]bool{}
	for _, c := range done.Cases {
		have[c.Key()] = true
	}
	var outCases []*reference.Case
	for _, c := range cases {
		if !have[results.SpecText(c.Backend, c.ID)] {
			outCases = append(outCases, c)
		}
	}
	var outAPI []apiCase
	for _, a := range api {
		if !have[results.SpecText(a.c.Backend, a.c.ID)] {
			outAPI = append(outAPI, a)
		}
	}
	return outCases, outAPI
}

// selectCases keeps the cases a -kerasparity.case list names, and fails
// on a name that matches no case, so a mistyped rerun cannot pass.
func selectCases(list string, cases []*reference.Case, api []apiCase) ([]*reference.Case, []apiCase, error) {
	want := map[string]bool{}
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s != "" {
			want[s] = true
		}
	}
	used := map[string]bool{}
	pick := func(c *reference.Case) bool {
		for _, k := range []string{results.SpecText(c.Backend, c.ID), c.ID} {
			if want[k] {
				used[k] = true
				return true
			}
		}
		return false
	}
	var outCases []*reference.Case
	for _, c := range cases {
		if pick(c) {
			outCases = append(outCases, c)
		}
	}
	var outAPI []apiCase
	for _, a := range api {
		if pick(a.c) {
			outAPI = append(outAPI, a)
		}
	}
	var missing []string
	for k := range want {
		if !used[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("conformance: -kerasparity.case names no case of the fixture set: %s", strings.Join(missing, ", "))
	}
	return outCases, outAPI, nil
}

func selection(cases, labels string, focus, skip []string) string {
	var parts []string
	if cases != "" {
		parts = append(parts, cases)
	}
	if labels != "" {
		parts = append(parts, "labels: "+labels)
	}
	for _, f := range focus {
		parts = append(parts, "focus: "+f)
	}
	for _, s := range skip {
		parts = append(parts, "skip: "+s)
	}
	return strings.Join(parts, "; ")
}

// fillRerun fills a rerun template for case c; both values are quoted for
// the shell, and ids hold no character that could break out of the quotes.
func fillRerun(tmpl string, c *reference.Case, out string) string {
	s := strings.ReplaceAll(tmpl, "{case}", results.ShellQuote(results.SpecText(c.Backend, c.ID)))
	return strings.ReplaceAll(s, "{out}", results.ShellQuote(out))
}

func absPath(p string) string {
	if p == "" {
		return ""
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// suitePackage is the folder of the running suite (a test binary runs in
// its package's folder).
func suitePackage() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	return dir
}
