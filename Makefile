# The two set-up commands of the README: `make run` (main job) and `make test` (whole suite).
VENV ?= $(or $(ZHIYE_VENV),$(HOME)/.cache/zhiye/venv)
export HF_HUB_OFFLINE := 1
export PATH := $(VENV)/bin:$(PATH)

.PHONY: setup run build test bench

setup:
	bash .ci/setup.sh

build: setup
	zhiye build

run: build
	zhiye serve

test: setup
	bash .ci/test.sh

bench: setup
	python -m bench.run
