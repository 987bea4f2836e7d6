# SPDX-License-Identifier: GPL-2.0-or-later
# Top-level build: the kernel module through kbuild, the user library,
# tools and tests through plain make. Run ./configure first.

# make dist and make distcheck need no configured tree
ifeq ($(wildcard config.mk),)
ifneq ($(filter-out dist distcheck,$(or $(MAKECMDGOALS),all)),)
$(error config.mk missing: run ./configure first (scripts/install-deps installs what it needs))
endif
else
include config.mk
endif

USER_DIRS := libomx fabric tools tests/driver tests/unit tests/fuzz tests/fabric bench firmware-patch/vnic firmware-patch/xdp
# directories being written: built once they have a Makefile
USER_DIRS += $(patsubst %/Makefile,%,$(wildcard examples/Makefile tests/mx/Makefile))
CHECKPATCH_DIR := $(CURDIR)/.cache/checkpatch

.PHONY: all driver dmaengine user $(USER_DIRS) check check-unit check-vm check-long check-debug lint clean distclean \
	install install-user install-module uninstall dist distcheck

all: driver dmaengine user

driver:
	$(MAKE) -C driver/linux KDIR=$(KDIR)

# the test-only software DMA engine and dmatest.ko (tests/dmaengine/README.md)
dmaengine:
	$(MAKE) -C tests/dmaengine KDIR=$(KDIR)

user: $(USER_DIRS)

$(USER_DIRS):
	$(MAKE) -C $@

# bench/mx_test_cost links with libomx/libmyriexpress.so
tools tests/driver fabric bench: libomx
# the unit tests check the provider (tests/unit/test_fabric*)
tests/unit: fabric
$(filter examples tests/mx,$(USER_DIRS)): libomx

# checkpatch.pl and its data files come from Debian's linux-source tarball.
$(CHECKPATCH_DIR)/checkpatch.pl:
	@test -n "$(CHECKPATCH_TARBALL)" || { echo "no linux-source tarball: apt-get install linux-source-6.1 and rerun ./configure"; exit 1; }
	mkdir -p $(CHECKPATCH_DIR)
	tar -xJf $(CHECKPATCH_TARBALL) -C $(CHECKPATCH_DIR) --strip-components=2 \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'

# so does scripts/kernel-doc, which checks the driver's /** */ comments
$(CHECKPATCH_DIR)/kernel-doc:
	@test -n "$(CHECKPATCH_TARBALL)" || { echo "no linux-source tarball: apt-get install linux-source-6.1 and rerun ./configure"; exit 1; }
	mkdir -p $(CHECKPATCH_DIR)
	tar -xJf $(CHECKPATCH_TARBALL) -C $(CHECKPATCH_DIR) --strip-components=2 \
		--wildcards '*/scripts/kernel-doc'

lint: $(CHECKPATCH_DIR)/checkpatch.pl $(CHECKPATCH_DIR)/kernel-doc
	$(MAKE) -C driver/linux KDIR=$(KDIR) CHECKPATCH=$(CHECKPATCH_DIR)/checkpatch.pl \
		KERNELDOC=$(CHECKPATCH_DIR)/kernel-doc check
	$(MAKE) -C tests/dmaengine KDIR=$(KDIR) CHECKPATCH=$(CHECKPATCH_DIR)/checkpatch.pl check

check: all
	tests/check

# the tests marked "# omx-host-long:" (tests/tools/paper.sh,
# tests/tools/packages_long.sh) and "# omx-vm-long:" (tests/wireshark/capture.sh,
# tests/vm/selftest/multiqueue.sh and multiqueue_detached.sh), not in make
# check: the CI's whole run must stay under 45 minutes
check-long: all
	tests/check --vm --long -f '^(tools/(paper|packages_long)|wireshark/capture|vm/selftest/multiqueue(_detached)?)$$'

check-unit: user
	tests/check --unit

check-vm: all
	tests/check --vm

# not part of check: the debug kernel's build and run take long
# (docs/testing.md, "The debug kernel")
check-debug: user
	tests/check-debug

# The release tarball: the files git tracks, as they are in the work tree
# (uncommitted changes included, with a note), under omx-VERSION/, owned
# by root, dated by the last commit and compressed without a timestamp,
# so that one commit gives one tarball.
VERSION := $(shell scripts/version)
DIST_NAME := omx-$(VERSION)

