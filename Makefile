# pamphlet - build, test, benchmark, install.
#   make            build ./pamphlet
#   make check      unit tests, golden layout tests, end-to-end tests
#   make samples    render content/*.md into out/
#   make bench      speed and memory benchmark (see bench/)
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
DATADIR = $(PREFIX)/share/pamphlet
MANDIR = $(PREFIX)/share/man/man1

# libqpdf: the booklets are imposed by reference (impose/byref.c)
PKGS = pangocairo pangofc pangoft2 cairo-pdf cairo-png harfbuzz harfbuzz-subset fontconfig yaml-0.1 \
       libcmark-gfm libpng libqrencode libqpdf zlib
# libraries without a .pc file: a header of each
HDRS = hyphen.h jpeglib.h cmark-gfm-core-extensions.h
# the Debian 12 package of each (tools/install-deps.sh installs them all)
DEB_OF = pangocairo=libpango1.0-dev pangofc=libpango1.0-dev pangoft2=libpango1.0-dev \
         cairo-pdf=libcairo2-dev cairo-png=libcairo2-dev harfbuzz=libharfbuzz-dev harfbuzz-subset=libharfbuzz-dev \
         fontconfig=libfontconfig-dev yaml-0.1=libyaml-dev libcmark-gfm=libcmark-gfm-dev \
         libpng=libpng-dev libqrencode=libqrencode-dev libqpdf=libqpdf-dev zlib=zlib1g-dev hyphen.h=libhyphen-dev \
         jpeglib.h=libjpeg-dev cmark-gfm-core-extensions.h=libcmark-gfm-extensions-dev
CC ?= cc
OPT ?= -O2
CFLAGS ?= $(OPT) -g
WARN = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wshadow

# pkg-config runs once per make (:=), and only when a goal compiles something; a missing
# library stops make at once with its Debian package named, before any compiler error.
deb_of = $(or $(patsubst $(1)=%,%,$(filter $(1)=%,$(DEB_OF))),$(1))
ifneq ($(filter-out deps setup check clean uninstall,$(or $(MAKECMDGOALS),all)),)
ifeq ($(shell command -v pkg-config),)
$(error pkg-config is not installed: run tools/install-deps.sh (Debian 12), which installs everything the build needs)
endif
ifneq ($(shell pkg-config --exists $(PKGS) && echo ok),ok)
PKG_MISSING := $(foreach p,$(PKGS),$(if $(shell pkg-config --exists $(p) && echo ok),,$(call deb_of,$(p))~(no~$(p).pc)))
$(error missing libraries: $(subst ~, ,$(strip $(PKG_MISSING))); run tools/install-deps.sh (Debian 12), which installs everything the build needs)
endif
HASH := \#
hdr_ok = $(shell printf '$(foreach h,$(1),$(HASH)include <$(h)>\n)' | $(CC) -E -x c - >/dev/null 2>&1 && echo ok)
ifneq ($(call hdr_ok,$(HDRS)),ok)
HDR_MISSING := $(foreach h,$(HDRS),$(if $(call hdr_ok,$(h)),,$(call deb_of,$(h))~(no~$(h))))
$(error missing libraries: $(subst ~, ,$(strip $(HDR_MISSING))); run tools/install-deps.sh (Debian 12), which installs everything the build needs)
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
# libqpdf is not linked with the program, which loads it while the layout runs
# (src/output/qpdf_api.h): by the soname of the libqpdf.so the compiler would link
PKG_ALL_LIBS := $(shell pkg-config --libs $(PKGS))
QPDF_LIBS := $(filter -lqpdf,$(PKG_ALL_LIBS))
PKG_LIBS := $(filter-out $(QPDF_LIBS),$(PKG_ALL_LIBS))
QPDF_SONAME := $(shell objdump -p $$($(CC) -print-file-name=libqpdf.so) 2>/dev/null | awk '/SONAME/ {print $$2}')
endif
PM_CFLAGS = -std=gnu11 $(WARN) $(PKG_CFLAGS) -Isrc -DPM_DATADIR='"$(DATADIR)"' \
            $(if $(QPDF_SONAME),-DPM_QPDF_SONAME='"$(QPDF_SONAME)"')
PM_LIBS = $(PKG_LIBS) -lcmark-gfm-extensions -lhyphen -ljpeg -lm -ldl -lpthread

BUILD ?= build
# src/ is grouped by pipeline stage (docs/architecture.md); objects keep the folders
SRCS = $(sort $(wildcard src/*/*.c))
LIB_SRCS = $(filter-out src/app/main.c,$(SRCS))
LIB_OBJS = $(LIB_SRCS:src/%.c=$(BUILD)/%.o)
MAIN_OBJ = $(BUILD)/app/main.o
TEST_SRCS = $(sort $(wildcard tests/unit/test_*.c))
TEST_BINS = $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

all: pamphlet

pamphlet: $(MAIN_OBJ) $(BUILD)/libpamphlet.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PM_LIBS)

$(BUILD)/libpamphlet.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: src/%.c | $(BUILD)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PM_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libpamphlet.a | $(BUILD)
	@mkdir -p $(BUILD)/tests
	$(CC) $(CFLAGS) $(PM_CFLAGS) -Isrc -o $@ $< $(BUILD)/libpamphlet.a $(PM_LIBS) $(QPDF_LIBS) -lcmocka

$(BUILD):
	mkdir -p $(BUILD)

tests: $(TEST_BINS)

deps:
	tools/install-deps.sh build

check:
	tools/install-deps.sh test
	$(MAKE) --no-print-directory pamphlet tests
	tests/check.sh

# Everything a fresh Debian 12 machine needs, then both samples rendered into out/.
setup:
	tools/install-deps.sh all
	$(MAKE) samples

samples: pamphlet
	mkdir -p out
	./pamphlet content/1917.md -l layouts/a5.yaml -o out/1917.pdf --booklet out/1917-booklet.pdf
	./pamphlet content/common-sense.md -l layouts/a5.yaml -o out/common-sense.pdf --booklet out/common-sense-booklet.pdf

clean:
	rm -rf $(BUILD) build-* pamphlet

.PHONY: all deps check setup tests samples clean
-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d)

# More targets, one file each: fuzzing, sanitizer builds, benchmark, install.
include $(sort $(wildcard mk/*.mk))
