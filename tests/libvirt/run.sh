#!/usr/bin/env bash
# make check-libvirt: Debian 12's libvirt 9.0 manages build/spapr-ddw.
#
# Two private libvirtd instances, no systemd: each runs in its own mount
# namespace where /etc/libvirt, /etc/passwd, /etc/group (with a
# libvirt-qemu user) and libvirt's state folders are throwaway copies
# under $WORK, with qemu.conf running QEMU as root, security_driver
# "none", no cgroups or namespaces.  Then, with build/spapr-ddw as
# <emulator>: domcapabilities; define and start a pseries domain with two
# PHBs and <cpu><model>POWER8</model>; a Linux-style DDW bring-up on PHB 1
# with edu DMA over the qtest socket; query-spapr-dma-windows through
# qemu-monitor-command; suspend/resume; virsh migrate --live to the second
# libvirtd (another host_uuid) and the window, TCEs and RAM checked there;
# destroy; each libvirtd's log checked for crashes.
#
#   tests/libvirt/run.sh [BIN]          prints "check-libvirt: N passed,
#                                       N failed"
#   tests/libvirt/run.sh --bench [BIN]  times virsh start and virsh migrate
#                                       --live of a 1 GiB domain, against
#                                       Debian's qemu-system-ppc64 (TCG)
set -uo pipefail
cd "$(dirname "$0")/../.."
MODE=check
if [ "${1:-}" = --bench ]; then
    MODE=bench
    shift
fi
BIN=$(realpath "${1:-build/spapr-ddw}")
QTEST_DDW=$(realpath build/tools/qtest-ddw)

if [ "$(id -u)" != 0 ]; then
    echo "SKIP: check-libvirt needs root (mount namespaces for libvirtd)"
    exit 0
fi
scripts/install-deps.sh --libvirt >/dev/null || exit 1

WORK=$(mktemp -d /tmp/check-libvirt-XXXXXX)
PASS=0
FAIL=0
DAEMONS=()

ok() { PASS=$((PASS + 1)); echo "  ok   $*"; }
bad() { FAIL=$((FAIL + 1)); echo "  FAIL $*"; }
check() {   # check NAME CMD...: passes when CMD succeeds
    local name=$1; shift
    if "$@" >"$WORK/last.out" 2>&1; then ok "$name"; else
        bad "$name"; sed 's/^/       | /' "$WORK/last.out" | tail -15; fi
}

