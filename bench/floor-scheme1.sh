#!/usr/bin/env bash
# The floor for `run scheme1`: the same work, written by hand as a careful
# engineer would, with no framework around it. The benchmark times it next
# to the lab; the lab's orchestration costs whatever it takes beyond this.
#
#   bench/floor-scheme1.sh [PREFIX]     (root; PREFIX defaults to eiplabbf)
#
# Same topology as the lab (three namespaces, veths, the edge's bridge, 1:1
# NAT with nft, permanent neighbours, probe counters), scheme 1 (two app
# instances with --bind-source), the probes (the client to each EIP's
# /whoami, each instance's call to the echo server, the echo's record),
# then teardown. Every veth has both ends inside lab namespaces: the host's
# root namespace is never changed.
set -euo pipefail

P=${1:-eiplabbf}
BIN=${EIPLAB_BIN:-$(cd "$(dirname "$0")/../lab/go/bin" && pwd)}
I=$P-inet E=$P-edge S=$P-server
RUN=/run/$P
PORT=8090
ECHO=192.0.2.10
NIC0=172.31.0.8 NIC1=172.31.0.14
EIP0=203.0.113.65 EIP1=198.51.100.75
MAC0=02:00:ac:1f:00:08 MAC1=02:00:ac:1f:00:0e

