// The arguments of `shell <node>` and `exec <node> -- <command...>`: which
// lab node, and for exec the program to run there.
import { LabError } from '../model/errors.js';

/** The nodes a person can enter, in the order the workshop meets them. */
export const NODES = ['server', 'edge', 'inet'] as const;
export type LabNode = (typeof NODES)[number];

export const NODE_COMMANDS = ['shell', 'exec'] as const;

export function isNodeCommand(command: string): command is (typeof NODE_COMMANDS)[number] {
  return (NODE_COMMANDS as readonly string[]).includes(command);
}

/**
 * `positionals`: the words after the command, before any `--`; `afterDashes`:
 * everything after the first `--`, kept verbatim (its options are the
 * program's, not the lab's).
 */
export function parseNodeArgs(command: 'shell' | 'exec', positionals: string[], afterDashes: string[]): { node: LabNode; argv: string[] } {
  const [node, ...words] = positionals;
  if (!node) throw new LabError(`\`${command}\` needs a node (${NODES.join(', ')}), e.g. \`npm run lab -- ${command} server${command === 'exec' ? ' -- ip route' : ''}\``);
  if (!(NODES as readonly string[]).includes(node)) throw new LabError(`unknown node "${node}": choose one of ${NODES.join(', ')}`);
  const argv = [...words, ...afterDashes];
  if (command === 'shell') {
    if (argv.length) throw new LabError(`unexpected argument "${argv[0]}": \`shell\` takes only a node; run one command with \`exec ${node} -- <command>\``);
    return { node: node as LabNode, argv: [] };
  }
  if (!argv.length) throw new LabError(`\`exec\` needs a command after --, e.g. \`npm run lab -- exec ${node} -- ip route\``);
  return { node: node as LabNode, argv };
}
