# drover's fact probe: prints the raw inputs of Ansible's Linux fact collectors in one run.
# Set before this text: W (" collector collector ... ", the collectors wanted) and FP (fact_path).
# Output: sections, each "\036NAME\n" followed by its raw text; FACTS parses them (FactParser).
s() { printf '\036%s\n' "$1"; }
want() { case "$W" in *" $1 "*) return 0 ;; esac; return 1; }
f() { if [ -r "$1" ] && [ ! -d "$1" ]; then s "F$1"; cat "$1" 2>/dev/null; fi; }
ex() { for p in "$@"; do if [ -e "$p" ] || [ -L "$p" ]; then printf '%s\n' "$p"; fi; done; }
has() { command -v "$1" >/dev/null 2>&1; }
# the environment as the task sees it, before this probe sets LC_ALL for its own commands
if want env; then s env; env -0 2>/dev/null || env; fi
LC_ALL=C; export LC_ALL
if want platform; then
  s uname; uname -s; uname -r; uname -v; uname -m; uname -n
  s bits; getconf LONG_BIT 2>/dev/null
  n=$(uname -n); a=$(getent ahosts "$n" 2>/dev/null | awk 'NR==1{print $1}')
  s fqdn; if [ -n "$a" ]; then getent hosts "$a" 2>/dev/null | head -n 1; fi
  f /var/lib/dbus/machine-id; f /etc/machine-id
fi
if want distribution || want pkg_mgr || want network || want service_mgr; then
  for p in /etc/altlinux-release /etc/oracle-release /etc/slackware-version /etc/centos-release \
      /etc/redhat-release /etc/vmware-release /etc/openwrt_release /etc/os-release /etc/system-release \
      /etc/alpine-release /etc/arch-release /etc/SuSE-release /etc/gentoo-release /etc/lsb-release \
      /etc/sourcemage-release /usr/lib/os-release /etc/coreos/update.conf /etc/debian_version; do
    if [ -e "$p" ]; then s "D$p"; cat "$p" 2>/dev/null; fi
  done
fi
if want lsb; then
  if has lsb_release; then s lsb_release; lsb_release -a 2>/dev/null; fi
  f /etc/lsb-release
fi
if want user; then
  u=${LOGNAME:-${USER:-${LNAME:-${USERNAME:-}}}}
  [ -n "$u" ] || u=$(id -un 2>/dev/null)
  s user; printf '%s\n' "$u"; id -ru; id -u; id -rg; id -g
  getent passwd "$u" 2>/dev/null || getent passwd "$(id -ru)" 2>/dev/null
fi
if want date_time; then
  s date; date '+%Y|%m|%A|%w|%W|%d|%H|%M|%S|%s|%N|%Z|%z'
  y=$(date +%Y); date -d "$y-01-01 12:00" '+%Z|%z'; date -d "$y-07-01 12:00" '+%Z|%z'
fi
if want dns; then f /etc/resolv.conf; fi
if want service_mgr; then
  s svc; if [ -r /proc/1/comm ]; then printf 'comm='; cat /proc/1/comm; fi
  if [ -L /sbin/init ]; then printf 'init=%s\n' "$(readlink /sbin/init)"; fi
  has systemctl && echo has=systemctl; has initctl && echo has=initctl
  ex /run/systemd/system/ /dev/.run/systemd/ /dev/.systemd/ /etc/init/ /sbin/openrc /etc/init.d/ | sed 's/^/ex=/'
fi
if want pkg_mgr; then
  s pkg; ex /usr/bin/rpm-ostree /usr/bin/yum /usr/bin/dnf /usr/bin/apt-get /usr/bin/zypper /usr/sbin/urpmi \
      /usr/bin/pacman /bin/opkg /usr/pkg/bin/pkgin /opt/local/bin/pkgin /opt/tools/bin/pkgin /opt/local/bin/port \
      /usr/local/bin/brew /opt/homebrew/bin/brew /sbin/apk /usr/sbin/pkg /usr/sbin/swlist /usr/bin/emerge \
      /usr/sbin/pkgadd /usr/bin/pkg /usr/bin/xbps-install /usr/local/sbin/pkg /usr/bin/swupd /usr/sbin/sorcery \
      /usr/bin/installp /QOpenSys/pkgs/bin/yum /run/ostree-booted /usr/bin/rpm
  if [ -e /usr/bin/rpm ] && /usr/bin/rpm -q --whatprovides /usr/bin/apt-get >/dev/null 2>&1; then echo apt_rpm; fi
