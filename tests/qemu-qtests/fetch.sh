#!/bin/sh
# Fetches Debian's qemu source package (the QEMU 7.2 that Debian 12 ships,
# with Debian's patches applied) into $CACHE/src, through apt with a
# private sources list and state: the system's apt configuration and
# package lists are not touched.
#
# usage: fetch.sh CACHE_DIR
set -eu

cache=$1
src=$cache/src
[ -f "$src/.fetched" ] && exit 0

apt_dir=$cache/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/dl"
cat > "$apt_dir/sources.list" <<LIST
deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian bookworm-updates main
deb-src http://deb.debian.org/debian-security bookworm-security main
LIST
set -- -o Dir::Etc::SourceList="$apt_dir/sources.list" \
       -o Dir::Etc::SourceParts=/dev/null \
       -o Dir::State::Lists="$apt_dir/lists" \
       -o Dir::Cache="$apt_dir/cache" \
       -o Dir::Cache::archives="$apt_dir/archives" \
       -o Debug::NoLocking=1 -o APT::Sandbox::User=root
mkdir -p "$apt_dir/cache"
apt-get -q "$@" update
rm -rf "$apt_dir/dl"/*
(cd "$apt_dir/dl" && apt-get -q "$@" source --download-only qemu)
rm -rf "$src.tmp"
dsc=$(ls "$apt_dir"/dl/qemu_*.dsc | head -n 1)
dpkg-source --no-check -x "$dsc" "$src.tmp"
rm -rf "$src"
mv "$src.tmp" "$src"
touch "$src/.fetched"
