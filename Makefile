# Thin wrapper over Meson/Ninja so that the README's commands work on a fresh machine.
BUILD ?= build

.PHONY: all deps build test bench clean distclean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja: | deps
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

test: build
	@python3 tests/run.py $(BUILD)

bench: build
	$(BUILD)/bench/bench-crypto

clean:
	-ninja -C $(BUILD) clean

distclean:
	rm -rf $(BUILD)
