# SoHoa: `make run` starts the workstation; `make test` runs the whole suite. Both set everything up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test test-fast system system-test system-package venv dev lint translations screenshots package lock stress clean

run: system $(STAMP)
	$(BIN)/sohoa

# Tests run on every core (pytest-xdist, a test file to a worker: a module's costly fixture, such as
# the package build, is made once); the slowest are listed at the end.
# TEST_JOBS=1 runs them one after another.
TEST_JOBS ?= auto
PYTEST := QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -p no:cacheprovider -n $(TEST_JOBS) --dist loadfile --durations=15

test: system-test $(DEVSTAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(PYTEST) $(PYTEST_ARGS)

# The fast tier: everything but the tests marked slow (the package build, the installed wheel, the
# crash harness, injected faults, the bad-inputs corpus). Run it while working; `make test` before a
# commit lands.
test-fast: system-test $(DEVSTAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(PYTEST) -m "not slow" $(PYTEST_ARGS)

system:
	@scripts/setup-system.sh run

system-test:
	@scripts/setup-system.sh test

system-package:
	@scripts/setup-system.sh package

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Python packages come from the lock files only (exact versions, checked by SHA-256): make lock
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(DEVSTAMP): pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e '.[dev]'
	touch $(STAMP) $@

# The crash harness at full length: 200 SIGKILLs at random moments of the whole pipeline.
stress: system-test $(DEVSTAMP)
	$(BIN)/python -m tests.crash_harness --kills 200

# Resolve the dependencies again and pin the result (an upgrade: commit it once make test passes).
lock: | $(BIN)/python
	$(BIN)/python scripts/lock.py

lint: $(DEVSTAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Refresh the .ts sources from the code, then compile the .qm catalogues shipped in app/resources/.
translations: $(STAMP)
	$(BIN)/python scripts/translations.py

# The main screens, in Vietnamese, into docs/screenshots/ (under Xvfb when it is there).
screenshots: system-test $(DEVSTAMP)
	$(if $(shell command -v xvfb-run),xvfb-run -a -s "-screen 0 1600x1000x24",QT_QPA_PLATFORM=offscreen) $(BIN)/python scripts/screenshots.py

# The self-contained application folder (dist/app/sohoa) and dist/sohoa_VERSION_amd64.deb.
package: system-package $(DEVSTAMP)
	installer/build_linux.sh $(BIN)/python

clean:
	rm -rf $(VENV) build dist *.egg-info
