// The app image, made offline: FROM scratch plus the lab's static Go app
// (no registry is needed, nor reachable in many workshop rooms).
//
// The lab's daemon starts empty every time, so the image is saved once as
// a tarball next to the app binary, named by the binary's hash, and loaded
// on later runs (measured: `docker load` 0.16 s, `docker build` 0.32 s).
// A new binary has a new hash: the image is rebuilt and older tarballs go.
import type { LabConfig } from '../../../config/config.js';
import type { Step } from '../../../model/steps.js';
import { dockerCli, dockerPaths } from './dockerd.js';

/** The seed builds its image as `eip`. */
export const APP_IMAGE = 'eip:latest';
/** The port the app listens on inside its container (the seed's 8080). */
export const CONTAINER_PORT = 8080;

const DOCKERFILE = ['FROM scratch', 'COPY eiplab-app /eiplab-app', `EXPOSE ${CONTAINER_PORT}`, 'ENTRYPOINT ["/eiplab-app"]'];

export function appImageStep(cfg: LabConfig): Step {
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
