# Two Ansible binary modules in Go: sts_assume_role and sts_session_token.

# Go from PATH, else the usual install location.
export PATH := $(PATH):/usr/local/go/bin
GO          ?= go
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
# The modules' version, and local-sts's (main.version).
LDFLAGS     := -s -w -X ansible-sts/internal/module.Version=$(VERSION) -X main.version=$(VERSION)
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

.PHONY: build demo ensure-ansible ensure-test-tools install dist collection test gotest fuzz load bench lint clean

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
## (both modules in each) under binaries/, xz-compressed, with the SHA-256 of each decompressed
## binary in binaries/SHA256SUMS; action plugins; doc-only module stubs
collection: ensure-ansible
	@command -v xz >/dev/null || { echo "make collection compresses the binaries with xz: install xz-utils" >&2; exit 1; }
	rm -rf $(DIST)/collection && mkdir -p $(DIST)/collection/plugins/modules $(DIST)/collection/binaries
	cp -r collection/. $(DIST)/collection/
	for p in $(COLLECTION_PLATFORMS); do \
	  target=$${p%%:*}; name=$${p#*:}; \
	  CGO_ENABLED=0 GOOS=$${target%/*} GOARCH=$${target#*/} \
	    $(GO) build $(BUILD_FLAGS) -o $(DIST)/collection/binaries/stsgo-aws_$$name ./cmd/stsgo-aws || exit 1; \
	done
	cd $(DIST)/collection/binaries && sha256sum stsgo-aws_* > SHA256SUMS && xz -6 -T1 stsgo-aws_*
	$(GO) run ./tools/gendocs -stub -out $(DIST)/collection/plugins/modules
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
## root on Debian), else named: ansible-core; the reference modules (ansible, python3-boto3);
## sshd, sudo and paramiko for the collection's SSH tests; qemu-user-static for its aarch64 binary;
## xz-utils to compress the collection's binaries
TEST_PACKAGES := ansible-core ansible python3-boto3 openssh-server sudo python3-paramiko qemu-user-static xz-utils
ensure-test-tools:
	@missing=; \
	command -v ansible-playbook >/dev/null 2>&1 || missing=1; \
	for c in /usr/sbin/sshd sudo qemu-aarch64-static xz; do command -v $$c >/dev/null 2>&1 || missing=1; done; \
	/usr/bin/python3 -c 'import boto3, paramiko, ansible_collections.community.aws' 2>/dev/null || missing=1; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then \
	    echo "installing $(TEST_PACKAGES) (Debian packages)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TEST_PACKAGES) >/dev/null; \
	  else \
	    echo "the tests need Debian's $(TEST_PACKAGES), and root for sshd and test users" >&2; \
	    exit 1; \
	  fi; \
	fi

## test: every test (unit, precedence matrix, end to end, playbooks and ad-hoc
## calls through ansible-core, the collection over SSH), with the race detector
test: ensure-test-tools gotest

gotest:
	$(GO) test -race -count=1 ./...

## fuzz: every fuzz target for FUZZTIME each (their seed corpora also run in make test)
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./internal/moduleargs
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/moduleargs
	$(GO) test -run '^$$' -fuzz '^FuzzMask$$' -fuzztime $(FUZZTIME) ./internal/moduleargs
	$(GO) test -run '^$$' -fuzz '^FuzzModuleRun$$' -fuzztime $(FUZZTIME) ./cmd/sts_assume_role
	$(GO) test -run '^$$' -fuzz '^FuzzModuleRun$$' -fuzztime $(FUZZTIME) ./cmd/sts_session_token

## load: 500 module processes, 50 at a time, against a loopback endpoint that throttles a share of calls
load:
	STS_LOAD=1 $(GO) test -count=1 -run '^TestLoad$$' -v ./internal/e2e

## bench: ours against the Python reference and the floor; writes docs/BENCHMARKS.md and docs/benchmarks.svg
bench: build ensure-ansible
	@test -x /usr/bin/time || { if [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then \
	  apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }; \
	  else echo "make bench measures peak RSS with GNU time: install the 'time' package" >&2; exit 1; fi; }
	@/usr/bin/python3 -c 'import boto3, ansible_collections.community.aws' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then apt-get update -qq && apt-get install -y -qq ansible python3-boto3 >/dev/null; \
	  else echo "make bench compares with the Python reference: install Debian's ansible and python3-boto3" >&2; exit 1; fi; }
	$(GO) run ./tools/bench -bin $(BIN) -out docs

## lint: gofmt, go vet, staticcheck
lint:
	@out=$$(gofmt -s -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt -s would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

clean:
	rm -rf $(BIN) $(DIST)
