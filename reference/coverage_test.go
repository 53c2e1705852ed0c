package reference_test

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/kerasparity/kerasparity/reference"
)

// The committed fixture set promises coverage: every value of every axis the
// crossentropy family has, for every class it applies to, on every backend.
// These specs hold the catalogue in gen/ to that promise, so a change there
// that silently drops an axis value fails `make test`.

// Class groups, as "kind/Class".
var (
	binaryTargets      = []string{"loss/BinaryCrossentropy", "loss/BinaryFocalCrossentropy", "function/binary_crossentropy", "function/binary_focal_crossentropy", "metric/BinaryCrossentropy"}
	categoricalTargets = []string{"loss/CategoricalCrossentropy", "loss/CategoricalFocalCrossentropy", "function/categorical_crossentropy", "function/categorical_focal_crossentropy", "metric/CategoricalCrossentropy"}
	sparseTargets      = []string{"loss/SparseCategoricalCrossentropy", "function/sparse_categorical_crossentropy", "metric/SparseCategoricalCrossentropy"}
	focalTargets       = []string{"loss/BinaryFocalCrossentropy", "loss/CategoricalFocalCrossentropy", "function/binary_focal_crossentropy", "function/categorical_focal_crossentropy"}
	lossTargets        = []string{"loss/BinaryCrossentropy", "loss/BinaryFocalCrossentropy", "loss/CategoricalCrossentropy", "loss/CategoricalFocalCrossentropy", "loss/SparseCategoricalCrossentropy"}
	metricTargets      = []string{"metric/BinaryCrossentropy", "metric/CategoricalCrossentropy", "metric/SparseCategoricalCrossentropy"}
	allTargets         = slices.Concat(binaryTargets, categoricalTargets, sparseTargets)
	smoothingTargets   = slices.Concat(binaryTargets, categoricalTargets)
	// The binary metric has no axis argument.
	axisTargets     = slices.DeleteFunc(slices.Clone(allTargets), func(t string) bool { return t == "metric/BinaryCrossentropy" })
	functionTargets = slices.DeleteFunc(slices.Clone(allTargets), func(t string) bool { return !strings.HasPrefix(t, "function/") })
)

// requirement: every target in Targets has at least one case with each value
// of Param ("dtype" is the case's dtype, "edge" its edge tags).
type requirement struct {
	Targets []string
	Param   string
	Values  []string
}