dist:
	@test -n "$(VERSION)"
	@git rev-parse --git-dir > /dev/null 2>&1 || \
		{ echo "make dist: not in a git work tree: the tarball is the files git tracks" >&2; exit 1; }
	@git diff --quiet HEAD -- || echo "make dist: note: uncommitted changes go into $(DIST_NAME).tar.gz"
	git ls-files -z | tar --null -T - --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime=@$$(git log -1 --format=%ct) --transform 's|^|$(DIST_NAME)/|' -cf - | \
		gzip -n -9 > $(DIST_NAME).tar.gz.tmp
	mv $(DIST_NAME).tar.gz.tmp $(DIST_NAME).tar.gz
	@echo "make dist: $(DIST_NAME).tar.gz, $$(git ls-files | wc -l) files"

# The tarball builds from scratch on its own (scripts/distcheck): configure,
# make, the unit tests, install and uninstall in a temporary directory,
# against this tree's kernel unless DISTCHECK_CONFIGURE_FLAGS says otherwise.
# Minutes: not part of make check.
DISTCHECK_CONFIGURE_FLAGS ?= $(if $(KDIR),--with-linux=$(KDIR))

distcheck: dist
	MAKE="$(MAKE)" scripts/distcheck $(DIST_NAME).tar.gz $(DISTCHECK_CONFIGURE_FLAGS)

clean:
	$(MAKE) -C driver/linux KDIR=$(KDIR) clean
	$(MAKE) -C tests/dmaengine KDIR=$(KDIR) clean
	for d in $(USER_DIRS); do $(MAKE) -C $$d clean || exit 1; done

distclean: clean
	rm -rf config.mk .cache tests/vm/.cache tests/vm/.runs tests/vm/logs

# Installation of what `make` built (nothing is rebuilt, so that
# `make install` as root never writes into the tree).  DESTDIR stages the
# whole tree elsewhere and works as any user; PREFIX comes from
# ./configure.  Configuration, udev rules and modules live outside PREFIX,
# where the system looks for them.
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
UDEVRULESDIR ?= /etc/udev/rules.d
SYSCONFDIR ?= /etc
# kbuild's modules_install puts omx.ko in INSTALL_MOD_PATH (DESTDIR)
# /lib/modules/KVER/INSTALL_MOD_DIR
INSTALL_MOD_DIR ?= extra
MODDIR := /lib/modules/$(KVER)/$(INSTALL_MOD_DIR)
DEPMOD ?= depmod
LDCONFIG ?= ldconfig

