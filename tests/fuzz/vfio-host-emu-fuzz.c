/*
 * Randomized robustness test for the emulated POWER host
 * (vfio-spapr-host-emu).
 *
 * A seeded stream of container, group and device requests, valid and
 * malformed mixed (edge values in every field, wrong fds, wrong order),
 * is thrown at one emulated host.  The process must not abort, and:
 *  - the host's TCEs equal a shadow kept from the answers: a successful
 *    MAP_DMA sets its pages, UNMAP_DMA and TCE_REMOVE clear theirs, a
 *    failed MAP_DMA may only clear a leading part of its range (the
 *    kernel's undo), dropping the IOMMU clears everything ("nothing
 *    lost"; checked on the touched range after every step, in full
 *    every FULL_CHECK steps);
 *  - every TCE points into preregistered memory whose pages are large
 *    enough, and the regions' mapped counts add up to the TCEs;
 *  - memlock used is exactly the registered bytes plus the tables'
 *    charges, and drops to 0 when the fds are closed;
 *  - edu DMA reads memory where a TCE allows reads and zeros elsewhere,
 *    and writes only where a TCE allows writes.
 *
 * VFIO_EMU_FUZZ_SEED=N replays a run (the seed is printed),
 * SPAPR_DDW_FUZZ_COUNT=N sets the steps: 3000 in make check; 1 M in slow
 * mode (-m slow, SPAPR_DDW_SLOW=1), 212-232 s under ASAN + UBSAN on the
 * shared 2-core VM (make check-slow-sanitizers; timeout 1800 s).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "tests/fuzz/fuzz-rng.h"
#include <sys/mman.h>
#include <linux/vfio.h>
#include "qemu/timer.h"
#include "qom/object.h"
#include "hw/vfio/host-emu.h"
#include "trace/control.h"

#define KiB             (1ULL << 10)
#define MiB             (1ULL << 20)
#define GiB             (1ULL << 30)
#define DMA64           (1ULL << 59)
#define BUF_SIZE        (8 * MiB)
#define HOLE_SIZE       MiB
#define BAR0            ((uint64_t)VFIO_PCI_BAR0_REGION_INDEX << 40)
#define CFG             ((uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40)
#define FULL_CHECK      64
#define RESYNC_MAX      (1ULL << 20)
#define MAX_PAGES       64

typedef struct Fuzz {
    uint64_t rng;
    VFIOHost *h;
    uint8_t *map, *buf;
    size_t map_size;
    int container, group, device;
    uint32_t iommu;             /* 0 or the type set */
    bool attached, v1_enabled;
    GHashTable *shadow;         /* iova -> vaddr | perm */
    uint64_t steps, ok, failed, dmas;
} Fuzz;

static Fuzz fz;

static uint64_t rnd(void)
{
    return fuzz_rng_next(&fz.rng);
}

static uint64_t rnd_below(uint64_t n)
{
    return fuzz_rng_below(&fz.rng, n);
}

static bool chance(unsigned percent)
{
    return fuzz_rng_chance(&fz.rng, percent);
}

static uint64_t rnd_edge64(void)
{
    static const uint64_t edges[] = {
        0, 1, 0xfff, 0x1000, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
        1ULL << 32, DMA64 - 1, DMA64, UINT64_MAX, UINT64_MAX - 0xfff,
        INT64_MAX,
    };

    return chance(50) ? edges[rnd_below(ARRAY_SIZE(edges))] : rnd();
}

static int fz_ioctl(int fd, unsigned long req, void *arg)
{
    int ret = fz.h->ops->ioctl(fz.h, fd, req, arg);

    g_assert_cmpint(ret, <=, 1);    /* no positive surprises */
    ret ? fz.failed++ : fz.ok++;
    return ret;
}

static uint32_t rnd_argsz(uint32_t size)
{
    return chance(95) ? size : (uint32_t)rnd_below(size + 8);
}

/* Addresses in the buffer, its hole, or surely unmapped ones. */
static uint64_t rnd_vaddr(void)
{
    uint64_t off = rnd_below(BUF_SIZE + HOLE_SIZE);

    if (chance(3)) {
        return chance(50) ? 0 : 0xffff800000000000ULL + rnd_below(GiB);
    }
    if (chance(80)) {
        off &= ~(chance(80) ? 64 * KiB - 1 : 4 * KiB - 1);
    }
    return (uintptr_t)fz.buf + off;
}

