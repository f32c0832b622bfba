# Two Ansible binary modules in Go: sts_assume_role and sts_session_token.

GO          ?= go
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X ansible-sts/internal/module.Version=$(VERSION)
BUILD_FLAGS := -trimpath -ldflags "$(LDFLAGS)"
BIN         ?= bin
MODULES     := sts_assume_role sts_session_token
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: build test gotest lint verify clean

## build: static binaries of both modules in $(BIN)/
build:
	CGO_ENABLED=0 $(GO) build $(BUILD_FLAGS) -o $(BIN)/ ./cmd/...

## test: every test (unit, precedence matrix, end to end), with the race detector
test: gotest

gotest:
	$(GO) test -race -count=1 ./...

## lint: gofmt, go vet, staticcheck
lint:
	@out=$$(gofmt -s -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt -s would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

clean:
	rm -rf $(BIN)
