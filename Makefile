# Zwei Befehle genügen: `make demo` und `make test`. Beide legen bei Bedarf die
# virtuelle Umgebung .venv an und installieren ihk mit seinen Werkzeugen.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

DEMO := demo/belm-powe

demo: $(STAMP)
	rm -rf demo
	$(BIN)/ihk demo $(DEMO)
	$(BIN)/ihk --register $(DEMO) status
	$(BIN)/ihk --register $(DEMO) fortschreibung 2005..2006 -o demo/fortschreibung-2005-2006.md
	$(BIN)/ihk --register $(DEMO) fortschreibung 2005..2006 -o demo/fortschreibung-2005-2006.pdf
	$(BIN)/ihk --register $(DEMO) fortschreibung 2005..2006 -o demo/fortschreibung-2005-2006.docx
	@echo "Die Fortschreibung 2005..2006 steht in demo/fortschreibung-2005-2006.md, .pdf und .docx"

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/python tests/check_layers.py

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
