import type { RuleCase } from './types.js';

/** A fake secret assembled at run time, so the file holds no secret-shaped literal. */
const FAKE = ['s3cr', 'etValue', '42'].join('');

/** A Dockerfile that every rule accepts; cases change one thing in it. */
const good = (
  runtime = 'USER 10001\nHEALTHCHECK CMD ["/app", "health"]',
) => `FROM golang:1.23@sha256:${'a'.repeat(64)} AS build
WORKDIR /src
COPY . .
RUN go build -o /app ./cmd/app

FROM gcr.io/distroless/static:1.0
COPY --from=build /app /app
${runtime}
ENTRYPOINT ["/app"]
`;

const stage = (lines: string) => `FROM alpine:3.20\n${lines}\nUSER 10001\nHEALTHCHECK NONE\n`;

export const DOCKERFILE_CASES: RuleCase[] = [
  {
    rule: 'dockerfile-base-image-latest',
    name: 'FROM node:latest',
    file: 'Dockerfile',
    text: 'FROM node:latest\nUSER node\n',
    lines: [1],
  },
  {
    rule: 'dockerfile-base-image-latest',
    name: 'latest through an ARG default in a variant file',
    file: 'build/Dockerfile.dev',
    text: 'ARG TAG=latest\nFROM python:${TAG}\nUSER 1000\n',
    lines: [2],
  },
  {
    rule: 'dockerfile-base-image-latest',
    name: 'latest pinned by digest is fine',
    file: 'Dockerfile',
    text: `FROM node:latest@sha256:${'b'.repeat(64)}\n`,
    lines: [],
  },
  { rule: 'dockerfile-base-image-latest', name: 'version tags', file: 'Dockerfile', text: good(), lines: [] },
  {
    rule: 'dockerfile-base-image-untagged',
    name: 'FROM ubuntu (and a registry port is not a tag)',
    file: 'app.Dockerfile',
    text: 'FROM ubuntu\nFROM registry.local:5000/team/base AS second\n',
    lines: [1, 2],
  },
  {
    rule: 'dockerfile-base-image-untagged',
    name: 'untagged through an ARG default',
    file: 'Containerfile',
    text: 'ARG BASE=debian\nFROM ${BASE}\n',
    lines: [2],
  },
  {
    rule: 'dockerfile-base-image-untagged',
    name: 'scratch, earlier stages and ARGs without default are not reported',
    file: 'Dockerfile',
    text: 'ARG BASE\nFROM ${BASE} AS one\nFROM one AS two\nFROM scratch\nCOPY --from=two /x /x\n',
    lines: [],
  },
  {
    rule: 'dockerfile-runs-as-root',
    name: 'no USER in the final stage',
    file: 'Dockerfile',
    text: 'FROM alpine:3.20 AS build\nUSER 1000\nFROM alpine:3.20\nCOPY --from=build /a /a\n',
    lines: [3],
  },
  {
    rule: 'dockerfile-runs-as-root',
    name: 'last USER is root',
    file: 'Dockerfile',
    text: 'FROM alpine:3.20\nUSER app\nRUN id\nUSER 0:0\n',
    lines: [4],
  },
  {
    rule: 'dockerfile-runs-as-root',
    name: 'USER inherited from the stage it is built from',
    file: 'Dockerfile',
    text: 'FROM alpine:3.20 AS base\nUSER 10001\nFROM base\nRUN true\n',
    lines: [],
  },
  {
    rule: 'dockerfile-runs-as-root',
    name: 'final stage sets USER',
    file: 'Dockerfile',
    text: good(),
    lines: [],
  },
  {
    rule: 'dockerfile-add-remote-url',
    name: 'ADD of a URL and of a Git repository',
    file: 'Dockerfile',
    text: stage('ADD https://example.com/tool.tar.gz /opt/\nADD git@github.com:org/repo.git /src'),
    lines: [2, 3],
  },
  {
    rule: 'dockerfile-add-remote-url',
    name: 'ADD with --checksum',
    file: 'Dockerfile',
    text: stage(`ADD --checksum=sha256:${'c'.repeat(64)} https://example.com/tool.tar.gz /opt/`),
    lines: [],
  },
  {
    rule: 'dockerfile-add-instead-of-copy',
    name: 'ADD of local files',
    file: 'Dockerfile',
    text: stage('ADD --chown=app:app src/ /app/'),
    lines: [2],
  },
  {
    rule: 'dockerfile-add-instead-of-copy',
    name: 'ADD of a local archive, COPY of files',
    file: 'Dockerfile',
    text: stage('ADD rootfs.tar.gz /\nCOPY src/ /app/'),
    lines: [],
  },
  {
    rule: 'dockerfile-pipe-to-shell',
    name: 'curl | sh on the third line of a continued RUN',
    file: 'Dockerfile',
    text: stage(
      'RUN apk add --no-cache curl && \\\n    # install the tool\n    curl -fsSL https://example.com/install.sh | sh -s -- -y',
    ),
    lines: [4],
  },
  {
    rule: 'dockerfile-pipe-to-shell',
    name: 'bash <(wget …) and ONBUILD RUN',
    file: 'Dockerfile',
    text: stage(
      'RUN bash <(wget -qO- https://example.com/i.sh)\nONBUILD RUN curl -s https://example.com/x | python3',
    ),
    lines: [2, 3],
  },
  {
    rule: 'dockerfile-pipe-to-shell',
    name: 'download then verify',
    file: 'Dockerfile',
    text: stage(
      'RUN curl -fsSLo /tmp/i.sh https://example.com/i.sh \\\n && echo "abc  /tmp/i.sh" | sha256sum -c - \\\n && sh /tmp/i.sh',
    ),
    lines: [],
  },
  {
    rule: 'dockerfile-secret-in-env-arg',
    name: 'ENV password and ARG token default',
    file: 'Dockerfile',
    text: `ARG GITHUB_TOKEN=${FAKE}\nFROM alpine:3.20\nENV APP_NAME=web \\\n    DB_PASSWORD=${FAKE}\nENV apiKey ${FAKE}\n`,
    lines: [1, 4, 5],
  },
  {
    rule: 'dockerfile-secret-in-env-arg',
    name: 'references, paths and flags are not secrets',
    file: 'Dockerfile',
    text: 'FROM alpine:3.20\nARG NPM_TOKEN\nENV DB_PASSWORD=$DB_PASSWORD PASSWORD_FILE=/run/secrets/db TOKENIZERS_PARALLELISM=false PWD=/app\n',
    lines: [],
  },
  {
    rule: 'dockerfile-secret-build-arg',
    name: 'ARG NPM_TOKEN without default',
    file: 'Dockerfile',
    text: 'FROM node:22\nARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc\n',
    lines: [2],
  },
  {
    rule: 'dockerfile-secret-build-arg',
    name: 'secret mount instead',
    file: 'Dockerfile',
    text: 'FROM node:22\nARG NODE_ENV\nRUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci\n',
    lines: [],
  },
  {
    rule: 'dockerfile-no-healthcheck',
    name: 'final stage without HEALTHCHECK',
    file: 'Dockerfile',
    text: good('USER 10001'),
    lines: [6],
  },
  {
    rule: 'dockerfile-no-healthcheck',
    name: 'HEALTHCHECK NONE states the choice',
    file: 'Dockerfile',
    text: good('USER 10001\nHEALTHCHECK NONE'),
    lines: [],
  },
  { rule: 'dockerfile-no-healthcheck', name: 'HEALTHCHECK CMD', file: 'Dockerfile', text: good(), lines: [] },
  {
    rule: 'dockerfile-expose-ssh',
    name: 'EXPOSE 22/tcp and a range over 22',
    file: 'Dockerfile',
    text: stage('EXPOSE 8080 22/tcp\nEXPOSE 20-25'),
    lines: [2, 3],
  },
  {
    rule: 'dockerfile-expose-ssh',
    name: 'EXPOSE 8080 2222',
    file: 'Dockerfile',
    text: stage('EXPOSE 8080 2222'),
    lines: [],
  },
  {
    rule: 'dockerfile-sudo',
    name: 'sudo in RUN',
    file: 'Dockerfile',
    text: stage('RUN apk add sudo && \\\n    sudo -u app make install'),
    lines: [3],
  },
  {
    rule: 'dockerfile-sudo',
    name: 'installing the sudo package is not running sudo',
    file: 'Dockerfile',
    text: stage('RUN apk add --no-cache sudo'),
    lines: [],
  },
  {
    rule: 'dockerfile-tls-verification-disabled',
    name: 'curl -k, wget, pip, git and ENV settings',
    file: 'Dockerfile',
    text: stage(
      [
        'RUN curl -fsSLk https://example.com/a -o /a',
        'RUN wget --no-check-certificate https://example.com/b',
        'RUN pip install --trusted-host pypi.example.com flask',
        'RUN git -c http.sslVerify=false clone https://example.com/r.git',
        'ENV NODE_TLS_REJECT_UNAUTHORIZED=0',
        'ARG GIT_SSL_NO_VERIFY=1',
      ].join('\n'),
    ),
    lines: [2, 3, 4, 5, 6, 7],
  },
  {
    rule: 'dockerfile-tls-verification-disabled',
    name: 'a private CA instead',
    file: 'Dockerfile',
    text: stage(
      'COPY ca.crt /usr/local/share/ca-certificates/\nRUN update-ca-certificates && curl -fsSL --cacert /ca.crt https://x/a -o /a\nENV NODE_TLS_REJECT_UNAUTHORIZED=1',
    ),
    lines: [],
  },
  {
    rule: 'dockerfile-world-writable',
    name: 'chmod 777, chmod -R o+w and COPY --chmod=666',
    file: 'Dockerfile',
    text: stage('RUN chmod 777 /app\nRUN mkdir /data && chmod -R o+w /data\nCOPY --chmod=666 conf /etc/app/'),
    lines: [2, 3, 4],
  },
  {
    rule: 'dockerfile-world-writable',
    name: 'chmod 755, 1777 for a tmp dir, u+x',
    file: 'Dockerfile',
    text: stage('RUN chmod 755 /app && chmod 1777 /scratch && chmod u+x /app/run'),
    lines: [],
  },
  {
    rule: 'dockerfile-apt-install-recommends',
    name: 'apt-get install without --no-install-recommends',
    file: 'Dockerfile',
    text: 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y curl\nUSER 1000\n',
    lines: [3],
  },
  {
    rule: 'dockerfile-apt-install-recommends',
    name: 'with --no-install-recommends',
    file: 'Dockerfile',
    text: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
    lines: [],
  },
];
