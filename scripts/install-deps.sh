#!/bin/sh
# Install the Debian packages spapr-ddw needs to build and test.
#
#   scripts/install-deps.sh [--check] [--qemu-qtests]
#
# As root it runs apt-get install for whatever is missing; otherwise it
# prints the exact command to run.  --check only reports (exit 1 if
# something is missing).  The list is the project's single source of truth
# for its build and test dependencies.
set -e

PACKAGES="gcc make pkg-config python3 libglib2.0-dev libjson-glib-dev \
libfdt-dev zlib1g-dev linux-libc-dev libseccomp-dev"
# make check-qemu-qtests builds QEMU 7.2's qtest programs from Debian's
# source package (tests/qemu-qtests/).
QEMU_QTEST_PACKAGES="dpkg-dev meson ninja-build libpixman-1-dev flex bison"
# make check-libvirt runs Debian's libvirt 9.0 (tests/libvirt/), and
# make bench compares with Debian's QEMU 7.2 under it.
LIBVIRT_PACKAGES="libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients \
qemu-system-ppc util-linux bc"
case " $* " in
*" --qemu-qtests "*) PACKAGES="$PACKAGES $QEMU_QTEST_PACKAGES" ;;
esac
case " $* " in
*" --libvirt "*) PACKAGES="$PACKAGES $LIBVIRT_PACKAGES" ;;
esac

missing=
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
# python3 may come from elsewhere (pyenv); a working interpreter is enough.
case " $missing " in
*" python3 "*)
    if command -v python3 >/dev/null 2>&1; then
        missing=$(echo "$missing" | sed 's/ python3//')
    fi ;;
esac

if [ -z "$missing" ]; then
    echo "install-deps: all build dependencies are installed"
    exit 0
fi
case " $* " in *" --check "*) check_only=1 ;; esac
if [ -n "${check_only:-}" ]; then
    echo "install-deps: missing:$missing" >&2
    exit 1
fi
if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing Debian packages:$missing" >&2
    echo "install-deps: run: sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