var requirements = []requirement{
	{allTargets, "from_logits", []string{"false", "true"}},
	{smoothingTargets, "label_smoothing", []string{"0.0", "0.1", "0.5", "1.0"}},
	{axisTargets, "axis", []string{"-1", "1"}},
	{sparseTargets, "ignore_class", []string{"None", "0", "-1", "255"}},
	{sparseTargets, "y_true", []string{"sparse", "sparse_col"}},
	{focalTargets, "alpha", []string{"0.25", "0.5"}},
	{focalTargets, "gamma", []string{"0.0", "2.0", "5.0"}},
	{[]string{"loss/BinaryFocalCrossentropy", "function/binary_focal_crossentropy"}, "apply_class_balancing", []string{"false", "true"}},
	{lossTargets, "reduction", []string{"sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "None", "none"}},
	{slices.Concat(lossTargets, metricTargets), "sample_weight", []string{"absent", "scalar", "per_sample", "per_sample_col", "per_element", "zeros", "negative"}},
	{allTargets, "dtype", []string{"float32", "float64", "bfloat16", "float16"}},
	{metricTargets, "input_dtype", []string{"float32", "float64"}},
	{allTargets, "edge", []string{"probs_0_1", "nan", "inf", "logits_100", "logits_1e4", "empty_batch", "batch_1", "doc_example", "rank2", "rank3"}},
	{slices.Concat(lossTargets, functionTargets), "edge", []string{"rank1", "rank4"}},
	{slices.Concat(categoricalTargets, sparseTargets), "edge", []string{"unnormalised", "zero_row", "two_classes"}},
	{sparseTargets, "edge", []string{"label_out_of_range", "segmentation"}},
	{metricTargets, "edge", []string{"stream"}},
}

// committedFixtures is the set under fixtures/, loaded once per test process.
func committedFixtures() *reference.Set {
	if _, err := os.Stat("../fixtures"); err != nil {
		Fail("no committed fixtures at ../fixtures: " + err.Error())
	}
	set, err := reference.LoadCommitted()
	Expect(err).NotTo(HaveOccurred())
	return set
}

var _ = Describe("the committed fixture set", Ordered, func() {
	var set *reference.Set
	BeforeAll(func() { set = committedFixtures() })

	It("has numpy, jax and tensorflow with at least 1,500 cases each", func() {
		Expect(set.Backends()).To(ConsistOf("jax", "numpy", "tensorflow"))
		for _, m := range set.Manifests {
			Expect(len(m.Cases)).To(BeNumerically(">=", 1500), m.Backend)
		}
	})

	It("covers every axis value for every class it applies to, on every backend", func() {
		var missing []string
		for _, m := range set.Manifests {
			seen := map[string]map[string]bool{} // "kind/Class param" -> values
			note := func(c *reference.Case, param, value string) {
				key := c.Kind + "/" + c.Class + " " + param
				if seen[key] == nil {
					seen[key] = map[string]bool{}
				}
				seen[key][value] = true
			}
			for _, c := range m.Cases {
				for p, v := range c.Params {
					note(c, p, v)
				}
				note(c, "dtype", c.DType)
				for _, e := range c.Edges {
					note(c, "edge", e)
				}
			}
			for _, r := range requirements {
				for _, t := range r.Targets {
					for _, v := range r.Values {
						if !seen[t+" "+r.Param][v] {
							missing = append(missing, fmt.Sprintf("%s: %s has no case with %s=%s", m.Backend, t, r.Param, v))
						}
					}
				}
			}
		}
		Expect(missing).To(BeEmpty())
	})

	It("gives sparse losses labels shaped (B,1) and (B,H,W,1), and maps (B,H,W)", func() {
		for _, m := range set.Manifests {
			var col, mapCol, seg bool
			for _, c := range m.Cases {
				if c.Class != "SparseCategoricalCrossentropy" || c.Steps[0].YTrue == nil {
					continue
				}
				yt, yp := c.Steps[0].YTrue.Shape, c.Steps[0].YPred.Shape
				col = col || (len(yt) == 2 && yt[1] == 1)
				mapCol = mapCol || (len(yt) == 4 && yt[3] == 1)
				seg = seg || (len(yt) == 3 && len(yp) == 4)
			}
			Expect([]bool{col, mapCol, seg}).To(Equal([]bool{true, true, true}), m.Backend)
		}
	})

	It("runs every metric stream through three updates, a reset and another update", func() {
		for _, m := range set.Manifests {
			streams := 0
			for _, c := range m.Cases {
				if c.Kind != "metric" || !slices.Contains(c.Edges, "stream") {
					continue
				}
				ops := make([]string, len(c.Steps))
				for i, s := range c.Steps {
					ops[i] = s.Op
				}
				seq := strings.Join(ops, " ")
				if strings.Contains(seq, "update update update") && strings.Contains(seq, "reset update") {
					streams++
				}
			}
			Expect(streams).To(BeNumerically(">=", 100), m.Backend)
		}
	})
})

// The losses of the second coverage promise: each constructor argument with
// its default and at least two other values, and every reduction and weight
// form, driven by the constructor signatures Keras exports (manifest "api").
var lossesWithArgCoverage = []string{
	"MeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError",
	"CosineSimilarity", "Huber", "LogCosh", "Hinge", "SquaredHinge", "CategoricalHinge", "KLDivergence",
	"Poisson", "CTC", "Dice", "Tversky", "Circle", "CategoricalGeneralizedCrossEntropy",
}

// paramString spells a Keras default the way gen/ writes params: Python's
// repr for numbers, None, lower-case booleans, tuples in parentheses.
func paramString(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		return fmt.Sprint(x)
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if x == float64(int64(x)) && !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = strings.TrimSuffix(paramString(e), ".0")
		}
		return "(" + strings.Join(parts, ", ") + ")"
	}
	return fmt.Sprint(v)
}

