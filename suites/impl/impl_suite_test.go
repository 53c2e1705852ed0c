package impl_test

import (
	"flag"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/suites/conformance"
	"github.com/kerasparity/kerasparity/suites/implport"
)

// The conformance run of kerasparity's own port (impl/) against the committed
// fixtures. `make conformance` runs this suite with report output; `go test`
// runs it too, so a drift in impl/ turns `make test` red.
var opts = conformance.Flags(flag.CommandLine, conformance.Options{
	Fixtures:    "../../fixtures",
	Divergences: "../../impl/divergences.json",
})

func TestConformance(t *testing.T) {
	RegisterFailHandler(Fail)
	if err := conformance.Register(implport.New(), *opts); err != nil {
		t.Fatal(err)
	}
	RunSpecs(t, "Keras conformance: kerasparity/impl")
}
