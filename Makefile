# Two commands for a newcomer:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_DB := out/demo.db
export TASKCTL_TODAY ?= 2023-03-31

.PHONY: install demo test bench clean

$(BIN)/taskctl: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# compat: the checkout goes on sys.path by a plain .pth line; setuptools' default editable finder for
	@# a flat layout costs every command ~25-70 ms at start-up (bench/README.md); plain -e if it ever goes away
	$(BIN)/python -m pip install --quiet -e '.[test]' --config-settings editable_mode=compat 2>/dev/null \
	  || $(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# Bytecode for taskctl's own modules, written now: where PYTHONDONTWRITEBYTECODE is set (as on this project's
# CI machines) Python would otherwise compile ~60 modules from source on every command (+0.2 s each time).
install: $(BIN)/taskctl
	@$(BIN)/python -m compileall -q taskctl

# The main job on the built-in example ledger: the Friday report of 31 March 2023.
# taskctl speaks Chinese when the locale (LANG=zh_CN.UTF-8) or TASKCTL_LANG=zh says so.
demo: install
	@mkdir -p out
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/taskctl --db $(DEMO_DB) init --demo
	$(BIN)/taskctl --db $(DEMO_DB) overdue
	$(BIN)/taskctl --db $(DEMO_DB) quarter 2023Q1
	$(BIN)/taskctl --db $(DEMO_DB) rank --quarter 2023Q1
	$(BIN)/taskctl --db $(DEMO_DB) export weekly --week 2023-W13 --format xlsx -o out/周报-2023-W13.xlsx
	$(BIN)/taskctl --db $(DEMO_DB) export weekly --week 2023-W13 --format md -o out/周报-2023-W13.md
	@$(BIN)/python -c "from taskctl.i18n import t; print(t('demo.written', files='out/周报-2023-W13.xlsx, out/周报-2023-W13.md')); print(t('demo.path_hint', bin='$(abspath $(BIN))'))"

test: install
	$(BIN)/python -m pytest

# The speed benchmark (bench/README.md): N = 36, 1,000, 10,000, 100,000 tasks, beside Taskwarrior when
# installed and on PostgreSQL when BENCH_PG reaches a server; writes bench/RESULTS.md.  A shorter run:
# make bench BENCH_ARGS="--sizes 36,1000 --runs 3"; SQLite only: make bench BENCH_PG=; on a shared machine:
# make bench BENCH_NICE=10.  Generated ledgers are cached in out/bench/cache (keyed by N, M, seed, schema head).
BENCH_PG ?= postgresql://postgres@127.0.0.1:5432/postgres
BENCH_ARGS ?=
BENCH_NICE ?=
bench: install
	$(if $(BENCH_NICE),nice -n $(BENCH_NICE)) $(BIN)/python bench/run.py $(if $(BENCH_PG),--pg $(BENCH_PG)) $(BENCH_ARGS)

clean:
	rm -rf out .pytest_cache .hypothesis build *.egg-info
