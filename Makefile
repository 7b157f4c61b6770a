# Two commands do everything: `make run` and `make test` (see README.md).
# Both create the virtual environment, install the pinned packages and the
# system libraries Qt needs, and compile the message catalogues first.

VENV      ?= .venv
PYTHON    ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
                command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
                && { echo $$p; break; }; done)
BIN       := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/*.po))

.PHONY: run test lint dist translations screenshots report-pages bench lock clean

run: $(INSTALLED) $(CATALOGUES)
	$(BIN)/regional-centre-gui $(ARGS)

# The suite runs on every core (at most four); PYTEST_ARGS replaces that, e.g. PYTEST_ARGS="-n0 tests/ui".
PYTEST_ARGS ?= -n auto --maxprocesses 4 --dist loadfile

test: $(INSTALLED) $(CATALOGUES)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check regional_centre tests bench
	$(BIN)/ruff format --check regional_centre tests bench
	$(BIN)/mypy

dist: $(INSTALLED) $(CATALOGUES)
	$(BIN)/pyinstaller --noconfirm --clean build.spec
	dist/regional-centre/regional-centre self-test

translations: $(INSTALLED)
	mkdir -p translations
	$(BIN)/pybabel extract -F babel.cfg -o translations/messages.pot --project "Regional Centre" --version "$$($(BIN)/python -c "import regional_centre; print(regional_centre.__version__)")" --sort-output --omit-header .
	for po in translations/*/LC_MESSAGES/messages.po; do \
	  [ -e "$$po" ] || continue; \
	  $(BIN)/pybabel update -i translations/messages.pot -o "$$po" -l "$$(basename $$(dirname $$(dirname $$po)))"; \
	done
	$(if $(CATALOGUES),$(MAKE) $(CATALOGUES))

translations/%.mo: translations/%.po $(INSTALLED)
	$(BIN)/pybabel compile -i $< -o $@

screenshots: $(INSTALLED) $(CATALOGUES)
	xvfb-run -a $(BIN)/python scripts/screenshots.py
	for lang in ar zh fr; do xvfb-run -a $(BIN)/python scripts/screenshots.py --lang $$lang --out docs/screenshots/$$lang || exit 1; done

report-pages: $(INSTALLED) $(CATALOGUES)
	$(BIN)/python scripts/report_pages.py

bench: $(INSTALLED)
	$(BIN)/python bench/demo_build.py
	$(BIN)/python bench/gui.py
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/progress_report.py

lock: $(INSTALLED)
	{ echo "# Pinned versions of every package the program and its tests use."; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/pip freeze --all --exclude-editable | grep -v "^pip=="; } > requirements/lock.txt

$(INSTALLED): pyproject.toml requirements/lock.txt scripts/ensure-system-packages.sh
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed: install it and run make again." >&2; exit 1; }
	sh scripts/ensure-system-packages.sh $(PYTHON)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

clean:
	rm -rf $(VENV) build dist translations/*/LC_MESSAGES/*.mo
