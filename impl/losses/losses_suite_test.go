package losses_test

import (
	"math"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/kerasparity/kerasparity/impl/backend"
	"github.com/kerasparity/kerasparity/impl/internal/testkit"
)

var (
	f32 = testkit.F32
	ptr = testkit.Ptr
)

func TestLosses(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "losses")
}

var backends = []backend.Backend{backend.NumPy, backend.JAX, backend.TensorFlow}

// beNear matches a float within 4 float32 ulp of want (relative), the spread
// of Keras's own backends on these examples.
func beNear(want float64) types.GomegaMatcher {
	return BeNumerically("~", want, 4*0x1p-23*math.Abs(want))
}

// valuesNear matches each element of a tensor's data.
func valuesNear(want ...float64) types.GomegaMatcher {
	ms := make([]any, len(want))
	for i, w := range want {
		ms[i] = beNear(w)
	}
	return HaveField("Data", HaveExactElements(ms...))
}
