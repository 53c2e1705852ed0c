# kerasparity: the two everyday commands are `make conformance` and `make test`.
# Run `make help` for the rest.

GO       ?= go
PYTHON   ?= python3
# The fixture set to check, the output folder, and optional subsets.
FIXTURES ?= fixtures
OUT      ?= out/conformance
LABELS   ?=
FOCUS    ?=
BACKENDS ?= numpy jax tensorflow

VENV     := gen/.venv
VENV_OK  := $(VENV)/.installed

.PHONY: help conformance test bench fixtures fixtures-check clean

help:
	@echo "make conformance   check impl/ against every fixture case; writes the report folder"
	@echo "                   LABELS='class:CategoricalCrossentropy && backend:jax'  run a subset"
	@echo "                   FOCUS='<regexp on case id>'  FIXTURES=DIR  OUT=DIR"
	@echo "make test          vet, then every unit spec and the conformance suite (no Python needed)"
	@echo "make bench         benchmarks of impl/ and reference/"
	@echo "make fixtures      regenerate fixtures/ with real Keras (builds gen/.venv from gen/requirements.txt)"
	@echo "make fixtures-check  regenerate into a temporary folder and require byte-identical output"

# The main job: one spec per fixture case, then the HTML report and the JSON
# summary. The report is written even when cases fail; the exit status is the
# test run's.
conformance:
	@rm -rf $(OUT) && mkdir -p $(OUT)
	@status=0; \
	$(GO) tool ginkgo --fail-on-empty --silence-skips \
		$(if $(LABELS),--label-filter='$(LABELS)') $(if $(FOCUS),--focus='$(FOCUS)') \
		--json-report=report.json --junit-report=junit.xml --output-dir=$(OUT) \
		./suites/impl -- \
		-kerasparity.fixtures='$(abspath $(FIXTURES))' -kerasparity.out='$(abspath $(OUT))' \
		|| status=$$?; \
	$(GO) run ./report/cmd/kerasparity-report -json $(OUT)/report.json -out $(OUT) || status=$$?; \
	echo "report folder: $(abspath $(OUT))  (report.html, summary.json, junit.xml, report.json)"; \
	exit $$status

test:
	$(GO) vet ./...
	$(GO) test ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./impl/... ./reference/...

$(VENV_OK): gen/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r gen/requirements.txt
	@touch $@

fixtures: $(VENV_OK)
	@for b in $(BACKENDS); do \
		echo "generating fixtures/$$b"; \
		KERAS_BACKEND=$$b TF_CPP_MIN_LOG_LEVEL=3 TF_ENABLE_ONEDNN_OPTS=0 \
			$(VENV)/bin/python gen/generate.py --backend $$b --out fixtures/$$b || exit 1; \
	done

fixtures-check: $(VENV_OK)
	@for b in $(BACKENDS); do \
		KERAS_BACKEND=$$b TF_CPP_MIN_LOG_LEVEL=3 TF_ENABLE_ONEDNN_OPTS=0 \
			$(VENV)/bin/python gen/generate.py --backend $$b --out fixtures/$$b --check || exit 1; \
	done

clean:
	rm -rf out

# Native Go fuzzing of the fixture parsers and the impl constructors, FUZZTIME
# per target. Plain `go test` runs each target's seed corpus (f.Add and
# testdata/fuzz/<Name>/), so what a fuzzer found stays tested. Minimizing a
# new input costs time quadratic in its size, and at Go's default cap of 60s
# the archive and manifest fuzzers (inputs of 1-2 KB) spent all their time
# minimizing (5 executions in a minute): FUZZMINTIME caps it.
FUZZTIME ?= 30s
FUZZMINTIME ?= 2s
FUZZ_TARGETS := reference:FuzzDecodeMember reference:FuzzArchive reference:FuzzManifest \
	impl/losses:FuzzLossFromConfig impl/metrics:FuzzMetricFromConfig

.PHONY: fuzz
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzzing $$name in ./$$pkg for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINTIME) ./$$pkg || exit 1; \
	done
