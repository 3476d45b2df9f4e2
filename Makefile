# Two commands for a fresh machine: `make demo` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench bench-full eval clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsroom demo

test: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check bot handlers storage tests benchmarks
	$(BIN)/ruff format --check bot handlers storage tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_match.py
	$(BIN)/python benchmarks/bench_digest.py --database-url sqlite
	$(BIN)/python benchmarks/bench_slack_ack.py

# The full size of the scale issue: 10k, 100k and 1M stored articles on PostgreSQL (about 30 min
# to build 1M the first time; --keep reuses the built schemas), then the plot for the README.
BENCH_DB ?= postgresql+psycopg://postgres@127.0.0.1:5432/bench_match
bench-full: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
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
