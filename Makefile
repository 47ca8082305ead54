# 示范市网上办事大厅 — every command a developer or CI needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The cargo target dir lives outside the clone so a second clone (or CI run) on this machine builds incrementally.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/hall/target
export HALL_TOOLS ?= $(HOME)/.cache/hall/tools
# wasm-opt from npm binaryen (Debian's is too old) must be found first by cargo-leptos.
export PATH := $(HALL_TOOLS)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export LEPTOS_OUTPUT_NAME := hall

SERVER := $(CARGO_TARGET_DIR)/release/server

# The database test suites (app/tests/*.rs), run on SQLite and on PostgreSQL by `make db-test` and by CI.
DB_SUITES := persistence search_index sessions case_actions track performance admin dept_api feedback agent appointments security scale
DB_TESTS := $(addprefix --test ,$(DB_SUITES))

.PHONY: help tools build run test fmt lint unit db-test db-suites e2e bench soak fuzz validate-catalog clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

tools: ## install whatever is missing (wasm target, cargo-leptos, wasm-bindgen, wasm-opt, Debian and npm packages)
	@.ci/ensure-tools

build: tools ## release build: server binary, size-optimised WASM (wasm-opt), CSS; precompressed assets
	cargo leptos build --release --precompress

run: build ## build, then serve the seeded demo on SQLite at http://127.0.0.1:3000 (HALL_ADDR to change)
	HALL_DEMO=1 $(SERVER)

test: tools ## everything CI runs: fmt, clippy, Rust tests, persistence on SQLite and PostgreSQL, Playwright
	@.ci/test-all

fmt: ## format the code
	cargo fmt --all

lint: tools ## formatting check and clippy (warnings are errors) for the server and the WASM
	cargo fmt --all -- --check
	cargo clippy -p app --features ssr --all-targets -- -D warnings
	cargo clippy -p server --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

unit: ## the Rust unit tests
	cargo test -p app --features ssr --lib
	cargo test -p server

db-test: tools ## the database suites on SQLite, then on PostgreSQL (DATABASE_URL or a throwaway cluster), and the access matrices on PostgreSQL
	DATABASE_URL= cargo test -p app --features ssr $(DB_TESTS)
	.ci/with-postgres cargo test -p app --features ssr $(DB_TESTS)
	.ci/with-postgres cargo test -p server access_matrix -- --test-threads=1

db-suites: ## print the database test suites' cargo arguments (CI reads them from here)
	@echo $(DB_TESTS)

e2e: build ## the Playwright suite against the release server, phone and desktop, JavaScript on and off
	cd end2end && npx playwright test

bench: build ## page weights, Lighthouse, throughput/latency as ratios to static, two instances on PostgreSQL (bench/run → bench/RESULTS.md)
	bench/run

soak: build ## crash-durability soak (minutes, not in `make test`): SIGKILL mid-burst, restart, check; SQLite, then PostgreSQL
	cd end2end && SOAK_DATABASE_URL= node soak/durability.cjs
	.ci/with-postgres bash -c 'cd end2end && SOAK_DATABASE_URL="$$DATABASE_URL" node soak/durability.cjs'

# cargo fuzz (libFuzzer, nightly): FUZZ_SECONDS per target; its build cache lives outside the clone.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := resident_id credit_code catalog_loader rule_engine
fuzz: ## fuzz the ID and credit-code parsers, the catalog loader and the rule engine (minutes, not in `make test`)
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	@set -o pipefail; for t in $(FUZZ_TARGETS); do \
	  echo "::: fuzz $$t ($(FUZZ_SECONDS) s)"; \
	  CARGO_TARGET_DIR=$(HOME)/.cache/hall/fuzz-target cargo +nightly fuzz run --fuzz-dir app/fuzz $$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 2>&1 \
	    | grep -aE 'stat::number_of_executed_units|Done [0-9]+ runs|ERROR|panicked|SUMMARY|^error' || exit 1; \
	done

validate-catalog: ## check the catalog data files without starting the server
	cargo run --quiet -p server -- validate-catalog

clean: ## remove build output and the local database
	rm -rf target/site data
	cargo clean
