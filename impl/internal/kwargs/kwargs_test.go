package kwargs

import (
	"reflect"
	"testing"

	"github.com/kerasparity/kerasparity/impl/tensor"
)

// bind is binding code as a constructor's config reader writes it, starting
// from the constructor's values.
func bind(d *Decoder) {
	on, x, n, s := true, 0.5, 3, "ROC"
	var opt *int
	seven := 7
	optSet := &seven
	scalar, list := 0.25, []float64(nil)
	scalar2, list2 := 0.0, []float64{1, 2}
	dt := tensor.Float32
	d.Bool("flag", &on)
	d.Float("x", &x)
	d.Int("n", &n)
	d.String("curve", &s)
	d.OptionalInt("none", &opt)
	d.OptionalInt("seven", &optSet)
	d.FloatOrList("alpha", &scalar, &list)
	d.FloatOrList("alphas", &scalar2, &list2)
	d.DType("dtype", &dt)
	d.Raw("raw")
	d.Record("recorded", "by hand")
	d.Raw("recorded")
}

func TestDefaultsRecordsWhatBindingStartsFrom(t *testing.T) {
	d := Defaults("owner")
	bind(d)
	got, missing := d.Recorded()
	want := map[string]any{
		"flag": true, "x": 0.5, "n": 3.0, "curve": "ROC", "none": nil, "seven": 7.0,
		"alpha": 0.25, "alphas": []any{1.0, 2.0}, "dtype": nil, "recorded": "by hand",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("recorded %v, want %v", got, want)
	}
	if !reflect.DeepEqual(missing, []string{"raw"}) {
		t.Errorf("missing %v, want [raw]", missing)
	}
	if err := d.Err(); err != nil {
		t.Errorf("a recording decoder has no config to refuse: %v", err)
	}
}

func TestDecodingIgnoresRecord(t *testing.T) {
	d := New("owner", map[string]any{"x": 2.0, "recorded": "from config"})
	if d.Recording() {
		t.Fatal("New makes a recording decoder")
	}
	x := 0.5
	d.Float("x", &x)
	d.Record("recorded", "by hand")
	v, _ := d.Raw("recorded")
	if x != 2 || v != "from config" {
		t.Errorf("decoded x=%v recorded=%v, want 2 and the config's value", x, v)
	}
	if err := d.Err(); err != nil {
		t.Error(err)
	}
}
