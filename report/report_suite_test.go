package report_test

import (
	"bytes"
	"io"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/format"

	"github.com/kerasparity/kerasparity/report"
)

func TestReport(t *testing.T) {
	RegisterFailHandler(Fail)
	format.MaxLength = 2000 // a whole page in a failure message helps nobody
	RunSpecs(t, "report")
}

// written reads a run and returns what write writes of it.
func written(write func(io.Writer, *report.Run) error, ginkgoJSON, runInfo string) []byte {
	GinkgoHelper()
	run, err := report.Read(ginkgoJSON, runInfo)
	Expect(err).NotTo(HaveOccurred())
	var b bytes.Buffer
	Expect(write(&b, run)).To(Succeed())
	return b.Bytes()
}