/* Mostly inside a window, near its start where mappings cluster. */
static uint64_t rnd_iova(void)
{
    VFIOHostEmuWindow w[2];
    unsigned n = MIN(vfio_host_emu_windows(fz.h, w, 2), 2u);

    if (chance(3)) {
        return rnd_edge64();
    }
    if (n && chance(85)) {
        VFIOHostEmuWindow *x = &w[rnd_below(n)];

        return x->start + rnd_below(MIN(x->size, 256 * MiB));
    }
    return chance(50) ? rnd_below(4 * GiB) : DMA64 + rnd_below(64 * GiB);
}

/* An address inside a registered region, if there is one. */
static uint64_t rnd_registered(void)
{
    VFIOHostEmuPrereg p[8];
    unsigned n = MIN(vfio_host_emu_preregs(fz.h, p, 8), 8u);

    if (!n) {
        return rnd_vaddr();
    }
    n = rnd_below(n);
    return p[n].vaddr + rnd_below(p[n].size);
}

/* Shadow bookkeeping */

typedef struct Range {
    uint64_t lo, hi;            /* inclusive */
} Range;

static gboolean in_range(gpointer key, gpointer value, gpointer opaque)
{
    Range *r = opaque;
    uint64_t iova = *(uint64_t *)key;

    return iova >= r->lo && iova <= r->hi;
}

static void shadow_clear(uint64_t start, uint64_t size)
{
    Range r = { start, start + size - 1 };

    if (size) {
        g_hash_table_foreach_remove(fz.shadow, in_range, &r);
    }
}

static void shadow_set(uint64_t iova, uint64_t val)
{
    uint64_t *k = g_new(uint64_t, 1), *v = g_new(uint64_t, 1);

    *k = iova;
    *v = val;
    g_hash_table_replace(fz.shadow, k, v);
}

static uint64_t *shadow_get(uint64_t iova)
{
    return g_hash_table_lookup(fz.shadow, &iova);
}

static bool window_of(uint64_t iova, VFIOHostEmuWindow *out)
{
    VFIOHostEmuWindow w[2];
    unsigned n = MIN(vfio_host_emu_windows(fz.h, w, 2), 2u);

    for (unsigned i = 0; i < n; i++) {
        if (iova >= w[i].start && iova - w[i].start < w[i].size) {
            *out = w[i];
            return true;
        }
    }
    return false;
}

/* The host's entry for one page must be the shadow's (or the undo's). */
static void check_page(uint64_t iova, bool may_clear)
{
    uint64_t *want = shadow_get(iova), vaddr;
    int perm;
    bool have = vfio_host_emu_lookup(fz.h, iova, &vaddr, &perm);

    if (have) {
        g_assert_nonnull(want);
        g_assert_cmphex(vaddr | perm, ==, *want);
    } else if (want) {
        g_assert_true(may_clear);
        g_hash_table_remove(fz.shadow, &iova);
    }
}

static void op_attach(void);

/* Setup and teardown */

static void fz_open(void)
{
    fz.container = fz.h->ops->open_container(fz.h);
    fz.group = fz.h->ops->open_group(fz.h);
    fz.device = -1;
    fz.iommu = 0;
    fz.attached = fz.v1_enabled = false;
    g_assert_cmpint(fz.container, >=, 0);
    g_assert_cmpint(fz.group, >=, 0);
    if (chance(90)) {
        op_attach();
    }
}

static void fz_close_all(void)
{
    if (fz.device >= 0) {
        fz.h->ops->close(fz.h, fz.device);
    }
    fz.h->ops->close(fz.h, fz.group);
    fz.h->ops->close(fz.h, fz.container);
    g_hash_table_remove_all(fz.shadow);
    g_assert_cmpuint(vfio_host_emu_memlock_used(fz.h), ==, 0);
    g_assert_null(vfio_host_emu_iommu(fz.h));
}

/* Operations */

