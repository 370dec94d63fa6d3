// The app image, made offline: FROM scratch plus the lab's static Go app
// (no registry is needed, nor reachable in many workshop rooms).
//
// The lab's daemon starts empty every time, so the image is saved once as
// a tarball next to the app binary, named by the binary's hash, and loaded
// on later runs (measured: `docker load` 0.16 s, `docker build` 0.32 s).
// A new binary has a new hash: the image is rebuilt and older tarballs go.
//
// A user's program (--app-cmd) is packed the same way, FROM scratch, under
// its own name; a user's image (--app-image) is loaded from its archive.
import { fillPlaceholders, labAppFlags } from '../app.js';
import type { LabConfig, Nic } from '../../../config/config.js';
import { shQuote } from '../../../hosts/quote.js';
import { USER_ERROR_MARK, type Step } from '../../../model/steps.js';
import { dockerCli, dockerPaths } from './dockerd.js';

/** The seed builds its image as `eip`. */
export const APP_IMAGE = 'eip:latest';
/** The port the app listens on inside its container (the seed's 8080). */
export const CONTAINER_PORT = 8080;

const DOCKERFILE = ['FROM scratch', 'COPY eiplab-app /eiplab-app', `EXPOSE ${CONTAINER_PORT}`, 'ENTRYPOINT ["/eiplab-app"]'];

/** The image the user's program runs from, in the lab's daemon only. */
export const OWN_IMAGE = 'eiplab-own:latest';

/** The image the containers run: the seed's, or the user's. */
export function containerImage(cfg: LabConfig): string {
  return cfg.ownApp ? OWN_IMAGE : APP_IMAGE;
}

/** The port the program listens on inside its container. */
export function containerPort(cfg: LabConfig): number {
  return cfg.ownApp?.imagePort ?? CONTAINER_PORT;
}

/** Where the program in a container listens: every address, at the container's port. */
export function containerListen(cfg: LabConfig): string {
  return `0.0.0.0:${containerPort(cfg)}`;
}

/** The container's arguments after the image: the lab's app's flags, or the user's own (placeholders filled in). */
export function containerArgs(cfg: LabConfig, nic: Nic): string {
  if (!cfg.ownApp) return labAppFlags(cfg, `:${CONTAINER_PORT}`, nic).join(' ');
  if (cfg.ownApp.image) return '';
  return fillPlaceholders(cfg.ownApp.argv.slice(1), containerListen(cfg), nic).map(shQuote).join(' ');
}

/** Until the program in the container listens (docker run returns before it does), without sending it a request. */
export function waitOwnContainer(cfg: LabConfig, nic: Nic, container: string): string {
  const port = containerPort(cfg);
  const fail = (what: string) =>
    `last=$(docker logs --tail 3 ${container} 2>&1 | cut -c1-200 | sed 's/$/ |/' | tr '\\n' ' ' | sed 's/ | $//'); echo "${USER_ERROR_MARK}${what}; its last output: \${last:-(none)}" >&2; exit 1`;
  return `end=$(( $(date +%s) + 3 ))
until pid=$(docker inspect -f '{{if .State.Running}}{{.State.Pid}}{{end}}' ${container}) && [ -n "$pid" ] && nsenter -t "$pid" -n ss -Hltn 'sport = :${port}' | grep -q .; do
  if [ -z "$pid" ]; then code=$(docker inspect -f '{{.State.ExitCode}}' ${container}); ${fail(`${nic.name}'s container exited (code $code) before it listened on port ${port}`)}; fi
  if [ $(date +%s) -ge $end ]; then ${fail(`${nic.name}'s container did not listen on port ${port} within 3 s`)}; fi
  sleep 0.02
done`;
}

/** The user's image in the lab's daemon: their program packed FROM scratch, or their archive loaded. */
function ownImageStep(cfg: LabConfig): Step {
  const app = cfg.ownApp!;
  const ctx = `${dockerPaths(cfg).root}/own-image`;
  if (app.image) {
    return {
      node: 'server',
      explain: {
        en: `Your image, loaded from ${app.image} into the lab's own Docker daemon (never yours) and tagged ${OWN_IMAGE}.`,
        zh: `你的镜像：从 ${app.image} 载入实验自己的 Docker 守护进程（不是你的），并打上标签 ${OWN_IMAGE}。`,
      },
      commands: [
        dockerCli(cfg),
        `out=$(docker load -i ${shQuote(app.image)} 2>&1) || true; ref=$(printf '%s\\n' "$out" | sed -n 's/^Loaded image\\(\\| ID\\): //p' | tail -n 1)`,
        `[ -n "$ref" ] || { echo "${USER_ERROR_MARK}docker load found no image in ${app.image}: $(printf '%s' "$out" | tail -n 1)" >&2; exit 1; }`,
        `docker tag "$ref" ${OWN_IMAGE}`,
      ],
    };
  }
  const dockerfile = ['FROM scratch', 'COPY app /app', `EXPOSE ${containerPort(cfg)}`, 'ENTRYPOINT ["/app"]'];
  return {
    node: 'server',
    explain: {
      en: `Your program, packed offline as the seed packs its app: FROM scratch with the static binary ${app.argv[0]}, as ${OWN_IMAGE}.`,
      zh: `你的程序，像原文打包应用那样离线打包：FROM scratch 加上静态二进制 ${app.argv[0]}，镜像名 ${OWN_IMAGE}。`,
    },
    commands: [
      dockerCli(cfg),
      `mkdir -p ${ctx} && cp ${shQuote(app.argv[0])} ${ctx}/app`,
      `printf '%s\\n' ${dockerfile.map((l) => `'${l}'`).join(' ')} >${ctx}/Dockerfile`,
      `DOCKER_BUILDKIT=0 docker build -q -t ${OWN_IMAGE} ${ctx} >/dev/null && rm -rf ${ctx}`,
    ],
  };
}

export function appImageStep(cfg: LabConfig): Step {
  if (cfg.ownApp) return ownImageStep(cfg);
  const ctx = `${dockerPaths(cfg).root}/image`;
  return {
    node: 'server',
    explain: {
      en: "The seed's image, built offline: FROM scratch with the static app binary; cached as a tarball keyed by the binary's hash, so only a changed app is rebuilt.",
      zh: '原文的镜像，离线构建：FROM scratch 加上静态编译的应用二进制；按二进制的哈希缓存成 tar 包，只有应用变了才重建。',
    },
    commands: [
      dockerCli(cfg),
      'app=$(command -v eiplab-app); sum=$(sha256sum "$app" | cut -c1-16); cache="${app%/*}/eiplab-app-image-$sum.tar"',
      // A cache that does not load (say, from an interrupted save) is rebuilt.
      `if [ -e "$cache" ] && docker load -q -i "$cache" >/dev/null; then
  :
else
  mkdir -p ${ctx} && cp "$app" ${ctx}/eiplab-app
  printf '%s\\n' ${DOCKERFILE.map((l) => `'${l}'`).join(' ')} >${ctx}/Dockerfile
  DOCKER_BUILDKIT=0 docker build -q --label eiplab.app.sha256=$sum -t ${APP_IMAGE} ${ctx} >/dev/null && rm -rf ${ctx}
  docker save -o "$cache.$$" ${APP_IMAGE} && mv "$cache.$$" "$cache"
  for old in "\${app%/*}"/eiplab-app-image-*.tar; do [ "$old" = "$cache" ] || rm -f "$old"; done
fi`,
    ],
  };
}
