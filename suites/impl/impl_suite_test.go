package impl_test

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/kerasparity/kerasparity/results"
	"github.com/kerasparity/kerasparity/suites/conformance"
	"github.com/kerasparity/kerasparity/suites/implport"
)

// The conformance run of kerasparity's own port (impl/) against the committed
// fixtures. `make conformance` runs this suite with report output; `go test`
// runs it too, so a drift in impl/ turns `make test` red. Its divergence list
// is held strictly: an entry that no longer matches a failing case, or a
// listed case that now passes, fails the run.
var opts = conformance.Flags(flag.CommandLine, conformance.Options{
	Fixtures:    "../../fixtures",
	Divergences: "../../impl/divergences.json",
	Strict:      true,
	Rerun:       "make -C " + results.ShellQuote(root()) + " conformance CASE={case} OUT={out}",
})

func TestConformance(t *testing.T) {
	conformance.Run(t, implport.New(), *opts)
}

// root is the repository's folder: the suite runs in suites/impl.
func root() string {
	dir, err := filepath.Abs("../..")
	if err != nil {
		return "."
	}
	return dir
}
