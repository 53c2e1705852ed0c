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
	@echo "make example-gomlx the same check of a third-party port, GoMLX (examples/gomlx); report in GOMLX_OUT=out/gomlx"
	@echo "make bench         benchmarks of impl/ and reference/"
	@echo "make bench-keras   Keras (numpy, jax jit, tf.function) and impl/ on the same inputs, ms per call"
	@echo "make fuzz          fuzz the fixture parsers and impl constructors (FUZZTIME=30s each)"
	@echo "make drift         run the catalogue under keras-nightly (or KERAS='keras==X') and write docs/drift-*.md"
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
GOMLX_OUT ?= out/gomlx
example-gomlx:
	@mkdir -p $(GOMLX_OUT)
	@status=0; \
	(cd examples/gomlx && CGO_ENABLED=0 $(GO) test -count=1 -run '^TestConformance$$' . -args \
		-kerasparity.out='$(abspath $(GOMLX_OUT))' $(if $(CASE),-kerasparity.case='$(CASE)')) || status=$$?; \
	$(GO) build -o $(KP) ./cmd/kerasparity && $(KP) report $(GOMLX_OUT); rc=$$?; \
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

# What changes for a Keras user who upgrades: generate the catalogue with a
# second Keras (gen/requirements-drift.txt: keras-nightly, exact pins, in its
# own venv gen/.venv-drift; KERAS='keras==3.14.0' installs another instead)
# into a temporary folder (DRIFT_OUT=DIR keeps it), compare it with
# $(FIXTURES) (made by the pinned Keras) and write
# docs/drift-<from>-to-<to>.md. Takes what generating takes, once per backend
# (numpy ~1 min, tensorflow ~2 min, jax ~8 min and 5 GB on 2 busy cores), plus
# ~5 min to build the venv the first time.
KERAS      ?=
DRIFT_OUT  ?=
DRIFT_VENV := gen/.venv-drift

.PHONY: drift

$(DRIFT_VENV)/.installed: gen/requirements-drift.txt
	rm -rf $(DRIFT_VENV)
	$(PYTHON) -m venv $(DRIFT_VENV)
	$(DRIFT_VENV)/bin/pip install --quiet --upgrade pip
	@# --no-deps: the file is a whole freeze, and tensorflow-cpu's own 'keras'
	@# requirement would otherwise overwrite the other Keras's files.
	grep -v -E '^keras(-nightly)?==' gen/requirements-drift.txt > $(DRIFT_VENV)/requirements-base.txt
	$(DRIFT_VENV)/bin/pip install --quiet --no-deps -r $(DRIFT_VENV)/requirements-base.txt
	@touch $@

drift: $(DRIFT_VENV)/.installed
	@set -e; \
	want='$(KERAS)'; [ -n "$$want" ] || want=$$(grep -E '^keras(-nightly)?==' gen/requirements-drift.txt); \
	if [ "$$(cat $(DRIFT_VENV)/.keras 2>/dev/null)" != "$$want" ]; then \
		echo "installing $$want into $(DRIFT_VENV)"; \
		rm -f $(DRIFT_VENV)/.keras; \
		$(DRIFT_VENV)/bin/pip uninstall --quiet --yes keras keras-nightly >/dev/null 2>&1 || true; \
		$(DRIFT_VENV)/bin/pip install --quiet "$$want" || { echo "make drift: pip could not install '$$want'" >&2; exit 2; }; \
		echo "$$want" > $(DRIFT_VENV)/.keras; \
	fi; \
	out='$(DRIFT_OUT)'; \
	if [ -z "$$out" ]; then out=$$(mktemp -d); trap 'rm -rf "$$out"' EXIT; fi; \
	for b in $(BACKENDS); do \
		echo "generating $$b with $$want into $$out/$$b"; \
		KERAS_BACKEND=$$b TF_CPP_MIN_LOG_LEVEL=3 TF_ENABLE_ONEDNN_OPTS=0 \
			$(DRIFT_VENV)/bin/python gen/generate.py --backend $$b --out $$out/$$b; \
	done; \
	keras_of() { sed -n 's/.*"keras": "\([^"]*\)".*/\1/p' "$$1" | head -n 1; }; \
	first=$$(echo $(BACKENDS) | cut -d' ' -f1); \
	from=$$(keras_of $(FIXTURES)/$$first/manifest.json); to=$$(keras_of $$out/$$first/manifest.json); \
	[ -n "$$from" ] && [ -n "$$to" ] || { echo "make drift: no Keras version in $(FIXTURES)/$$first or $$out/$$first" >&2; exit 2; }; \
	mkdir -p docs; report=docs/drift-$$from-to-$$to.md; \
	$(GO) build -o $(KP) ./cmd/kerasparity; \
	$(KP) drift -format markdown $(FIXTURES) $$out > $$report.tmp && mv $$report.tmp $$report || { rm -f $$report.tmp; exit 1; }; \
	echo "wrote $$report"

# Keras (numpy, jax with jit, tensorflow with tf.function) beside impl/ on the
# same 4096 x 1000 inputs: ms per call and impl's speed-up over the fastest
# Keras backend. BENCH_ARGS passes options (--repeats N, --only REGEX).
.PHONY: bench-keras
bench-keras: $(VENV_OK)
	$(VENV)/bin/python gen/bench/bench_keras.py --go '$(GO)' $(BENCH_ARGS)
