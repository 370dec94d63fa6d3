#!/usr/bin/env bash
# Builds an offline Debian 12 box for vagrant-libvirt from Debian packages
# only: debootstrap into an ext4 partition of a raw disk, make it bootable,
# convert it to qcow2 and pack it as a .box. Run as root; no internet needed
# beyond the Debian mirror apt already uses. scripts/vagrant-box.ts decides
# whether to run it and adds the result to Vagrant.
#
# usage: build-box.sh WORKDIR OUT.box "PACKAGES..." PUBKEY INPUTS_HASH
set -euo pipefail

work=$1 out=$2 packages=$3 pubkey=$4 inputs=$5
disk_gib=8
label=eiplab-root
# The base system Vagrant and the lab need; the lab's own packages come on top.
base=systemd,systemd-sysv,dbus,udev,kmod,procps,openssh-server,sudo,iproute2,iptables,iputils-ping,netbase,ca-certificates,linux-image-cloud-amd64,grub-pc,initramfs-tools
cache=${EIPLAB_BOX_CACHE:-/var/cache/eiplab/debs}

say() { printf '\033[36m▸\033[0m %s\n' "$*"; }

# The mirror apt uses (Debian 12 keeps it in deb822 form; older systems in sources.list).
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}

raw=$work/disk.raw mnt=$work/mnt loop=
cleanup() {
  set +e
  for m in dev/pts dev proc sys; do mountpoint -q "$mnt/$m" && umount -l "$mnt/$m"; done
  mountpoint -q "$mnt" && umount -l "$mnt"
  [ -n "$loop" ] && losetup -d "$loop"
}
trap cleanup EXIT

rm -rf "$work" && mkdir -p "$work" "$mnt" "$cache"

say "disk: ${disk_gib} GiB raw, one MBR partition, ext4 labelled $label"
truncate -s ${disk_gib}G "$raw"
echo 'start=2048, type=83, bootable' | sfdisk -q "$raw"
loop=$(losetup -P --find --show "$raw")
part=${loop}p1
# Without udev the partition's device node may not appear on its own.
partx -a "$loop" 2>/dev/null || true
if [ ! -b "$part" ]; then
  sysdev=/sys/class/block/$(basename "$part")/dev
  for _ in $(seq 50); do [ -e "$sysdev" ] && break; sleep 0.1; done
  mknod "$part" b "$(cut -d: -f1 "$sysdev")" "$(cut -d: -f2 "$sysdev")"
fi
mkfs.ext4 -q -L "$label" "$part"
mount "$part" "$mnt"

say "debootstrap bookworm from $mirror (debs cached in $cache)"
include=$base,$(echo "$packages" | tr ' ' ',')
debootstrap --variant=minbase --include="$include" --cache-dir="$cache" bookworm "$mnt" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 20 "$work/debootstrap.log"; exit 1; }

say "configuring the guest"
echo eiplab-vm >"$mnt/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 eiplab-vm\n' >"$mnt/etc/hosts"
echo "LABEL=$label / ext4 errors=remount-ro 0 1" >"$mnt/etc/fstab"
# The Debian 12 way only: debootstrap's sources.list would list the mirror twice.
rm -f "$mnt/etc/apt/sources.list"
cat >"$mnt/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

# Only the management NIC (the first) is configured by the guest; the lab's
# NICs stay unconfigured until the lab moves them into its namespaces.
mkdir -p "$mnt/etc/systemd/network"
cat >"$mnt/etc/systemd/network/10-management.network" <<'EOF'
[Match]
Name=eth0

[Network]
DHCP=ipv4
LinkLocalAddressing=no
EOF

# The vagrant user with Vagrant's well-known key (Vagrant replaces it on first up).
chroot "$mnt" useradd -m -u 1000 -U -s /bin/bash vagrant
install -d -m 700 -o 1000 -g 1000 "$mnt/home/vagrant/.ssh"
install -m 600 -o 1000 -g 1000 "$pubkey" "$mnt/home/vagrant/.ssh/authorized_keys"
# The lab runs every command through sudo: skip the pty, PAM session and
# syslog record, which under software emulation cost ~150 ms a command.
cat >"$mnt/etc/sudoers.d/vagrant" <<'EOF'
vagrant ALL=(ALL) NOPASSWD: ALL
Defaults:vagrant !use_pty, !pam_session, !pam_setcred, !syslog
EOF
chmod 440 "$mnt/etc/sudoers.d/vagrant"

