# employment-link — every target installs what it needs (idempotently), then runs.
#   make demo   run the demo at http://127.0.0.1:8787
#   make test   run every test layer
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help setup build test demo bench screenshots clean

help:
	@echo "make demo   — build and serve the demo at http://127.0.0.1:8787"
	@echo "make test   — run every test layer (native, lint, wasm in Chromium + Node, Node package, TypeScript, Vite, Worker, e2e)"
	@echo "make bench  — speed against npm peers, and sizes"
	@echo "make build  — build the npm package into pkg/"
	@echo "make screenshots — refresh the README's pictures (docs/screenshots/, deterministic)"

setup:
	@scripts/setup.sh

build: setup
	@scripts/build.sh

test: setup
	@scripts/test.sh

demo: build
	@scripts/demo.sh

bench: build
	@scripts/bench.sh

screenshots: build
	@scripts/screenshots.sh

clean:
	rm -rf pkg target tests/out
