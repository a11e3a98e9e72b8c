# mk/fuzz.mk - fuzzing the parsers and a whole render with libFuzzer (clang).
#
#   make fuzz            build the harnesses, seed the corpora, run each harness for
#                        FUZZ_SECONDS (default 600) one after the other
#   make fuzz-regress    replay every file in fuzz/regress/HARNESS/ through its harness once,
#                        under ASan + UBSan, without libFuzzer (fuzz/driver.c); part of
#                        make check
#   make fuzz-build      only build build-fuzz/fuzz_{content,spec,render}
#   make fuzz-seed       only (re)seed fuzz/corpus-*/ (corpora are kept between runs and
#                        are not in git)
#   FUZZ_HARNESSES="spec" make fuzz   run some of them; FUZZ_ARGS="-jobs=2 -workers=2" ...
#
# Harnesses (fuzz/*.c): fuzz_content (front matter + CommonMark, pm_content_parse),
# fuzz_spec (the layout loader, pm_spec_parse, with extends:), fuzz_render (a whole run
# through pm_session_render: content, fixed layout fuzz/render.yaml, fonts, page building,
# images, reading PDF, booklet, dump). Whatever libFuzzer finds (crash-*, leak-*,
# timeout-*, oom-*, slow-unit-*) is written straight into fuzz/regress/HARNESS/, so that
# fuzz-regress fails until it is fixed; keep the file as the regression test.
#
# Needs clang and libclang-rt-14-dev (libFuzzer's runtime). The library is compiled with
# -fsanitize=fuzzer-no-link,address,undefined into build-fuzz/, apart from build/.

FUZZ_CC ?= clang
FUZZ_BUILD = build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_HARNESSES ?= content spec render
FUZZ_ARGS ?=
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1
FUZZ_DEFS = -DPM_FUZZ_ROOT='"$(CURDIR)"' -Isrc -Ifuzz
FUZZ_ENV = ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
           LSAN_OPTIONS=suppressions=$(CURDIR)/$(FUZZ_BUILD)/lsan.supp:print_suppressions=0 \
           PAMPHLET_DATADIR=$(CURDIR)
# per harness: longest input the fuzzer makes (bytes), seconds before an input is a hang
FUZZ_MAXLEN_content = 65536
FUZZ_MAXLEN_spec = 16384
FUZZ_MAXLEN_render = 32768
FUZZ_TIMEOUT_content = 10
FUZZ_TIMEOUT_spec = 10
FUZZ_TIMEOUT_render = 30
FUZZ_HDRS = fuzz/fuzz_common.h $(wildcard src/*/*.h)

fuzz-build: $(FUZZ_HARNESSES:%=$(FUZZ_BUILD)/fuzz_%)

fuzz-lib:
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
	    CFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" $(FUZZ_BUILD)/libpamphlet.a

$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_HDRS) fuzz-lib
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) $(PM_CFLAGS) $(FUZZ_DEFS) -o $@ $< \
	    $(FUZZ_BUILD)/libpamphlet.a $(PM_LIBS)

fuzz-seed:
	fuzz/seed.sh

# LeakSanitizer reads one suppressions file: the general one plus the fuzzing-only one
$(FUZZ_BUILD)/lsan.supp: tests/lsan.supp tests/lsan-fuzz.supp
	@mkdir -p $(FUZZ_BUILD)
	cat $^ >$@

fuzz: fuzz-build fuzz-seed $(FUZZ_BUILD)/lsan.supp
	@for h in $(FUZZ_HARNESSES); do \
	    case $$h in content) ml=$(FUZZ_MAXLEN_content) to=$(FUZZ_TIMEOUT_content);; \
	        spec) ml=$(FUZZ_MAXLEN_spec) to=$(FUZZ_TIMEOUT_spec);; \
	        render) ml=$(FUZZ_MAXLEN_render) to=$(FUZZ_TIMEOUT_render);; esac; \
	    mkdir -p fuzz/regress/$$h fuzz/corpus-$$h; \
	    d=$$h; [ $$h = render ] && d=content; dict=; [ -f fuzz/$$d.dict ] && dict=-dict=$(CURDIR)/fuzz/$$d.dict; \
	    echo "== fuzz_$$h for $(FUZZ_SECONDS) s (max_len $$ml, timeout $$to s)"; \
	    env $(FUZZ_ENV) $(FUZZ_BUILD)/fuzz_$$h $(CURDIR)/fuzz/corpus-$$h -max_total_time=$(FUZZ_SECONDS) \
	        -max_len=$$ml -timeout=$$to -rss_limit_mb=3072 -print_final_stats=1 $$dict \
	        -artifact_prefix=$(CURDIR)/fuzz/regress/$$h/ $(FUZZ_ARGS) || exit 1; \
	done

# The regression replay: the harnesses with a plain main() (fuzz/driver.c) over the
# sanitizer build of mk/sanitize.mk (build-asan/libpamphlet.a), every report fatal.
# (mk/sanitize.mk sets these too; it is read after this file)
SAN_BUILD ?= build-asan
FUZZ_REGRESS_BINS = $(SAN_BUILD)/fuzz/fuzz_content $(SAN_BUILD)/fuzz/fuzz_spec $(SAN_BUILD)/fuzz/fuzz_render

$(SAN_BUILD)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/driver.c $(FUZZ_HDRS) asan-build
	@mkdir -p $(SAN_BUILD)/fuzz
	$(SAN_CC) $(SAN_FLAGS) $(PM_CFLAGS) $(FUZZ_DEFS) -o $@ $< fuzz/driver.c \
	    $(SAN_BUILD)/libpamphlet.a $(PM_LIBS)

# each file on its own (all failures are listed), within FUZZ_REGRESS_TIMEOUT seconds
FUZZ_REGRESS_TIMEOUT ?= 120
fuzz-regress: $(FUZZ_REGRESS_BINS)
	@rm -rf $(SAN_LOGS) && mkdir -p $(SAN_LOGS)
	@bad=0; for h in content spec render; do \
	    n=0; nbad=0; \
	    for f in fuzz/regress/$$h/*; do \
	        [ -f "$$f" ] || continue; n=$$((n + 1)); \
	        if ! env $(SAN_ENV) timeout $(FUZZ_REGRESS_TIMEOUT) $(SAN_BUILD)/fuzz/fuzz_$$h "$$f" \
	            >$(SAN_LOGS)/out.txt 2>&1; then \
	            nbad=$$((nbad + 1)); echo "fuzz-regress: FAILED $$f"; tail -n 5 $(SAN_LOGS)/out.txt | sed 's/^/    /'; \
	        fi; \
	    done; \
	    echo "fuzz-regress: $$h: $$n inputs, $$nbad failed"; bad=$$((bad + nbad)); \
	done; \
	if ls $(SAN_LOGS)/san.* >/dev/null 2>&1; then \
	    echo "fuzz-regress: sanitizer reports:"; for l in $(SAN_LOGS)/san.*; do grep -m1 -hE "ERROR:|runtime error" $$l; grep -m6 -E "^ +#[0-9]" $$l; done; bad=1; fi; \
	[ $$bad = 0 ]

.PHONY: fuzz fuzz-build fuzz-lib fuzz-seed fuzz-regress
