# Vigie — the two commands of a fresh machine are `make serve` and `make test`.
GO ?= go
STATICCHECK_VERSION = v0.8.2
GOBIN ?= $(shell $(GO) env GOPATH)/bin

.PHONY: serve test build lint vet staticcheck fmt-check bench fuzz axe

serve: ## run the server on the embedded database (./vigie-data)
	$(GO) run ./cmd/vigie serve

build: ## one static binary: ./vigie
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w -X main.version=$$(git describe --always --dirty 2>/dev/null || echo dev)" -o vigie ./cmd/vigie

test: lint axe ## the whole suite: lint, every test on SQLite and PostgreSQL, the packages again under the race detector
	$(GO) test -count=1 -timeout 20m ./...
	@# Not internal/e2e: chromedp's DOM-event goroutine writes node attributes that its
	@# SendKeys reads unlocked (a race inside the library, seen in the justice flow); the
	@# browser tests run in the pass above, and the server code they drive runs here
	@# under the race detector through the httpapi and web tests.
	$(GO) test -race -count=1 -timeout 20m $$($(GO) list ./internal/... | grep -v /internal/e2e)

lint: fmt-check vet staticcheck

axe: ## axe-core (pinned in internal/e2e/axe/package-lock.json) for the browser tests' accessibility checks
	@if command -v npm >/dev/null; then npm ci --prefix internal/e2e/axe --no-audit --no-fund --ignore-scripts --loglevel=error; \
	else echo "npm missing: the browser tests install axe-core themselves, or skip it (CI=true: fail)"; fi

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck:
	@test -x $(GOBIN)/staticcheck && $(GOBIN)/staticcheck -version | grep -q "(0.8.2)" || \
		$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(GOBIN)/staticcheck ./...

bench: ## benchmark figures (see BENCHMARKS.md)
	$(GO) run ./bench

fuzz: ## run each fuzz target for FUZZTIME (default 30s)
	@for p in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$p | grep '^Fuzz'); do \
			$(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-30s} $$p || exit 1; \
		done; \
	done
