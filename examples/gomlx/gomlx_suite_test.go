package gomlxport_test

import (
	"flag"
	"testing"

	_ "github.com/onsi/ginkgo/v2" // lets the ginkgo CLI recognise this package as a Ginkgo suite

	"github.com/kerasparity/kerasparity/suites/conformance"

	gomlxport "github.com/kerasparity/kerasparity/examples/gomlx"
)

// The conformance run of GoMLX against kerasparity's committed fixtures.
// Many cases fail: that is what this example shows. Each cause is listed in
// divergences.json, once, with its reason; what no entry covers stays a
// failure.
var opts = conformance.Flags(flag.CommandLine, conformance.Options{
	Fixtures:    "../../fixtures",
	Divergences: "divergences.json",
})

func TestConformance(t *testing.T) {
	conformance.Run(t, gomlxport.New(), *opts)
}
