/*
 * The emulated POWER host for VFIO: the -object, its file descriptors and
 * the container and group requests.
 *
 * DOC: vfio-spapr-host-emu
 *
 * "-object vfio-spapr-host-emu,id=ID[,iommu-pgsizes=MASK][,max-levels=N]
 * [,memlock-limit=SIZE][,page-size=4096|65536]" is one host IOMMU group holding one edu PCI
 * function (VFIO_HOST_EMU_DEVICE_NAME) behind a PHB3-like IOMMU.  The
 * container code reaches it through the VFIOHostOps of its VFIOHost
 * (vfio_host_emu_find()), issuing the requests of <linux/vfio.h> exactly as
 * to /dev/vfio: open_container and open_group return emulated fds (from
 * EMU_FD_BASE, so they never alias real ones); ioctl takes the request and
 * its argument as ioctl(2) would, integers passed as (void *)(uintptr_t)V;
 * pread/pwrite reach the device fd's regions at index << 40.  Every call
 * returns >= 0 or -errno.
 *
 * Options: iommu-pgsizes (the DDW page sizes offered, default PHB3's
 * 4K|64K|16M|256M; 4K is required: the default window uses it),
 * max-levels (1..5, default 5) and memlock-limit (default unlimited; when
 * set, registered memory plus TCE tables beyond it get ENOMEM, as
 * RLIMIT_MEMLOCK does) and page-size (the kernel's base page size:
 * 65536 by default, as Debian's ppc64el kernel; 4096 for a 4K kernel; it
 * decides which IOMMU pages ordinary memory can back).  Bad values are
 * configuration errors.
 *
 * Lifetimes are the kernel's: a container lives while its fd is open or a
 * group is attached; detaching the last group drops its IOMMU (windows and
 * registered memory); the group can be opened once at a time, and its
 * device fds keep it (and its container) in use: UNSET_CONTAINER is EBUSY
 * then.  VFIO_EEH_PE_OP is a container request, as in the kernel.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include <linux/vfio.h>
#include "qemu/cutils.h"
#include "exec/memory.h"
#include "qom/object.h"
#include "internal.h"
#include "trace.h"

#define VFIO_HOST_EMU(obj) \
    OBJECT_CHECK(VFIOHostEmu, (obj), TYPE_VFIO_SPAPR_HOST_EMU)
#define EMU_MAX_NAME        4096

int emu_refuse(const char *req, int err, const char *why)
{
    trace_vfio_host_emu_refuse(req, err, why);
    return -err;
}

VFIOHostEmu *vfio_host_emu_from(VFIOHost *h)
{
    return h->opaque;
}

static int emu_new_fd(VFIOHostEmu *s, EmuFileKind kind, EmuContainer *c)
{
    EmuFile *f;
    int fd;

    if (g_hash_table_size(s->files) >= EMU_MAX_FILES) {
        return emu_refuse("open", EMFILE, "too many open files");
    }
    do {
        fd = s->next_fd++;
        if (s->next_fd == INT_MAX) {
            s->next_fd = EMU_FD_BASE;
        }
    } while (g_hash_table_contains(s->files, GINT_TO_POINTER(fd)));
    f = g_new0(EmuFile, 1);
    f->kind = kind;
    f->container = c;
    g_hash_table_insert(s->files, GINT_TO_POINTER(fd), f);
    trace_vfio_host_emu_open(kind == EMU_FILE_CONTAINER ? "container" :
                             kind == EMU_FILE_GROUP ? "group" : "device", fd);
    return fd;
}

static EmuFile *emu_file(VFIOHostEmu *s, int fd)
{
    return g_hash_table_lookup(s->files, GINT_TO_POINTER(fd));
}

static void emu_container_free(EmuContainer *c)
{
    emu_container_release_iommu(c);
    g_ptr_array_free(c->prereg, true);
    g_free(c);
}

/* Containers */

