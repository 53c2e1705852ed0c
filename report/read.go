package report

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// The Ginkgo JSON report is decoded into these slim mirrors of
// types.Report and types.SpecReport rather than into the full types: a
// 5,000-spec report is 17 MB, mostly timelines and code locations the report
// never shows, and types.ReportEntryValue decodes every entry's AsJSON a
// second time into a map. Decoding only what is shown makes Read about a
// third faster (BenchmarkRead5000: 0.2 s on 2 cores). The field names are
// Ginkgo's; the enums (spec state, node type) are decoded by Ginkgo's types.
type ginkgoReport struct {
	SuitePath                  string
	SuiteDescription           string
	SuiteSucceeded             bool
	SpecialSuiteFailureReasons []string
	PreRunStats                types.PreRunStats
	StartTime                  time.Time
	EndTime                    time.Time
	RunTime                    time.Duration
	SuiteConfig                struct {
		LabelFilter  string
		FocusStrings []string
		SkipStrings  []string
	}
	SpecReports []ginkgoSpec
}

type ginkgoSpec struct {
	ContainerHierarchyTexts []string
	LeafNodeType            types.NodeType
	LeafNodeText            string
	LeafNodeLabels          []string
	LeafNodeLocation        types.CodeLocation
	State                   types.SpecState
	RunTime                 time.Duration
	Failure                 struct {
		Message        string
		ForwardedPanic string
		Location       types.CodeLocation
	}
	ReportEntries []struct {
		Name  string
		Value struct{ AsJSON string }
	}
}

// Read reads a run: the Ginkgo JSON report that a conformance run wrote
// (ginkgo --json-report) and the RunInfo file the suites wrote beside it.
// runInfoPath may be empty when there is none; the run then carries a
// warning, because what was checked against what is unknown. A missing or
// malformed file is an error that names it; a report that holds no case is
// not an error but a run whose verdict is VerdictEmpty.
func Read(ginkgoJSONPath, runInfoPath string) (*Run, error) {
	reports, err := readGinkgo(ginkgoJSONPath)
	if err != nil {
		return nil, err
	}
	var info RunInfo
	var warnings []string
	if runInfoPath == "" {
		warnings = append(warnings, "no "+RunInfoFile+" was given: the port, fixtures and Keras versions of this run are unknown")
	} else if err := decodeFile(runInfoPath, &info); err != nil {
		return nil, fmt.Errorf("reading run info %s: %w", runInfoPath, err)
	}
	return newRun(reports, info, warnings), nil
}

// readGinkgo decodes a Ginkgo JSON report, streaming it from a buffered file.
func readGinkgo(path string) ([]ginkgoReport, error) {
	var reports []ginkgoReport
	if err := decodeFile(path, &reports); err != nil {
		return nil, fmt.Errorf("reading Ginkgo JSON report %s: %w", path, err)
	}
	return reports, nil
}

// decodeFile decodes the single JSON value in the file at path into v.
func decodeFile(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<16))
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("the file is empty")
		}
		return fmt.Errorf("not valid JSON of the expected form: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}
