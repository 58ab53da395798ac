import { describe, expect, it } from '@jest/globals';
import { toStr } from '../../src/policy-as-code/model.js';
import { containers, podSpec } from '../../src/policy-as-code/parse/kubernetes.js';
import { parseFile } from '../../src/policy-as-code/parse/index.js';

const MANIFEST = `# app
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
not: kubernetes
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: shop
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: setup
              image: busybox:1.36
          containers:
            - image: app:1
          ephemeralContainers:
            - name: debug
              image: busybox:1.36
`;

describe('Kubernetes manifests', () => {
  const { docs, errors } = parseFile('deploy/app.yml', MANIFEST);

  it('reads every object of a multi-document file, skipping other documents', () => {
    expect(errors).toEqual([]);
    expect(docs.map((d) => [d.format, d.index, d.resources.map((r) => `${r.type}/${r.name}`)])).toEqual([
      ['kubernetes', 0, ['Namespace/shop']],
      ['kubernetes', 2, ['CronJob/nightly']],
    ]);
    expect(docs[1]!.resources[0]!.pos).toMatchObject({ line: 9, column: 1 });
    expect(docs[1]!.comments.map((c) => c.text)).toEqual(['app']);
  });

  it('finds the pod spec and every container of a CronJob', () => {
    const job = docs[1]!.resources[0]!;
    expect(podSpec(job)?.pos).toMatchObject({ line: 19, column: 9 });
    expect(
      containers(job).map((c) => [c.field, c.name, c.pos.line, toStr(c.container.entries[1]?.value)]),
    ).toEqual([
      ['containers', 'containers[0]', 24, undefined],
      ['initContainers', 'setup', 21, 'busybox:1.36'],
      ['ephemeralContainers', 'debug', 26, 'busybox:1.36'],
    ]);
    expect(containers(job, ['containers'])).toHaveLength(1);
    expect(podSpec(docs[0]!.resources[0]!)).toBeUndefined();
  });

  it('reads a List and a JSON manifest', () => {
    const list = parseFile(
      'list.yaml',
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: a}\n    spec: {containers: []}\n',
    );
    expect(list.docs[0]!.resources.map((r) => `${r.type}/${r.name}`)).toEqual(['List/(unnamed)', 'Pod/a']);
    const json = parseFile(
      'pod.json',
      JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }),
    );
    expect(json.docs.map((d) => [d.format, d.resources[0]!.name, d.comments])).toEqual([
      ['kubernetes', 'p', []],
    ]);
  });

  it('reports a broken manifest as Kubernetes, but not a Helm template', () => {
    const broken = parseFile('app.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\n');
    expect(broken.docs).toEqual([]);
    expect(broken.errors[0]).toMatchObject({ file: 'app.yaml', format: 'kubernetes' });
    expect(
      parseFile(
        'chart/templates/deploy.yaml',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  {{- include "labels" . }}\n',
      ),
    ).toEqual({ docs: [], errors: [] });
  });

  it('keeps CloudFormation templates as they were', () => {
    const cfn = parseFile('t.yaml', 'Resources:\n  V:\n    Type: AWS::EC2::Volume\n');
    expect(cfn.docs.map((d) => d.format)).toEqual(['cloudformation']);
  });
});
