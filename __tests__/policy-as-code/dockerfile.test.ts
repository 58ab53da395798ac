import { describe, expect, it } from '@jest/globals';
import {
  argPos,
  imageRef,
  isDockerfileName,
  properties,
  segments,
  shellCommand,
  substitute,
} from '../../src/policy-as-code/parse/dockerfile.js';
import { parseFile, parserFor } from '../../src/policy-as-code/parse/index.js';

describe('which files are Dockerfiles', () => {
  it.each([
    ['Dockerfile', true],
    ['services/api/dockerfile', true],
    ['Containerfile', true],
    ['api.Dockerfile', true],
    ['build/web.dockerfile', true],
    ['Dockerfile.dev', true],
    ['Dockerfile.ubuntu-22.04', true],
    ['Dockerfile.md', false],
    ['docs/Dockerfile.txt', false],
    ['Dockerfile.dockerignore', false],
    ['Dockerfile.j2', false],
    ['Dockerfile.bak', false],
    ['Dockerfile.yaml', false],
    ['Dockerfiles/README.md', false],
    ['docker-compose.yml', false],
    ['.dockerfile', false],
  ])('%s → %s', (file, expected) => {
    expect(isDockerfileName(file)).toBe(expected);
  });

  it('routes Dockerfiles to their parser and YAML variants to the YAML one', () => {
    expect(parserFor('a/Dockerfile.prod')?.name).toBe('Dockerfile');
    expect(parserFor('Dockerfile.yaml')?.name).toBe('YAML/JSON');
  });
});

const MULTI = `# syntax=docker/dockerfile:1
# imagepipe:skip=dockerfile-no-healthcheck
ARG REGISTRY=ghcr.io/org
ARG TAG
FROM --platform=$BUILDPLATFORM \${REGISTRY}/builder:\${TAG:-1.0} AS build
run --mount=type=cache,target=/root/.cache \\
    # warm the cache
    make deps && \\

    make build
COPY <<EOF /etc/motd
hello
EOF
FROM build AS test
RUN make test
from alpine:3.20
COPY --from=build /out /app
ENV A=1 B="two words" \\
    C=3
USER 10001
`;

describe('Dockerfile model', () => {
  const { docs, errors } = parseFile('Dockerfile', MULTI);
  const doc = docs[0]!;
  const model = doc.dockerfile!;

  it('reads stages with their image, alias and parent stage', () => {
    expect(errors).toEqual([]);
    expect(doc.format).toBe('dockerfile');
    expect(
      model.stages.map((s) => ({ index: s.index, name: s.name, image: s.image, from: s.fromStage })),
    ).toEqual([
      { index: 0, name: 'build', image: 'ghcr.io/org/builder:1.0', from: undefined },
      { index: 1, name: 'test', image: 'build', from: 0 },
      { index: 2, name: undefined, image: 'alpine:3.20', from: undefined },
    ]);
    expect(model.globalArgs.map((a) => a.args)).toEqual(['REGISTRY=ghcr.io/org', 'TAG']);
    expect(model.stages[0]!.pos).toMatchObject({ line: 5, column: 1, endLine: 13 });
  });

  it('makes one resource per stage, named by alias or index', () => {
    expect(doc.resources.map((r) => [r.type, r.name, r.pos.line])).toEqual([
      ['stage', 'build', 5],
      ['stage', 'test', 14],
      ['stage', '2', 16],
    ]);
    expect(doc.resources[2]!.body.entries.map((e) => e.key)).toEqual(['FROM', 'COPY', 'ENV', 'USER']);
  });

  it('joins continuation lines, drops comment and blank lines in them, keeps options and heredocs', () => {
    const [from, run, copy] = model.stages[0]!.instructions;
    expect(from).toMatchObject({
      keyword: 'FROM',
      args: '--platform=$BUILDPLATFORM ${REGISTRY}/builder:${TAG:-1.0} AS build',
    });
    expect(run).toMatchObject({
      keyword: 'RUN',
      args: '--mount=type=cache,target=/root/.cache make deps && make build',
      pos: { line: 6, endLine: 10 },
      stage: 0,
    });
    expect(copy!.args).toBe('<<EOF /etc/motd\nhello\nEOF');
  });

  it('maps an offset in the arguments back to its line and column', () => {
    const run = model.stages[0]!.instructions[1]!;
    const at = run.args.indexOf('make build');
    expect(argPos(run, at, at + 'make build'.length)).toEqual({
      line: 10,
      column: 5,
      endLine: 10,
      endColumn: 15,
    });
    expect(argPos(run, 0)).toMatchObject({ line: 6, column: 5 });
    const env = model.stages[2]!.instructions[2]!;
    const c = properties(env).find((p) => p.name === 'C')!;
    expect(argPos(env, c.start, c.end)).toMatchObject({ line: 19, column: 5 });
  });

  it('reads ENV and ARG properties, legacy form included', () => {
    const env = model.stages[2]!.instructions[2]!;
    expect(properties(env).map((p) => [p.name, p.value])).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', '3'],
    ]);
    const legacy = parseFile('Dockerfile', 'FROM a:1\nENV GREETING hello world\n').docs[0]!.dockerfile!
      .stages[0]!.instructions[1]!;
    expect(properties(legacy)).toMatchObject([{ name: 'GREETING', value: 'hello world' }]);
    expect(properties(model.globalArgs[1]!)).toEqual([{ name: 'TAG', start: 0, end: 3 }]);
  });

  it('gives ARG defaults as params and keeps comments for suppressions', () => {
    expect([...doc.params.keys()]).toEqual(['REGISTRY', 'TAG']);
    expect(doc.params.get('TAG')).toBeUndefined();
    expect(doc.comments.map((c) => c.line)).toEqual([1, 2, 7]);
    expect(doc.comments[1]!.text).toBe('imagepipe:skip=dockerfile-no-healthcheck');
  });

  it('finds the shell command of RUN and ONBUILD RUN after their options', () => {
    const run = model.stages[0]!.instructions[1]!;
    const cmd = shellCommand(run)!;
    expect(cmd.text).toBe('make deps && make build');
    expect(run.args.slice(cmd.offset)).toBe(cmd.text);
    const onbuild = parseFile('Dockerfile', 'FROM a:1\nONBUILD RUN make\nONBUILD COPY . .\n').docs[0]!
      .dockerfile!.stages[0]!.instructions;
    expect(shellCommand(onbuild[1]!)?.text).toBe('make');
    expect(shellCommand(onbuild[2]!)).toBeUndefined();
  });

  it('honours the escape directive', () => {
    const { docs: win } = parseFile(
      'Dockerfile',
      '# escape=`\nFROM mcr.microsoft.com/windows:ltsc2022\nRUN dir `\n    C:\\\n',
    );
    expect(win[0]!.dockerfile!.stages[0]!.instructions[1]!.args).toBe('dir C:\\');
  });
});

