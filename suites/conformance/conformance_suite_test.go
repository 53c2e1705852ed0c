package conformance_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestConformanceHarness(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "conformance harness")
}
