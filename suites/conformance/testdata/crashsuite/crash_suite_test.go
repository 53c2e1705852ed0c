// Package crashsuite is a conformance suite whose port misbehaves on its
// second object in the way KERASPARITY_CRASH names: "goroutine" (a panic in
// a goroutine the port started), "oom" (an allocation the machine cannot
// give), "hang" (a call that never returns), "mutate" (a call that writes
// into its input) or "flaky" (a result that changes from call to call).
// suites/conformance's crash test builds and runs it in a subprocess, since
// the first two take the whole process down.
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
	l, err := d.Port.NewLoss(s)
	if d.built++; d.built != 2 || err != nil {
		return l, err
	}
	switch os.Getenv("KERASPARITY_CRASH") {
	case "goroutine":
		go func() { panic("crash in a goroutine the port started") }()
		time.Sleep(time.Second)
	case "oom":
		hog := make([]byte, 1<<46)
		hog[len(hog)-1] = 1
	case "hang", "mutate", "flaky":
		return &misbehaving{Loss: l, how: os.Getenv("KERASPARITY_CRASH")}, nil
	}
	return l, err
}

type misbehaving struct {
	port.Loss
	how   string
	calls int
}

func (m *misbehaving) Call(yTrue, yPred port.Array, w *port.Array) (port.Array, error) {
	m.calls++
	switch m.how {
	case "hang":
		select {}
	case "mutate":
		yPred.Data[0] = 42
	}
	out, err := m.Loss.Call(yTrue, yPred, w)
	if m.how == "flaky" && err == nil && len(out.Data) > 0 {
		out.Data[0] += float64(m.calls) * 1e-3
	}
	return out, err
}

func TestCrash(t *testing.T) {
	conformance.Run(t, &dying{Port: implport.New()}, *opts)
}
