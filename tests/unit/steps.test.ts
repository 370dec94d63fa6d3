// Steps nobody is shown are joined per node, so `up` spawns fewer commands.
import { describe, expect, it } from 'vitest';
import { mergeByNode, type Step } from '../../lab/model/steps.js';

const step = (node: Step['node'], ...commands: string[]): Step => ({ node, explain: `${node}:${commands[0]}`, commands });

describe('mergeByNode', () => {
  it('joins consecutive steps on one node and keeps the order', () => {
    const merged = mergeByNode([step('edge', 'a'), step('edge', 'b', 'c'), step('server', 'd'), step('edge', 'e')]);
    expect(merged.map((s) => [s.node, s.commands])).toEqual([
      ['edge', ['a', 'b', 'c']],
      ['server', ['d']],
      ['edge', ['e']],
    ]);
    expect(merged[0].explain).toBe('edge:a edge:b');
  });

  it('leaves nothing and single steps as they are', () => {
    expect(mergeByNode([])).toEqual([]);
    const one = step('inet', 'x');
    expect(mergeByNode([one])).toEqual([one]);
  });
});