static int emu_open_container(VFIOHost *h)
{
    VFIOHostEmu *s = vfio_host_emu_from(h);
    EmuContainer *c = g_new0(EmuContainer, 1);
    int fd;

    c->host = s;
    c->fd_open = true;
    c->prereg = g_ptr_array_new_with_free_func(g_free);
    fd = emu_new_fd(s, EMU_FILE_CONTAINER, c);
    if (fd < 0) {
        emu_container_free(c);
    }
    return fd;
}

static int emu_check_extension(uintptr_t ext)
{
    switch (ext) {
    case VFIO_SPAPR_TCE_IOMMU:
    case VFIO_SPAPR_TCE_v2_IOMMU:
    case VFIO_EEH:
        return 1;
    default:
        return 0;
    }
}

static int emu_set_iommu(EmuContainer *c, uintptr_t type)
{
    if (!c->has_group || c->iommu != EMU_IOMMU_NONE) {
        return emu_refuse("SET_IOMMU", EINVAL, "no group or already set");
    }
    if (type != VFIO_SPAPR_TCE_IOMMU && type != VFIO_SPAPR_TCE_v2_IOMMU) {
        return emu_refuse("SET_IOMMU", ENODEV, "no such IOMMU type");
    }
    c->iommu = type == VFIO_SPAPR_TCE_v2_IOMMU ? EMU_IOMMU_V2 : EMU_IOMMU_V1;
    emu_container_attach_iommu(c);
    trace_vfio_host_emu_set_iommu(type);
    return 0;
}

static int emu_eeh_pe_op(EmuContainer *c, struct vfio_eeh_pe_op *op)
{
    if (!op) {
        return emu_refuse("EEH_PE_OP", EFAULT, "no argument");
    }
    if (op->argsz < offsetof(struct vfio_eeh_pe_op, op) + sizeof(op->op) ||
        op->flags) {
        return emu_refuse("EEH_PE_OP", EINVAL, "argsz or flags");
    }
    switch (op->op) {
    case VFIO_EEH_PE_GET_STATE:
        return VFIO_EEH_PE_STATE_NORMAL;
    case VFIO_EEH_PE_DISABLE:
    case VFIO_EEH_PE_ENABLE:
    case VFIO_EEH_PE_UNFREEZE_IO:
    case VFIO_EEH_PE_UNFREEZE_DMA:
    case VFIO_EEH_PE_RESET_DEACTIVATE:
    case VFIO_EEH_PE_RESET_HOT:
    case VFIO_EEH_PE_RESET_FUNDAMENTAL:
    case VFIO_EEH_PE_CONFIGURE:
        return 0;
    default:
        return emu_refuse("EEH_PE_OP", EINVAL, "unsupported operation");
    }
}

static int emu_container_ioctl(EmuContainer *c, unsigned long req,
                               void *arg)
{
    switch (req) {
    case VFIO_GET_API_VERSION:
        return VFIO_API_VERSION;
    case VFIO_CHECK_EXTENSION:
        return emu_check_extension((uintptr_t)arg);
    case VFIO_SET_IOMMU:
        return emu_set_iommu(c, (uintptr_t)arg);
    }
    if (c->iommu == EMU_IOMMU_NONE) {
        return emu_refuse("container", EINVAL, "no IOMMU type set");
    }
    if (req == VFIO_EEH_PE_OP) {
        return emu_eeh_pe_op(c, arg);
    }
    return emu_container_tce_ioctl(c, req, arg);
}

/* The group */

static int emu_open_group(VFIOHost *h)
{
    VFIOHostEmu *s = vfio_host_emu_from(h);
    int fd;

    /* Device fds hold the group file, as in the kernel. */
    if (s->group_open || s->dev.open_count) {
        return emu_refuse("open group", EBUSY, "group already open");
    }
    fd = emu_new_fd(s, EMU_FILE_GROUP, NULL);
    if (fd >= 0) {
        s->group_open = true;
    }
    return fd;
}

