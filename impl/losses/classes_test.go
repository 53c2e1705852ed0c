package losses

import (
	"reflect"
	"testing"

	"github.com/kerasparity/kerasparity/impl/backend"
)

// TestDefaultsAgree checks, for every class of the table, that building from
// an empty config, from DefaultConfig and with the Go constructor give the
// same loss: the defaults (the name among them) are written once, in the
// constructors, and nothing else may disagree with them.
func TestDefaultsAgree(t *testing.T) {
	constructors := map[string]func() Loss{
		"BinaryCrossentropy":                 func() Loss { return NewBinaryCrossentropy() },
		"BinaryFocalCrossentropy":            func() Loss { return NewBinaryFocalCrossentropy() },
		"CategoricalCrossentropy":            func() Loss { return NewCategoricalCrossentropy() },
		"CategoricalFocalCrossentropy":       func() Loss { return NewCategoricalFocalCrossentropy() },
		"SparseCategoricalCrossentropy":      func() Loss { return NewSparseCategoricalCrossentropy() },
		"MeanSquaredError":                   func() Loss { return NewMeanSquaredError() },
		"MeanAbsoluteError":                  func() Loss { return NewMeanAbsoluteError() },
		"MeanAbsolutePercentageError":        func() Loss { return NewMeanAbsolutePercentageError() },
		"MeanSquaredLogarithmicError":        func() Loss { return NewMeanSquaredLogarithmicError() },
		"CosineSimilarity":                   func() Loss { return NewCosineSimilarity() },
		"Huber":                              func() Loss { return NewHuber() },
		"LogCosh":                            func() Loss { return NewLogCosh() },
		"Hinge":                              func() Loss { return NewHinge() },
		"SquaredHinge":                       func() Loss { return NewSquaredHinge() },
		"CategoricalHinge":                   func() Loss { return NewCategoricalHinge() },
		"KLDivergence":                       func() Loss { return NewKLDivergence() },
		"Poisson":                            func() Loss { return NewPoisson() },
		"CTC":                                func() Loss { return NewCTC() },
		"Dice":                               func() Loss { return NewDice() },
		"Tversky":                            func() Loss { return NewTversky() },
		"Circle":                             func() Loss { return NewCircle() },
		"CategoricalGeneralizedCrossEntropy": func() Loss { return NewCategoricalGeneralizedCrossEntropy() },
	}
	for _, name := range Classes() {
		empty, err := FromConfig(name, map[string]any{}, backend.TensorFlow)
		if err != nil {
			t.Errorf("%s from an empty config: %v", name, err)
			continue
		}
		def, err := DefaultConfig(name)
		if err != nil {
			t.Errorf("%s: DefaultConfig: %v", name, err)
			continue
		}
		fromDef, err := FromConfig(name, def, backend.TensorFlow)
		if err != nil {
			t.Errorf("%s from DefaultConfig %v: %v", name, def, err)
			continue
		}
		if !reflect.DeepEqual(empty, fromDef) {
			t.Errorf("%s: built from an empty config\n\t%+v\nand from DefaultConfig %v\n\t%+v", name, empty, def, fromDef)
		}
		newX, ok := constructors[name]
		if !ok {
			t.Errorf("%s: no constructor in the test's list", name)
			continue
		}
		if built := newX(); !reflect.DeepEqual(empty, built) {
			t.Errorf("%s: built from an empty config\n\t%+v\nand by its constructor\n\t%+v", name, empty, built)
		}
	}
}
