#!/bin/sh
# tests/crash/commit_survives.sh QUOTIENT — does a committed run survive a
# power cut right after `quotient run` returns?  (manual test, as root)
#
# The run is written to ext4 on a loop device whose periodic write-back is
# held off (vm.dirty_* and commit=600), so only what quotient made durable
# has reached the device.  Right after quotient exits the device's backing
# file is copied: that copy is the disk as a power cut would leave it.  The
# copy is mounted (its journal replayed) and `quotient verify` is run on it.
# The same is then done with fsync disabled (eatmydata) as a control: the
# run must then be missing or broken, which shows the test can fail.
set -eu
Q=$(readlink -f "${1:?usage: commit_survives.sh QUOTIENT}")
SRC=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d /tmp/qt-crash.XXXXXX)
saved="$(sysctl -n vm.dirty_writeback_centisecs) $(sysctl -n vm.dirty_expire_centisecs) $(sysctl -n vm.dirty_background_ratio) $(sysctl -n vm.dirty_ratio)"
restore() {
  set -- $saved
  sysctl -q vm.dirty_writeback_centisecs="$1" vm.dirty_expire_centisecs="$2" \
    vm.dirty_background_ratio="$3" vm.dirty_ratio="$4"
  umount "$W/mnt" 2>/dev/null || true; umount "$W/copy" 2>/dev/null || true
  [ -n "${DEV:-}" ] && losetup -d "$DEV" 2>/dev/null || true
  [ -n "${COPYDEV:-}" ] && losetup -d "$COPYDEV" 2>/dev/null || true
  rm -rf "$W"
}
trap restore EXIT
sysctl -q vm.dirty_writeback_centisecs=0 vm.dirty_expire_centisecs=360000 \
  vm.dirty_background_ratio=90 vm.dirty_ratio=90

# one trial: $1 = label, rest = the command prefix (empty or eatmydata)
trial() {
  label=$1; shift
  truncate -s 256M "$W/disk.img"; mkfs.ext4 -q -F "$W/disk.img"
  mkdir -p "$W/mnt" "$W/copy"
  DEV=$(losetup -f --show "$W/disk.img")
  mount -o commit=600 "$DEV" "$W/mnt"
  mkdir "$W/mnt/runs"; sync -f "$W/mnt"
  "$@" "$Q" run --data "$SRC/fixtures/demo/data" --plans "$SRC/fixtures/demo/plans" \
    --period 2026-06 --out "$W/mnt/runs/demo-2026-06" >/dev/null
  cp --sparse=always "$W/disk.img" "$W/crashed.img"   # the power cut
  umount "$W/mnt"; losetup -d "$DEV"; DEV=
  COPYDEV=$(losetup -f --show "$W/crashed.img")
  mount "$COPYDEV" "$W/copy"                         # journal replayed
  if "$Q" verify "$W/copy/runs/demo-2026-06" >"$W/verify.txt" 2>&1; then
    echo "$label: the run survived the power cut (verify exit 0, $(ls "$W/copy/runs/demo-2026-06/statements" | wc -l) statements)"
    rc=0
  else
    echo "$label: the run did not survive: $(head -n 3 "$W/verify.txt" | tr '\n' ' ')"
    rc=1
  fi
  umount "$W/copy"; losetup -d "$COPYDEV"; COPYDEV=
  rm -f "$W/disk.img" "$W/crashed.img"
  return $rc
}
trial "with fsync" || { echo "FAIL: a committed run was lost"; exit 1; }
if trial "control, fsync disabled (eatmydata)" eatmydata; then
  echo "note: the control survived too (write-back was not held off): inconclusive"
  exit 2
fi
echo "PASS: committed runs survive; without fsync they do not"
