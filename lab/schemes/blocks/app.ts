// How the lab starts an app instance, as a step's command line: the lab's
// Go demo app, or the user's own program (--app-cmd) with its placeholders
// filled in for this instance. Every scheme starts its instances here, so a
// scheme gets the user's program without knowing about it.
import type { LabConfig, Nic, OwnApp } from '../../config/config.js';
import { shQuote } from '../../hosts/quote.js';

/** plain: does not bind its outgoing connections; bound: binds them to its listen IP; bindtodevice: to its NIC (SO_BINDTODEVICE). */
export const APP_VARIANTS = ['plain', 'bound', 'bindtodevice'] as const;
export type AppVariant = (typeof APP_VARIANTS)[number];

export interface AppLaunch {
  /** The instance's name: the NIC it is meant to use. */
  nic: Nic;
  /** Address the app listens on. */
  listen: string;
  bind: boolean;
  /** Bind the outgoing sockets to this NIC (SO_BINDTODEVICE), with no source IP chosen. */
  device?: string;
  /** The lab's app runs inside its NIC's VRF: the command it starts under, and curl's option that reaches it there. */
  within?: { exec: string; curl: string };
}

/**
 * The lab's app's flags for one instance: where it listens, its name, the echo server, and its own
 * deadline for its outgoing request (the probe's, so a failing call answers before the probe gives up).
 */
export function labAppFlags(cfg: LabConfig, addr: string, nic: Nic): string[] {
  return [`--addr ${addr}`, `--name ${nic.name}`, `--echo ${echoUrl(cfg)}`, `--timeout ${cfg.probeTimeoutMs}ms`];
}

export function echoUrl(cfg: LabConfig): string {
  const port = cfg.echo.port === 80 ? '' : `:${cfg.echo.port}`;
  return `http://${cfg.echo.ip}${port}/`;
}

/** What `--app-cmd` may say about the instance it starts. */
export const PLACEHOLDERS = ['listen', 'ip', 'port', 'nic'] as const;

/** The user's arguments for one instance: `{listen}` `{ip}` `{port}` `{nic}` filled in. */
export function fillPlaceholders(words: string[], listen: string, nic: Nic): string[] {
  const cut = listen.lastIndexOf(':');
  const values: Record<(typeof PLACEHOLDERS)[number], string> = {
    listen,
    ip: listen.slice(0, cut),
    port: listen.slice(cut + 1),
    nic: nic.name,
  };
  return words.map((w) => w.replace(/\{(\w+)\}/g, (_, name: string) => values[name as keyof typeof values]));
}

/** The command that starts one instance (as a lab daemon) and waits until it answers. */
export function startApp(cfg: LabConfig, a: AppLaunch): string[] {
  const daemon = `app-${a.nic.name}`;
  if (cfg.ownApp) return startOwnApp(cfg.ownApp, daemon, a);
  const flags = labAppFlags(cfg, a.listen, a.nic);
  if (a.bind) flags.push('--bind-source');
  if (a.device) flags.push(`--bind-device ${a.device}`);
  const exec = a.within ? `${a.within.exec} ` : '';
  const curl = a.within ? ` '${a.within.curl}'` : '';
  return [`lab_daemon ${daemon} ${exec}eiplab-app ${flags.join(' ')}`, `lab_wait_http ${daemon} http://${a.listen}/whoami${curl}`];
}

/**
 * The user's program, unmodified: it gets the address to listen on from its own arguments, so
 * `bind` (the lab's app's flag) is the program's business. The lab waits until a socket listens,
 * without sending it a request: a request could make it call out before the probes.
 */
function startOwnApp(app: OwnApp, daemon: string, a: AppLaunch): string[] {
  const [program, ...args] = app.argv;
  const argv = [program, ...fillPlaceholders(args, a.listen, a.nic)].map(shQuote).join(' ');
  const cut = a.listen.lastIndexOf(':');
  return [`lab_daemon ${daemon} ${argv}`, `lab_wait_listen ${daemon} ${a.listen.slice(0, cut) || '0.0.0.0'} ${a.listen.slice(cut + 1)} ${shQuote(a.nic.name)}`];
}

