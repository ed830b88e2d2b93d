/*
 * The "secret" object (crypto/secret.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef CRYPTO_SECRET_H
#define CRYPTO_SECRET_H

#include "qom/object.h"

#define TYPE_QCRYPTO_SECRET "secret"
OBJECT_DECLARE_SIMPLE_TYPE(QCryptoSecret, QCRYPTO_SECRET)

#endif
