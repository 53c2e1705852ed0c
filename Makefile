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

# Keras (numpy, jax with jit, tensorflow with tf.function) beside impl/ on the
# same 4096 x 1000 inputs: ms per call and impl's speed-up over the fastest
# Keras backend. BENCH_ARGS passes options (--repeats N, --only REGEX).
.PHONY: bench-keras
bench-keras: $(VENV_OK)
	$(VENV)/bin/python gen/bench/bench_keras.py --go '$(GO)' $(BENCH_ARGS)