static void emu_group_detach(VFIOHostEmu *s)
{
    EmuContainer *c = s->group_container;

    s->group_container = NULL;
    c->has_group = false;
    emu_container_release_iommu(c);
    if (!c->fd_open) {
        emu_container_free(c);
    }
}

static int emu_group_set_container(VFIOHostEmu *s, const int32_t *cfd)
{
    EmuFile *f;

    if (!cfd) {
        return emu_refuse("GROUP_SET_CONTAINER", EFAULT, "no argument");
    }
    if (s->group_container) {
        return emu_refuse("GROUP_SET_CONTAINER", EINVAL, "already set");
    }
    f = emu_file(s, *cfd);
    if (!f) {
        return emu_refuse("GROUP_SET_CONTAINER", EBADF, "bad fd");
    }
    if (f->kind != EMU_FILE_CONTAINER) {
        return emu_refuse("GROUP_SET_CONTAINER", EBADFD, "not a container");
    }
    f->container->has_group = true;
    s->group_container = f->container;
    trace_vfio_host_emu_group("set-container", *cfd);
    return 0;
}

static int emu_group_unset_container(VFIOHostEmu *s)
{
    if (!s->group_container) {
        return emu_refuse("GROUP_UNSET_CONTAINER", EINVAL, "no container");
    }
    if (s->dev.open_count) {
        return emu_refuse("GROUP_UNSET_CONTAINER", EBUSY, "device fd open");
    }
    emu_group_detach(s);
    trace_vfio_host_emu_group("unset-container", -1);
    return 0;
}

static int emu_group_get_device_fd(VFIOHostEmu *s, const char *name)
{
    int fd;

    if (!name) {
        return emu_refuse("GROUP_GET_DEVICE_FD", EFAULT, "no argument");
    }
    if (strnlen(name, EMU_MAX_NAME) == EMU_MAX_NAME) {
        return emu_refuse("GROUP_GET_DEVICE_FD", EINVAL, "name too long");
    }
    if (strcmp(name, s->host.device_name)) {
        return emu_refuse("GROUP_GET_DEVICE_FD", ENODEV, "no such device");
    }
    if (!s->group_container ||
        s->group_container->iommu == EMU_IOMMU_NONE) {
        return emu_refuse("GROUP_GET_DEVICE_FD", EINVAL, "no IOMMU set");
    }
    fd = emu_new_fd(s, EMU_FILE_DEVICE, NULL);
    if (fd >= 0) {
        s->dev.open_count++;
    }
    return fd;
}

static int emu_group_ioctl(VFIOHostEmu *s, unsigned long req, void *arg)
{
    struct vfio_group_status *st = arg;

    switch (req) {
    case VFIO_GROUP_GET_STATUS:
        if (!st) {
            return emu_refuse("GROUP_GET_STATUS", EFAULT, "no argument");
        }
        if (st->argsz < offsetof(struct vfio_group_status, flags) +
                        sizeof(st->flags)) {
            return emu_refuse("GROUP_GET_STATUS", EINVAL, "argsz");
        }
        st->flags = VFIO_GROUP_FLAGS_VIABLE |
                    (s->group_container ? VFIO_GROUP_FLAGS_CONTAINER_SET : 0);
        return 0;
    case VFIO_GROUP_SET_CONTAINER:
        return emu_group_set_container(s, arg);
    case VFIO_GROUP_UNSET_CONTAINER:
        return emu_group_unset_container(s);
    case VFIO_GROUP_GET_DEVICE_FD:
        return emu_group_get_device_fd(s, arg);
    default:
        return emu_refuse("group", ENOTTY, "unknown request");
    }
}

/* Transport operations */

static unsigned emu_ioctl_slot(unsigned long req)
{
    unsigned nr = _IOC_NR(req) - VFIO_BASE;

    return _IOC_TYPE(req) == VFIO_TYPE && nr < EMU_IOCTL_SLOTS - 1 ?
           nr : EMU_IOCTL_SLOTS - 1;
}

