package kwargs

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

// Decoder binds the entries of one config. Errors accumulate; Err reports
// them all, with the keys nobody asked for.
//
// A decoder made by Defaults binds nothing: it records what each
// destination holds when its binding is asked for. Binding code written once
// thus also says what the defaults are, as long as it starts from a value
// built by the constructor.
type Decoder struct {
	owner string
	cfg   map[string]any
	used  map[string]bool
	errs  []error

	defaults map[string]any // recording: the defaults seen; nil when decoding
	unknown  []string       // recording: keys read with Raw, whose defaults it cannot see
}

// New returns a decoder for the config of owner (a class or function name,
// used in error messages).
func New(owner string, cfg map[string]any) *Decoder {
	return &Decoder{owner: owner, cfg: cfg, used: map[string]bool{}}
}

// Defaults returns a recording decoder for owner: every binding leaves its
// destination alone and records its value as decoded JSON would give it
// (float64 numbers, nil for None and for a dtype, []any for lists).
func Defaults(owner string) *Decoder {
	return &Decoder{owner: owner, used: map[string]bool{}, defaults: map[string]any{}}
}

// Recording reports whether d was made by Defaults.
func (d *Decoder) Recording() bool { return d.defaults != nil }

// Record records v as the default of key, for bindings that read with Raw;
// it does nothing when decoding.
func (d *Decoder) Record(key string, v any) {
	if d.defaults != nil {
		d.defaults[key] = v
	}
}

// Recorded returns the defaults recorded and the keys read with Raw for
// which nothing was recorded.
func (d *Decoder) Recorded() (defaults map[string]any, missing []string) {
	for _, k := range d.unknown {
		if _, ok := d.defaults[k]; !ok && !slices.Contains(missing, k) {
			missing = append(missing, k)
		}
	}
	return d.defaults, missing
}

// Raw returns the value of key and whether it is present, marking it used.
// A recording decoder has no values.
func (d *Decoder) Raw(key string) (any, bool) {
	d.used[key] = true
	if d.defaults != nil {
		d.unknown = append(d.unknown, key)
		return nil, false
	}
	v, ok := d.cfg[key]
	return v, ok
}

// Fail records an error about key.
func (d *Decoder) Fail(key string, v any, want string) {
	d.errs = append(d.errs, fmt.Errorf("%s: %s=%v (%T): want %s", d.owner, key, v, v, want))
}

// record records v as key's default if d is recording, and says whether it
// was.
func (d *Decoder) record(key string, v any) bool {
	if d.defaults == nil {
		return false
	}
	d.used[key] = true
	d.defaults[key] = v
	return true
}

// Bool binds a boolean. Numbers are accepted by their truth value, as
// Python's `if from_logits:` reads them.
func (d *Decoder) Bool(key string, dst *bool) {
	if d.record(key, *dst) {
		return
	}
	v, ok := d.Raw(key)
	if !ok {
		return
	}
	switch x := v.(type) {
	case bool:
		*dst = x
	case float64:
		*dst = x != 0
	case nil:
		*dst = false
	default:
		d.Fail(key, v, "a bool")
	}
}

// Float binds a number.
func (d *Decoder) Float(key string, dst *float64) {
	if d.record(key, *dst) {
		return
	}
	v, ok := d.Raw(key)
	if !ok {
		return
	}
	if x, ok := number(v); ok {
		*dst = x
		return
	}
	d.Fail(key, v, "a number")
}

// Int binds an integer (a JSON number with an integral value).
func (d *Decoder) Int(key string, dst *int) {
	if d.record(key, float64(*dst)) {
		return
	}
	v, ok := d.Raw(key)
	if !ok {
		return
	}
	if x, ok := integer(v); ok {
		*dst = x
		return
	}
	d.Fail(key, v, "an integer")
}

// OptionalInt binds an integer or None (nil).
func (d *Decoder) OptionalInt(key string, dst **int) {
	if d.defaults != nil {
		var v any
		if *dst != nil {
			v = float64(**dst)
		}
		d.record(key, v)
		return
	}
	v, ok := d.Raw(key)
	if !ok {
		return
	}
	if v == nil {
		*dst = nil
		return
	}
	if x, ok := integer(v); ok {
		*dst = &x
		return
	}
	d.Fail(key, v, "an integer or None")
}

// String binds a string.
func (d *Decoder) String(key string, dst *string) {
	if d.record(key, *dst) {
		return
	}
	v, ok := d.Raw(key)
	if !ok {
		return
	}
	if s, ok := v.(string); ok {
		*dst = s
		return
	}
	d.Fail(key, v, "a string")
}

// FloatOrList binds a number to scalar, or a list of numbers to list.
func (d *Decoder) FloatOrList(key string, scalar *float64, list *[]float64) {
	if d.defaults != nil {
		var v any = *scalar
		if *list != nil {
			l := make([]any, len(*list))
			for i, x := range *list {
				l[i] = x
			}
			v = l
		}
		d.record(key, v)
		return
	}
	v, ok := d.Raw(key)
	if !ok {
		return
	}
	if x, ok := number(v); ok {
		*scalar, *list = x, nil
		return
	}
	items, ok := v.([]any)
	if !ok {
		d.Fail(key, v, "a number or a list of numbers")
		return
	}
	out := make([]float64, len(items))
	for i, it := range items {
		x, ok := number(it)
		if !ok {
			d.Fail(key, v, "a number or a list of numbers")
			return
		}
		out[i] = x
	}
	*list = out
}

// DType binds a Keras dtype or dtype policy: a dtype name, a policy name
// (mixed_float16 computes in float16), a serialised DTypePolicy, or None
// (floatx, float32). Only float compute dtypes are supported.
func (d *Decoder) DType(key string, dst *tensor.DType) {
	if d.record(key, nil) { // None: floatx
		return
	}
	v, ok := d.Raw(key)
	if !ok {
		return
	}
	name, err := policyName(v)
	if err != nil {
		d.errs = append(d.errs, fmt.Errorf("%s: %s: %w", d.owner, key, err))
		return
	}
	if name == "" {
		*dst = tensor.Float32
		return
	}
	name = strings.TrimPrefix(name, "mixed_")
	dt, err := tensor.ParseDType(name)
	if err != nil {
		d.errs = append(d.errs, fmt.Errorf("%s: %s: %w", d.owner, key, err))
		return
	}
	if !dt.IsFloat() {
		d.errs = append(d.errs, fmt.Errorf("%s: %s=%v: %w (only float dtypes)", d.owner, key, dt, tensor.ErrNotImplemented))
		return
	}
	*dst = dt
}

// policyName extracts the dtype policy name from a config value ("" for None).
func policyName(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case map[string]any:
		// {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, ...}
		if cfg, ok := x["config"].(map[string]any); ok {
			if name, ok := cfg["name"].(string); ok {
				return name, nil
			}
		}
		return "", fmt.Errorf("dtype policy %v has no config.name", x)
	}
	return "", fmt.Errorf("dtype %v (%T) is neither a name nor a dtype policy", v, v)
}

// Err returns the binding errors and one error per key no argument took
// (Python's "unexpected keyword argument"), or nil.
func (d *Decoder) Err() error {
	errs := d.errs
	var unknown []string
	for k := range d.cfg {
		if !d.used[k] {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		errs = append(errs, fmt.Errorf("%s: unexpected keyword argument %q", d.owner, k))
	}
	return errors.Join(errs...)
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case bool: // Python bools are ints
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func integer(v any) (int, bool) {
	x, ok := number(v)
	if !ok || x != math.Trunc(x) || math.Abs(x) > 1<<53 {
		return 0, false
	}
	return int(x), true
}
