// The workshop's command-line additions: shell, exec, watch, --step, --lang, --once.
import { describe, expect, it } from 'vitest';
import { parseOptions, type Options } from '../../lab/cli/options.js';
import { LabError } from '../../lab/model/errors.js';

const parse = (argv: string[], env: Record<string, string> = {}) => parseOptions(argv, env) as Options;

describe('workshop options', () => {
  it('shell takes a node', () => {
    expect(parse(['shell', 'edge'])).toMatchObject({ command: 'shell', node: 'edge', scheme: undefined });
  });

  it('exec keeps everything after -- verbatim, options included', () => {
    const o = parse(['exec', 'server', '--prefix', 'lab2', '--', 'ip', '-br', 'addr', '--prefix', 'x']);
    expect(o).toMatchObject({ command: 'exec', node: 'server', prefix: 'lab2', argv: ['ip', '-br', 'addr', '--prefix', 'x'] });
  });

  it('exec also takes plain words after the node', () => {
    expect(parse(['exec', 'inet', 'hostname']).argv).toEqual(['hostname']);
  });

  it.each([
    [['shell'], /`shell` needs a node \(server, edge, inet\)/],
    [['shell', 'router'], /unknown node "router": choose one of server, edge, inet/],
    [['exec', 'host', '--', 'ip', 'route'], /unknown node "host"/],
    [['exec', 'server'], /`exec` needs a command after --/],
    [['exec', 'server', '--'], /`exec` needs a command after --/],
    [['shell', 'server', '--', 'ls'], /unexpected argument "ls"/],
    [['watch', 'server'], /unexpected argument "server"/],
    [['verify', '--', 'x'], /unexpected argument "x"/],
    [['verify', '--step'], /--step works with `apply` and `run`/],
    [['run', 'scheme1', '--once'], /--once works with `watch`/],
    [['run', 'scheme1', '--lang', 'fr'], /unknown language "fr": choose one of en, zh/],
  ])('rejects %j with one clear line', (argv, message) => {
    expect(() => parse(argv)).toThrow(LabError);
    expect(() => parse(argv)).toThrow(message);
  });

  it('--step on apply and run, --once on watch', () => {
    expect(parse(['apply', 'scheme1', '--step']).step).toBe(true);
    expect(parse(['run', 'scheme3', '--step']).step).toBe(true);
    expect(parse(['run', 'scheme3']).step).toBe(false);
    expect(parse(['watch', '--once']).once).toBe(true);
  });

  it('the language: --lang, else the locale', () => {
    expect(parse(['status'], { LANG: 'zh_CN.UTF-8' }).lang).toBe('zh');
    expect(parse(['status'], { LANG: 'en_GB.UTF-8' }).lang).toBe('en');
    expect(parse(['status', '--lang', 'en'], { LANG: 'zh_CN.UTF-8' }).lang).toBe('en');
    expect(parse(['status', '--lang', 'zh']).lang).toBe('zh');
  });
});