static int emu_ioctl(VFIOHost *h, int fd, unsigned long req, void *arg)
{
    VFIOHostEmu *s = vfio_host_emu_from(h);
    EmuFile *f = emu_file(s, fd);
    int ret;

    s->ioctls[emu_ioctl_slot(req)]++;
    if (!f) {
        ret = emu_refuse("ioctl", EBADF, "bad fd");
    } else if (f->kind == EMU_FILE_CONTAINER) {
        ret = emu_container_ioctl(f->container, req, arg);
    } else if (f->kind == EMU_FILE_GROUP) {
        ret = emu_group_ioctl(s, req, arg);
    } else {
        ret = emu_dev_ioctl(s, req, arg);
    }
    trace_vfio_host_emu_ioctl(fd, req, ret);
    return ret;
}

static ssize_t emu_rw(VFIOHost *h, int fd, void *buf, size_t len,
                      off_t offset, bool write)
{
    VFIOHostEmu *s = vfio_host_emu_from(h);
    EmuFile *f = emu_file(s, fd);

    if (!f) {
        return emu_refuse(write ? "pwrite" : "pread", EBADF, "bad fd");
    }
    if (f->kind != EMU_FILE_DEVICE) {
        return emu_refuse(write ? "pwrite" : "pread", EINVAL, "not a device");
    }
    if (!buf && len) {
        return emu_refuse(write ? "pwrite" : "pread", EFAULT, "no buffer");
    }
    return emu_dev_rw(s, buf, len, offset, write);
}

static ssize_t emu_pread(VFIOHost *h, int fd, void *buf, size_t len,
                         off_t offset)
{
    return emu_rw(h, fd, buf, len, offset, false);
}

static ssize_t emu_pwrite(VFIOHost *h, int fd, const void *buf, size_t len,
                          off_t offset)
{
    return emu_rw(h, fd, (void *)buf, len, offset, true);
}

static void emu_close(VFIOHost *h, int fd)
{
    VFIOHostEmu *s = vfio_host_emu_from(h);
    EmuFile *f = emu_file(s, fd);

    if (!f) {
        emu_refuse("close", EBADF, "bad fd");
        return;
    }
    trace_vfio_host_emu_close(fd);
    if (f->kind == EMU_FILE_CONTAINER) {
        f->container->fd_open = false;
        if (!f->container->has_group) {
            emu_container_free(f->container);
        }
    } else if (f->kind == EMU_FILE_DEVICE) {
        if (!--s->dev.open_count) {
            emu_dev_reset(s);
        }
    } else {
        s->group_open = false;
    }
    g_hash_table_remove(s->files, GINT_TO_POINTER(fd));
    /* The group goes once neither its fd nor a device fd holds it. */
    if (!s->group_open && !s->dev.open_count && s->group_container) {
        emu_group_detach(s);
    }
}

static uint64_t emu_host_page_size(VFIOHost *h)
{
    return vfio_host_emu_from(h)->page_size;
}

static const VFIOHostOps emu_ops = {
    .name = "emu",
    .open_container = emu_open_container,
    .open_group = emu_open_group,
    .ioctl = emu_ioctl,
    .pread = emu_pread,
    .pwrite = emu_pwrite,
    .close = emu_close,
    .host_page_size = emu_host_page_size,
    .hold = vfio_host_emu_ref,
    .release = vfio_host_emu_unref,
};

/* Inspection */

static EmuContainer *emu_group_container(VFIOHost *h)
{
    return vfio_host_emu_from(h)->group_container;
}

bool vfio_host_emu_lookup(VFIOHost *h, uint64_t iova, uint64_t *vaddr,
                          int *perm)
{
    EmuContainer *c = emu_group_container(h);
    unsigned shift;
    uint64_t ua;
    int p;

    if (!c || !emu_tce_lookup(c, iova, &ua, &p, &shift)) {
        return false;
    }
    *vaddr = ua + (iova & ((1ULL << shift) - 1));
    *perm = p;
    return true;
}

