# Two commands for a fresh machine: `make demo` and `make test`. Each creates .venv when missing
# and installs the locked versions (requirements-dev.lock, with hashes); `make lock` refreshes
# the lock files from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements-dev.lock
UV_VERSION := 0.13.9
# `make lock LOCK_FLAGS=--upgrade` moves every pin to the newest version pyproject.toml allows;
# without it, pins stay where pyproject.toml still allows them.
LOCK_FLAGS ?=
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command "make lock" $(LOCK_FLAGS)

.PHONY: demo test lint lock bench bench-full eval train clean

$(STAMP): $(LOCK) pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# The dev lock (runtime and dev extras) is what make installs; the runtime lock (to deploy) and
# the bench lock (with matplotlib, for bench-full) agree with it on every package they share.
lock:
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet 'uv==$(UV_VERSION)'
	$(UV_COMPILE) --extra dev -o requirements-dev.lock
	$(UV_COMPILE) -c requirements-dev.lock -o requirements.lock
	$(UV_COMPILE) --extra dev --extra bench -c requirements-dev.lock -o requirements-bench.lock
	$(UV_COMPILE) --extra dev --extra train -c requirements-dev.lock -o requirements-train.lock

demo: $(STAMP)
	$(BIN)/newsroom demo

test: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check bot handlers storage tests benchmarks
	$(BIN)/ruff format --check bot handlers storage tests benchmarks
	$(BIN)/mypy

# Rebuild bot/core/claim_pair_model.json from ../shared/eval/claims-dev (scikit-learn fits the
# trees; nothing but numpy reads them at run time).
train: $(STAMP)
	$(BIN)/pip install --quiet --require-hashes -r requirements-train.lock
	$(BIN)/python benchmarks/train_claim_pairs.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_match.py
	$(BIN)/python benchmarks/bench_digest.py --database-url sqlite
	$(BIN)/python benchmarks/bench_slack_ack.py

# The full size of the scale issue: 10k, 100k and 1M stored articles on PostgreSQL (about 30 min
# to build 1M the first time; --keep reuses the built schemas), then the plot for the README.
BENCH_DB ?= postgresql+psycopg://postgres@127.0.0.1:5432/bench_match
bench-full: $(STAMP)
	$(BIN)/pip install --quiet --require-hashes -r requirements-bench.lock
	$(BIN)/python benchmarks/bench_match.py --sizes 10k,100k,1M --db $(BENCH_DB) --keep --vacuum \
		--json docs/match_latency_pg.json
	$(BIN)/python benchmarks/bench_ingest.py --db $(BENCH_DB)
	$(BIN)/python benchmarks/plot_match.py docs/match_latency_pg.json \
		--compare docs/match_latency_sqlite.json

eval: $(STAMP)
	$(BIN)/python benchmarks/eval_fnc1.py --corpus
	$(BIN)/python benchmarks/eval_emergent.py
	$(BIN)/python benchmarks/eval_claims.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache
