#!/usr/bin/env bash
# drover's lab of real Debian 13 (trixie) hosts: qemu VMs with systemd as PID 1, logind, sshd on a
# 127.0.0.1 port forward and root reachable with the lab's key. A BARE server: no podman (the
# playbooks' vocalyx_prerequisites role installs it from Debian's registry, which the guest reaches
# through qemu's user network).
#
#   lab/debian13-vm.sh image            build the image once per machine (≈ 2 min), print its dir
#   lab/debian13-vm.sh boot N [DIR]     boot N copies (sparse copies of the disk), wait for their
#                                       sshd, print one line per VM: NAME PORT
#   lab/debian13-vm.sh ssh DIR NAME [CMD...]   root shell / command in one VM
#   lab/debian13-vm.sh reboot DIR NAME  reboot one VM and wait until its sshd is back (new boot id)
#   lab/debian13-vm.sh stop DIR         power off all VMs of DIR (60 s each, then kill), remove DIR
#   lab/debian13-vm.sh kill DIR         kill their qemu at once, remove DIR
#
# The image lives in $DROVER_LAB_CACHE (default /var/cache/drover-lab), in a directory named by a
# hash of the recipe below: a change of the recipe builds a new image. DIR (default
# /tmp/drover-lab) holds each VM's disk, pid file, port, known_hosts line and serial console log
# (DIR/NAME/console.log). The key: IMAGE/id_ed25519 (root). Needs root, debootstrap,
# qemu-system-x86, e2fsprogs (mkfs.ext4 -d), ssh and ssh-keyscan, python3 (free port lookup).
#
# KVM does not work in drover's CI sandbox: the VMs run under TCG (software emulation), slow but
# real. DROVER_LAB_ACCEL=kvm uses KVM where it works. DROVER_LAB_MEM (MiB, default 2048) and
# DROVER_LAB_CPUS (default 2) size each VM.
set -euo pipefail

CACHE=${DROVER_LAB_CACHE:-/var/cache/drover-lab}
MIRROR=${DROVER_LAB_MIRROR:-http://deb.debian.org/debian}
MEM=${DROVER_LAB_MEM:-2048}
CPUS=${DROVER_LAB_CPUS:-2}
ACCEL=${DROVER_LAB_ACCEL:-tcg}

# --- The recipe (its text is the image's cache key) ------------------------------------------
PACKAGES=systemd,systemd-sysv,dbus,dbus-user-session,libpam-systemd,udev,openssh-server,sudo,python3,iproute2,linux-image-cloud-amd64,busybox-static,curl,procps,ca-certificates,less
recipe() { # $1 = root directory of the debootstrapped system
  local root=$1
  echo drover-lab > "$root/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 drover-lab lab1 lab2 lab3 lab4 lab5 lab6 lab7 lab8\n::1 localhost\n' > "$root/etc/hosts"
  printf '/dev/vda / ext4 defaults 0 1\n' > "$root/etc/fstab"
  # qemu's user network is always 10.0.2.15/24, gateway 10.0.2.2, DNS 10.0.2.3: a static
  # systemd-networkd address (ifupdown's udev settle cost 1.5 min of each boot under emulation)
  printf '[Match]\nName=eth0\n\n[Network]\nAddress=10.0.2.15/24\nGateway=10.0.2.2\nDNS=10.0.2.3\n' \
    > "$root/etc/systemd/network/10-eth0.network"
  rm -f "$root/etc/resolv.conf"; echo 'nameserver 10.0.2.3' > "$root/etc/resolv.conf"
  chroot "$root" systemctl enable systemd-networkd.service >/dev/null 2>&1
  # network-online.target reached at boot, as on a server: rootless podman's quadlet units wait
  # for it (podman-user-wait-network-online.service), forever when nothing pulls it in
  ln -sf /usr/lib/systemd/system/network-online.target "$root/etc/systemd/system/multi-user.target.wants/network-online.target"
  # nothing in the background that takes the dpkg lock or the CPU (apt-daily would block the
  # playbook's package installs)
  chroot "$root" systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer fstrim.timer \
    e2scrub_all.timer man-db.timer systemd-binfmt.service dev-hugepages.mount >/dev/null 2>&1
  printf 'deb %s trixie main\ndeb %s trixie-updates main\ndeb http://deb.debian.org/debian-security trixie-security main\n' \
    "$MIRROR" "$MIRROR" > "$root/etc/apt/sources.list"
  install -d -m 700 "$root/root/.ssh"
  install -m 600 "$root/../id_ed25519.pub" "$root/root/.ssh/authorized_keys"
  # many short sessions from drover and the test; no DNS lookup of the client
  printf 'MaxSessions 50\nMaxStartups 50:30:100\nUseDNS no\n' > "$root/etc/ssh/sshd_config.d/drover-lab.conf"
  # no interactive apt
  printf 'APT::Install-Recommends "false";\n' > "$root/etc/apt/apt.conf.d/90drover-lab"
  # the journal on disk (the reboot test reads it), not too big
  mkdir -p "$root/var/log/journal" "$root/etc/systemd/journald.conf.d"
  printf '[Journal]\nSystemMaxUse=200M\n' > "$root/etc/systemd/journald.conf.d/drover-lab.conf"
  rm -f "$root/etc/machine-id" "$root/var/lib/dbus/machine-id"
  : > "$root/etc/machine-id" # systemd makes one per VM at first boot (each copy its own)
  apt_clean "$root"
}
apt_clean() { rm -rf "$1"/var/cache/apt/archives/*.deb; }
RECIPE_VERSION=3
key() { { echo "$RECIPE_VERSION $PACKAGES $MIRROR"; declare -f recipe; } | sha256sum | cut -c1-16; }
IMAGE="$CACHE/trixie-$(key)"

die() { echo "debian13-vm: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || die "$1 is missing ($2)"; }

cmd_image() {
  if [ -f "$IMAGE/ready" ]; then echo "$IMAGE"; return; fi
  [ "$(id -u)" = 0 ] || die "building the image needs root"
  need debootstrap "apt-get install debootstrap"
  need mkfs.ext4 "apt-get install e2fsprogs"
  need ssh-keygen "apt-get install openssh-client"
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock 9 # one build per machine at a time; a second caller waits and uses it
  if [ -f "$IMAGE/ready" ]; then echo "$IMAGE"; return; fi
  local t0=$SECONDS tmp="$IMAGE.tmp"
  rm -rf "$tmp"; mkdir -p "$tmp"
  ssh-keygen -q -t ed25519 -N '' -C drover-lab -f "$tmp/id_ed25519"
  echo "debian13-vm: debootstrap trixie into $tmp/root (a few minutes)" >&2
  debootstrap --variant=minbase --include="$PACKAGES" trixie "$tmp/root" "$MIRROR" > "$tmp/debootstrap.log" 2>&1 \
    || { tail -20 "$tmp/debootstrap.log" >&2; die "debootstrap failed (log: $tmp/debootstrap.log)"; }
  recipe "$tmp/root"
  cp "$(ls "$tmp"/root/boot/vmlinuz-* | sort -V | tail -1)" "$tmp/vmlinuz"
  cp "$(ls "$tmp"/root/boot/initrd.img-* | sort -V | tail -1)" "$tmp/initrd.img"
  truncate -s 8G "$tmp/disk.img"
  mkfs.ext4 -q -F -L drover-lab -d "$tmp/root" "$tmp/disk.img"
  rm -rf "$tmp/root"
  touch "$tmp/ready"
  rm -rf "$IMAGE"; mv "$tmp" "$IMAGE"
  # older recipes' images
  for old in "$CACHE"/trixie-*; do [ "$old" = "$IMAGE" ] || rm -rf "$old"; done
  echo "debian13-vm: image built in $((SECONDS - t0)) s: $IMAGE" >&2
  echo "$IMAGE"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

sshv() { # DIR NAME ARGS... : ssh as root into a VM
  local dir=$1 name=$2 img=$IMAGE; shift 2
  [ -f "$dir/image" ] && img=$(cat "$dir/image") # the image these VMs were booted from
  ssh -i "$img/id_ed25519" -o UserKnownHostsFile="$dir/known_hosts" -o StrictHostKeyChecking=yes \
    -o BatchMode=yes -o ConnectTimeout=30 -o LogLevel=ERROR -p "$(cat "$dir/$name/port")" root@127.0.0.1 "$@"
}

start_vm() { # DIR NAME
  local dir=$1 name=$2 port
  port=$(free_port)
  echo "$port" > "$dir/$name/port"
  # cache=unsafe: the guest's fsyncs (dpkg does one per file) do not reach the host's disk; the
  # copies are thrown away after the test, so nothing is lost
  local accel="-accel tcg,thread=multi -cpu max"
  [ "$ACCEL" = kvm ] && accel="-accel kvm -cpu host"
  # shellcheck disable=SC2086
  qemu-system-x86_64 $accel -m "$MEM" -smp "$CPUS" -name "drover-lab-$name" \
    -kernel "$IMAGE/vmlinuz" -initrd "$IMAGE/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 quiet net.ifnames=0 systemd.hostname=$name systemd.firstboot=off systemd.machine_id=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" \
    -drive file="$dir/$name/disk.img",if=virtio,format=raw,cache=unsafe,aio=threads \
    -netdev user,id=n0,hostfwd=tcp:127.0.0.1:"$port"-:22 -device virtio-net-pci,netdev=n0 \
    -serial file:"$dir/$name/console.log" -display none -monitor none \
    -daemonize -pidfile "$dir/$name/qemu.pid"
}

wait_sshd() { # DIR NAME TIMEOUT: until ssh-keyscan answers, then write the known_hosts line
  local dir=$1 name=$2 until=$((SECONDS + $3)) port
  port=$(cat "$dir/$name/port")
  while [ $SECONDS -lt $until ]; do
    alive "$dir" "$name" || die "$name: qemu exited (console: $dir/$name/console.log)"
    if keys=$(ssh-keyscan -T 30 -t ed25519 -p "$port" 127.0.0.1 2>/dev/null) && [ -n "$keys" ]; then
      echo "$keys" > "$dir/$name/known_hosts"
      return 0
    fi
    sleep 2
  done
  die "$name: no sshd on port $port after $3 s (console: $dir/$name/console.log)"
}

alive() { [ -f "$1/$2/qemu.pid" ] && kill -0 "$(cat "$1/$2/qemu.pid")" 2>/dev/null; }

known_hosts() { cat "$1"/*/known_hosts > "$1/known_hosts" 2>/dev/null || true; }

cmd_boot() {
  local n=${1:?boot N [DIR]} dir=${2:-/tmp/drover-lab} i
  need qemu-system-x86_64 "apt-get install qemu-system-x86"
  need ssh-keyscan "apt-get install openssh-client"
  cmd_image > /dev/null
  mkdir -p "$dir"
  echo "$IMAGE" > "$dir/image"
  for i in $(seq 1 "$n"); do
    mkdir -p "$dir/lab$i"
    cp --sparse=always "$IMAGE/disk.img" "$dir/lab$i/disk.img"
    start_vm "$dir" "lab$i"
  done
  local pids=()
  for i in $(seq 1 "$n"); do wait_sshd "$dir" "lab$i" 300 & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p"; done
  known_hosts "$dir"
  for i in $(seq 1 "$n"); do
    # sshd answers before the system is fully up: wait for the boot to finish (degraded is fine)
    sshv "$dir" "lab$i" 'systemctl is-system-running --wait >/dev/null 2>&1 || true'
    echo "lab$i $(cat "$dir/lab$i/port")"
  done
}

cmd_reboot() {
  local dir=${1:?reboot DIR NAME} name=${2:?reboot DIR NAME} before
  before=$(sshv "$dir" "$name" cat /proc/sys/kernel/random/boot_id)
  sshv "$dir" "$name" 'systemctl reboot' || true
  local until=$((SECONDS + 600))
  while [ $SECONDS -lt $until ]; do
    sleep 5
    alive "$dir" "$name" || die "$name: qemu exited during the reboot"
    now=$(sshv "$dir" "$name" cat /proc/sys/kernel/random/boot_id 2>/dev/null) || continue
    [ "$now" != "$before" ] && { sshv "$dir" "$name" 'systemctl is-system-running --wait >/dev/null 2>&1 || true'; return 0; }
  done
  die "$name: not back 600 s after the reboot"
}

cmd_stop() {
  local dir=${1:?stop DIR} kill_only=${2:-} d name
  for d in "$dir"/*/; do
    name=$(basename "$d")
    alive "$dir" "$name" || continue
    [ -n "$kill_only" ] || sshv "$dir" "$name" 'systemctl poweroff' >/dev/null 2>&1 || true
  done
  for d in "$dir"/*/; do
    name=$(basename "$d")
    local until=$((SECONDS + 60))
    [ -n "$kill_only" ] && until=$SECONDS
    while alive "$dir" "$name" && [ $SECONDS -lt $until ]; do sleep 1; done
    alive "$dir" "$name" && kill "$(cat "$dir/$name/qemu.pid")" 2>/dev/null || true
  done
  rm -rf "$dir"
}

case "${1:-}" in
  image) cmd_image ;;
  boot) shift; cmd_boot "$@" ;;
  ssh) shift; d=$1 n=$2; shift 2; sshv "$d" "$n" "$@" ;;
  reboot) shift; cmd_reboot "$@" ;;
  stop) shift; cmd_stop "${1:-/tmp/drover-lab}" ;;
  kill) shift; cmd_stop "${1:-/tmp/drover-lab}" now ;;
  key) echo "$IMAGE/id_ed25519" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