fi
if want python || want platform; then
  py=
  for c in /usr/bin/python3 python3 /usr/libexec/platform-python /usr/bin/python python; do
    if has "$c"; then py=$(command -v "$c"); break; fi
  done
  if [ -n "$py" ]; then
    s python; "$py" -c 'import sys, platform
try:
    import ssl; h = hasattr(ssl, "SSLContext")
except Exception:
    h = False
v = sys.version_info
print("%s|%d|%d|%d|%s|%d|%s|%s|%s" % (sys.executable, v[0], v[1], v[2], v[3], v[4], h,
      getattr(getattr(sys, "implementation", None), "name", ""), platform.python_version()))' 2>/dev/null
  fi
fi
if want selinux; then
  s selinux
  for d in /lib /lib64 /usr/lib /usr/lib64 /lib/*-linux-gnu /usr/lib/*-linux-gnu; do
    if [ -e "$d/libselinux.so.1" ]; then echo lib; break; fi
  done
  if [ -e /sys/fs/selinux/enforce ]; then
    echo "enforce=$(cat /sys/fs/selinux/enforce 2>/dev/null)"
    echo "policyvers=$(cat /sys/fs/selinux/policyvers 2>/dev/null)"
    sed -n 's/^SELINUX=/config=/p; s/^SELINUXTYPE=/type=/p' /etc/selinux/config 2>/dev/null
  fi
fi
if want apparmor; then s apparmor; ex /sys/kernel/security/apparmor; fi
if want caps && has capsh; then s caps; capsh --print 2>/dev/null && echo "rc=0"; fi
if want cmdline; then f /proc/cmdline; fi
if want chroot; then
  s chroot; echo "debian_chroot=${debian_chroot:-}"
  stat -c '%d %i' / 2>/dev/null; stat -c '%d %i' /proc/1/root/. 2>/dev/null || echo "fs=$(stat -f --format=%T / 2>/dev/null)"
fi
if want fips; then f /proc/sys/crypto/fips_enabled; fi
if want loadavg; then f /proc/loadavg; fi
if want ssh_pub_keys; then
  for d in /etc/ssh /etc/openssh /etc; do for a in dsa rsa ecdsa ed25519; do f "$d/ssh_host_${a}_key.pub"; done; done
fi
if want local && [ -n "$FP" ] && [ -e "$FP" ]; then
  for fn in "$FP"/*.fact; do
    [ -e "$fn" ] || continue
    if [ -x "$fn" ]; then
      t=$(mktemp -d 2>/dev/null) && {
        "$fn" >"$t/o" 2>"$t/e"; rc=$?
        s "Lx$fn"; echo "$rc"; base64 -w0 "$t/o"; echo; base64 -w0 "$t/e"; echo
        rm -rf "$t"
      }
    else
      s "Lf$fn"; base64 -w0 "$fn" 2>/dev/null; echo
    fi
  done
fi
if want hardware || want virtual; then f /proc/cpuinfo; fi
if want hardware; then
  f /proc/meminfo; f /proc/uptime
  [ -e /proc/xen ] && { s xen; echo xen; }; f /sys/hypervisor/type
  s nproc; nproc 2>/dev/null
  if [ -e /sys/devices/virtual/dmi/id/product_name ]; then
    for k in bios_date bios_vendor bios_version board_asset_tag board_name board_serial board_vendor board_version \
        chassis_asset_tag chassis_serial chassis_vendor chassis_version chassis_type product_name product_serial \
        product_uuid product_version sys_vendor; do f "/sys/devices/virtual/dmi/id/$k"; done
    s dmi; echo sys
  fi
  s lvm; [ "$(id -u)" = 0 ] && has vgs && echo vgs
  m=/etc/mtab; [ -e "$m" ] || m=/proc/mounts
  s mtab; cat "$m" 2>/dev/null
  if has findmnt; then s findmnt; findmnt --list --noheadings --notruncate 2>/dev/null; fi
  if has lsblk; then s lsblk; lsblk --list --noheadings --paths --output NAME,UUID --exclude 2 2>/dev/null; fi
  s statvfs
  while read -r dev mnt fst rest; do
    case "$dev" in /*|\\*) ;; *) case "$dev" in *:/*) ;; *) continue ;; esac ;; esac
    [ "$fst" = none ] && continue
    mnt=$(printf '%b' "$(printf '%s' "$mnt" | sed 's/\\\([0-7][0-7][0-7]\)/\\0\1/g')")
    printf '%s\t' "$(stat -f -c '%s %S %b %f %a %c %d' "$mnt" 2>/dev/null)"; printf '%s\n' "$mnt"
  done <"$m"
fi
if want virtual; then
  s virt; ex /proc/vz /proc/lve /proc/bc /.dockerenv /.dockerinit /proc/xen /dev/kvm /rhev/ | sed 's/^/ex=/'
  f /proc/1/cgroup; f /run/systemd/container; f /proc/xen/capabilities
  s environ1; { tr '\0' '\n' </proc/1/environ; } 2>/dev/null
  for k in product_name sys_vendor product_family bios_vendor; do f "/sys/devices/virtual/dmi/id/$k"; done
  s vxid; grep '^VxID:' /proc/self/status 2>/dev/null
  s modules; cut -d' ' -f1 /proc/modules 2>/dev/null
  if has dmidecode; then s dmidecode; dmidecode -s system-product-name 2>/dev/null; fi
fi
if want network && has ip; then
  s route4; ip -4 route get 8.8.8.8 2>/dev/null
  s route6; ip -6 route get 2404:6800:400a:800::1012 2>/dev/null
  for p in /sys/class/net/*; do
    [ -d "$p" ] || continue
    s "N${p##*/}"
    for k in address mtu operstate type speed flags bonding_slave/perm_hwaddr; do
      if [ -e "$p/$k" ]; then printf '%s=%s\n' "$k" "$(cat "$p/$k" 2>/dev/null)"; fi
    done
    [ -e "$p/device/driver/module" ] && printf 'module=%s\n' "$(basename "$(readlink -f "$p/device/driver/module")")"
    [ -e "$p/device" ] && printf 'device=%s\n' "$(basename "$(readlink "$p/device")")"
    if [ -e "$p/bridge" ]; then
      echo bridge=1; printf 'brif=%s\n' "$(ls "$p/brif" 2>/dev/null | tr '\n' ' ')"
      [ -e "$p/bridge/bridge_id" ] && printf 'bridge_id=%s\n' "$(cat "$p/bridge/bridge_id")"
      [ -e "$p/bridge/stp_state" ] && printf 'stp_state=%s\n' "$(cat "$p/bridge/stp_state")"
    fi
    if [ -e "$p/bonding" ]; then
      echo bonding=1
      for k in slaves mode miimon lacp_rate primary all_slaves_active; do
        [ -e "$p/bonding/$k" ] && printf 'bonding_%s=%s\n' "$k" "$(cat "$p/bonding/$k" 2>/dev/null)"
      done
    fi
    s "P${p##*/}"; ip addr show primary dev "${p##*/}" 2>/dev/null || { echo '#fallback'; ip addr show dev "${p##*/}" 2>/dev/null; }
    s "S${p##*/}"; ip addr show secondary dev "${p##*/}" 2>/dev/null
  done
fi
if want iscsi; then f /etc/iscsi/initiatorname.iscsi; fi
if want nvme; then f /etc/nvme/hostnqn; fi
if want fibre_channel_wwn; then for p in /sys/class/fc_host/*/port_name; do f "$p"; done; fi
s end
