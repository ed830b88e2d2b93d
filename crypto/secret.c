/*
 * The "secret" object: a named secret given on the command line or by
 * object-add, as QEMU's (libvirt passes its master key this way).
 *
 * DOC: -object secret,id=ID,data=TEXT|file=PATH[,format=raw|base64]
 *
 * Exactly one of data and file; format says how to decode it.  Secrets
 * encrypted with another secret (keyid=, iv=) are refused: nothing in
 * this program consumes encrypted secrets, so it would only pretend.
 * The bytes are wiped when the object goes.  A file is read up to
 * SECRET_MAX_BYTES.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "crypto/secret.h"

#define SECRET_MAX_BYTES (64u << 10)

struct QCryptoSecret {
    Object parent_obj;
    char *data, *file, *format, *keyid, *iv;
    guchar *raw;
    gsize rawlen;
};

#define STR_PROP(field)                                                   \
    static char *secret_get_##field(Object *obj)                          \
    {                                                                     \
        QCryptoSecret *s = QCRYPTO_SECRET(obj);                           \
        return g_strdup(s->field ? s->field : "");                        \
    }                                                                     \
    static void secret_set_##field(Object *obj, const char *v,            \
                                   Error **errp)                          \
    {                                                                     \
        QCryptoSecret *s = QCRYPTO_SECRET(obj);                           \
        g_free(s->field);                                                 \
        s->field = g_strdup(v);                                           \
    }

STR_PROP(data)
STR_PROP(file)
STR_PROP(format)
STR_PROP(keyid)
STR_PROP(iv)

static bool secret_load(QCryptoSecret *s, char **text, gsize *len,
                        Error **errp)
{
    g_autoptr(GError) gerr = NULL;

    if (!!s->data == !!s->file) {
        error_setg(errp, "secret: exactly one of 'data' and 'file' is "
                   "required");
        return false;
    }
    if (s->data) {
        *text = g_strdup(s->data);
        *len = strlen(s->data);
        return true;
    }
    if (!g_file_get_contents(s->file, text, len, &gerr)) {
        error_setg(errp, "secret: cannot read file '%s': %s", s->file,
                   gerr->message);
        return false;
    }
    if (*len > SECRET_MAX_BYTES) {
        error_setg(errp, "secret: file '%s' is larger than %u bytes",
                   s->file, SECRET_MAX_BYTES);
        g_free(*text);
        return false;
    }
    return true;
}

static bool secret_complete(Object *obj, Error **errp)
{
    QCryptoSecret *s = QCRYPTO_SECRET(obj);
    g_autofree char *text = NULL;
    gsize len;

    if ((s->keyid && *s->keyid) || (s->iv && *s->iv)) {
        error_setg(errp, "secret: encrypted secrets (keyid, iv) are not "
                   "supported");
        return false;
    }
    if (s->format && strcmp(s->format, "raw") && strcmp(s->format, "base64")) {
        error_setg(errp, "secret: format must be raw or base64");
        return false;
    }
    if (!secret_load(s, &text, &len, errp)) {
        return false;
    }
    if (s->format && !strcmp(s->format, "base64")) {
        s->raw = g_base64_decode(g_strstrip(text), &s->rawlen);
        memset(text, 0, len);
    } else {
        s->raw = (guchar *)g_steal_pointer(&text);
        s->rawlen = len;
    }
    return true;
}

static void secret_init(Object *obj)
{
    object_property_add_str(obj, "data", secret_get_data, secret_set_data);
    object_property_add_str(obj, "file", secret_get_file, secret_set_file);
    object_property_add_str(obj, "format", secret_get_format,
                            secret_set_format);
    object_property_add_str(obj, "keyid", secret_get_keyid,
                            secret_set_keyid);
    object_property_add_str(obj, "iv", secret_get_iv, secret_set_iv);
}

static void secret_finalize(Object *obj)
{
    QCryptoSecret *s = QCRYPTO_SECRET(obj);

    if (s->raw) {
        memset(s->raw, 0, s->rawlen);
    }
    if (s->data) {
        memset(s->data, 0, strlen(s->data));
    }
    g_free(s->raw);
    g_free(s->data);
    g_free(s->file);
    g_free(s->format);
    g_free(s->keyid);
    g_free(s->iv);
}

static void secret_class_init(ObjectClass *oc, void *data)
{
    oc->complete = secret_complete;
}

static const TypeInfo secret_types[] = {
    {
        .name = TYPE_QCRYPTO_SECRET,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(QCryptoSecret),
        .instance_init = secret_init,
        .instance_finalize = secret_finalize,
        .class_init = secret_class_init,
    },
};

DEFINE_TYPES(secret_types)
