# mk/bench.mk - `make bench`: speed and memory of ./pamphlet against the floor program,
# paragraph setting against Pango's own wrapping, watch mode latency (see docs/bench.md).
# The programs are built with the Makefile's flags (-O2) into build-bench/; bench/run.py
# makes the 400-page book, runs everything interleaved, prints a table and writes it to
# bench/results.md; Typst 0.14 side by side through its npm node binding (bench/typst.js).
#   make bench                      the full run (about a minute on 2 cores)
#   make bench BENCH_ARGS=--quick   a few runs only, to try it out
BENCH_DIR = build-bench
BENCH_ARGS ?=
BENCH_FLOOR_PKGS = pangocairo pangofc fontconfig cairo-pdf
BENCH_PROGS = $(BENCH_DIR)/floor $(BENCH_DIR)/parabench $(BENCH_DIR)/watchlat $(BENCH_DIR)/rusage

bench: pamphlet $(BENCH_PROGS) typst-node
	python3 bench/run.py --pamphlet ./pamphlet --bin $(BENCH_DIR) $(BENCH_ARGS)

bench-programs: $(BENCH_PROGS)

$(BENCH_DIR):
	mkdir -p $@

# the floor links nothing of pamphlet's: Pango, Cairo and fontconfig only
$(BENCH_DIR)/floor: bench/floor.c | $(BENCH_DIR)
	$(CC) $(CFLAGS) -std=gnu11 $(WARN) $(shell pkg-config --cflags $(BENCH_FLOOR_PKGS)) -o $@ $< \
	    $(shell pkg-config --libs $(BENCH_FLOOR_PKGS))

$(BENCH_DIR)/parabench: bench/parabench.c $(BUILD)/libpamphlet.a | $(BENCH_DIR)
	$(CC) $(CFLAGS) $(PM_CFLAGS) -Isrc -o $@ $< $(BUILD)/libpamphlet.a $(PM_LIBS)

$(BENCH_DIR)/watchlat: bench/watchlat.c | $(BENCH_DIR)
	$(CC) $(CFLAGS) -std=gnu11 $(WARN) -o $@ $<

$(BENCH_DIR)/rusage: bench/rusage.c | $(BENCH_DIR)
	$(CC) $(CFLAGS) -std=gnu11 $(WARN) -o $@ $<

.PHONY: bench bench-programs

# Typst 0.14 for the side-by-side rows (issue 16): its node binding from npm, into
# build/typst-node, for the benchmark only (no test needs it). When npm cannot reach the
# registry the benchmark says so and leaves Typst out.
TYPST_NODE = build/typst-node
TYPST_NODE_PKG = @myriaddreamin/typst-ts-node-compiler@0.7.0

typst-node:
	@if [ ! -d $(TYPST_NODE)/node_modules/@myriaddreamin/typst-ts-node-compiler ]; then \
	    mkdir -p $(TYPST_NODE) && \
	    (cd $(TYPST_NODE) && timeout 300 npm install --no-save --no-audit --no-fund --prefix . \
	        $(TYPST_NODE_PKG) >npm.log 2>&1) || \
	    echo "bench: npm install $(TYPST_NODE_PKG) failed (see $(TYPST_NODE)/npm.log): Typst is left out"; \
	fi

.PHONY: typst-node
