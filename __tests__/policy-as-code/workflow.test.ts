import { describe, expect, it } from '@jest/globals';
import { get } from '../../src/policy-as-code/model.js';
import { parseFile } from '../../src/policy-as-code/parse/index.js';
import { expressions, steps, triggers, workflowFormatOf } from '../../src/policy-as-code/parse/workflow.js';

describe('which files are workflows and actions', () => {
  it.each([
    ['.github/workflows/ci.yml', 'workflow'],
    ['repo/.github/workflows/release.yaml', 'workflow'],
    ['.github/workflows/templates/x.yml', undefined],
    ['action.yml', 'action'],
    ['actions/build/action.yaml', 'action'],
    ['docs/workflow.yml', undefined],
  ])('%s → %s', (file, expected) => {
    expect(workflowFormatOf(file)).toBe(expected);
  });
});

const WORKFLOW = `name: CI
on:
  push:
  pull_request_target:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Script
        run: |
          echo "first"

          echo "\${{ github.event.issue.title }}" "\${{ github.sha }}"
      - run: >-
          folded
          \${{ github.head_ref }}
      - run: "quoted \${{ github.head_ref }}"
      - run: plain
          \${{ github.head_ref }}
  release:
    uses: ./.github/workflows/release.yml
`;

describe('workflows', () => {
  const { docs, errors } = parseFile('.github/workflows/ci.yml', WORKFLOW);
  const doc = docs[0]!;

  it('makes one resource per job', () => {
    expect(errors).toEqual([]);
    expect(doc.format).toBe('workflow');
    expect(doc.resources.map((r) => [r.type, r.name, r.pos.line, r.pos.column])).toEqual([
      ['job', 'build', 6, 3],
      ['job', 'release', 21, 3],
    ]);
    expect(triggers(doc)).toEqual(new Set(['push', 'pull_request_target']));
  });

  it('lists steps with uses and run', () => {
    const s = steps(doc.resources[0]!);
    expect(s.map((x) => [x.index, x.uses, x.run?.pos.line])).toEqual([
      [0, 'actions/checkout@v4', undefined],
      [1, undefined, 11],
      [2, undefined, 15],
      [3, undefined, 18],
      [4, undefined, 19],
    ]);
  });

  it('points at each expression inside literal, folded, quoted and plain scalars', () => {
    const s = steps(doc.resources[0]!);
    const at = (i: number) =>
      expressions(s[i]!.run).map((e) => [e.inner, e.pos.line, e.pos.column, e.pos.endColumn]);
    expect(at(1)).toEqual([
      ['github.event.issue.title', 14, 17, 48],
      ['github.sha', 14, 51, 68],
    ]);
    expect(at(2)).toEqual([['github.head_ref', 17, 11, 33]]);
    expect(at(3)).toEqual([['github.head_ref', 18, 22, 44]]);
    expect(at(4)).toEqual([['github.head_ref', 20, 11, 33]]);
    // Each position holds exactly the expression's text in the file.
    const lines = WORKFLOW.split('\n');
    for (const e of s.flatMap((x) => expressions(x.run))) {
      expect(lines[e.pos.line - 1]!.slice(e.pos.column - 1, e.pos.endColumn - 1)).toBe(e.text);
    }
  });

  it('points right in a file with CRLF line ends', () => {
    const crlf = parseFile('.github/workflows/ci.yml', WORKFLOW.replace(/\n/g, '\r\n')).docs[0]!;
    const run = steps(crlf.resources[0]!)[1]!.run;
    expect(expressions(run).map((e) => [e.pos.line, e.pos.column])).toEqual([
      [14, 17],
      [14, 51],
    ]);
  });

  it('reports a syntax error in a workflow', () => {
    const broken = parseFile('.github/workflows/ci.yml', 'on: push\njobs:\n  a: [\n');
    expect(broken.docs).toEqual([]);
    expect(broken.errors[0]).toMatchObject({ format: 'workflow' });
  });
});

describe('actions', () => {
  it('reads action.yml with runs as one resource, and ignores other action.yml files', () => {
    const { docs } = parseFile(
      'tools/action.yml',
      'name: Build\nruns:\n  using: composite\n  steps:\n    - run: echo "${{ inputs.x }}"\n      shell: bash\n',
    );
    expect(docs.map((d) => [d.format, d.resources.map((r) => `${r.type}/${r.name}`)])).toEqual([
      ['action', ['action/Build']],
    ]);
    expect(expressions(get(docs[0]!.resources[0]!.body, 'runs', 'steps', 0, 'run'))).toMatchObject([
      { inner: 'inputs.x', pos: { line: 5, column: 18 } },
    ]);
    expect(parseFile('other/action.yml', 'title: not an action\n')).toEqual({ docs: [], errors: [] });
  });
});