# Fresh host keys on first boot; no RSA key (its generation costs seconds under emulation).
rm -f "$mnt"/etc/ssh/ssh_host_*
cat >"$mnt/etc/ssh/sshd_config.d/eiplab.conf" <<'EOF'
HostKey /etc/ssh/ssh_host_ed25519_key
HostKey /etc/ssh/ssh_host_ecdsa_key
UseDNS no
EOF
cat >"$mnt/etc/systemd/system/eiplab-ssh-keys.service" <<'EOF'
[Unit]
Description=Generate this machine's SSH host keys
Before=ssh.service

[Service]
Type=oneshot
ExecStart=/bin/sh -c 'for t in ed25519 ecdsa; do f=/etc/ssh/ssh_host_$${t}_key; [ -e $$f ] || ssh-keygen -q -t $$t -N "" -f $$f; done'

[Install]
WantedBy=multi-user.target
EOF

# Boot fast under software emulation: no boot menu wait, no periodic jobs,
# and no system Docker daemon (the lab starts its own inside the server namespace).
chroot "$mnt" systemctl -q enable systemd-networkd eiplab-ssh-keys.service
chroot "$mnt" systemctl -q disable systemd-networkd-wait-online.service 2>/dev/null || true
for unit in docker.service docker.socket containerd.service; do
  [ -e "$mnt/lib/systemd/system/$unit" ] && chroot "$mnt" systemctl -q disable "$unit"
done
for unit in apt-daily.timer apt-daily-upgrade.timer man-db.timer e2scrub_all.timer fstrim.timer; do
  chroot "$mnt" systemctl -q mask "$unit" 2>/dev/null || true
done
: >"$mnt/etc/machine-id"
rm -f "$mnt/var/lib/dbus/machine-id"

say "boot loader"
sed -i -e 's/^GRUB_TIMEOUT=.*/GRUB_TIMEOUT=0/' \
  -e 's/^GRUB_CMDLINE_LINUX=.*/GRUB_CMDLINE_LINUX="net.ifnames=0 biosdevname=0 console=ttyS0"/' \
  "$mnt/etc/default/grub"
for m in proc sys dev dev/pts; do mount --bind "/$m" "$mnt/$m"; done
chroot "$mnt" grub-install --target=i386-pc "$loop" >"$work/grub.log" 2>&1 || { cat "$work/grub.log"; exit 1; }
chroot "$mnt" update-grub >>"$work/grub.log" 2>&1 || { cat "$work/grub.log"; exit 1; }
# No udev here, so update-grub named the loop device: boot by the file system's UUID instead.
uuid=$(blkid -s UUID -o value "$part")
sed -i "s|root=$part|root=UUID=$uuid|g" "$mnt/boot/grub/grub.cfg"
grep -q "root=UUID=$uuid" "$mnt/boot/grub/grub.cfg" || { echo "grub.cfg has no root=UUID=$uuid" >&2; exit 1; }
chroot "$mnt" apt-get clean
rm -rf "$mnt"/var/lib/apt/lists/* "$mnt"/var/log/*.log
for m in dev/pts dev proc sys; do umount "$mnt/$m"; done
umount "$mnt"
# A box with a damaged file system boots read-only and never starts sshd: check before packing.
e2fsck -fn "$part" >"$work/fsck.log" 2>&1 || { cat "$work/fsck.log"; echo "the box's file system has errors" >&2; exit 1; }
losetup -d "$loop" && loop=
sync

say "qcow2 and .box"
qemu-img convert -c -O qcow2 "$raw" "$work/box.img"
rm -f "$raw"
cat >"$work/metadata.json" <<EOF
{"provider": "libvirt", "format": "qcow2", "virtual_size": $disk_gib}
EOF
cat >"$work/Vagrantfile" <<'EOF'
# The eiplab offline box: no rsync or NFS inside, so no synced folder.
Vagrant.configure("2") do |config|
  config.vm.synced_folder ".", "/vagrant", disabled: true
end
EOF
echo "$inputs" >"$work/eiplab-inputs.sha256"
# No compression: box.img is already compressed qcow2.
tar -C "$work" -cf "$out" metadata.json Vagrantfile eiplab-inputs.sha256 box.img
say "built $out ($(du -h "$out" | cut -f1))"
