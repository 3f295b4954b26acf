# Clamour: `make demo` runs the demo, `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: demo test install serve worker bench bench-kill clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/python manage.py demo

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

serve: install
	$(BIN)/python manage.py serve

worker: install
	$(BIN)/python manage.py worker

# Spike benchmark (bench/spike/README.md): the calibration app then Clamour, under the
# production server, on SQLite and PostgreSQL; about 6 minutes. bench-kill: kill -9 a web
# worker and the task worker mid-spike and check nothing acknowledged was lost.
BENCH_SERVER ?= granian:serve
BENCH_SECONDS ?= 60
BENCH_REPEAT ?= 1
BENCH_OUT ?= /tmp/clamour-bench/bench.jsonl
bench: install
	$(BIN)/python -m bench.spike --app clamour --server $(BENCH_SERVER) --db sqlite --db postgres \
		--seconds $(BENCH_SECONDS) --repeat $(BENCH_REPEAT) --json-out $(BENCH_OUT) $(BENCH_ARGS)

bench-kill: install
	$(BIN)/python -m bench.spike --app clamour --kill --server $(BENCH_SERVER) --db sqlite \
		--db postgres --seconds 20 --json-out $(BENCH_OUT) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
