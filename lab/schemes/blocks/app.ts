// How the lab starts the Go demo app, as a step's command line.
import type { LabConfig, Nic } from '../../config/config.js';

export type AppVariant = 'plain' | 'bound';

export interface AppLaunch {
  /** The instance's name: the NIC it is meant to use. */
  nic: Nic;
  /** Address the app listens on. */
  listen: string;
  bind: boolean;
}

export function echoUrl(cfg: LabConfig): string {
  const port = cfg.echo.port === 80 ? '' : `:${cfg.echo.port}`;
  return `http://${cfg.echo.ip}${port}/`;
}

/** The command that starts one instance (as a lab daemon) and waits until it answers. */
export function startApp(cfg: LabConfig, a: AppLaunch): string[] {
  const daemon = `app-${a.nic.name}`;
  const flags = [`--addr ${a.listen}`, `--name ${a.nic.name}`, `--echo ${echoUrl(cfg)}`];
  if (a.bind) flags.push('--bind-source');
  return [`lab_daemon ${daemon} eiplab-app ${flags.join(' ')}`, `lab_wait_http ${daemon} http://${a.listen}/whoami`];
}
