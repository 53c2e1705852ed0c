package gomlxport

import (
	"encoding/json"
	"fmt"

	"github.com/kerasparity/kerasparity/suites/port"
)

// config reads a Keras get_config() (or a function's keyword arguments) and
// names the object in its errors, so that a refusal reads
// "gomlx: BinaryCrossentropy(label_smoothing=0.1): not implemented".
type config struct {
	class string
	cfg   map[string]any
}

// notImplemented says that GoMLX cannot express key=value of the class.
func (c config) notImplemented(key string) error {
	v, _ := json.Marshal(c.cfg[key])
	return fmt.Errorf("gomlx: %s(%s=%s): %w", c.class, key, v, port.ErrNotImplemented)
}

func (c config) has(key string) bool {
	_, ok := c.cfg[key]
	return ok
}

// bool reads a boolean argument; a value of another type is not something
// GoMLX's API could be asked for.
func (c config) bool(key string, def bool) (bool, error) {
	v, ok := c.cfg[key]
	if !ok {
		return def, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, c.notImplemented(key)
	}
	return b, nil
}

func (c config) float(key string, def float64) (float64, error) {
	v, ok := c.cfg[key]
	if !ok {
		return def, nil
	}
	f, ok := v.(float64)
	if !ok {
		return 0, c.notImplemented(key)
	}
	return f, nil
}

// only requires key to be absent or equal to one of the values GoMLX's
// behaviour corresponds to (GoMLX has no such argument: it behaves one way).
func (c config) only(key string, values ...any) error {
	v, ok := c.cfg[key]
	if !ok {
		return nil
	}
	for _, w := range values {
		if v == w {
			return nil
		}
	}
	return c.notImplemented(key)
}

// noLabelSmoothing accepts label_smoothing 0 (GoMLX's crossentropies have no
// label smoothing).
func (c config) noLabelSmoothing() error {
	return c.only("label_smoothing", 0.0)
}
