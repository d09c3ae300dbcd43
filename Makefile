# Thin wrapper around CMake. The README's two commands are `make demo` and
MAKEFLAGS += --no-print-directory
# `make test`; both install missing Debian packages first (`make deps`).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX ?= /usr/local
FUZZ_SECONDS ?= 60
CMAKE ?= cmake

.PHONY: all deps build test demo bench fuzz install clean

all: build

deps:
	@bash tests/deps.sh

build: deps
	@$(CMAKE) -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
	@$(CMAKE) --build build -j $(JOBS)

build-test/CMakeCache.txt:
	@$(CMAKE) -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DTSK_SANITIZE=ON \
	  -DTSK_WERROR=ON -DTSK_TESTS=ON >/dev/null

test: deps build-test/CMakeCache.txt
	@$(CMAKE) -S . -B build-test >/dev/null
	@$(CMAKE) --build build-test -j $(JOBS)
	@bash tests/run-tests.sh build-test

demo: build
	@bash examples/demo.sh build/tuskform

bench: build
	@bash tests/bench/run.sh build/tuskform

fuzz: deps
	@CC=clang $(CMAKE) -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DTSK_FUZZ=ON >/dev/null
	@$(CMAKE) --build build-fuzz -j $(JOBS)
	@bash tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

install: build
	@$(CMAKE) --install build --prefix $(PREFIX)

clean:
	rm -rf build build-test build-fuzz
