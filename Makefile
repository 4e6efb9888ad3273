# SPDX-License-Identifier: GPL-2.0
#
# xen-netmq: the targets users type.  Everything the build and the tests
# need is installed by scripts/deps, from Debian's packages, on first use.
#
#   make / make modules   both modules against the 6.12 headers (KDIR=...)
#   make modules-6.1      the same against Debian's 6.1 headers
#   make modules-newest   the same against the newest kernel Debian ships
#                         (trixie-backports' source, prepared once in .cache)
#   make modules-newest-lab  the same for Debian's image of that kernel
#                         (what the lab boots with --kernel newest)
#   make static           W=1 -Werror (6.12, 6.1, newest), sparse,
#                         checkpatch --strict, kernel-doc
#   make kunit            the KUnit suites under UML, in-tree from the series
#   make lab              the main job: our drivers on an emulated Xen host
#   make lab-newest       ours/ours on that image, in dom0 and the guest:
#                         smoke negotiate traffic channels
#   make check            every test: static, kunit, the lab suite
#   make soak             the lab suite at its long counts
#   make bench            ours against Debian's stock drivers, side by side
#                         (QUICK=1: short; ONLY=xdp: the XDP cases only)
#   make mutants          the lab suite must fail on each tests/mutants/ bug
#   make hostile-report   the hostile-peer cases, ours and Debian's, into Documentation/testing.rst
#   make install / dkms   install on a real host (updates/, depmod) / via DKMS
#   make dkms-remove      undo make dkms (KVER=... for either: a named kernel)
#   make patches          the drivers as a 6-patch series for linux-source-6.12
#   make patches-check    git am it on a fresh 6.12 tree: build, checkpatch, KUnit

TOP := $(CURDIR)
CACHE ?= $(TOP)/.cache
DEPS := $(TOP)/scripts/deps
VERSIONS := $(CACHE)/versions.mk

# versions.mk is written by scripts/deps; create it before reading it
# (not for make dkms or dkms-remove alone: they build for the host's kernel
# and need neither of the lab's).
DKMS_ONLY := $(if $(MAKECMDGOALS),$(if $(filter-out dkms dkms-remove,$(MAKECMDGOALS)),,1))
$(if $(DKMS_ONLY),,$(shell [ -f $(VERSIONS) ] || CACHE=$(CACHE) $(DEPS) build >&2))
-include $(VERSIONS)

KDIR ?= /lib/modules/$(KVER)/build
KDIR61 ?= /lib/modules/$(KVER61)/build
BUILD61 := $(CACHE)/build-6.1
BUILDNEW := $(CACHE)/build-newest
BUILDNEWLAB := $(CACHE)/build-newest-lab

export CACHE KVER KVER61 KSRC KIMAGE

.PHONY: all modules modules-6.1 modules-newest modules-newest-lab static \
	kunit lab lab-newest check soak bench mutants hostile-report install \
	dkms dkms-remove patches patches-check clean deps

all: modules

deps:
	$(DEPS) all

modules:
	@$(DEPS) build
	$(MAKE) -C $(KDIR) M=$(TOP) modules

# copy-tree DIR: a fresh copy of the sources in DIR, for a build against
# another kernel, so that two kernels' objects never mix.
define copy-tree
	@rm -rf $(1) && mkdir -p $(1)
	@tar -C $(TOP) --exclude=./.cache --exclude=./.git --exclude='*.o' \
		--exclude='*.ko' --exclude='*.cmd' -cf - . | tar -C $(1) -xf -
endef

modules-6.1:
	@$(DEPS) build
	$(call copy-tree,$(BUILD61))
	$(MAKE) -C $(KDIR61) M=$(BUILD61) modules

# The tree scripts/deps prepares is named in versions.mk, which may only
# get that line from the deps run of this very recipe: read it there.
modules-newest:
	@$(DEPS) newest
	$(call copy-tree,$(BUILDNEW))
	$(MAKE) -C "$$(sed -n 's/^KSRCNEW := //p' $(VERSIONS))" \
		M=$(BUILDNEW) modules

# The lab's newest kernel is Debian's image, which loads only modules with
# its own release and struct module: they are built against the tree
# scripts/deps lab-newest prepares from that image's config (not KSRCNEW's;
# scripts/deps says why), in BUILDNEWLAB, where scripts/xenlab looks.
modules-newest-lab:
	@$(DEPS) lab-newest
	$(call copy-tree,$(BUILDNEWLAB))
	$(MAKE) -C "$$(sed -n 's/^KDIRNEW := //p' $(VERSIONS))" \
		M=$(BUILDNEWLAB) modules

static:
	@$(TOP)/scripts/static

kunit:
	@$(TOP)/scripts/kunit

lab:
	@$(TOP)/scripts/lab-demo

lab-newest: modules-newest-lab
	@$(TOP)/scripts/xenlab run --kernel newest --backend ours \
		--frontend ours --frontend-queues 4 smoke negotiate traffic channels

check:
	@$(TOP)/scripts/check

soak:
	@XENLAB_SOAK=1 $(TOP)/scripts/check --lab-only

bench:
	@$(TOP)/scripts/bench $(if $(QUICK),--quick) $(if $(ONLY),--only $(ONLY))

mutants:
	@$(TOP)/scripts/mutants

hostile-report:
	@$(TOP)/scripts/hostile-report --run --readme $(TOP)/Documentation/testing.rst

install: modules
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(KVER)

# make dkms is for the running kernel unless KVER= is on the command line
# (versions.mk's KVER is the lab's kernel, not the host's); REMOVE=1 is
# make dkms-remove.
DKMS_KVER = $(if $(filter command line,$(origin KVER)),$(KVER))

dkms:
	@$(TOP)/scripts/dkms-register $(if $(REMOVE),--remove) $(DKMS_KVER)

dkms-remove:
	@$(TOP)/scripts/dkms-register --remove $(DKMS_KVER)

patches:
	@$(TOP)/scripts/export-patches

patches-check:
	@$(TOP)/scripts/patches-check

# kbuild's own clean would also delete every *.ko under .cache (the lab's
# stock modules): remove only what the build made in our folders.
clean:
	@$(TOP)/scripts/clean-objects
	rm -rf $(BUILD61) $(BUILDNEW) $(BUILDNEWLAB)
