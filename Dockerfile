# faultline in a container, for users who want an image: a builder stage makes the Debian
# package exactly as scripts/package.sh does, and a slim Debian 12 image installs it with
# apt-get (so Depends: pulls the runtime libraries). Not built in CI, which has no base
# image; the tested path is the .deb (scripts/package.sh --install in .ci/run).
#
#   docker build -t faultline .
#   docker run --rm -v "$PWD:/work" faultline run /usr/share/faultline/scenarios/flagship-vendor-outage.yaml
#   docker run --rm -v "$PWD:/work" faultline run my-scenario.yaml --report report.html
FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN scripts/setup.sh \
 && cmake --preset package \
 && cmake --build --preset package \
 && cd build/package && cpack -G DEB

FROM debian:12-slim
COPY --from=build /src/build/package/faultline_*_amd64.deb /tmp/
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/faultline_*_amd64.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/faultline_*_amd64.deb
WORKDIR /work
ENTRYPOINT ["faultline"]
CMD ["--help"]
