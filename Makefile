# spapr-ddw build.  ./configure writes $(BUILD)/config.mak; plain `make`
# runs it with defaults first.
#
#   make            build/spapr-ddw and the tests
#   make check      unit tests + qtests ("N passed, N failed" at the end)
#   make check-slow also the long randomized runs
#   make bench      performance figures
#   make run        the DDW bring-up demo on a 4 GiB pseries-2.7 machine
#   make check-conformance   compare with real QEMU 7.2 (../shared)
#   make check-vfio-conformance   the DMA scenarios through vfio-pci
#   make check-powernv       VFIO on a real Linux SPAPR TCE v2 IOMMU
#                            (PowerNV host under TCG, docs/devel/powernv.md)
#   make check-libvirt       Debian's libvirt 9.0 starts, migrates and
#                            destroys it (docs/devel/libvirt.md)
#   make check-qemu-qtests   QEMU 7.2's own qtest programs (Debian's qemu
#                            source, built once into ~/.cache) against us

BUILD ?= build
PYTHON ?= python3
V ?=
Q := $(if $(V),,@)

all:

# A fresh machine gets its Debian packages first (as root; else the command
# to run is printed), then the default configuration.
$(BUILD)/config.mak:
	scripts/install-deps.sh
	./configure --builddir=$(BUILD)

-include $(BUILD)/config.mak

SRC_DIRS := util qom crypto trace hw/core system chardev hw/pci hw/ppc hw/misc \
            hw/vfio migration monitor
TRACE_DIRS := $(patsubst %/trace-events,%,$(wildcard $(addsuffix /trace-events,$(SRC_DIRS))))
TRACE_GROUPS := $(subst /,_,$(TRACE_DIRS))
TRACE_H := $(patsubst %,$(BUILD)/trace/trace-%.h,$(TRACE_GROUPS))
TRACE_C := $(patsubst %,$(BUILD)/trace/trace-%.c,$(TRACE_GROUPS))

