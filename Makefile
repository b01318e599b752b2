# Thin wrapper over Meson/Ninja so that the README's commands work on a fresh machine.
#   make        build everything (build/)
#   make test   build, then run every test: unit, CLI, and bounded fuzz runs (build-fuzz/)
#   make fuzz   longer fuzz runs (FUZZ_SECONDS per target, default 300)
#   make bench  (root) every benchmark at a size that ends within 10 minutes, one table
#   make demo   (root) a simulated UE registers, gets a PDU session and pings through Sen;
#               SPLIT=1: one daemon per NF instead of one sen-core
BUILD ?= build
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
SPLIT ?=

.PHONY: all deps build fuzz-build test fuzz bench demo clean distclean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja: | deps
	meson setup $(BUILD)

$(FUZZ_BUILD)/build.ninja: | deps
	CC=clang-14 meson setup $(FUZZ_BUILD) -Dfuzzing=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debugoptimized

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

fuzz-build: deps $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD)

test: build fuzz-build
	@python3 tests/run.py $(BUILD) $(FUZZ_BUILD)

fuzz: fuzz-build
	SEN_FUZZ_SECONDS=$(FUZZ_SECONDS) python3 tests/run.py $(FUZZ_BUILD)

bench: build
	python3 bench/run.py --build $(BUILD)

demo: build
	@SPLIT=$(SPLIT) scripts/demo.sh $(BUILD)

clean:
	-ninja -C $(BUILD) clean
	-ninja -C $(FUZZ_BUILD) clean

distclean:
	rm -rf $(BUILD) $(FUZZ_BUILD)
