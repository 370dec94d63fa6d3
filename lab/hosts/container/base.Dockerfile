# The lab host's base when a registry is reachable: Debian 12 and the
# packages in lab/hosts/container/packages.ts. Offline, the same tag is made with
# debootstrap instead (lab/hosts/container/rootfs.ts).
FROM debian:bookworm-slim
ARG PACKAGES
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${PACKAGES} \
 && rm -rf /var/lib/apt/lists/*
LABEL eiplab.role=lab-host-base