static void op_attach(void)
{
    uint32_t junk[] = { VFIO_TYPE1_IOMMU, 0, VFIO_EEH, UINT32_MAX };
    uint32_t type = chance(80) ? VFIO_SPAPR_TCE_v2_IOMMU :
                    chance(50) ? VFIO_SPAPR_TCE_IOMMU :
                    junk[rnd_below(ARRAY_SIZE(junk))];
    int ret;

    if (!fz.attached || chance(10)) {
        ret = fz_ioctl(fz.group, VFIO_GROUP_SET_CONTAINER, &fz.container);
        g_assert_true(fz.attached ? ret == -EINVAL : ret == 0);
        fz.attached = true;
    }
    ret = fz_ioctl(fz.container, VFIO_SET_IOMMU, (void *)(uintptr_t)type);
    if (!ret) {
        g_assert_cmpuint(fz.iommu, ==, 0);
        fz.iommu = type;
    }
}

static void op_detach(void)
{
    int ret = fz_ioctl(fz.group, VFIO_GROUP_UNSET_CONTAINER, NULL);

    if (fz.device >= 0 && fz.attached) {
        g_assert_cmpint(ret, ==, -EBUSY);
    } else if (!ret) {
        fz.attached = false;
        fz.iommu = 0;
        fz.v1_enabled = false;
        g_hash_table_remove_all(fz.shadow);
    }
}

static void op_register(bool unregister)
{
    struct vfio_iommu_spapr_register_memory r = {
        .argsz = rnd_argsz(sizeof(r)),
        .flags = chance(97) ? 0 : rnd(),
        .vaddr = rnd_vaddr(),
        .size = chance(95) ? (1 + rnd_below(32)) * 64 * KiB : rnd_edge64(),
    };

    fz_ioctl(fz.container, unregister ? VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY
                                      : VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &r);
}

static void op_map(void)
{
    struct vfio_iommu_type1_dma_map m = {
        .argsz = rnd_argsz(sizeof(m)),
        .flags = chance(97) ? 1 + rnd_below(3) : rnd(),
        .vaddr = rnd_vaddr(),
    };
    VFIOHostEmuWindow w = { 0 };
    bool in_win;
    uint64_t ps;
    int ret;

    m.iova = rnd_iova();
    if (chance(80)) {
        m.vaddr = rnd_registered();
    }
    in_win = window_of(m.iova, &w);
    ps = in_win ? 1ULL << w.page_shift : 4 * KiB;
    if (chance(90)) {
        m.iova &= ~(ps - 1);
        m.vaddr &= ~(ps - 1);
    }
    m.size = chance(95) ? (1 + rnd_below(MAX_PAGES)) * ps : rnd_edge64();
    ret = fz_ioctl(fz.container, VFIO_IOMMU_MAP_DMA, &m);
    /* The pending default window may have appeared. */
    in_win = window_of(m.iova, &w);
    if (!in_win || m.size > w.size || m.size / (1ULL << w.page_shift) >
        RESYNC_MAX) {
        return;
    }
    ps = 1ULL << w.page_shift;
    for (uint64_t i = 0; !ret && i < m.size / ps; i++) {
        shadow_set(m.iova + i * ps, (m.vaddr + i * ps) | (m.flags & 3));
    }
    for (uint64_t i = 0; ret && i < m.size / ps &&
         m.iova + i * ps - w.start < w.size; i++) {
        check_page((m.iova & ~(ps - 1)) + i * ps, true);
    }
}

static void op_unmap(void)
{
    struct vfio_iommu_type1_dma_unmap u = {
        .argsz = rnd_argsz(sizeof(u)),
        .flags = chance(97) ? 0 : rnd(),
    };
    VFIOHostEmuWindow w;
    uint64_t ps;

    u.iova = rnd_iova();
    ps = window_of(u.iova, &w) ? 1ULL << w.page_shift : 4 * KiB;
    u.iova &= chance(90) ? ~(ps - 1) : UINT64_MAX;
    u.size = chance(95) ? (1 + rnd_below(MAX_PAGES)) * ps : rnd_edge64();
    if (chance(2)) {
        u.iova = rnd_edge64();
    }
    if (!fz_ioctl(fz.container, VFIO_IOMMU_UNMAP_DMA, &u)) {
        shadow_clear(u.iova, u.size);
    }
}

static void op_create(void)
{
    static const unsigned shifts[] = { 12, 12, 16, 16, 24, 13, 28, 63, 200 };
    struct vfio_iommu_spapr_tce_create c = {
        .argsz = rnd_argsz(sizeof(c)),
        .flags = chance(97) ? 0 : rnd(),
        .page_shift = shifts[rnd_below(ARRAY_SIZE(shifts))],
        .levels = rnd_below(7),
    };

    c.window_size = chance(90) ? 1ULL << MIN(c.page_shift + rnd_below(30),
                                              63u)
                               : rnd_edge64();
    fz_ioctl(fz.container, VFIO_IOMMU_SPAPR_TCE_CREATE, &c);
}

