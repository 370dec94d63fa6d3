import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../lab/cli/options.js';
import { wantsHelp } from '../../lab/cli/usage.js';
import { LabError } from '../../lab/model/errors.js';

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

  it('reads --nics; without it the count is left to the config', () => {
    expect(parseOptions(['matrix', '--nics', '3'])).toMatchObject({ nics: 3 });
    expect(parseOptions(['up'])).not.toHaveProperty('nics');
  });

  it.each([
    [['run', 'scheme1', '--profile', 'nope'], /unknown profile "nope": choose one of lenient, cloud, strict/],
    [['run', 'scheme1', '--fix', 'Magic!'], /bad --fix "Magic!"/],
    [['run', 'scheme1', '--app', 'fancy'], /unknown app "fancy"/],
    [['run', 'scheme1', '--target', 'mars'], /unknown target "mars"/],
    [['run', 'scheme1', '--prefix', 'Bad-Prefix'], /bad --prefix/],
    [['run', 'scheme1', '--prefix', 'averyverylongprefix'], /bad --prefix/],
    [['run', 'scheme1', '--colour'], /unknown option --colour/],
    [['launch'], /unknown command "launch"/],
    [['run'], /needs a scheme/],
    [['verify', 'extra'], /unexpected argument "extra"/],
    [['run', 'scheme1', '--nics', '5'], /bad --nics "5": the server has 2 to 4 NICs/],
    [['run', 'scheme1', '--nics', '1'], /bad --nics "1"/],
    [['up', '--nics', 'three'], /bad --nics "three"/],
    [['matrix', '--parallel', '0'], /bad --parallel "0"/],
    [['matrix', '--parallel', 'two'], /bad --parallel "two"/],
    [['matrix', '--parallel', '99'], /bad --parallel "99": .* 1 to 16/],
    [['run', 'scheme1', '--parallel', '2'], /--parallel is for `matrix` only/],
    [['matrix', '--parallel', '10', '--prefix', 'twelvechars1'], /too long for --parallel 10/],
    [[], /no command given/],
  ])('rejects %j with one clear line', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(LabError);
    expect(() => parseOptions(argv)).toThrow(message);
  });

  it('reads --parallel for the matrix (1, the default, runs the cells one after another)', () => {
    expect(parseOptions(['matrix'])).toMatchObject({ parallel: 1 });
    expect(parseOptions(['matrix', '--target', 'container', '--parallel', '3', '--prefix', 'eiplabc'])).toMatchObject({ parallel: 3, target: 'container' });
  });

  it('reads --junit and --report for the commands that produce results', () => {
    expect(parseOptions(['matrix', '--junit', 'out/junit.xml', '--report', 'out/report'])).toMatchObject({ junit: 'out/junit.xml', report: 'out/report' });
    expect(parseOptions(['run', 'scheme1', '--report', 'r'])).toMatchObject({ report: 'r', junit: undefined });
    expect(parseOptions(['verify', '--junit', 'j.xml'])).toMatchObject({ junit: 'j.xml' });
  });

  it.each([
    [['matrix', '--junit'], /--junit needs a file name/],
    [['matrix', '--report', ''], /--report needs a directory name/],
    [['up', '--junit', 'j.xml'], /--junit only goes with run, verify, matrix/],
    [['down', '--report', 'r'], /--report only goes with run, verify, matrix/],
    [['matrix', '--junit', 'a.xml', '--junit', 'b.xml'], /--junit given more than once/],
    [['matrix', '--junit', 'tests'], /--junit tests is a directory/],
    [['matrix', '--report', 'package.json'], /--report package.json is a file/],
    [['matrix', '--junit', 'out', '--report', './out'], /must not be the same path/],
  ])('rejects the output options %j', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(LabError);
    expect(() => parseOptions(argv)).toThrow(message);
  });

  it('asks for help', () => {
    expect(parseOptions(['--help'])).toBe('help');
  });

  it('decides on help as the entry point does, before loading anything', () => {
    for (const argv of [['--help'], ['-h'], ['run', 'scheme1', '-vh'], ['matrix', '--help'], ['exec', 'server', '--', 'ls', '--help'], ['run', 'scheme1']]) {
      expect(wantsHelp(argv), argv.join(' ')).toBe(parseOptions(argv) === 'help');
    }
  });

  it('reads --shard for the matrix, and the files merge-results merges', () => {
    expect(parseOptions(['matrix', '--shard', '2/3'])).toMatchObject({ command: 'matrix', shard: { index: 2, count: 3 } });
    expect(parseOptions(['merge-results', 'a.json', 'b.json', '--junit', 'all.xml', '--report', 'all'])).toMatchObject({
      command: 'merge-results', files: ['a.json', 'b.json'], junit: 'all.xml', report: 'all', scheme: undefined,
    });
  });

  it.each([
    [['run', 'scheme1', '--shard', '1/2'], '--shard is for `matrix` only'],
    [['matrix', '--shard', '3/2'], 'bad --shard "3/2"'],
    [['matrix', '--shard', '1/2', '--shard', '2/2'], '--shard given more than once'],
    [['merge-results'], '`merge-results` needs the --json files to merge'],
  ])('%j is a one-line error', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(LabError);
    expect(() => parseOptions(argv)).toThrow(message);
  });
});
