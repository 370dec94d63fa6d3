// The Debian packages the lab needs on the lab host, and why.
export const DEBIAN_PACKAGES: Record<string, string> = {
  iproute2: 'ip, bridge: namespaces, veth links, routes, policy rules',
  nftables: 'nft: the router NAT, the VPC source check, the packet counters',
  iptables: 'iptables: the seed writes its NAT rules with it (nft backend)',
  curl: 'the client and the probes',
  procps: 'sysctl',
  'util-linux': 'setsid, nsenter',
  'golang-go': 'builds the Go app and echo server',
  'docker.io': "scheme 2: the lab's own Docker daemon inside the server namespace",
  tcpdump: 'for looking at packets yourself (not needed by the checks)',
};
