package reference

import (
	"fmt"
	"strings"
)

// LoadError is an error found while loading a fixture set. It says where,
// as precisely as the failure allows, so that a corrupt fixture is traced to
// its manifest, array file, member and case without a debugger.
type LoadError struct {
	Manifest string // path of the manifest.json
	Case     string // case id, "" when the error concerns no case
	Step     int    // step index within the case, -1 when it concerns no step
	Field    string // the step field at fault: y_true, y_pred, sample_weight, expect, expect.value, expect.error
	File     string // array file named by the manifest, "" when none
	Key      string // member key within File, "" when none
	Err      error

	// firstUse marks an error in a whole file, found through the first case
	// that uses it: the case is then named as "first used by".
	firstUse bool
	pos      int // manifest position of the failing use, to pick the first error
}

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString(e.Manifest)
	if e.Case != "" && !e.firstUse {
		fmt.Fprintf(&b, ": case %q", e.Case)
		if e.Step >= 0 {
			fmt.Fprintf(&b, " step %d", e.Step)
		}
		if e.Field != "" {
			b.WriteString(" " + e.Field)
		}
	}
	if e.File != "" {
		b.WriteString(": file " + e.File)
		if e.Key != "" {
			fmt.Fprintf(&b, " member %q", e.Key)
		}
		if e.firstUse {
			fmt.Fprintf(&b, " (first used by case %q)", e.Case)
		}
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *LoadError) Unwrap() error { return e.Err }
