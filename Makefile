# Two Ansible binary modules in Go: sts_assume_role and sts_session_token.

# Go from PATH, else the usual install location.
export PATH := $(PATH):/usr/local/go/bin
GO          ?= go
# The collection's version, from its galaxy.yml: a semantic version, which
# make collection stamps into its binaries. The other builds add the commit
# as build metadata (1.0.0+g1a2b3c4, .dirty with uncommitted changes).
COLLECTION_VERSION := $(shell sed -n 's/^version: *//p' collection/galaxy.yml)
VERSION     ?= $(COLLECTION_VERSION)$(shell git describe --always --dirty --abbrev=7 2>/dev/null | sed 's/^/+g/; s/-dirty$$/.dirty/')
# The modules' version, and local-sts's (main.version).
LDFLAGS     := -s -w -X ansible-sts/internal/modules.Version=$(VERSION) -X main.version=$(VERSION)
BUILD_FLAGS := -trimpath -ldflags "$(LDFLAGS)"
BIN         ?= bin
MODULES     := sts_assume_role sts_session_token
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

PREFIX      ?= $(HOME)/.ansible/plugins/modules
DIST        ?= dist
# Platforms of make dist, as GOOS/GOARCH; the files are named after
# ansible_system and ansible_architecture, as ansible's own binary module tests name them.
PLATFORMS   := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64
# The collection's platforms, as GOOS/GOARCH:NAME, NAME after ansible_system
# and ansible_architecture (and uname -sm) in lower case.
COLLECTION_PLATFORMS := linux/amd64:linux_x86_64 linux/arm64:linux_aarch64 \
  darwin/amd64:darwin_x86_64 darwin/arm64:darwin_arm64 freebsd/amd64:freebsd_amd64

FUZZTIME    ?= 30s

.PHONY: build demo ensure-ansible ensure-test-tools roots install dist collection test gotest test-packaging fuzz load bench lint clean

## build: static binaries of both modules (and local-sts) in $(BIN)/, with their ansible-doc files
build:
	CGO_ENABLED=0 $(GO) build $(BUILD_FLAGS) -o $(BIN)/ ./cmd/...
	$(GO) run ./tools/gendocs -out $(BIN)

## install: the modules and their docs in $(PREFIX), where ansible-core finds them without configuration
install: build
	mkdir -p $(PREFIX)
	for m in $(MODULES); do install -m 0755 $(BIN)/$$m $(PREFIX)/$$m; install -m 0644 $(BIN)/$$m.yml $(PREFIX)/$$m.yml; done
	@echo "installed $(MODULES) in $(PREFIX)"

## dist: static builds for every platform in $(DIST)/, with SHA256SUMS
dist:
	rm -rf $(DIST) && mkdir -p $(DIST)
	for p in $(PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; \
	  case $$arch in amd64) aarch=x86_64;; arm64) if [ $$os = darwin ]; then aarch=arm64; else aarch=aarch64; fi;; esac; \
	  for m in $(MODULES); do \
	    CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build $(BUILD_FLAGS) -o $(DIST)/$${m}_$${os}_$${aarch} ./cmd/$$m || exit 1; \
	  done; \
	done
	$(GO) run ./tools/gendocs -out $(DIST)
	cd $(DIST) && sha256sum * > SHA256SUMS
	@ls -l $(DIST)

