# The two set-up commands of the README: `make run` (main job) and `make test` (whole suite);
# `make test-fast` for the edit loop.
VENV ?= $(or $(ZHIYE_VENV),$(HOME)/.cache/zhiye/venv)
export HF_HUB_OFFLINE := 1
export PATH := $(VENV)/bin:$(PATH)

.PHONY: setup run build test test-fast bench

setup:
	bash .ci/setup.sh

build: setup
	zhiye build

run: build
	zhiye serve

test: setup
	bash .ci/test.sh

# The fast tier (under a minute): unit tests and the contract tests on the small fixture graph with a
# small deterministic encoder instead of the model (ZHIYE_TEST_TIER=fast, tests/tiers.py). It does not
# depend on setup: a set-up that has nothing to do still takes ~10 s (pip's editable reinstall, the
# model check), so run `make setup` once, and again when dependencies change.
# Extra pytest arguments: make test-fast PYTEST_ARGS="-k profile --lf"
test-fast:
	ZHIYE_TEST_TIER=fast python -m pytest -q $(PYTEST_ARGS)

bench: setup
	python -m bench.run
