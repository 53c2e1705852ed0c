// Package crashsuite is a conformance suite whose port dies in the way
// KERASPARITY_CRASH names ("goroutine": a panic in a goroutine the port
// started; "oom": an allocation the machine cannot give) on its second case.
// suites/conformance's crash test builds and runs it in a subprocess, since
// such a crash takes the whole process down.
package crashsuite

import (
	"flag"
	"os"
	"testing"
	"time"

	"github.com/kerasparity/kerasparity/suites/conformance"
	"github.com/kerasparity/kerasparity/suites/implport"
	"github.com/kerasparity/kerasparity/suites/port"
)

var opts = conformance.Flags(flag.CommandLine, conformance.Options{Fixtures: "../../../../fixtures"})

// dying is kerasparity's own port, except for its second object.
type dying struct {
	port.Port
	built int
}

func (d *dying) NewLoss(s port.Spec) (port.Loss, error) {
	if d.built++; d.built == 2 {
		switch os.Getenv("KERASPARITY_CRASH") {
		case "goroutine":
			go func() { panic("crash in a goroutine the port started") }()
			time.Sleep(time.Second)
		case "oom":
			hog := make([]byte, 1<<46)
			hog[len(hog)-1] = 1
		}
	}
	return d.Port.NewLoss(s)
}

func TestCrash(t *testing.T) {
	conformance.Run(t, &dying{Port: implport.New()}, *opts)
}