static void op_remove(void)
{
    struct vfio_iommu_spapr_tce_remove r = {
        .argsz = rnd_argsz(sizeof(r)),
        .flags = chance(97) ? 0 : rnd(),
    };
    VFIOHostEmuWindow w;

    r.start_addr = chance(45) ? 0 : chance(80) ? DMA64 : rnd_edge64();
    if (window_of(r.start_addr, &w) && !fz_ioctl(fz.container,
                                                 VFIO_IOMMU_SPAPR_TCE_REMOVE,
                                                 &r)) {
        g_assert_cmphex(w.start, ==, r.start_addr);
        shadow_clear(w.start, w.size);
    } else {
        fz_ioctl(fz.container, VFIO_IOMMU_SPAPR_TCE_REMOVE, &r);
    }
}

static void op_device(void)
{
    uint16_t cmd = chance(80) ? 6 : rnd_below(8);

    if (fz.device < 0) {
        int fd = fz.h->ops->ioctl(fz.h, fz.group, VFIO_GROUP_GET_DEVICE_FD,
                                  chance(95) ? fz.h->device_name
                                             : "0000:00:1f.7");

        if (fd < 0) {
            return;
        }
        fz.device = fd;
    } else if (chance(20)) {
        fz.h->ops->close(fz.h, fz.device);
        fz.device = -1;
        return;
    }
    g_assert_cmpint(fz.h->ops->pwrite(fz.h, fz.device, &cmd, 2, CFG + 4),
                    ==, 2);
}

/* Requests that leave mappings alone, with random contents. */
static void op_garbage(void)
{
    static const unsigned long reqs[] = {
        VFIO_GET_API_VERSION, VFIO_CHECK_EXTENSION,
        VFIO_IOMMU_SPAPR_TCE_GET_INFO, VFIO_EEH_PE_OP, VFIO_GROUP_GET_STATUS,
        VFIO_DEVICE_GET_INFO, VFIO_DEVICE_GET_REGION_INFO,
        VFIO_DEVICE_GET_IRQ_INFO, VFIO_DEVICE_RESET, VFIO_IOMMU_ENABLE,
        _IO(VFIO_TYPE, VFIO_BASE + 30), 0x1234,
    };
    int fds[] = { fz.container, fz.group, fz.device, -1, 0x100000 + 999 };
    uint64_t arg[16];
    unsigned long req = reqs[rnd_below(ARRAY_SIZE(reqs))];
    int fd = fds[rnd_below(ARRAY_SIZE(fds))];
    int ret;

    for (unsigned i = 0; i < ARRAY_SIZE(arg); i++) {
        arg[i] = chance(50) ? rnd() : rnd_below(64);
    }
    ret = fz.h->ops->ioctl(fz.h, fd, req, chance(10) ? NULL : arg);
    if (req == VFIO_IOMMU_ENABLE && fd == fz.container && !ret) {
        fz.v1_enabled = true;
    }
}

static void op_region(void)
{
    uint8_t data[64];
    uint64_t off = (chance(90) ? (chance(50) ? BAR0 : CFG) : rnd_edge64()) +
                   (chance(90) ? rnd_below(0x100) : rnd_edge64() >> 24);
    size_t len = rnd_below(sizeof(data) + 1);
    int fd = chance(90) ? fz.device : fz.container;

    if (fd < 0) {
        return;
    }
    memset(data, 0, sizeof(data));
    /* The DMA registers are op_dma's: a stray start would race it. */
    if (len && off < BAR0 + 0xa0 && off + len > BAR0 + 0x80) {
        return;
    }
    chance(50) ? fz.h->ops->pread(fz.h, fd, data, len, off)
               : fz.h->ops->pwrite(fz.h, fd, data, len, off);
}

static void edu_reg(uint64_t reg, uint64_t v)
{
    g_assert_cmpint(fz.h->ops->pwrite(fz.h, fz.device, &v, 8, BAR0 + reg),
                    ==, 8);
}

