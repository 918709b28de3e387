# Two entry points do all the set-up on a fresh machine: `make serve` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: venv serve test lint typecheck unit system-deps fuzz bench score coverage

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## Run the sink on its embedded defaults (SQLite under ./var/, SMTP 127.0.0.1:2525, admin 127.0.0.1:8080).
serve: $(STAMP)
	$(BIN)/bounce-sink serve

## System packages the integration tests drive for real (browser, Postfix, PostgreSQL).
system-deps:
	bash scripts/install-system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check bounce_sink tests benchmarks fuzz tools
	$(BIN)/ruff format --check bounce_sink tests

typecheck: $(STAMP)
	$(BIN)/mypy

## The whole test suite: lint, types, unit and integration tests.
test: $(STAMP) system-deps lint typecheck
	$(BIN)/pytest

## The pytest suite with line coverage of the package (subprocess-run commands are not
## measured: the figure is a floor). Not part of `make test`: it makes the suite ~70 % slower.
coverage: $(STAMP) system-deps
	$(BIN)/pytest --cov=bounce_sink --cov-report=term:skip-covered

## Long runs, not part of `make test`.
fuzz: $(STAMP)
	$(BIN)/pip install -q -e '.[fuzz]'
	mkdir -p fuzz/corpus && cp fixtures/parse/*/*.eml fuzz/corpus/
	$(BIN)/python fuzz/fuzz_parse.py -max_total_time=$${FUZZ_SECONDS:-600} -rss_limit_mb=2048 -timeout=10 fuzz/corpus

bench: $(STAMP)
	$(BIN)/python benchmarks/parse.py

score: $(STAMP)
	$(BIN)/python ../shared/tools/score.py --corpus ../shared/corpus/sisimai-dev --cmd '$(BIN)/bounce-sink parse --json' --per-mta
