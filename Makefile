# kerasparity: the two everyday commands are `make conformance` and `make test`.
# Run `make help` for the rest.

GO       ?= go
PYTHON   ?= python3
# The fixture set to check, the output folder, and optional subsets.
FIXTURES ?= fixtures
OUT      ?= out/conformance
LABELS   ?=
FOCUS    ?=
CASE     ?=
# Run every case twice and report cases whose two runs differ.
REPEAT   ?= true
# Bound on one call into the port.
TIMEOUT  ?= 10s
BACKENDS ?= numpy jax tensorflow

VENV     := gen/.venv
VENV_OK  := $(VENV)/.installed
# The command, built once per run: `go run` would turn every non-zero exit
# status into 1, and the report's status says which verdict it was.
KP       := out/bin/kerasparity

.PHONY: help conformance test bench fixtures fixtures-check example-gomlx clean

help:
	@echo "make conformance   check impl/ against every fixture case; writes the report folder ($(OUT))"
	@echo "                   LABELS='class:CategoricalCrossentropy && backend:jax'  run a subset"
	@echo "                   CASE='[jax] loss/Huber/...'  one case (comma-separated for several)"
	@echo "                   FOCUS='<regexp on [backend] id>'  FIXTURES=DIR  OUT=DIR  REPEAT=false  TIMEOUT=30s"
	@echo "make test          vet, then every unit spec and the conformance suite (no Python needed)"
	@echo "make example-gomlx the same check of a third-party port, GoMLX (examples/gomlx); report in out/gomlx"
	@echo "make bench         benchmarks of impl/ and reference/"
	@echo "make fixtures      regenerate fixtures/ with real Keras (builds gen/.venv from gen/requirements.txt)"
	@echo "make fixtures-check  regenerate into a temporary folder and require byte-identical output"

# The main job: one spec per fixture case, results written as they come,
# then the HTML report, summary.json and junit.xml. The suite is built as a
# test binary and run directly so that its progress (on stderr) streams;
# Ginkgo's own output, a mark per spec, goes to OUT/ginkgo.log. The report is
# written even when cases fail; the exit status is the report's verdict (see
# README.md: 0 pass, 1 fail, 3 nothing checked, 4 the run broke down), or the
# suite's when the report could not be made. The output folder is not
# emptied: a rerun into OUT/rerun leaves this report in place.
conformance:
	@mkdir -p $(OUT)
	@$(GO) test -c -o $(abspath $(OUT))/conformance.test ./suites/impl
	@status=0; \
	(cd suites/impl && $(abspath $(OUT))/conformance.test -ginkgo.succinct -ginkgo.silence-skips \
		$(if $(LABELS),-ginkgo.label-filter='$(LABELS)') $(if $(FOCUS),-ginkgo.focus='$(FOCUS)') \
		-kerasparity.fixtures='$(abspath $(FIXTURES))' -kerasparity.out='$(abspath $(OUT))' \
		-kerasparity.repeat=$(REPEAT) -kerasparity.timeout=$(TIMEOUT) $(if $(CASE),-kerasparity.case='$(CASE)') \
		> $(abspath $(OUT))/ginkgo.log) || status=$$?; \
	rm -f $(abspath $(OUT))/conformance.test; \
	$(GO) build -o $(KP) ./cmd/kerasparity && $(KP) report $(OUT); rc=$$?; \
	if [ $$rc -ne 0 ]; then exit $$rc; fi; exit $$status

test:
	$(GO) vet ./...
	$(GO) test ./...

# A third-party port checked exactly as its own module would check it: its
# own go.mod, a replace to this repository, its own known-divergence file.
example-gomlx:
	@mkdir -p out/gomlx
	@status=0; \
	(cd examples/gomlx && CGO_ENABLED=0 $(GO) test -count=1 -run '^TestConformance$$' . -args \
		-kerasparity.out='$(abspath out/gomlx)' $(if $(CASE),-kerasparity.case='$(CASE)')) || status=$$?; \
	$(GO) build -o $(KP) ./cmd/kerasparity && $(KP) report out/gomlx; rc=$$?; \
	if [ $$rc -ne 0 ]; then exit $$rc; fi; exit $$status

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
