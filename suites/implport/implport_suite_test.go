package implport_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestImplport(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "implport")
}
