#!/bin/sh
# Vagrant's provisioner: installs the lab's Debian packages (the arguments)
# unless the box already has them, as the offline box does. One dpkg-query
# for all of them: under software emulation every process costs.
set -eu

installed=$(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null | awk '/ install ok installed$/ {print $1}')
missing=
for pkg in "$@"; do
  case " $(echo $installed) " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
done
if [ -z "$missing" ]; then
  echo "eiplab: the box has every package the lab needs"
else
  echo "eiplab: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
  # The lab starts its own Docker daemon inside the server namespace when it needs one.
  systemctl disable --now docker.service docker.socket >/dev/null 2>&1 || true
fi

# Every lab command goes through sudo: skip its pty, PAM session and syslog record.
printf 'vagrant ALL=(ALL) NOPASSWD: ALL\nDefaults:vagrant !use_pty, !pam_session, !pam_setcred, !syslog\n' >/etc/sudoers.d/eiplab
chmod 440 /etc/sudoers.d/eiplab
