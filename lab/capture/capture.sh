#!/bin/sh
# eiplab capture: prints this server's network configuration as one JSON
# document on stdout, for `npm run lab -- run --server capture.json`.
#
# Read-only: it only lists (ip, iptables-save, nft, /proc/sys). It changes
# nothing, sends nothing anywhere and writes no file. Needs iproute2 with
# JSON output (`ip -j`); iptables-save and nft are used where present.
# Run it as root (iptables-save and nft need it):  sh capture.sh > capture.json
set -u
export LC_ALL=C

die() {
  echo "capture.sh: $*" >&2
  exit 2
}

[ "$(id -u)" = 0 ] || die "run me as root: iptables-save and nft can only list the rules for root"
command -v ip >/dev/null 2>&1 || die "ip (iproute2) is not installed"
ip -j link show lo >/dev/null 2>&1 || die "this ip (iproute2) has no JSON output (ip -j): install iproute2 4.14 or newer"

# A JSON string holding stdin: backslash, quote and tab escaped, lines joined
# with \n (no newline after the last), other control characters dropped.
json_string() {
  tab=$(printf '\t')
  tr -d '\001-\010\013-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e "s/$tab/\\\\t/g" |
    awk 'BEGIN { printf "\"" } { printf "%s%s", (NR > 1 ? "\\n" : ""), $0 } END { printf "\"" }'
}

# The JSON an ip command lists (one array), or stop: every later step needs it.
ip_json() {
  out=$(ip -j "$@" 2>/dev/null) || die "ip -j $* failed"
  [ -n "$out" ] || out='[]'
  printf '%s' "$out"
}

# The same for IPv6, which a kernel may lack: an empty list then.
ip6_json() {
  out=$(ip -j -6 "$@" 2>/dev/null) && [ -n "$out" ] || out='[]'
  printf '%s' "$out"
}

# A readable /proc/sys file as a JSON string, or null.
sysctl_value() {
  if [ -r "$1" ]; then json_string <"$1"; else printf 'null'; fi
}

# The routing-related sysctls of one interface's /proc/sys/net/ipv4/conf directory.
CONF_KEYS='rp_filter forwarding src_valid_mark accept_local route_localnet arp_ignore arp_announce arp_filter proxy_arp send_redirects accept_redirects log_martians disable_policy'
GLOBAL_KEYS='ip_forward ip_nonlocal_bind fwmark_reflect tcp_fwmark_accept udp_l3mdev_accept tcp_l3mdev_accept raw_l3mdev_accept ip_local_port_range fib_multipath_hash_policy'

conf_object() {
  sep=''
  printf '{'
  for key in $CONF_KEYS; do
    printf '%s"%s":' "$sep" "$key"
    sysctl_value "$1/$key"
    sep=','
  done
  printf '}'
}

sysctls() {
  printf '{"ipv4":{'
  sep=''
  for key in $GLOBAL_KEYS; do
    printf '%s"%s":' "$sep" "$key"
    sysctl_value "/proc/sys/net/ipv4/$key"
    sep=','
  done
  printf '},"conf":{'
  sep=''
  for dir in /proc/sys/net/ipv4/conf/*; do
    [ -d "$dir" ] || continue
    printf '%s"%s":' "$sep" "${dir##*/}"
    conf_object "$dir"
    sep=','
  done
  printf '}}'
}

# iptables-save as text (every table the kernel has; listing loads no module), or null.
iptables_text() {
  if command -v iptables-save >/dev/null 2>&1 && out=$(iptables-save 2>/dev/null); then
    printf '%s\n' "$out" | json_string
  else
    printf 'null'
  fi
}

nft_json() {
  if command -v nft >/dev/null 2>&1 && out=$(nft -j list ruleset 2>/dev/null) && [ -n "$out" ]; then
    printf '%s' "$out"
  else
    printf 'null'
  fi
}

tool_version() {
  if command -v "$1" >/dev/null 2>&1; then "$@" 2>&1 | head -n 1 | json_string; else printf 'null'; fi
}

printf '{"format":"eiplab-capture","version":1,\n'
printf '"capturedAt":"%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf '"host":{"hostname":%s,"kernel":%s},\n' "$(uname -n | json_string)" "$(uname -r | json_string)"
printf '"tools":{"ip":%s,"iptables-save":%s,"nft":%s},\n' "$(tool_version ip -V)" "$(tool_version iptables-save --version)" "$(tool_version nft -v)"
printf '"links":%s,\n' "$(ip_json -d link show)"
printf '"addresses":%s,\n' "$(ip_json addr show)"
printf '"routes":%s,\n' "$(ip_json -4 route show table all)"
printf '"routes6":%s,\n' "$(ip6_json route show table all)"
printf '"rules":%s,\n' "$(ip_json -4 rule show)"
printf '"rules6":%s,\n' "$(ip6_json rule show)"
printf '"sysctls":%s,\n' "$(sysctls)"
printf '"iptables":%s,\n' "$(iptables_text)"
printf '"nft":%s}\n' "$(nft_json)"
