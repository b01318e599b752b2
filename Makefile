# Thin wrapper over Meson/Ninja so that the README's commands work on a fresh machine.
#   make        build everything (build/)
#   make test   build, then run every test: unit, CLI, and bounded fuzz runs (build-fuzz/)
#   make fuzz   longer fuzz runs (FUZZ_SECONDS per target, default 300)
#   make test-asan  (root) every test of make test, run on an AddressSanitizer +
#               UndefinedBehaviorSanitizer build (build-asan/): slower, not part of make test
#   make bench  (root) every benchmark at a size that ends within 10 minutes, one table
#   make demo   (root) a simulated UE registers, gets a PDU session and pings through Sen;
#               SPLIT=1: one daemon per NF instead of one sen-core
BUILD ?= build
FUZZ_BUILD ?= build-fuzz
ASAN_BUILD ?= build-asan
FUZZ_SECONDS ?= 300
SPLIT ?=

.PHONY: all deps build fuzz-build asan-build test test-asan fuzz bench demo clean distclean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja: | deps
	meson setup $(BUILD)

$(FUZZ_BUILD)/build.ninja: | deps
	CC=clang-14 meson setup $(FUZZ_BUILD) -Dfuzzing=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debugoptimized

$(ASAN_BUILD)/build.ninja: | deps
	CC=clang-14 meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debugoptimized

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

fuzz-build: deps $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD)

test: build fuzz-build
	@python3 tests/run.py $(BUILD) $(FUZZ_BUILD)

asan-build: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

# A sanitizer report, from a test program or from a daemon a test started, fails the test
# program that was running (tests/run.py reads the reports from SEN_SANITIZER_LOGS).
test-asan: asan-build
	@rm -rf $(ASAN_BUILD)/sanitizer-logs
	@ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		SEN_SANITIZER_LOGS=$(abspath $(ASAN_BUILD))/sanitizer-logs \
		python3 tests/run.py $(ASAN_BUILD)

fuzz: fuzz-build
	SEN_FUZZ_SECONDS=$(FUZZ_SECONDS) python3 tests/run.py $(FUZZ_BUILD)

bench: build
	python3 bench/run.py --build $(BUILD)

demo: build
	@SPLIT=$(SPLIT) scripts/demo.sh $(BUILD)

clean:
	-ninja -C $(BUILD) clean
	-ninja -C $(FUZZ_BUILD) clean
	-ninja -C $(ASAN_BUILD) clean

distclean:
	rm -rf $(BUILD) $(FUZZ_BUILD) $(ASAN_BUILD)
