package gomlxport_test

import (
	"flag"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/suites/conformance"

	gomlxport "github.com/kerasparity/kerasparity/examples/gomlx"
)

// The conformance run of GoMLX against kerasparity's committed fixtures.
// Many cases fail: that is what this example shows. Each known cause is
// listed in divergences.json with its reason.
var opts = conformance.Flags(flag.CommandLine, conformance.Options{
	Fixtures:    "../../fixtures",
	Divergences: "divergences.json",
})

func TestConformance(t *testing.T) {
	RegisterFailHandler(Fail)
	if err := conformance.Register(gomlxport.New(), *opts); err != nil {
		t.Fatal(err)
	}
	RunSpecs(t, "Keras conformance: gomlx")
}
