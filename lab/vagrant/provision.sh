#!/bin/sh
# Vagrant's provisioner: installs the lab's Debian packages (the arguments)
# unless the box already has them, as the offline box does.
set -eu

missing=
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $pkg"
done
if [ -z "$missing" ]; then
  echo "eiplab: the box has every package the lab needs"
else
  echo "eiplab: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi

# The lab starts its own Docker daemon inside the server namespace when it needs one.
for unit in docker.service docker.socket; do
  systemctl disable --now "$unit" >/dev/null 2>&1 || true
done

# Every lab command goes through sudo: skip its pty, PAM session and syslog record.
printf 'vagrant ALL=(ALL) NOPASSWD: ALL\nDefaults:vagrant !use_pty, !pam_session, !pam_setcred, !syslog\n' >/etc/sudoers.d/eiplab
chmod 440 /etc/sudoers.d/eiplab
