// What an error message (and the bench's profile) names as a script's command.
import { describe, expect, it } from 'vitest';
import { firstLine } from '../../lab/hosts/host.js';

describe('firstLine', () => {
  it('skips sourcing the helpers, shell options and function definitions', () => {
    const script = ['if [ -e /run/eiplab/lib.sh ]; then . /run/eiplab/lib.sh; fi', 'set -e', 'docker() { /usr/bin/docker -H unix:///x "$@"; }', 'docker run -d app'].join('\n');
    expect(firstLine(script)).toBe('docker run -d app');
    expect(firstLine('# why\nip netns add eiplab-inet')).toBe('ip netns add eiplab-inet');
  });

  it('shortens long lines', () => {
    expect(firstLine('x'.repeat(150))).toHaveLength(100);
  });
});