INST_LIBS := libomx/libomx.so.0 libomx/libmyriexpress.so libomx/libomx.a libomx/omx.pc
INST_HDRS := $(addprefix libomx/include/,myriexpress.h mx_extensions.h mx_raw.h omx_stats.h)
INST_TOOLS := $(patsubst %.c,%,$(wildcard tools/*.c))
# the XDP steering program and its tool need libbpf and clang (HAVE_BPF)
INST_BPF := $(if $(filter 1,$(HAVE_BPF)),firmware-patch/xdp/omx_xdp_steer.bpf.o)
ifneq ($(HAVE_BPF),1)
INST_TOOLS := $(filter-out tools/omx_xdp,$(INST_TOOLS))
endif
# omx_affinity needs hwloc (HAVE_HWLOC)
ifneq ($(HAVE_HWLOC),1)
INST_TOOLS := $(filter-out tools/omx_affinity,$(INST_TOOLS))
endif
INST_MANS := $(wildcard docs/man/*.[1-9])
# the libfabric provider, built when libfabric-dev is installed; libfabric
# looks for it in its own directory, outside PREFIX (docs/fabric.md)
INST_FABRIC := $(wildcard fabric/libomx-fi.so)
FABRIC_PROVDIR ?= $(shell pkg-config --variable=libdir libfabric 2>/dev/null)/libfabric
INST_BUILT := $(INST_LIBS) $(INST_TOOLS) $(INST_BPF)
# the Wireshark dissector goes where tshark says it loads Lua plugins
# from (outside PREFIX, as the provider), or where Debian's Wireshark
# does when tshark is not installed yet (docs/wireshark.md); configure
# asks tshark once and writes it into config.mk, this is for an older
# config.mk
WIRESHARK_LUADIR ?= $(or $(shell tshark -G folders 2>/dev/null | sed -n 's/^Global Lua Plugins:[[:space:]]*//p'),\
	/usr/lib/$(shell $(CC) -print-multiarch 2>/dev/null)/wireshark/plugins)

# install-user is everything but omx.ko: the Debian packages (debian/rules)
# ship the module as source that DKMS builds on the target
# (docs/packaging.md); install-module is omx.ko alone.
install: install-user install-module

# kbuild's own install, unsigned: Debian's linux-headers package ships no
# signing key (sign-file would fail with an SSL error), and DKMS signs
# for Secure Boot (docs/packaging.md).  kbuild skips its depmod for want
# of the System.map those headers lack (it says so): ours runs after it.
install-module:
	@test -f driver/linux/omx.ko || { echo "make install: not built: driver/linux/omx.ko (run make first)"; exit 1; }
	$(MAKE) -s -C $(KDIR) M=$(CURDIR)/driver/linux modules_install \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) CONFIG_MODULE_SIG_ALL=
	@test -f $(DESTDIR)$(MODDIR)/omx.ko || { echo "make install: modules_install did not install $(DESTDIR)$(MODDIR)/omx.ko (is KVER $(KVER) the release of $(KDIR)?)"; exit 1; }
	@if [ -z "$(DESTDIR)" ]; then $(DEPMOD) -a $(KVER); fi

install-user:
	@missing=; for f in $(INST_BUILT); do test -f $$f || missing="$$missing $$f"; done; \
	if [ -n "$$missing" ]; then echo "make install: not built:$$missing (run make first)"; exit 1; fi
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(SYSCONFDIR)/omx
	@# one library: libmyriexpress.so is a filter that ld.so resolves in the
	@# libomx.so.0 beside it; both are files with their own soname, which
	@# ldconfig caches (docs/mx-api.md, "Building and linking")
	install -m 0755 libomx/libomx.so.0 libomx/libmyriexpress.so $(DESTDIR)$(LIBDIR)/
	ln -sf libomx.so.0 $(DESTDIR)$(LIBDIR)/libomx.so
	install -m 0644 libomx/libomx.a $(DESTDIR)$(LIBDIR)/
	install -m 0644 $(INST_HDRS) $(DESTDIR)$(INCLUDEDIR)/
	@# the built omx.pc names the private libraries configure found
	sed -e 's|^prefix=.*|prefix=$(PREFIX)|' -e 's|^libdir=.*|libdir=$(LIBDIR)|' \
		libomx/omx.pc > $(DESTDIR)$(PKGCONFIGDIR)/omx.pc
	install -m 0755 $(INST_TOOLS) $(DESTDIR)$(BINDIR)/
	install -m 0755 tools/omx_init $(DESTDIR)$(SBINDIR)/
	$(if $(INST_BPF),install -D -m 0644 $(INST_BPF) $(DESTDIR)$(PREFIX)/lib/omx/$(notdir $(INST_BPF)))
	for m in $(INST_MANS); do \
		install -D -m 0644 $$m $(DESTDIR)$(MANDIR)/man$${m##*.}/$$(basename $$m) || exit 1; \
	done
	$(if $(INST_FABRIC),install -D -m 0755 $(INST_FABRIC) $(DESTDIR)$(FABRIC_PROVDIR)/libomx-fi.so)
	install -D -m 0644 wireshark/omx.lua $(DESTDIR)$(WIRESHARK_LUADIR)/omx.lua
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' tools/omx.service > $(DESTDIR)$(UNITDIR)/omx.service
	install -m 0644 tools/90-omx.rules $(DESTDIR)$(UDEVRULESDIR)/
	test -e $(DESTDIR)$(SYSCONFDIR)/omx/omx.conf || \
		install -m 0644 etc/omx.conf $(DESTDIR)$(SYSCONFDIR)/omx/omx.conf
	@if [ -z "$(DESTDIR)" ]; then $(LDCONFIG); fi

uninstall:
	rm -f $(addprefix $(DESTDIR)$(LIBDIR)/,libomx.so.0 libomx.so libmyriexpress.so libomx.a)
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/,$(notdir $(INST_HDRS)))
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/omx.pc
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(INST_TOOLS)))
	rm -f $(DESTDIR)$(SBINDIR)/omx_init
	rm -f $(DESTDIR)$(PREFIX)/lib/omx/omx_xdp_steer.bpf.o
	-rmdir $(DESTDIR)$(PREFIX)/lib/omx 2> /dev/null
	for m in $(INST_MANS); do rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$$(basename $$m); done
	rm -f $(DESTDIR)$(MODDIR)/omx.ko $(DESTDIR)$(UNITDIR)/omx.service
	rm -f $(DESTDIR)$(FABRIC_PROVDIR)/libomx-fi.so
	rm -f $(DESTDIR)$(WIRESHARK_LUADIR)/omx.lua
	rm -f $(DESTDIR)$(UDEVRULESDIR)/90-omx.rules
	# an edited configuration stays
	! cmp -s etc/omx.conf $(DESTDIR)$(SYSCONFDIR)/omx/omx.conf || \
		rm -f $(DESTDIR)$(SYSCONFDIR)/omx/omx.conf
	-rmdir $(DESTDIR)$(SYSCONFDIR)/omx 2> /dev/null
	@if [ -z "$(DESTDIR)" ]; then $(DEPMOD) -a $(KVER) && $(LDCONFIG); fi
