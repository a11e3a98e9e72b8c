# mk/install.mk - `make install` and `make uninstall` (PREFIX, DESTDIR).
#
#   make install [PREFIX=/usr/local] [DESTDIR=]
#       $(BINDIR)/pamphlet, $(DATADIR)/layouts/*.yaml, $(DATADIR)/fonts/* (fonts,
#       licence), $(MANDIR)/pamphlet.1 - each under $(DESTDIR)
#   make uninstall [PREFIX=...] [DESTDIR=...]
#       removes exactly those files, then the data folders if they are empty
#
# The program finds its layouts and fonts in $(DATADIR), compiled in as PM_DATADIR. So
# that the installed program always has the PREFIX it is installed under, whatever ./pamphlet
# was built with, install builds its own binary in $(INSTALL_BUILD) (objects compiled with
# this DATADIR; the folder is rebuilt when DATADIR changes; build/ is not touched).
# DESTDIR is a staging root for packagers: it is not compiled in, so the staged program
# looks in $(DATADIR) as the installed one will (to run it from the staging tree, set
# PAMPHLET_DATADIR=$(DESTDIR)$(DATADIR)).
INSTALL ?= install
INSTALL_BUILD ?= build-install
SHIPPED_LAYOUTS = $(sort $(wildcard layouts/*.yaml))
SHIPPED_FONTS = $(sort $(wildcard fonts/*.otf fonts/*.ttf fonts/*.conf fonts/LICENSE*))

install: install-bin
	$(INSTALL) -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(DATADIR)/layouts' '$(DESTDIR)$(DATADIR)/fonts' \
	    '$(DESTDIR)$(MANDIR)'
	$(INSTALL) -m 755 $(INSTALL_BUILD)/pamphlet '$(DESTDIR)$(BINDIR)/pamphlet'
	$(INSTALL) -m 644 $(SHIPPED_LAYOUTS) '$(DESTDIR)$(DATADIR)/layouts/'
	$(INSTALL) -m 644 $(SHIPPED_FONTS) '$(DESTDIR)$(DATADIR)/fonts/'
	$(INSTALL) -m 644 doc/pamphlet.1 '$(DESTDIR)$(MANDIR)/pamphlet.1'

# the program, compiled with PM_DATADIR = $(DATADIR)
install-bin:
	@mkdir -p $(INSTALL_BUILD)
	@if [ "$$(cat $(INSTALL_BUILD)/datadir 2>/dev/null)" != '$(DATADIR)' ]; then \
	    rm -rf $(INSTALL_BUILD)/*/ $(INSTALL_BUILD)/libpamphlet.a $(INSTALL_BUILD)/pamphlet; \
	    printf '%s\n' '$(DATADIR)' > $(INSTALL_BUILD)/datadir; \
	fi
	$(MAKE) --no-print-directory BUILD=$(INSTALL_BUILD) $(INSTALL_BUILD)/app/main.o $(INSTALL_BUILD)/libpamphlet.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $(INSTALL_BUILD)/pamphlet $(INSTALL_BUILD)/app/main.o $(INSTALL_BUILD)/libpamphlet.a \
	    $(PM_LIBS)

uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/pamphlet' '$(DESTDIR)$(MANDIR)/pamphlet.1'
	rm -f $(foreach f,$(notdir $(SHIPPED_LAYOUTS)),'$(DESTDIR)$(DATADIR)/layouts/$(f)')
	rm -f $(foreach f,$(notdir $(SHIPPED_FONTS)),'$(DESTDIR)$(DATADIR)/fonts/$(f)')
	rmdir '$(DESTDIR)$(DATADIR)/layouts' '$(DESTDIR)$(DATADIR)/fonts' '$(DESTDIR)$(DATADIR)' 2>/dev/null || true

.PHONY: install install-bin uninstall
