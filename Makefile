# Clamour: `make demo` runs the demo, `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: demo test install translations messages serve worker bench bench-kill bench-machinery clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# The translation catalogues are compiled with polib (no gettext tools needed).
translations: $(VENV)/.installed
	$(BIN)/python manage.py compile_translations

install: $(VENV)/.installed translations

# Update the catalogues from the code (needs gettext's xgettext and msgmerge; README,
# "Languages"). Staff pages, the admin and model field names stay out for now.
messages: $(VENV)/.installed
	cd clamour && ../$(BIN)/python ../manage.py makemessages -l fr -l es -l ar --no-obsolete \
		--add-location file -i 'treaties/templates/treaties/staff/*' \
		-i 'comments/templates/comments/moderate/*' -i 'staffauth/*' -i 'workspace/*' -i 'mailings/*' -i '*/templates/admin/*' \
		-i '*/admin.py' -i 'treaties/staff.py' -i '*/tests/*' -i 'testing/*' -i '*/demo.py' \
		-i '*/management/*' -i '*/models.py' -i 'urls.py' -i 'settings.py' -i 'locale/*'

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

# Each piece of the performance machinery (clamour/core/speed) switched off in turn
# against everything on: the spike, and letter delivery for the SMTP sessions
# (bench/machinery.py, docs/tuning.md). Three runs of each: about 45 minutes.
bench-machinery: install
	$(BIN)/python -m bench.machinery --server $(BENCH_SERVER) --seconds $(BENCH_SECONDS) \
		--repeat 3 --json-out $(BENCH_OUT) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
