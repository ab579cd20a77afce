# `make run` and `make test` do all the set-up from a fresh clone (only Python 3.11+ needed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/dev.txt requirements/kafka.txt pyproject.toml */pyproject.toml services/*/pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)
UV_VERSION := 0.13.8

.PHONY: setup run test bench lint catalogue lock clean

setup: $(STAMP)

$(STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements/dev.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements/kafka.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

run: setup
	$(BIN)/congress up

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/congress bench events

lint: setup
	$(BIN)/ruff check .

catalogue: setup
	$(BIN)/congress catalogue

lock:
	$(BIN)/uv pip compile --quiet --python-version 3.11 --no-header --override requirements/overrides.txt requirements/dev.in -o requirements/dev.txt
	$(BIN)/uv pip compile --quiet --python-version 3.11 --no-header --universal --generate-hashes \
		requirements/kafka.in -o requirements/kafka.txt

clean:
	rm -rf $(VENV) var