describe('Dockerfile errors', () => {
  it('reports an unknown instruction at its keyword and yields no document', () => {
    expect(parseFile('Dockerfile', 'FROM alpine:3.20\nRUNN make\n')).toEqual({
      docs: [],
      errors: [
        {
          file: 'Dockerfile',
          line: 2,
          column: 1,
          message: 'unknown instruction: RUNN',
          format: 'dockerfile',
        },
      ],
    });
  });

  it('reports instructions before the first FROM, a FROM without image, and a file without FROM', () => {
    expect(parseFile('Dockerfile', 'ARG A=1\nRUN make\nFROM alpine:3.20\n').errors).toMatchObject([
      { line: 2, column: 1, message: 'RUN before the first FROM: only ARG may come first' },
    ]);
    expect(parseFile('Dockerfile', 'FROM\n').errors).toMatchObject([
      { line: 1, message: 'FROM needs an image' },
    ]);
    expect(parseFile('Dockerfile', '# nothing yet\n').errors).toMatchObject([
      { line: 1, column: 1, message: 'no FROM instruction: a Dockerfile starts each stage with FROM' },
    ]);
    expect(parseFile('Dockerfile', '').errors).toHaveLength(1);
  });
});

describe('helpers', () => {
  it('substitutes ARG values the way the builder does', () => {
    const vars = new Map<string, string | undefined>([
      ['A', 'x'],
      ['EMPTY', ''],
      ['NODEF', undefined],
    ]);
    expect(substitute('$A/${A}:${EMPTY:-d}:${EMPTY-d}:${NODEF:-n}:${A:+alt}:${NODEF:+alt}', vars)).toBe(
      'x/x:d::n:alt:',
    );
    expect(substitute('${NODEF}/${UNKNOWN}', vars)).toBe('${NODEF}/${UNKNOWN}');
  });

  it('splits image references, registry ports included', () => {
    expect(imageRef('registry:5000/org/app')).toEqual({ name: 'registry:5000/org/app' });
    expect(imageRef('node:22-alpine')).toEqual({ name: 'node', tag: '22-alpine' });
    expect(imageRef(`a/b:1@sha256:${'f'.repeat(64)}`)).toEqual({
      name: 'a/b',
      tag: '1',
      digest: `sha256:${'f'.repeat(64)}`,
    });
  });

  it('splits shell commands at pipes and lists, not inside quotes or redirections', () => {
    const segs = segments('A=1 sudo -E curl -s "https://x/a|b" 2>&1 | sh; echo ok && true || false');
    expect(segs.map((s) => [s.after, s.program])).toEqual([
      ['', 'curl'],
      ['|', 'sh'],
      [';', 'echo'],
      ['&&', 'true'],
      ['||', 'false'],
    ]);
    expect(segs[0]!.words.map((w) => w.value)).toContain('https://x/a|b');
  });
});
