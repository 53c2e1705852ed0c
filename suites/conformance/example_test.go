package conformance_test

import (
	"flag"
	"testing"

	"github.com/kerasparity/kerasparity/suites/conformance"
	"github.com/kerasparity/kerasparity/suites/implport"
)

// A port's whole conformance suite: options from flags (with defaults for
// this port), then Run, which registers one spec per fixture case and runs
// them. Put it in a _test.go file of the port's module and run it with
// go test; README.md's "Plugging in your own port" has the full recipe.
func ExampleRun() {
	opts := conformance.Flags(flag.NewFlagSet("example", flag.ContinueOnError), conformance.Options{
		Fixtures:    "path/to/kerasparity/fixtures",
		Divergences: "known_divergences.json",
	})
	testConformance := func(t *testing.T) {
		conformance.Run(t, implport.New(), *opts) // your adapter in place of implport
	}
	_ = testConformance
}
