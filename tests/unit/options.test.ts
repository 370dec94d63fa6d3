import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../lab/cli/options.js';
import { LabError } from '../../lab/errors.js';

describe('command-line options', () => {
  it('defaults to the lenient profile, no fix, prefix eiplab, the local target', () => {
    expect(parseOptions(['run', 'scheme1'])).toMatchObject({
      command: 'run', scheme: 'scheme1', profile: 'lenient', fix: null, prefix: 'eiplab', target: 'local', keep: false, verbose: false,
    });
  });

  it('reads every option', () => {
    const o = parseOptions(['run', 'scheme3', '--profile', 'strict', '--fix', 'pbr', '--app', 'bound', '--prefix', 'lab2', '--keep', '--json', 'out.json', '-v']);
    expect(o).toMatchObject({ profile: 'strict', fix: 'pbr', app: 'bound', prefix: 'lab2', keep: true, json: 'out.json', verbose: true });
  });

  it.each([
    [['run', 'scheme1', '--profile', 'nope'], /unknown profile "nope": choose one of lenient, cloud, strict/],
    [['run', 'scheme1', '--fix', 'magic'], /unknown fix "magic"/],
    [['run', 'scheme1', '--app', 'fancy'], /unknown app "fancy"/],
    [['run', 'scheme1', '--target', 'mars'], /unknown target "mars"/],
    [['run', 'scheme1', '--prefix', 'Bad-Prefix'], /bad --prefix/],
    [['run', 'scheme1', '--prefix', 'averyverylongprefix'], /bad --prefix/],
    [['run', 'scheme1', '--colour'], /unknown option --colour/],
    [['launch'], /unknown command "launch"/],
    [['run'], /needs a scheme/],
    [['verify', 'extra'], /unexpected argument "extra"/],
    [[], /no command given/],
  ])('rejects %j with one clear line', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(LabError);
    expect(() => parseOptions(argv)).toThrow(message);
  });

  it('asks for help', () => {
    expect(parseOptions(['--help'])).toBe('help');
  });
});
