// The CLI's usage text, in a module of its own with no imports: `eiplab --help`
// prints it before the rest of the CLI (zx, the lab) is loaded.

export const USAGE = `usage: eiplab <command> [options]        (in a checkout: npm run lab -- <command> [options])

commands:
  up                 build the topology (namespaces inet, edge, server)
  apply <scheme>     apply a scheme to the lab that is up
  verify             probe and print the measured verdicts
  down               remove everything the lab created (safe to run any time)
  run <scheme>       up + apply + verify + down
  matrix [scheme]    run every scheme x app x fix x profile (or one scheme's) and print the matrix
  status             show what is up and applied
  shell <node>       an interactive shell in a node (server, edge, inet) of the lab that is up
  exec <node> -- <command...>   run one command in a node; exits with the command's exit code
  watch              live packet counters per NIC in the server (--once: one snapshot)
  merge-results <a.json> <b.json>...   merge the --json outputs of matrix shards (or any runs) into one set of
                     outputs (--json, --junit, --report) and print the matrix; exits as the matrix would
  capture-script     print the script that captures your own server's network configuration (run it there as root)

  <scheme> is a shipped scheme's id (the post's scheme1, scheme2, scheme3; beyond it bindtodevice,
  docker-host-ipv4, vrf) or a scheme file's path (./my-scheme.yaml: contains / or ends in .yaml/.yml;
  docs/schemes.md teaches the format)

options:
  --profile lenient|cloud|strict   the network the server lives in (default lenient; the matrix: all three)
  --fix <name>                     apply a fix: pbr (source-based policy routing), connmark (replies routed by the NIC
                                   their connection came in on), or one the scheme file defines
  --app plain|bound|bindtodevice   the app variant, where the scheme offers several
  --scenario <name>                a scheme's extra scenario
  --config <file.json>             override the lab's addresses, names and ports (see lab/config/config.ts)
  --nics 2|3|4                     how many NICs the server has, each with its own EIP (default 2); give it to every command of the lab
  --prefix <name>                  name prefix of everything the lab creates (default eiplab)
  --target local|container|vagrant where the lab host is: this machine (default), a container (Docker), or the Vagrantfile's VM
                                   (the default on a machine without network namespaces, once the VM exists)
  --keep                           leave the lab up after run
  --json <file>                    write the results with their evidence as JSON
  --junit <file>                   write the results as JUnit XML (one testcase per instance x check)
  --report <dir>                   write a self-contained HTML report (<dir>/index.html) with the measured paths drawn
  --parallel <n>                   matrix: run n cells at once, each in its own lab (<prefix>1..<prefix>n; default 1)
  --shard <i>/<n>                  matrix: run only the i-th of n slices of the cells (cell k is in slice k mod n + 1)
  -v, --verbose                    print every command run on the lab host, with its namespace, and the kernel's account under every check
  --no-trace                       verify: no kernel account (no route lookups, no netfilter trace of the probe's packets)
  --step                           apply, run: show each step and wait for Enter before running it
  --lang zh|en                     language of explanations and reasons (default: from LC_ALL, LC_MESSAGES, LANG)
  --once                           watch: print one snapshot and exit
  --server <capture.json>          run, up: build the server from a capture of your own (capture-script), replay it, measure
  --eip <nic>=<addr>               --server: the elastic-IP stand-in of a NIC (documentation ranges only; repeat per NIC)
  --expect own                     --server: expect every NIC's traffic through itself (default: measured only)
  --app-cmd "<program> <args>"     run, apply, matrix: your program as each NIC's instance; placeholders {listen} {ip} {port} {nic}
  --app-path <path>                the path the lab asks your program for (default /)
  --app-image <file.tar>           scheme 2: your image (a docker save archive) instead of packing the program
  --app-port <port>                with --app-image: the port its program listens on in the container (default 8080)
  --resolve <name,...>             up, run, matrix: the VPC resolver answers only these names (default: every name)`;

/** --help or -h before any `--` (what follows belongs to the program `exec` runs), as the option parser reads them. */
export function wantsHelp(argv: string[]): boolean {
  const dashes = argv.indexOf('--');
  return (dashes < 0 ? argv : argv.slice(0, dashes)).some((a) => a === '--help' || a === '-h' || /^-[a-z]*h[a-z]*$/.test(a));
}