LIB_SRCS := $(filter-out system/main.c,$(wildcard $(addsuffix /*.c,$(SRC_DIRS))))
LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS)) \
            $(patsubst $(BUILD)/trace/%.c,$(BUILD)/obj/trace-gen/%.o,$(TRACE_C))
BIN := $(BUILD)/spapr-ddw

UNIT_SRCS := $(wildcard tests/unit/test-*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))
# Helpers shared by unit tests (tests/unit/*.c other than test-*.c).
UNIT_HELPER_SRCS := $(filter-out $(UNIT_SRCS),$(wildcard tests/unit/*.c))
UNIT_HELPER_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(UNIT_HELPER_SRCS))
LIBQOS_SRCS := tests/qtest/libqtest.c $(wildcard tests/qtest/libqos/*.c)
LIBQOS_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIBQOS_SRCS))
QTEST_SRCS := $(wildcard tests/qtest/*-test.c)
QTEST_BINS := $(patsubst tests/qtest/%.c,$(BUILD)/tests/qtest/%,$(QTEST_SRCS))
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))
FUZZ_SRCS := $(wildcard tests/fuzz/*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/tests/fuzz/%,$(FUZZ_SRCS))
TOOL_SRCS := $(wildcard tools/*.c)
TOOL_BINS := $(patsubst tools/%.c,$(BUILD)/tools/%,$(TOOL_SRCS))

# Programs run inside a PowerNV host by `make check-powernv`: qtest
# clients (*-qtest.c), and in-process users of the library (*-kernel.c)
POWERNV_QTEST_BINS := $(patsubst tests/powernv/%.c,$(BUILD)/tests/powernv/%,\
                      $(wildcard tests/powernv/*-qtest.c))
POWERNV_KERNEL_BINS := $(patsubst tests/powernv/%.c,$(BUILD)/tests/powernv/%,\
                       $(wildcard tests/powernv/*-kernel.c))
POWERNV_BINS := $(POWERNV_QTEST_BINS) $(POWERNV_KERNEL_BINS)

CPPFLAGS := -I. -Iinclude -I$(BUILD) -Itests/qtest
ALL_CFLAGS = $(QEMU_CFLAGS) $(CPPFLAGS) -MMD -MP

.PHONY: all check check-unit check-qtest check-slow bench run clean \
        check-conformance check-vfio-conformance check-sanitizers \
        distclean check-powernv powernv-bins check-libvirt \
        check-qemu-qtests
all: $(BIN) $(UNIT_BINS) $(QTEST_BINS) $(BENCH_BINS) $(FUZZ_BINS) \
     $(TOOL_BINS)

# hw/ppc/trace-events -> $(BUILD)/trace/trace-hw_ppc.{h,c}
.SECONDARY:
.SECONDEXPANSION:
$(BUILD)/trace/trace-%.h: $$(subst _,/,$$*)/trace-events scripts/tracetool.py
	@mkdir -p $(@D)
	$(Q)$(PYTHON) scripts/tracetool.py --group $* --format h $<=$@

$(BUILD)/trace/trace-%.c: $$(subst _,/,$$*)/trace-events scripts/tracetool.py
	@mkdir -p $(@D)
	$(Q)$(PYTHON) scripts/tracetool.py --group $* --format c $<=$@

$(BUILD)/obj/trace-gen/%.o: $(BUILD)/trace/%.c | $(TRACE_H)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.c $(BUILD)/config.mak | $(TRACE_H)
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Types, RTAS calls and hcalls register from constructors: link every
# object file rather than an archive that would drop unreferenced ones.
$(BIN): $(BUILD)/obj/system/main.o $(LIB_OBJS)
	@echo "  LINK    $@"
	$(Q)$(CC) $(QEMU_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/unit/%: $(BUILD)/obj/tests/unit/%.o $(UNIT_HELPER_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(QEMU_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/qtest/%: $(BUILD)/obj/tests/qtest/%.o $(LIBQOS_OBJS)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(QEMU_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(LIBQOS_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(QEMU_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/fuzz/%: $(BUILD)/obj/tests/fuzz/%.o $(LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(QEMU_LDFLAGS) -o $@ $^ $(LIBS)

# Tools drive the binary over qtest, like the qtests.
$(BUILD)/tools/%: $(BUILD)/obj/tools/%.o $(LIBQOS_OBJS)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(QEMU_LDFLAGS) -o $@ $^ $(LIBS)

$(POWERNV_QTEST_BINS): $(BUILD)/tests/powernv/%: \
        $(BUILD)/obj/tests/powernv/%.o $(LIBQOS_OBJS)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(QEMU_LDFLAGS) -o $@ $^ $(LIBS)

$(POWERNV_KERNEL_BINS): $(BUILD)/tests/powernv/%: \
        $(BUILD)/obj/tests/powernv/%.o $(UNIT_HELPER_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(QEMU_LDFLAGS) -o $@ $^ $(LIBS)

all: $(POWERNV_BINS)

# What the PowerNV host runs (tests/powernv/cross-build.sh builds these
# with BUILD=build-ppc64le)
powernv-bins: $(BIN) $(QTEST_BINS) $(POWERNV_BINS)

# A real Linux SPAPR TCE v2 IOMMU in a PowerNV host under TCG: see
# docs/devel/powernv.md.  Prints "SKIP: ..." when it cannot run here.
check-powernv:
	@tests/powernv/run.sh

# Debian 12's libvirt 9.0 manages the program (tests/libvirt/run.sh):
# private libvirtds, a pseries domain, DDW over qtest, live migration.
check-libvirt: $(BIN) $(BUILD)/tools/qtest-ddw
	@tests/libvirt/run.sh $(BIN)

QEMU_QTESTS_CACHE ?= $(HOME)/.cache/spapr-ddw/qemu-qtests
check-qemu-qtests: $(BIN)
	@scripts/install-deps.sh --qemu-qtests
	@tests/qemu-qtests/fetch.sh $(QEMU_QTESTS_CACHE)
	@tests/qemu-qtests/build.sh $(QEMU_QTESTS_CACHE)
	@$(PYTHON) tests/qemu-qtests/run.py $(QEMU_QTESTS_CACHE) $(BIN)

check: all
	@SPAPR_DDW_BIN=$(BIN) $(PYTHON) scripts/run-tests.py $(UNIT_BINS) $(QTEST_BINS) $(FUZZ_BINS)

check-unit: $(UNIT_BINS)
	@$(PYTHON) scripts/run-tests.py $(UNIT_BINS)

check-qtest: $(BIN) $(QTEST_BINS)
	@SPAPR_DDW_BIN=$(BIN) $(PYTHON) scripts/run-tests.py $(QTEST_BINS)

check-slow: all
	@SPAPR_DDW_BIN=$(BIN) SPAPR_DDW_SLOW=1 $(PYTHON) scripts/run-tests.py $(UNIT_BINS) $(QTEST_BINS) $(FUZZ_BINS)

bench: $(BIN) $(BENCH_BINS)
	@for b in $(BENCH_BINS); do SPAPR_DDW_BIN=$(BIN) $$b || exit 1; done
	@tests/libvirt/run.sh --bench $(BIN)

run: $(BIN) $(BUILD)/tools/ddw-demo
	@$(BUILD)/tools/ddw-demo $(BIN)

# The same tests under ASAN + UBSAN, in their own build directory.
check-sanitizers:
	@test -f build-san/config.mak || ./configure --enable-sanitizers --builddir=build-san
	$(MAKE) BUILD=build-san check

check-conformance: $(BIN)
	$(PYTHON) ../shared/conformance/ddwconf.py --ours $(BIN)

check-vfio-conformance: $(BIN)
	$(PYTHON) tests/vfio-conformance.py $(BIN)

clean:
	rm -rf $(BUILD)/obj $(BUILD)/trace $(BUILD)/tests $(BUILD)/bench \
	       $(BUILD)/tools $(BIN)

distclean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