## collection: the stsgo.aws collection tarball in $(DIST)/: one stsgo-aws binary per platform
## (both modules in each, stamped with the collection's version) under binaries/, xz-compressed,
## with the SHA-256 of each decompressed binary in binaries/SHA256SUMS and the third-party
## notices of what they link; action plugins; doc-only module stubs; LICENSES/
collection: ensure-ansible
	@command -v xz >/dev/null || { echo "make collection compresses the binaries with xz: install xz-utils" >&2; exit 1; }
	rm -rf $(DIST)/collection && mkdir -p $(DIST)/collection/plugins/modules $(DIST)/collection/binaries
	cp -r collection/. LICENSES $(DIST)/collection/
	sed -i '1s/^--- !build-with-make-collection$$/---/' $(DIST)/collection/galaxy.yml
	for p in $(COLLECTION_PLATFORMS); do \
	  target=$${p%%:*}; name=$${p#*:}; \
	  CGO_ENABLED=0 GOOS=$${target%/*} GOARCH=$${target#*/} $(GO) build -trimpath \
	    -ldflags "-s -w -X ansible-sts/internal/modules.Version=$(COLLECTION_VERSION)" \
	    -o $(DIST)/collection/binaries/stsgo-aws_$$name ./cmd/stsgo-aws || exit 1; \
	done
	$(GO) run ./tools/notices -out $(DIST)/collection/binaries/THIRD-PARTY-NOTICES.txt $(DIST)/collection/binaries/stsgo-aws_*
	cd $(DIST)/collection/binaries && sha256sum stsgo-aws_* > SHA256SUMS && xz -6 -T1 stsgo-aws_*
	$(GO) run ./tools/gendocs -stub -version $(COLLECTION_VERSION) -out $(DIST)/collection/plugins/modules
	ansible-galaxy collection build --force --output-path $(DIST) $(DIST)/collection

## demo: the demo playbook against the bundled local STS endpoint
demo: build ensure-ansible
	mkdir -p playbooks/library
	cp $(addprefix $(BIN)/,$(MODULES)) $(addsuffix .yml,$(addprefix $(BIN)/,$(MODULES))) playbooks/library/
	$(BIN)/local-sts -- ansible-playbook -i localhost, playbooks/demo.yml

## ensure-ansible: install Debian's ansible-core when missing (as root on Debian), else say what to install
ensure-ansible:
	@command -v ansible-playbook >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then \
	    echo "installing ansible-core (Debian package)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ansible-core >/dev/null; \
	  else \
	    echo "ansible-core is needed: on Debian or Ubuntu 'sudo apt-get install ansible-core', elsewhere 'pipx install ansible-core'" >&2; \
	    exit 1; \
	  fi; }

## ensure-test-tools: what the tests run besides Go, installed from Debian when missing (as
## root on Debian); else the missing packages are named and it fails. make test must also run as
## root: the collection's SSH tests start sshd and create users
QEMU_FOREIGN := qemu-$(if $(filter aarch64 arm64,$(shell uname -m)),x86_64,aarch64)-static
# Each command the tests run, then each Python module of /usr/bin/python3 they import, with
# the Debian package that has it: ansible-core; the reference modules (ansible, python3-boto3);
# sshd, ssh, sudo and paramiko for the collection's SSH tests; qemu-user-static to run the
# collection's other Linux binary; xz-utils to compress the collection's binaries; Debian's
# AWS CLI (awscli), a second real client of local-sts; debootstrap for make roots; ansible-lint;
# ansible-test sanity's linters and what its tests import (shellcheck, pylint, pycodestyle,
# yamllint, voluptuous), which it would otherwise install from PyPI; reuse to check the licences.
TEST_COMMANDS := ansible-playbook:ansible-core ansible-galaxy:ansible-core ansible-doc:ansible-core \
  ansible-test:ansible-core sshd:openssh-server ssh:openssh-client ssh-keygen:openssh-client \
  sudo:sudo useradd:passwd $(QEMU_FOREIGN):qemu-user-static xz:xz-utils /usr/bin/aws:awscli \
  debootstrap:debootstrap ansible-lint:ansible-lint shellcheck:shellcheck reuse:reuse
TEST_PYTHON := boto3:python3-boto3 paramiko:python3-paramiko ansible_collections.community.aws:ansible \
  pylint:pylint pycodestyle:python3-pycodestyle yamllint:yamllint voluptuous:python3-voluptuous
ensure-test-tools:
	@missing() { \
	  for n in $(TEST_COMMANDS); do command -v $${n%%:*} >/dev/null 2>&1 || echo $${n#*:}; done; \
	  for n in $(TEST_PYTHON); do /usr/bin/python3 -c "import $${n%%:*}" >/dev/null 2>&1 || echo $${n#*:}; done; }; \
	m=$$(missing | sort -u | paste -sd ' ' -); \
	if [ -n "$$m" ] && [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then \
	  echo "installing $$m (Debian packages)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$m >/dev/null; \
	  m=$$(missing | sort -u | paste -sd ' ' -); \
	fi; \
	if [ -n "$$m" ]; then echo "the tests need Debian's $$m: as root, apt-get install $$m" >&2; exit 1; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "the collection's SSH tests start sshd and create users: run make test as root (go test ./... needs no root)" >&2; exit 1; \
	fi

## roots: the Debian roots the tests also run ansible-core in (test/roots): trixie (stable) and
## forky (testing), each with Debian's ansible, boto3 and botocore, built in parallel from the
## mirror of this machine's apt sources (as root; about two minutes). Kept in STSGO_ROOTS, outside
## the work tree, and rebuilt only when test/roots/build.sh's recipe changes
# The tests (test/roots) read the same variable.
STSGO_ROOTS ?= /var/cache/stsgo-test-roots
export STSGO_ROOTS
roots:
	sh test/roots/build.sh

## test: every test: unit, precedence matrix, differential, end to end, playbooks and ad-hoc
## calls through ansible-core, on this machine and in the roots (go test ./...), then
## test-packaging; with the race detector
test: ensure-test-tools roots gotest test-packaging

gotest:
	$(GO) test -race -count=1 ./...

## test-packaging: the tests tagged packaging: make install, make dist, make collection and
## the collection over SSH. Builds those into a temporary folder first, then runs the tests
## on it (STSGO_PACKAGING_DIR), this machine's binaries among them
PACKAGING_VERSION := v9.9.9-test
# Every test in the files tagged packaging.
PACKAGING_TESTS = ^($(shell sed -n 's/^func \(Test[[:alnum:]_]*\).*/\1/p' $$(grep -l '^//go:build packaging' test/e2e/*_test.go) | paste -sd '|' -))$$
# make install runs with another HOME: Go's caches and settings stay where they are.
GO_ENV_KEPT = $(foreach k,GOPATH GOCACHE GOMODCACHE GOENV,$(k)=$(shell $(GO) env $(k)))
test-packaging: ensure-test-tools
	@set -e; dir=$$(mktemp -d "$${TMPDIR:-/tmp}/stsgo-packaging.XXXXXX"); trap 'rm -rf "$$dir"' EXIT; \
	echo "make dist, make collection and make install in $$dir"; \
	$(MAKE) --no-print-directory dist DIST="$$dir/dist" VERSION=$(PACKAGING_VERSION) >/dev/null; \
	$(MAKE) --no-print-directory collection DIST="$$dir/collection" >/dev/null; \
	env HOME="$$dir/home" $(GO_ENV_KEPT) $(MAKE) --no-print-directory install BIN="$$dir/bin" >/dev/null; \
	echo "$(GO) test -race -count=1 -tags packaging -run '$(PACKAGING_TESTS)' ./test/e2e"; \
	STSGO_PACKAGING_DIR="$$dir" $(GO) test -race -count=1 -tags packaging -run '$(PACKAGING_TESTS)' ./test/e2e

## fuzz: every fuzz target for FUZZTIME each (their seed corpora also run in make test)
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./internal/moduleargs
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/moduleargs
	$(GO) test -run '^$$' -fuzz '^FuzzMask$$' -fuzztime $(FUZZTIME) ./internal/result
	$(GO) test -run '^$$' -fuzz '^FuzzModuleRun$$' -fuzztime $(FUZZTIME) ./cmd/sts_assume_role
	$(GO) test -run '^$$' -fuzz '^FuzzModuleRun$$' -fuzztime $(FUZZTIME) ./cmd/sts_session_token

## load: 500 module processes, 50 at a time, against a loopback endpoint that throttles a share of calls
load:
	$(GO) test -count=1 -run '^TestLoad$$' -v ./test/e2e

## bench: ours against the Python reference and the floor, and over SSH on this machine's ansible-core
## and on trixie's (make roots); writes docs/BENCHMARKS.md, docs/benchmarks.svg and docs/benchmarks.json
bench: build ensure-ansible roots
	@test -x /usr/bin/time || { if [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then \
	  apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }; \
	  else echo "make bench measures peak RSS with GNU time: install the 'time' package" >&2; exit 1; fi; }
	@/usr/bin/python3 -c 'import boto3, ansible_collections.community.aws' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then apt-get update -qq && apt-get install -y -qq ansible python3-boto3 >/dev/null; \
	  else echo "make bench compares with the Python reference: install Debian's ansible and python3-boto3" >&2; exit 1; fi; }
	$(GO) run ./tools/bench -bin $(BIN) -out docs

## lint: gofmt, go vet, staticcheck (go vet and staticcheck also over the files tagged packaging)
lint:
	@out=$$(gofmt -s -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt -s would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags packaging ./test/e2e
	$(GO) run $(STATICCHECK) ./...
	$(GO) run $(STATICCHECK) -tags packaging ./test/e2e

clean:
	rm -rf $(BIN) $(DIST)
