# decom: make demo opens the console on a generated fleet; make test runs every test.
SHELL := /bin/bash
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
BIN_DIR = $(shell $(SWIFT) build --show-bin-path)

SCHEMATHESIS = schemathesis==4.32.5

.PHONY: all deps build test lint format demo bench stress clean install install-files

all: build

# Installs the system packages decom builds and tests with, when one is missing.
deps:
	@missing=""; \
	[ -f /usr/include/ncursesw/ncurses.h ] || [ -f /usr/include/ncurses.h ] || missing="$$missing libncursesw5-dev"; \
	[ -f /usr/include/sqlite3.h ] || missing="$$missing libsqlite3-dev"; \
	command -v sqlite3 >/dev/null || missing="$$missing sqlite3"; \
	command -v tmux >/dev/null || missing="$$missing tmux"; \
	command -v python3 >/dev/null || missing="$$missing python3"; \
	command -v ssh >/dev/null && command -v ssh-keygen >/dev/null || missing="$$missing openssh-client"; \
	command -v curl >/dev/null || missing="$$missing curl"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing system packages:$$missing (run: sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi
	@[ -x "$(SWIFT)" ] || { echo "swift not found: install Swift 6.1 or later, or set SWIFT=/path/to/swift"; exit 1; }
	@# schemathesis (PyPI) checks the HTTP API against its OpenAPI document in the tests.
	@command -v schemathesis >/dev/null || { echo "installing schemathesis from PyPI"; \
	  python3 -m pip install --quiet --disable-pip-version-check $(SCHEMATHESIS) || \
	  python3 -m pip install --quiet --disable-pip-version-check --user $(SCHEMATHESIS); }
	@command -v schemathesis >/dev/null || { echo "schemathesis is not on PATH after installing it: add pip's script folder to PATH"; exit 1; }

build: deps
	$(SWIFT) build

test: build lint
	$(SWIFT) test

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Benchmarks Package.swift

format:
	$(SWIFT) format --in-place --recursive Sources Tests Benchmarks Package.swift

# The performance figures of issues 5 and 16, in release mode: the console, deletion and listing
# benchmark (BENCH_FLAGS=--large adds a million devices, --huge measures ten million alone;
# --json prints one object), then the real console's time from start to rows on a
# pseudo-terminal, then the bytes it writes for single keys, then 20 concurrent SSH demo
# visitors, then the HTTP API under 8 concurrent clients next to the same work through the CLI.
BENCH_FLAGS ?=
# Release binaries carry the Swift runtime and Foundation inside (--static-swift-stdlib): no
# Swift libraries to find and bind at each start (about 5 ms of every process, issue 16), and an
# installed decom needs only the system's ncurses and SQLite. Without SwiftPM's default
# RUNPATH of $ORIGIN, which made the loader look for each shared library in about 20 folders
# beside the binary first (glibc-hwcaps/x86-64-v4, tls/x86_64, ...: 0.4 ms of every start).
RELEASE = -c release --static-swift-stdlib --disable-local-rpath
RELEASE_BIN_DIR = $(shell $(SWIFT) build $(RELEASE) --show-bin-path)
bench: deps
	$(SWIFT) build $(RELEASE) --product decom-bench
	$(SWIFT) build $(RELEASE) --product decom-floor
	$(SWIFT) build $(RELEASE) --product decom
	$(SWIFT) build $(RELEASE) --product decom-server
	"$(RELEASE_BIN_DIR)/decom-bench" --decom "$(RELEASE_BIN_DIR)/decom" $(BENCH_FLAGS)
	@echo
	python3 Benchmarks/first-frame.py --decom "$(RELEASE_BIN_DIR)/decom" --devices 100000
	@echo
	python3 Benchmarks/tty-bytes.py --decom "$(RELEASE_BIN_DIR)/decom" --devices 100000
	@echo
	python3 Benchmarks/ssh-visitors.py --decom "$(RELEASE_BIN_DIR)/decom" --visitors 20
	@echo
	python3 Benchmarks/http-load.py --decom "$(RELEASE_BIN_DIR)/decom" --devices 20000 --clients 8

# The long versions of the fault, load and hostile-data tests (DECOM_STRESS=1): 30 kills per
# mode, 30 s of two writers, many more fuzz cases; then one summary line.
STRESS_FILTER = CrashEndToEndTests|TwoWritersEndToEndTests|PlanRaceEndToEndTests|HTTPLoadEndToEndTests|HTTPSchemaEndToEndTests|ConsoleSignalEndToEndTests|BadInputEndToEndTests|InjectionEndToEndTests|AuthorityEndToEndTests|FuzzTests
stress: build
	@summary=$$(mktemp); \
	DECOM_STRESS=1 DECOM_STRESS_SUMMARY=$$summary $(SWIFT) test --filter '$(STRESS_FILTER)'; status=$$?; \
	awk '{ n[$$1] += $$2 } END { \
	  printf "stress: %d runs checked, %d of them killed (%d left untouched, %d of those killed mid-write; %d done), %d console signals, %d writer calls with %d changes, two admins: %d calls and %d undos (each of the undoers own archive), undo-purge races: %d rounds (%d met mid-plan), %d HTTP archive/undo calls, %d fuzz cases, %d bytes checked, losses: %s\n", \
	    n["kill_runs"], n["kills"], n["kills_untouched"], n["kills_mid_write"], n["kills_done"], n["console_signals"], n["writer_calls"], n["writer_changes"], n["two_admin_calls"], n["two_admin_undos"], n["race_rounds"], n["race_rounds_changed"], n["http_calls"], n["fuzz_cases"], n["fuzz_bytes"] + n["bytes_checked"], ('"$$status"' == 0 ? "0" : "SEE FAILURES ABOVE") }' $$summary; \
	rm -f $$summary; exit $$status

demo: build
	"$(BIN_DIR)/decom" demo

# Installs the release binaries (decom, and decom-server beside it, which decom serve-ssh and
# serve-http run), the shipped themes where it finds them
# ($(PREFIX)/share/decom/Themes) and the shell completions; DESTDIR for packaging.
PREFIX ?= /usr/local
install: deps
	$(SWIFT) build $(RELEASE) --product decom
	$(SWIFT) build $(RELEASE) --product decom-server
	$(MAKE) --no-print-directory install-files BIN="$(RELEASE_BIN_DIR)/decom"

# The copying half of install, for binaries already built (BIN=path/to/decom, decom-server
# beside it).
install-files:
	@[ -x "$(BIN)" ] || { echo "install-files needs BIN=path/to/decom"; exit 1; }
	@[ -x "$(dir $(BIN))decom-server" ] || { echo "install-files needs decom-server beside $(BIN)"; exit 1; }
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/decom/Themes" \
	  "$(DESTDIR)$(PREFIX)/share/bash-completion/completions" \
	  "$(DESTDIR)$(PREFIX)/share/zsh/site-functions" \
	  "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d"
	install -m 755 "$(BIN)" "$(DESTDIR)$(PREFIX)/bin/decom"
	install -m 755 "$(dir $(BIN))decom-server" "$(DESTDIR)$(PREFIX)/bin/decom-server"
	install -m 644 Themes/*.yaml Themes/README.md "$(DESTDIR)$(PREFIX)/share/decom/Themes/"
	"$(BIN)" --generate-completion-script bash > "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/decom"
	"$(BIN)" --generate-completion-script zsh > "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_decom"
	"$(BIN)" --generate-completion-script fish > "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/decom.fish"
	@echo "installed decom $$("$(BIN)" --version) in $(DESTDIR)$(PREFIX)"

clean:
	rm -rf .build
