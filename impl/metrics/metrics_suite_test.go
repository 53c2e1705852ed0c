package metrics_test

import (
	"math"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/kerasparity/kerasparity/impl/internal/testkit"
)

var (
	f32 = testkit.F32
	ptr = testkit.Ptr
)

func TestMetrics(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "metrics")
}

// resultNear matches a scalar result within 4 float32 ulp of want.
func resultNear(want float64) types.GomegaMatcher {
	return HaveField("Data", HaveExactElements(BeNumerically("~", want, 4*0x1p-23*math.Abs(want))))
}
