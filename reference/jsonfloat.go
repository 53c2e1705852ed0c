package reference

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// JSON has no NaN or infinities, and encoding/json refuses them, which breaks
// a Ginkgo report that carries Stats (and hangs parallel runs). Stats and
// Tolerance therefore write non-finite floats as the strings "NaN", "+Inf" and
// "-Inf" and read them back.

// Float is a float64 that survives a JSON round trip whatever its value.
// The report package uses it too, for every statistic it writes.
type Float float64

// MarshalJSON writes finite values as JSON numbers, the others as strings.
func (f Float) MarshalJSON() ([]byte, error) {
	x := float64(f)
	switch {
	case math.IsNaN(x):
		return []byte(`"NaN"`), nil
	case math.IsInf(x, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(x, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

// UnmarshalJSON reads a JSON number, a string holding one, "NaN", "+Inf",
// "Inf" or "-Inf"; null
// leaves f unchanged, as encoding/json does for plain numbers.
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "NaN":
			*f = Float(math.NaN())
		case "+Inf", "Inf":
			*f = Float(math.Inf(1))
		case "-Inf":
			*f = Float(math.Inf(-1))
		default:
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return fmt.Errorf("reference: %q is not a number, NaN, +Inf or -Inf", s)
			}
			*f = Float(x)
		}
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = Float(x)
	return nil
}

// statsJSON mirrors Stats field for field, with floats that may be
// non-finite.
type statsJSON struct {
	Elements   int       `json:"elements"`
	Mismatches int       `json:"mismatches"`
	MaxAbs     Float     `json:"max_abs"`
	MaxRel     Float     `json:"max_rel"`
	MaxULP     Float     `json:"max_ulp"`
	WorstIndex []int     `json:"worst_index"`
	Got        Float     `json:"got"`
	Want       Float     `json:"want"`
	Tolerance  Tolerance `json:"tolerance"`
	Spread     Float     `json:"spread"`
	Banded     int       `json:"banded"`
}

// MarshalJSON writes s with non-finite floats as strings.
func (s Stats) MarshalJSON() ([]byte, error) {
	return json.Marshal(statsJSON{
		Elements: s.Elements, Mismatches: s.Mismatches,
		MaxAbs: Float(s.MaxAbs), MaxRel: Float(s.MaxRel), MaxULP: Float(s.MaxULP),
		WorstIndex: s.WorstIndex, Got: Float(s.Got), Want: Float(s.Want),
		Tolerance: s.Tolerance, Spread: Float(s.Spread), Banded: s.Banded,
	})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *Stats) UnmarshalJSON(b []byte) error {
	var j statsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = Stats{
		Elements: j.Elements, Mismatches: j.Mismatches,
		MaxAbs: float64(j.MaxAbs), MaxRel: float64(j.MaxRel), MaxULP: float64(j.MaxULP),
		WorstIndex: j.WorstIndex, Got: float64(j.Got), Want: float64(j.Want),
		Tolerance: j.Tolerance, Spread: float64(j.Spread), Banded: j.Banded,
	}
	return nil
}

// toleranceJSON mirrors Tolerance, with floats that may be non-finite (an
// infinite atol is a legitimate way to accept any value).
type toleranceJSON struct {
	ATol   Float  `json:"atol"`
	RTol   Float  `json:"rtol"`
	Reason string `json:"reason"`
}

// MarshalJSON writes t with non-finite floats as strings.
func (t Tolerance) MarshalJSON() ([]byte, error) {
	return json.Marshal(toleranceJSON{ATol: Float(t.ATol), RTol: Float(t.RTol), Reason: t.Reason})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (t *Tolerance) UnmarshalJSON(b []byte) error {
	var j toleranceJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*t = Tolerance{ATol: float64(j.ATol), RTol: float64(j.RTol), Reason: j.Reason}
	return nil
}