var _ = Describe("the committed fixture set, for every other loss and every metric", Ordered, func() {
	var set *reference.Set
	BeforeAll(func() { set = committedFixtures() })

	It("exercises every loss argument with its default and two other values, and every reduction and weight form", func() {
		Expect(argumentCoverage(set, "loss", func(*reference.API) []string { return lossesWithArgCoverage })).To(BeEmpty())
	})

	It("exercises every metric argument with its default and two other values, and every weight form", func() {
		// The three crossentropy metrics keep the cases of the first coverage
		// promise above (their ids are referenced elsewhere and must not be
		// renumbered), which vary neither name nor a third axis value.
		Expect(argumentCoverage(set, "metric", func(api *reference.API) []string {
			return slices.DeleteFunc(slices.Sorted(maps.Keys(api.Metrics)), func(c string) bool {
				return slices.Contains(metricTargets, "metric/"+c)
			})
		})).To(BeEmpty())
	})
})

// argumentCoverage lists what the fixtures of one kind fail to exercise:
// for each class, every constructor argument Keras declares (with its
// default and two other values; a boolean's two), every reduction (losses)
// and every sample-weight form.
func argumentCoverage(set *reference.Set, kind string, classes func(*reference.API) []string) []string {
	var missing []string
	for _, m := range set.Manifests {
		Expect(m.API).NotTo(BeNil(), m.Backend+" records no API")
		exported := m.API.Losses
		if kind == "metric" {
			exported = m.API.Metrics
		}
		values := map[string]map[string]bool{} // "Class param" -> values seen
		for _, c := range m.Cases {
			if c.Kind != kind {
				continue
			}
			params := maps.Clone(c.Params)
			if params == nil {
				params = map[string]string{}
			}
			params["dtype"] = c.DType
			for p, v := range params {
				key := c.Class + " " + p
				if values[key] == nil {
					values[key] = map[string]bool{}
				}
				values[key][v] = true
			}
		}
		for _, class := range classes(m.API) {
			api, ok := exported[class]
			if !ok {
				missing = append(missing, m.Backend+": Keras exports no "+class)
				continue
			}
			for _, a := range api.Args {
				seen := values[class+" "+a.Name]
				switch {
				case a.Name == "reduction" && kind == "loss":
					for _, r := range []string{"sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "None", "none"} {
						if !seen[r] {
							missing = append(missing, fmt.Sprintf("%s: %s has no case with reduction=%s", m.Backend, class, r))
						}
					}
					continue
				case a.Name == "dtype":
					// The dtype argument's default (None) resolves to floatx.
					if len(seen) < 3 {
						missing = append(missing, fmt.Sprintf("%s: %s exercises dtype with %d values", m.Backend, class, len(seen)))
					}
					continue
				}
				// JSON keeps no int/float distinction: -1 and -1.0 are one default.
				def := paramString(a.Default)
				if !a.Required && !seen[def] && !seen[strings.TrimSuffix(def, ".0")] && !seen["omitted"] {
					missing = append(missing, fmt.Sprintf("%s: %s has no case with %s at its default %s", m.Backend, class, a.Name, def))
				}
				want := 3 // the default and two others; a boolean has only two
				if _, isBool := a.Default.(bool); isBool {
					want = 2
				}
				if len(seen) < want {
					missing = append(missing, fmt.Sprintf("%s: %s exercises %s with %d values, want %d", m.Backend, class, a.Name, len(seen), want))
				}
			}
			for _, w := range []string{"absent", "scalar", "per_sample", "zeros", "negative"} {
				if !values[class+" sample_weight"][w] {
					missing = append(missing, fmt.Sprintf("%s: %s has no case with sample_weight=%s", m.Backend, class, w))
				}
			}
		}
	}
	return missing
}