/* The device read memory where the TCE allowed it, zeros elsewhere. */
static void check_dma_read(const uint8_t *dev, uint64_t len, bool allowed,
                           uint64_t vaddr)
{
    if (allowed) {
        g_assert_cmpmem(dev, len, (void *)(uintptr_t)vaddr, len);
        return;
    }
    for (uint64_t i = 0; i < len; i++) {
        g_assert_cmpint(dev[i], ==, 0);
    }
}

/* A random address mostly from the mapped pages. */
static uint64_t dma_iova(uint64_t len)
{
    uint64_t iova;

    if (g_hash_table_size(fz.shadow) && chance(85)) {
        GList *keys = g_hash_table_get_keys(fz.shadow);

        iova = *(uint64_t *)g_list_nth_data(keys,
                                            rnd_below(g_list_length(keys)));
        g_list_free(keys);
    } else {
        iova = rnd_below(4 * GiB);
    }
    /* stay within one 4K page: every IOMMU page is at least that */
    return iova + rnd_below(4 * KiB - len + 1);
}

/* One edu transfer at a random (mostly mapped) address, checked. */
static void op_dma(void)
{
    uint8_t dev[256], before[256], pattern[256];
    uint64_t iova, vaddr = 0, len = 1 + rnd_below(sizeof(dev));
    uint16_t cmd = 0;
    bool to_memory = chance(50), ok;
    int perm = 0;

    if (fz.device < 0 ||
        fz.h->ops->pread(fz.h, fz.device, &cmd, 2, CFG + 4) != 2 ||
        !(cmd & 2)) {
        return;
    }
    iova = dma_iova(len);
    ok = (cmd & 4) && vfio_host_emu_lookup(fz.h, iova, &vaddr, &perm);
    for (uint64_t i = 0; i < len; i++) {
        pattern[i] = rnd();
    }
    g_assert_cmpint(fz.h->ops->pwrite(fz.h, fz.device, pattern, len,
                                      BAR0 + 0x40000), ==, (ssize_t)len);
    if (ok) {
        memcpy(before, (void *)(uintptr_t)vaddr, len);
    }
    edu_reg(0x80, to_memory ? 0x40000 : iova);
    edu_reg(0x88, to_memory ? iova : 0x40000);
    edu_reg(0x90, len);
    edu_reg(0x98, to_memory ? 3 : 1);
    qemu_clock_advance(qemu_clock_get_ns() + 100 * SCALE_MS + 1);
    g_assert_cmpint(fz.h->ops->pread(fz.h, fz.device, dev, len,
                                     BAR0 + 0x40000), ==, (ssize_t)len);
    if (to_memory) {
        g_assert_cmpmem(dev, len, pattern, len);
        if (ok) {
            g_assert_cmpmem((void *)(uintptr_t)vaddr, len,
                            perm & VFIO_HOST_EMU_TCE_WRITE ? pattern : before,
                            len);
        }
    } else {
        check_dma_read(dev, len, ok && (perm & VFIO_HOST_EMU_TCE_READ),
                       vaddr);
    }
    fz.dmas++;
}

/* Invariants */

typedef struct Count {
    uint64_t tces;
    bool v2;
    VFIOHostEmuPrereg p[64];
    unsigned np;
} Count;

static bool count_tce(uint64_t iova, uint64_t vaddr, int perm,
                      unsigned page_shift, void *opaque)
{
    Count *c = opaque;
    uint64_t *want = shadow_get(iova);
    bool inside = !c->v2;

    g_assert_nonnull(want);
    g_assert_cmphex(*want, ==, vaddr | perm);
    for (unsigned i = 0; i < c->np && !inside; i++) {
        inside = vaddr >= c->p[i].vaddr &&
                 vaddr - c->p[i].vaddr < c->p[i].size &&
                 c->p[i].page_shift >= page_shift;
    }
    g_assert_true(inside);
    c->tces++;
    return true;
}