DAEMONS=()
cleanup() {
  # Stop the daemons (started straight from this shell, so each pid is the
  # program's own, not a subshell's), and whatever else still runs in the
  # namespaces; wait for them, then drop the namespaces.
  local ns pids i
  if [ ${#DAEMONS[@]} -gt 0 ]; then kill "${DAEMONS[@]}" 2>/dev/null || true; wait "${DAEMONS[@]}" 2>/dev/null || true; fi
  for ns in $I $E $S; do
    for i in $(seq 50); do
      pids=$(ip netns pids $ns 2>/dev/null) || break
      [ -n "$pids" ] || break
      kill $pids 2>/dev/null || true
      sleep 0.02
    done
    ip netns del $ns 2>/dev/null || true
  done
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

inns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# --- topology --------------------------------------------------------------
ip netns add $I
ip netns add $E
ip netns add $S
mkdir -p "$RUN"

ip -n $E -batch - <<EOF
link set lo up
link add uplink type veth peer name uplink netns $I
link add vpc type bridge
link add srv-eth0 type veth peer name eth0 address $MAC0 netns $S
link add srv-eth1 type veth peer name eth1 address $MAC1 netns $S
link set srv-eth0 master vpc up
link set srv-eth1 master vpc up
link set vpc up
link set uplink up
addr add 100.64.0.1/24 dev uplink
addr add 172.31.0.1/24 dev vpc
route add $ECHO/32 via 100.64.0.2
neigh replace $NIC0 lladdr $MAC0 dev vpc nud permanent
neigh replace $NIC1 lladdr $MAC1 dev vpc nud permanent
EOF
bridge -n $E fdb replace $MAC0 dev srv-eth0 master static
bridge -n $E fdb replace $MAC1 dev srv-eth1 master static
inns $E sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
  net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
inns $E nft -f - <<EOF
table ip nat {
  chain prerouting {
    type nat hook prerouting priority dstnat;
    ip daddr $EIP0 dnat to $NIC0
    ip daddr $EIP1 dnat to $NIC1
  }
  chain forward {
    type filter hook forward priority filter;
    oifname "uplink" ip saddr != { $NIC0, $NIC1 } drop
  }
  chain postrouting {
    type nat hook postrouting priority srcnat;
    oifname "uplink" ip saddr $NIC0 snat to $EIP0
    oifname "uplink" ip saddr $NIC1 snat to $EIP1
  }
}
EOF

ip -n $S -batch - <<EOF
link set lo up
addr add $NIC0/24 dev eth0
addr add $NIC1/24 dev eth1
link set eth0 up
link set eth1 up
route add default via 172.31.0.1 dev eth0
EOF
# lenient: rp_filter=0, set explicitly (a new namespace may inherit the host's values).
inns $S sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 net.ipv4.ip_forward=0 \
  net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0 net.ipv4.conf.eth1.rp_filter=0
# Counters: requests in by input NIC (before NAT), replies and SYNs to the echo out by output NIC.
inns $S nft -f - <<EOF
table inet probe {
  counter in_eth0_eth0 {}
  counter in_eth0_eth1 {}
  counter in_eth1_eth0 {}
  counter in_eth1_eth1 {}
  counter reply_eth0_eth0 {}
  counter reply_eth0_eth1 {}
  counter reply_eth1_eth0 {}
  counter reply_eth1_eth1 {}
  counter out_eth0 {}
  counter out_eth1 {}
  chain ingress {
    type filter hook prerouting priority -310;
    ip daddr $NIC0 tcp dport $PORT iifname "eth0" counter name in_eth0_eth0
    ip daddr $NIC0 tcp dport $PORT iifname "eth1" counter name in_eth0_eth1
    ip daddr $NIC1 tcp dport $PORT iifname "eth0" counter name in_eth1_eth0
    ip daddr $NIC1 tcp dport $PORT iifname "eth1" counter name in_eth1_eth1
  }
  chain egress {
    type filter hook postrouting priority 310;
    ip saddr $NIC0 ip daddr 100.64.0.2 tcp sport $PORT oifname "eth0" counter name reply_eth0_eth0
    ip saddr $NIC0 ip daddr 100.64.0.2 tcp sport $PORT oifname "eth1" counter name reply_eth0_eth1
    ip saddr $NIC1 ip daddr 100.64.0.2 tcp sport $PORT oifname "eth0" counter name reply_eth1_eth0
    ip saddr $NIC1 ip daddr 100.64.0.2 tcp sport $PORT oifname "eth1" counter name reply_eth1_eth1
    ip daddr $ECHO tcp dport 80 tcp flags & (syn | ack) == syn oifname "eth0" counter name out_eth0
    ip daddr $ECHO tcp dport 80 tcp flags & (syn | ack) == syn oifname "eth1" counter name out_eth1
  }
}
EOF

ip -n $I -batch - <<EOF
link set lo up
addr add $ECHO/32 dev lo
addr add 100.64.0.2/24 dev uplink
link set uplink up
route add $EIP0/32 via 100.64.0.1
route add $EIP1/32 via 100.64.0.1
EOF
inns $I sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 net.ipv4.ip_forward=0
# Daemons run as `ip netns exec` itself, not through inns: a function behind `&`
# runs in a subshell, and killing that subshell leaves the program running.
ip netns exec $I "$BIN/eiplab-echo" --addr $ECHO:80 >"$RUN/echo.log" 2>&1 & DAEMONS+=($!)

# --- scheme 1: one instance per NIC IP, outgoing connections bound to it --
ip netns exec $S "$BIN/eiplab-app" --addr $NIC0:$PORT --name eth0 --echo http://$ECHO/ --bind-source >"$RUN/app-eth0.log" 2>&1 & DAEMONS+=($!)
ip netns exec $S "$BIN/eiplab-app" --addr $NIC1:$PORT --name eth1 --echo http://$ECHO/ --bind-source >"$RUN/app-eth1.log" 2>&1 & DAEMONS+=($!)

wait_http() {
  local ns=$1 url=$2 i
  for i in $(seq 150); do
    inns "$ns" curl -s -o /dev/null --max-time 0.5 "$url" && return 0
    sleep 0.02
  done
  echo "no answer from $url" >&2
  return 1
}
wait_http $I http://$ECHO/
wait_http $S http://$NIC0:$PORT/whoami
wait_http $S http://$NIC1:$PORT/whoami

# --- probes ----------------------------------------------------------------
counters() { echo "== $1"; inns $S nft list counters table inet probe | awk '/counter /{n=$2} /packets/{print "  " n, $2}'; }
ID0=eth0-$RANDOM$RANDOM ID1=eth1-$RANDOM$RANDOM

counters before
inns $I curl -sS --max-time 1 http://$EIP0:$PORT/whoami & c0=$!
inns $I curl -sS --max-time 1 http://$EIP1:$PORT/whoami & c1=$!
wait $c0 $c1 || true
echo
counters "after the client's requests"
inns $S curl -sS --max-time 2 "http://$NIC0:$PORT/?id=$ID0"
counters "after eth0's egress"
inns $S curl -sS --max-time 2 "http://$NIC1:$PORT/?id=$ID1"
counters "after eth1's egress"
echo "== what the echo server saw"
inns $I curl -sS --max-time 1 "http://$ECHO/record?id=$ID0"
inns $I curl -sS --max-time 1 "http://$ECHO/record?id=$ID1"
