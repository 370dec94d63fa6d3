// The lab-host image's pure parts: which Go platform its binaries are built
// for, what it installs, and which images count as the lab's cache.
import { describe, expect, it } from 'vitest';
import { containerPlatform, isLabCacheImage } from '../../lab/hosts/container/image.js';
import { IMAGE_PACKAGES } from '../../lab/hosts/container/packages.js';
import { debianMirror } from '../../lab/hosts/container/rootfs.js';

describe('the lab-host image', () => {
  it("builds the binaries for the daemon's Linux: this machine's own build when it is the same, a cross build otherwise", () => {
    const own = process.platform === 'linux' ? (process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : null) : null;
    if (own) expect(containerPlatform(own)).toBeUndefined();
    const other = own === 'x86_64' ? 'aarch64' : 'x86_64';
    expect(containerPlatform(other)).toEqual({ goos: 'linux', goarch: other === 'x86_64' ? 'amd64' : 'arm64' });
    expect(() => containerPlatform('ppc64le')).toThrow(/x86_64 and aarch64 only/);
  });

  it("installs what the lab runs on its lab host, tini for PID 1, and no Go toolchain (the binaries are copied in)", () => {
    expect(IMAGE_PACKAGES).toEqual(expect.arrayContaining(['iproute2', 'nftables', 'iptables', 'curl', 'procps', 'util-linux', 'docker.io', 'tini']));
    expect(IMAGE_PACKAGES).not.toContain('golang-go');
  });

  it("counts only its own images, and the base it builds on, as its cache", () => {
    expect(isLabCacheImage('eiplab-host:0123456789abcdef')).toBe(true);
    expect(isLabCacheImage('eiplab-base:0123456789abcdef')).toBe(true);
    expect(isLabCacheImage('debian:bookworm-slim')).toBe(true);
    expect(isLabCacheImage('eiplab-hostile:1')).toBe(false);
    expect(isLabCacheImage('debian:latest')).toBe(false);
  });

  it('takes the Debian mirror from apt, so debootstrap fetches from where apt does', () => {
    expect(debianMirror()).toMatch(/^https?:\/\/\S+\/debian$/);
  });
});