static void check_invariants(bool full)
{
    VFIOHostEmuWindow w[3];
    unsigned nw = vfio_host_emu_windows(fz.h, w, 3);
    Count c = { .v2 = fz.iommu == VFIO_SPAPR_TCE_v2_IOMMU };
    uint64_t charged = 0, mapped = 0;

    g_assert_cmpuint(nw, <=, 2);
    for (unsigned i = 0; i < nw; i++) {
        g_assert_true(w[i].start == 0 || w[i].start == DMA64);
        charged += w[i].charged;
    }
    c.np = vfio_host_emu_preregs(fz.h, c.p, ARRAY_SIZE(c.p));
    g_assert_cmpuint(c.np, <=, ARRAY_SIZE(c.p));
    for (unsigned i = 0; i < c.np; i++) {
        charged += c.p[i].size;
        mapped += c.p[i].mapped;
    }
    if (!fz.v1_enabled) {
        g_assert_cmpuint(vfio_host_emu_memlock_used(fz.h), ==, charged);
    }
    if (!full) {
        return;
    }
    g_assert_true(vfio_host_emu_foreach_tce(fz.h, count_tce, &c));
    g_assert_cmpuint(c.tces, ==, g_hash_table_size(fz.shadow));
    if (c.v2) {
        g_assert_cmpuint(mapped, ==, c.tces);
    }
}

static void fuzz_step(void)
{
    unsigned r = rnd_below(100);

    if (r < 4) {
        op_attach();
    } else if (r < 5) {
        op_detach();
    } else if (r < 17) {
        op_register(false);
    } else if (r < 21) {
        op_register(true);
    } else if (r < 46) {
        op_map();
    } else if (r < 58) {
        op_unmap();
    } else if (r < 64) {
        op_create();
    } else if (r < 68) {
        op_remove();
    } else if (r < 72) {
        op_device();
    } else if (r < 84) {
        op_dma();
    } else if (r < 90) {
        op_region();
    } else if (r < 98) {
        op_garbage();
    } else {
        fz_close_all();
        fz_open();
    }
}

static void fuzz_setup(void)
{
    g_autoptr(GHashTable) props = g_hash_table_new(g_str_hash, g_str_equal);
    Error *err = NULL;

    g_hash_table_insert(props, "memlock-limit", "96M");
    g_hash_table_insert(props, "page-size", "4096");   /* a 4K kernel */
    g_assert_nonnull(user_creatable_add(TYPE_VFIO_SPAPR_HOST_EMU, "fz",
                                        props, &err));
    fz.h = vfio_host_emu_find("fz", &err);
    g_assert_nonnull(fz.h);
    fz.map_size = BUF_SIZE + HOLE_SIZE + 64 * KiB;
    fz.map = mmap(NULL, fz.map_size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    g_assert_true(fz.map != MAP_FAILED);
    fz.buf = (uint8_t *)QEMU_ALIGN_UP((uintptr_t)fz.map, 64 * KiB);
    madvise(fz.buf, BUF_SIZE, MADV_NOHUGEPAGE);
    munmap(fz.buf + BUF_SIZE, HOLE_SIZE);
    for (uint64_t i = 0; i < BUF_SIZE; i++) {
        fz.buf[i] = i * 13;
    }
    fz.shadow = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
                                      g_free);
    fz_open();
}

static void fuzz_teardown(void)
{
    uint8_t *hole_end = fz.buf + BUF_SIZE + HOLE_SIZE;

    fz_close_all();
    g_hash_table_destroy(fz.shadow);
    g_assert_true(user_creatable_del("fz", NULL));
    if (fz.buf > fz.map) {
        munmap(fz.map, fz.buf - fz.map);
    }
    munmap(fz.buf, BUF_SIZE);
    if (hole_end < fz.map + fz.map_size) {
        munmap(hole_end, fz.map + fz.map_size - hole_end);
    }
}

static void test_host_emu_fuzz(void)
{
    uint64_t steps = fuzz_run_count(3000, 1000000);

    fz.rng = fuzz_run_seed("VFIO_EMU_FUZZ_SEED", steps);
    if (g_getenv("VFIO_EMU_FUZZ_TRACE")) {
        trace_enable_events("vfio_host_emu_*");
    }
    fuzz_setup();
    for (fz.steps = 0; fz.steps < steps; fz.steps++) {
        fuzz_step();
        check_invariants(fz.steps % FULL_CHECK == FULL_CHECK - 1);
    }
    check_invariants(true);
    g_test_message("%" PRIu64 " requests answered 0, %" PRIu64
                   " refused, %" PRIu64 " DMAs checked", fz.ok, fz.failed,
                   fz.dmas);
    fuzz_teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vfio-host-emu/fuzz", test_host_emu_fuzz);
    return g_test_run();
}