cleanup() {
    # machines a failed step left running (libvirt's own pid files)
    for f in "$WORK"/*/run/qemu/*.pid; do
        [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
    done
    for p in "${DAEMONS[@]}"; do
        kill "$p" 2>/dev/null
    done
    sleep 1
    for p in "${DAEMONS[@]}"; do
        kill -9 "$p" 2>/dev/null
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# daemon_setup NAME UUID: the throwaway tree a libvirtd sees as its host
daemon_setup() {
    local d=$WORK/$1
    mkdir -p "$d"/{etc,run,lib,cache,log,sock}
    cp /etc/passwd "$d/passwd"
    cp /etc/group "$d/group"
    grep -q '^libvirt-qemu:' "$d/passwd" ||
        echo 'libvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin' >> "$d/passwd"
    grep -q '^libvirt-qemu:' "$d/group" || echo 'libvirt-qemu:x:64055:' >> "$d/group"
    grep -q '^kvm:' "$d/group" || echo 'kvm:x:64056:' >> "$d/group"
    cat > "$d/etc/libvirtd.conf" <<EOC
unix_sock_dir = "$d/sock"
unix_sock_rw_perms = "0700"
auth_unix_rw = "none"
auth_unix_ro = "none"
host_uuid = "$2"
log_outputs = "3:file:$d/libvirtd.log"
EOC
    cat > "$d/etc/qemu.conf" <<EOC
user = "root"
group = "root"
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
remember_owner = 0
stdio_handler = "file"
dynamic_ownership = 0
EOC
}

# daemon_start NAME: libvirtd in its own mount namespace
daemon_start() {
    local d=$WORK/$1
    unshare -m --propagation private sh -c '
        d=$1
        mount --bind "$d/etc" /etc/libvirt 2>/dev/null ||
            { mkdir -p /etc/libvirt && mount --bind "$d/etc" /etc/libvirt; }
        for dir in run:/run/libvirt lib:/var/lib/libvirt \
                   cache:/var/cache/libvirt log:/var/log/libvirt; do
            mkdir -p "${dir#*:}"
            mount --bind "$d/${dir%%:*}" "${dir#*:}"
        done
        mount --bind "$d/passwd" /etc/passwd
        mount --bind "$d/group" /etc/group
        exec /usr/sbin/libvirtd -f /etc/libvirt/libvirtd.conf -p "$d/libvirtd.pid"
    ' sh "$d" > "$d/stdout" 2>&1 &
    DAEMONS+=($!)
    for _ in $(seq 100); do
        [ -S "$d/sock/libvirt-sock" ] && return 0
        sleep 0.1
    done
    echo "libvirtd $1 did not start:"; cat "$d/stdout" "$d/libvirtd.log" 2>/dev/null
    return 1
}

vsh() {     # vsh NAME ARGS...: virsh against a private libvirtd
    local n=$1; shift
    virsh -q -c "qemu:///system?socket=$WORK/$n/sock/libvirt-sock" "$@"
}

bench_xml() {   # bench_xml NAME EMULATOR: 1 GiB, two PHBs, nothing else
    cat <<EOX
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>1024</memory>
  <vcpu>1</vcpu>
  <os><type arch='ppc64' machine='pseries-2.7'>hvm</type></os>
  <devices>
    <emulator>$2</emulator>
    <controller type='usb' model='none'/>
    <controller type='pci' index='0' model='pci-root'/>
    <controller type='pci' index='1' model='pci-root'>
      <model name='spapr-pci-host-bridge'/><target index='1'/>
    </controller>
    <memballoon model='none'/>
  </devices>
</domain>
EOX
}

now() { date +%s.%N; }

# bench_one EMULATOR: median of 3 virsh start, then one migrate --live
bench_one() {
    local name=bench-$(basename "$1") t0 t1 starts=()
    bench_xml "$name" "$1" > "$WORK/$name.xml"
    vsh src define "$WORK/$name.xml" >/dev/null || return 1
    for _ in 1 2 3; do
        t0=$(now)
        vsh src start "$name" >/dev/null || return 1
        t1=$(now)
        starts+=("$(echo "$t1 - $t0" | bc)")
        vsh src destroy "$name" >/dev/null
    done
    START=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 2p)
    vsh src start "$name" >/dev/null || return 1
    t0=$(now)
    vsh src migrate --live --persistent --undefinesource "$name" \
        "qemu:///system?socket=$WORK/dst/sock/libvirt-sock" || return 1
    t1=$(now)
    MIGRATE=$(echo "$t1 - $t0" | bc)
    vsh dst destroy "$name" >/dev/null
    vsh dst undefine "$name" >/dev/null
}

bench() {
    local ours_start ours_mig
    command -v bc >/dev/null || { echo "SKIP: libvirt bench needs bc"; return 0; }
    bench_one "$BIN" || { echo "libvirt bench: spapr-ddw run failed"; return 1; }
    ours_start=$START ours_mig=$MIGRATE
    bench_one /usr/bin/qemu-system-ppc64 ||
        { echo "libvirt bench: qemu-system-ppc64 run failed"; return 1; }
    printf '%-44s %8s %8s %8s\n' "libvirt 9.0, 1 GiB pseries-2.7 domain" \
        spapr-ddw "QEMU TCG" "ratio"
    printf '%-44s %7.2fs %7.2fs %7.1fx\n' "virsh start (median of 3)" \
        "$ours_start" "$START" "$(echo "$START / $ours_start" | bc -l)"
    printf '%-44s %7.2fs %7.2fs %7.1fx\n' "virsh migrate --live" \
        "$ours_mig" "$MIGRATE" "$(echo "$MIGRATE / $ours_mig" | bc -l)"
}

domain_xml() {  # domain_xml NAME EMULATOR QTEST_SOCKET
    cat <<EOX
<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>$1</name>
  <uuid>5e1b3e2a-0d0e-4d0e-9d0e-00000000dd01</uuid>
  <memory unit='MiB'>1024</memory>
  <vcpu>1</vcpu>
  <os><type arch='ppc64' machine='pseries-2.7'>hvm</type></os>
  <cpu><model>POWER8</model></cpu>
  <devices>
    <emulator>$2</emulator>
    <controller type='usb' model='none'/>
    <controller type='pci' index='0' model='pci-root'/>
    <controller type='pci' index='1' model='pci-root'>
      <model name='spapr-pci-host-bridge'/><target index='1'/>
    </controller>
    <memballoon model='none'/>
  </devices>
  <qemu:commandline>
    <qemu:arg value='-qtest'/>
    <qemu:arg value='unix:$3,server=on,wait=off'/>
    <qemu:arg value='-device'/>
    <qemu:arg value='edu,id=edu1,bus=pci.1.0,dma_mask=0xffffffffffffffff'/>
  </qemu:commandline>
</domain>
EOX
}

state_is() {    # state_is NAME DOM WANT
    [ "$(vsh "$1" domstate --reason "$2" 2>&1)" = "$3" ]
}

daemon_setup src 11111111-2222-3333-4444-555555555555
daemon_setup dst 66666666-7777-8888-9999-aaaaaaaaaaaa
daemon_start src || exit 1
daemon_start dst || exit 1
if [ "$MODE" = bench ]; then
    bench
    exit
fi
echo "=== check-libvirt: libvirt $(virsh --version) with $BIN"

check "domcapabilities" \
    sh -c "virsh -q -c 'qemu:///system?socket=$WORK/src/sock/libvirt-sock' \
        domcapabilities --emulatorbin $BIN --arch ppc64 --machine pseries \
        --virttype qemu | grep -q 'POWER8'"

QSOCK=$WORK/qtest.sock
domain_xml ddw1 "$BIN" "$QSOCK" > "$WORK/ddw1.xml"
check "define" vsh src define "$WORK/ddw1.xml"
check "start" vsh src start ddw1
check "running" state_is src ddw1 "running (booted)"
QLOG=$WORK/src/log/qemu/ddw1.log
check "libvirt used -sandbox, -chardev fd=, -msg timestamp=on" sh -c \
    "grep -q -- '-sandbox on,obsolete=deny' '$QLOG' &&
     grep -q -- 'socket,id=charmonitor,fd=' '$QLOG' &&
     grep -q -- '-msg timestamp=on' '$QLOG'"
check "DDW bring-up on PHB 1 over qtest (edu DMA)" \
    "$QTEST_DDW" "$QSOCK" bringup 1024
check "query-spapr-dma-windows shows the window" sh -c \
    "virsh -q -c 'qemu:///system?socket=$WORK/src/sock/libvirt-sock' \
     qemu-monitor-command ddw1 '{\"execute\":\"query-spapr-dma-windows\"}' |
     grep -q '\"liobn\": *2147483905'"
check "suspend" vsh src suspend ddw1
check "paused" state_is src ddw1 "paused (user)"
check "resume" vsh src resume ddw1
check "running again" state_is src ddw1 "running (unpaused)"

# On one host both machines would share the qtest socket path: the
# destination gets its own (only <qemu:commandline> differs).
DSOCK=$WORK/qtest-dst.sock
domain_xml ddw1 "$BIN" "$DSOCK" > "$WORK/ddw1-dst.xml"
check "migrate --live to a second libvirtd" vsh src migrate --live \
    --persistent --undefinesource --xml "$WORK/ddw1-dst.xml" ddw1 \
    "qemu:///system?socket=$WORK/dst/sock/libvirt-sock"
check "running on the destination" sh -c \
    "virsh -q -c 'qemu:///system?socket=$WORK/dst/sock/libvirt-sock' domstate ddw1 | grep -q running"
check "window, TCEs and RAM on the destination" \
    "$QTEST_DDW" "$DSOCK" verify 1024
check "destroy" vsh dst destroy ddw1
check "shut off (destroyed)" sh -c \
    "virsh -q -c 'qemu:///system?socket=$WORK/dst/sock/libvirt-sock' domstate --reason ddw1 | grep -q 'shut off (destroyed)'"

for n in src dst; do
    pid=$(cat "$WORK/$n/libvirtd.pid" 2>/dev/null)
    check "libvirtd $n still alive" kill -0 "$pid"
    check "libvirtd $n log has no crash" sh -c \
        "! grep -Ei 'segfault|SIGSEGV|SIGABRT|assertion failed|Aborted|crashed' '$WORK/$n/libvirtd.log'"
done
for n in src dst; do
    if [ -s "$WORK/$n/libvirtd.log" ]; then
        echo "--- libvirtd $n log (errors):"
        grep -E ' error : ' "$WORK/$n/libvirtd.log" | tail -5
    fi
done

echo "check-libvirt: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
