# Two Ansible binary modules in Go: sts_assume_role and sts_session_token.

# Go from PATH, else the usual install location.
export PATH := $(PATH):/usr/local/go/bin
GO          ?= go
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X ansible-sts/internal/module.Version=$(VERSION)
BUILD_FLAGS := -trimpath -ldflags "$(LDFLAGS)"
BIN         ?= bin
MODULES     := sts_assume_role sts_session_token
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: build demo ensure-ansible test gotest lint clean

## build: static binaries of both modules in $(BIN)/
build:
	CGO_ENABLED=0 $(GO) build $(BUILD_FLAGS) -o $(BIN)/ ./cmd/...

## demo: the demo playbook against the bundled local STS endpoint
demo: build ensure-ansible
	mkdir -p playbooks/library
	cp $(addprefix $(BIN)/,$(MODULES)) playbooks/library/
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

## test: every test (unit, precedence matrix, end to end, playbooks and ad-hoc
## calls through ansible-core), with the race detector
test: ensure-ansible gotest

gotest:
	$(GO) test -race -count=1 ./...

## lint: gofmt, go vet, staticcheck
lint:
	@out=$$(gofmt -s -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt -s would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

clean:
	rm -rf $(BIN)