unsigned vfio_host_emu_windows(VFIOHost *h, VFIOHostEmuWindow *w,
                               unsigned max)
{
    EmuContainer *c = emu_group_container(h);

    return c ? emu_windows(c, w, max) : 0;
}

bool vfio_host_emu_default_window_pending(VFIOHost *h)
{
    EmuContainer *c = emu_group_container(h);

    return c && c->def_window_pending;
}

unsigned vfio_host_emu_preregs(VFIOHost *h, VFIOHostEmuPrereg *p,
                               unsigned max)
{
    EmuContainer *c = emu_group_container(h);

    if (!c) {
        return 0;
    }
    for (unsigned i = 0; i < c->prereg->len && i < max; i++) {
        EmuPrereg *r = g_ptr_array_index(c->prereg, i);

        p[i] = (VFIOHostEmuPrereg) {
            .vaddr = r->ua, .size = r->size, .page_shift = r->page_shift,
            .mapped = r->mapped,
        };
    }
    return c->prereg->len;
}

bool vfio_host_emu_foreach_tce(VFIOHost *h, VFIOHostEmuTceFn *fn,
                               void *opaque)
{
    EmuContainer *c = emu_group_container(h);

    return !c || emu_tce_foreach(c, fn, opaque);
}

uint64_t vfio_host_emu_memlock_used(VFIOHost *h)
{
    return vfio_host_emu_from(h)->memlock_used;
}

uint64_t vfio_host_emu_ioctl_count(VFIOHost *h, unsigned long request)
{
    return vfio_host_emu_from(h)->ioctls[emu_ioctl_slot(request)];
}

const char *vfio_host_emu_iommu(VFIOHost *h)
{
    EmuContainer *c = emu_group_container(h);

    if (!c || c->iommu == EMU_IOMMU_NONE) {
        return NULL;
    }
    return c->iommu == EMU_IOMMU_V2 ? "spapr-tce-v2" : "spapr-tce-v1";
}

VFIOHost *vfio_host_emu_find(const char *id, Error **errp)
{
    Object *obj = id ? object_resolve_path_component(
                           object_get_objects_root(), id) : NULL;

    if (!obj || !object_dynamic_cast(obj, TYPE_VFIO_SPAPR_HOST_EMU)) {
        error_setg(errp, "host-emu: no -object %s with id '%s'",
                   TYPE_VFIO_SPAPR_HOST_EMU, id ? id : "");
        return NULL;
    }
    return &VFIO_HOST_EMU(obj)->host;
}

void vfio_host_emu_ref(VFIOHost *h)
{
    object_ref(OBJECT(vfio_host_emu_from(h)));
}

void vfio_host_emu_unref(VFIOHost *h)
{
    object_unref(OBJECT(vfio_host_emu_from(h)));
}

/* QOM */

static bool vfio_host_emu_complete(Object *obj, Error **errp)
{
    VFIOHostEmu *s = VFIO_HOST_EMU(obj);
    uint64_t pg = s->iommu_pgsizes;

    if (!(pg & EMU_PAGE_SIZE) || (pg & (EMU_PAGE_SIZE - 1)) ||
        (pg >> 54)) {
        error_setg(errp, "iommu-pgsizes: 0x%" PRIx64 " must be a mask of "
                   "page sizes from 4K (0x1000, required) to 2^53", pg);
        return false;
    }
    if (s->page_size != 4096 && s->page_size != 65536) {
        error_setg(errp, "page-size: %" PRIu64 " is not a POWER kernel page "
                   "size (4096 or 65536)", s->page_size);
        return false;
    }
    if (s->max_levels < 1 || s->max_levels > VFIO_HOST_EMU_MAX_LEVELS) {
        error_setg(errp, "max-levels: %" PRIu64 " is not in 1..%d",
                   s->max_levels, VFIO_HOST_EMU_MAX_LEVELS);
        return false;
    }
    s->host.ops = &emu_ops;
    s->host.device_name = g_strdup(VFIO_HOST_EMU_DEVICE_NAME);
    s->host.opaque = s;
    emu_dev_init(s);
    return true;
}

