# SPDX-License-Identifier: GPL-2.0-or-later
# Top-level build: the kernel module through kbuild, the user library,
# tools and tests through plain make. Run ./configure first.

ifeq ($(wildcard config.mk),)
$(error config.mk missing: run ./configure first (scripts/install-deps installs what it needs))
endif
include config.mk

USER_DIRS := libomx tools tests/driver tests/unit
# directories being written: built once they have a Makefile
USER_DIRS += $(patsubst %/Makefile,%,$(wildcard examples/Makefile tests/mx/Makefile))
CHECKPATCH_DIR := $(CURDIR)/.cache/checkpatch

.PHONY: all driver user $(USER_DIRS) check check-unit check-vm lint clean distclean

all: driver user

driver:
	$(MAKE) -C driver/linux KDIR=$(KDIR)

user: $(USER_DIRS)

$(USER_DIRS):
	$(MAKE) -C $@

tools tests/driver: libomx
$(filter examples tests/mx,$(USER_DIRS)): libomx

# checkpatch.pl and its data files come from Debian's linux-source tarball.
$(CHECKPATCH_DIR)/checkpatch.pl:
	@test -n "$(CHECKPATCH_TARBALL)" || { echo "no linux-source tarball: apt-get install linux-source-6.1 and rerun ./configure"; exit 1; }
	mkdir -p $(CHECKPATCH_DIR)
	tar -xJf $(CHECKPATCH_TARBALL) -C $(CHECKPATCH_DIR) --strip-components=2 \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'

lint: $(CHECKPATCH_DIR)/checkpatch.pl
	$(MAKE) -C driver/linux KDIR=$(KDIR) CHECKPATCH=$(CHECKPATCH_DIR)/checkpatch.pl check

check: all
	tests/check

check-unit: user
	tests/check --unit

check-vm: all
	tests/check --vm

clean:
	$(MAKE) -C driver/linux KDIR=$(KDIR) clean
	for d in $(USER_DIRS); do $(MAKE) -C $$d clean || exit 1; done

distclean: clean
	rm -rf config.mk .cache tests/vm/.cache tests/vm/.runs tests/vm/logs
