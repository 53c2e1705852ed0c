// Command benchkeras times impl/'s losses and metrics on the inputs that
// gen/bench/bench_keras.py wrote, so that `make bench-keras` can put impl
// beside Keras in one table. It reads the plan (plan.json: each case's Keras
// class, full config and input files), builds each object with FromConfig
// for one backend, and prints one JSON line, {case: {"ms": .., "min_ms": ..,
// "value": ..}}: the median and minimum milliseconds of -repeats calls after
// -warmup calls, and the last result.
//
// A loss call is loss.Call(y_true, y_pred); a metric call is ResetState,
// UpdateState, Result, as the Python side times them. Converting the .npy
// arrays to tensors happens once, outside the timing, as Keras gets its
// inputs already on the device.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"time"

	"github.com/sbinet/npyio"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/losses"
	"github.com/kerasparity/kerasparity/impl/metrics"
	"github.com/kerasparity/kerasparity/impl/tensor"
)

// planCase is one entry of plan.json.
type planCase struct {
	Kind   string         `json:"kind"`
	Class  string         `json:"class"`
	Config map[string]any `json:"config"`
	YTrue  string         `json:"y_true"`
	YPred  string         `json:"y_pred"`
}

// result is what the Python driver reads back per case.
type result struct {
	MS    float64 `json:"ms"`     // the median
	MinMS float64 `json:"min_ms"` // the minimum
	Value float64 `json:"value"`
}

func main() {
	inputs := flag.String("inputs", "", "folder holding plan.json and the .npy inputs")
	name := flag.String("backend", "tensorflow", "Keras backend whose numerics impl follows")
	warmup := flag.Int("warmup", 2, "untimed calls first")
	repeats := flag.Int("repeats", 15, "timed calls per case (median reported)")
	budget := flag.Duration("budget", 10*time.Second, "time per case before stopping early (after 3 calls)")
	only := flag.String("only", "", "regexp on case names")
	flag.Parse()
	if err := run(*inputs, *name, *warmup, *repeats, *budget, *only); err != nil {
		fmt.Fprintln(os.Stderr, "benchkeras:", err)
		os.Exit(1)
	}
}

func run(folder, name string, warmup, repeats int, budget time.Duration, only string) error {
	b, err := backend.Parse(name)
	if err != nil {
		return err
	}
	filter, err := regexp.Compile(only)
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(filepath.Join(folder, "plan.json"))
	if err != nil {
		return err
	}
	var plan map[string]planCase
	if err := json.Unmarshal(raw, &plan); err != nil {
		return fmt.Errorf("plan.json: %w", err)
	}
	names := make([]string, 0, len(plan))
	for n := range plan {
		if filter.MatchString(n) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	cache := map[string]tensor.Tensor{}
	load := func(file string) (tensor.Tensor, error) {
		if t, ok := cache[file]; ok {
			return t, nil
		}
		t, err := readNPY(filepath.Join(folder, file))
		cache[file] = t
		return t, err
	}
	out := map[string]result{}
	for _, n := range names {
		c := plan[n]
		yTrue, err := load(c.YTrue)
		if err != nil {
			return err
		}
		yPred, err := load(c.YPred)
		if err != nil {
			return err
		}
		call, err := caller(c, b, yTrue, yPred)
		if err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
		r, err := median(call, warmup, repeats, budget)
		if err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
		out[n] = r
		fmt.Fprintf(os.Stderr, "  impl-%-10s %-40s %9.2f ms\n", name, n, r.MS)
	}
	line, err := json.Marshal(out)
	if err != nil {
		return err
	}
	fmt.Println(string(line))
	return nil
}

// caller returns one timed call of case c: the loss, or reset, update and
// result of the metric, giving the scalar result.
func caller(c planCase, b backend.Backend, yTrue, yPred tensor.Tensor) (func() (float64, error), error) {
	scalar := func(t tensor.Tensor) (float64, error) {
		if len(t.Data) != 1 {
			return 0, fmt.Errorf("result of shape %v, want a scalar", t.Shape)
		}
		return t.Data[0], nil
	}
	switch c.Kind {
	case "loss":
		l, err := losses.FromConfig(c.Class, c.Config, b)
		if err != nil {
			return nil, err
		}
		return func() (float64, error) {
			v, err := l.Call(yTrue, yPred, nil)
			if err != nil {
				return 0, err
			}
			return scalar(v)
		}, nil
	case "metric":
		m, err := metrics.FromConfig(c.Class, c.Config, b)
		if err != nil {
			return nil, err
		}
		return func() (float64, error) {
			m.ResetState()
			if err := m.UpdateState(yTrue, yPred, nil); err != nil {
				return 0, err
			}
			return scalar(m.Result())
		}, nil
	}
	return nil, fmt.Errorf("unknown kind %q", c.Kind)
}

// median times call as the Python side does: warmup calls, then up to
// repeats timed ones, stopping after at least three once budget is spent.
func median(call func() (float64, error), warmup, repeats int, budget time.Duration) (result, error) {
	var v float64
	var err error
	for range warmup {
		if v, err = call(); err != nil {
			return result{}, err
		}
	}
	var times []float64
	start := time.Now()
	for range repeats {
		t0 := time.Now()
		if v, err = call(); err != nil {
			return result{}, err
		}
		times = append(times, float64(time.Since(t0).Nanoseconds())/1e6)
		if len(times) >= 3 && time.Since(start) > budget {
			break
		}
	}
	if len(times) == 0 {
		return result{}, fmt.Errorf("no timed calls (repeats %d)", repeats)
	}
	slices.Sort(times)
	m := times[len(times)/2]
	if len(times)%2 == 0 {
		m = (times[len(times)/2-1] + m) / 2
	}
	return result{MS: m, MinMS: times[0], Value: v}, nil
}

// readNPY reads a float32 or int32 .npy file (C order) as a tensor. The
// benchmark writes these itself, so only those two dtypes are handled.
func readNPY(path string) (tensor.Tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return tensor.Tensor{}, err
	}
	defer f.Close()
	r, err := npyio.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return tensor.Tensor{}, fmt.Errorf("%s: %w", path, err)
	}
	if r.Header.Descr.Fortran {
		return tensor.Tensor{}, fmt.Errorf("%s: Fortran order not handled", path)
	}
	shape := slices.Clone(r.Header.Descr.Shape)
	var data []float64
	var d tensor.DType
	switch r.Header.Descr.Type {
	case "<f4":
		var xs []float32
		if err := r.Read(&xs); err != nil {
			return tensor.Tensor{}, fmt.Errorf("%s: %w", path, err)
		}
		d, data = tensor.Float32, make([]float64, len(xs))
		for i, x := range xs {
			data[i] = float64(x)
		}
	case "<i4":
		var xs []int32
		if err := r.Read(&xs); err != nil {
			return tensor.Tensor{}, fmt.Errorf("%s: %w", path, err)
		}
		d, data = tensor.Int32, make([]float64, len(xs))
		for i, x := range xs {
			data[i] = float64(x)
		}
	default:
		return tensor.Tensor{}, fmt.Errorf("%s: dtype %s not handled", path, r.Header.Descr.Type)
	}
	return tensor.New(d, shape, data)
}