static bool emu_prop_get(Object *obj, ObjectProperty *prop, PropValue *v,
                         Error **errp)
{
    v->kind = PROP_KIND_UINT;
    v->u = *(uint64_t *)prop->opaque;
    return true;
}

/*
 * The host's geometry is what its containers and tables were built on
 * (a page size divides every size computed): fixed once the object is
 * complete.  memlock-limit, like RLIMIT_MEMLOCK, may change any time.
 */
static bool emu_prop_set(Object *obj, ObjectProperty *prop, const char *str,
                         Error **errp)
{
    VFIOHostEmu *s = VFIO_HOST_EMU(obj);
    uint64_t v;

    if (s->host.ops && strcmp(prop->name, "memlock-limit")) {
        error_setg(errp, "Property '%s' cannot be changed once the "
                   "vfio-spapr-host-emu object is created", prop->name);
        return false;
    }
    if (!qemu_strtosz(str, &v)) {
        error_setg(errp, "Property '%s' expects a number, got '%s'",
                   prop->name, str);
        return false;
    }
    *(uint64_t *)prop->opaque = v;
    return true;
}

static void emu_prop_add(Object *obj, const char *name, uint64_t *field)
{
    object_property_add(obj, name, "uint64", emu_prop_get, emu_prop_set,
                        NULL, field);
}

static void vfio_host_emu_init(Object *obj)
{
    VFIOHostEmu *s = VFIO_HOST_EMU(obj);

    s->iommu_pgsizes = VFIO_HOST_EMU_PGSIZES;
    s->max_levels = VFIO_HOST_EMU_MAX_LEVELS;
    s->memlock_limit = VFIO_HOST_EMU_MEMLOCK;
    /* A 64K-page POWER kernel (ppc64el's default) unless page-size=4096. */
    s->page_size = 65536;
    s->backing_page_size = ram_backing_page_size;
    s->next_fd = EMU_FD_BASE;
    s->files = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    emu_prop_add(obj, "iommu-pgsizes", &s->iommu_pgsizes);
    emu_prop_add(obj, "max-levels", &s->max_levels);
    emu_prop_add(obj, "page-size", &s->page_size);
    emu_prop_add(obj, "memlock-limit", &s->memlock_limit);
    object_property_add_uint64_ptr(obj, "memlock-used", &s->memlock_used,
                                   true);
}

/* Closes whatever the user left open, containers last. */
static void vfio_host_emu_finalize(Object *obj)
{
    VFIOHostEmu *s = VFIO_HOST_EMU(obj);
    GList *fds = g_hash_table_get_keys(s->files);

    for (int pass = 0; pass < 2; pass++) {
        for (GList *l = fds; l; l = l->next) {
            EmuFile *f = emu_file(s, GPOINTER_TO_INT(l->data));

            if (f && (f->kind == EMU_FILE_CONTAINER) == (pass == 1)) {
                emu_close(&s->host, GPOINTER_TO_INT(l->data));
            }
        }
    }
    g_list_free(fds);
    g_hash_table_destroy(s->files);
    if (s->host.ops) {
        emu_dev_finalize(s);
    }
    g_free(s->host.device_name);
}

static void vfio_host_emu_class_init(ObjectClass *oc, void *data)
{
    oc->complete = vfio_host_emu_complete;
    oc->desc = "emulated POWER host IOMMU group with an edu device, for VFIO";
}

static const TypeInfo vfio_host_emu_types[] = {
    {
        .name = TYPE_VFIO_SPAPR_HOST_EMU,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(VFIOHostEmu),
        .instance_init = vfio_host_emu_init,
        .instance_finalize = vfio_host_emu_finalize,
        .class_init = vfio_host_emu_class_init,
    },
};

DEFINE_TYPES(vfio_host_emu_types)
