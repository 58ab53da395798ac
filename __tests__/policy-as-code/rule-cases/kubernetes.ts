import type { RuleCase } from './types.js';

const FAKE = ['s3cr', 'etValue', '42'].join('');

/** A hardened container every rule accepts; in `deployment()` its `- name: app` is line 21. */
const HARDENED_CONTAINER = `        - name: app
          image: ghcr.io/org/app:1.4.2
          resources:
            limits:
              cpu: 500m
              memory: 256Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
`;

const deployment = (podExtra = '', container = HARDENED_CONTAINER, meta = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
${meta}spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
${podExtra}      containers:
${container}`;

/** The hardened container with one line of its securityContext replaced or added. */
const withSecurity = (from: string, to: string) => HARDENED_CONTAINER.replace(from, to);

const cronJob = (container: string) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          automountServiceAccountToken: false
          containers:
${container}`;

export const KUBERNETES_CASES: RuleCase[] = [
  {
    rule: 'k8s-privileged-container',
    name: 'privileged: true in the second document',
    file: 'deploy/app.yaml',
    text: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n${deployment('', withSecurity('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: false\n            privileged: true'))}`,
    lines: [34],
  },
  {
    rule: 'k8s-privileged-container',
    name: 'init container of a CronJob',
    file: 'cron.yml',
    text: cronJob(
      `            - name: main\n              image: busybox:1.36\n          initContainers:\n            - name: setup\n              image: busybox:1.36\n              securityContext:\n                privileged: true\n`,
    ),
    lines: [19],
  },
  { rule: 'k8s-privileged-container', name: 'hardened', file: 'app.yaml', text: deployment(), lines: [] },
  {
    rule: 'k8s-host-network',
    name: 'hostNetwork: true',
    file: 'app.yaml',
    text: deployment('      hostNetwork: true\n'),
    lines: [20],
  },
  {
    rule: 'k8s-host-network',
    name: 'hostNetwork: false',
    file: 'app.yaml',
    text: deployment('      hostNetwork: false\n'),
    lines: [],
  },
  {
    rule: 'k8s-host-pid',
    name: 'hostPID: true',
    file: 'app.yaml',
    text: deployment('      hostPID: true\n'),
    lines: [20],
  },
  { rule: 'k8s-host-pid', name: 'not set', file: 'app.yaml', text: deployment(), lines: [] },
  {
    rule: 'k8s-host-ipc',
    name: 'hostIPC: true',
    file: 'app.yaml',
    text: deployment('      hostIPC: true\n'),
    lines: [20],
  },
  { rule: 'k8s-host-ipc', name: 'not set', file: 'app.yaml', text: deployment(), lines: [] },
  {
    rule: 'k8s-privilege-escalation-allowed',
    name: 'missing (at the container) and true',
    file: 'app.yaml',
    text: deployment(
      '',
      withSecurity('            allowPrivilegeEscalation: false\n', '') +
        withSecurity('name: app', 'name: sidecar').replace(
          'allowPrivilegeEscalation: false',
          'allowPrivilegeEscalation: true',
        ),
    ),
    lines: [21, 38],
  },
  {
    rule: 'k8s-privilege-escalation-allowed',
    name: 'false',
    file: 'app.yaml',
    text: deployment(),
    lines: [],
  },
  {
    rule: 'k8s-runs-as-root',
    name: 'runAsUser 0 at the container overrides the pod',
    file: 'app.yaml',
    text: deployment(
      '',
      withSecurity('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: true\n            runAsUser: 0'),
    ),
    lines: [30],
  },
  {
    rule: 'k8s-runs-as-root',
    name: 'no runAsNonRoot anywhere',
    file: 'pod.yaml',
    text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n',
    lines: [7],
  },
  {
    rule: 'k8s-runs-as-root',
    name: 'pod-level runAsNonRoot and runAsUser',
    file: 'app.yaml',
    text: deployment(),
    lines: [],
  },
  {
    rule: 'k8s-image-tag-not-fixed',
    name: 'latest and untagged',
    file: 'app.yaml',
    text: deployment(
      '',
      withSecurity('ghcr.io/org/app:1.4.2', 'ghcr.io/org/app:latest') +
        withSecurity('name: app', 'name: sidecar').replace('ghcr.io/org/app:1.4.2', 'localhost:5000/proxy'),
    ),
    lines: [22, 33],
  },
  {
    rule: 'k8s-image-tag-not-fixed',
    name: 'version tag, digest, Helm placeholder',
    file: 'app.yaml',
    text: deployment(
      '',
      HARDENED_CONTAINER +
        withSecurity('name: app', 'name: b').replace(
          'ghcr.io/org/app:1.4.2',
          `ghcr.io/org/b@sha256:${'d'.repeat(64)}`,
        ) +
        withSecurity('name: app', 'name: c').replace('ghcr.io/org/app:1.4.2', '"{{ .Values.image }}"'),
    ),
    lines: [],
  },
  {
    rule: 'k8s-no-resource-limits',
    name: 'memory limit missing; no resources at all',
    file: 'app.yaml',
    text: deployment(
      '',
      withSecurity('              memory: 256Mi\n', '') +
        withSecurity('name: app', 'name: b').replace(/ {10}resources:\n(.*\n){3}/, ''),
    ),
    lines: [24, 31],
  },
  {
    rule: 'k8s-no-resource-limits',
    name: 'cpu and memory limits',
    file: 'app.yaml',
    text: deployment(),
    lines: [],
  },
  {
    rule: 'k8s-dangerous-capabilities',
    name: 'SYS_ADMIN and CAP_NET_ADMIN added',
    file: 'app.yaml',
    text: deployment(
      '',
      withSecurity(
        'drop: [ALL]',
        'drop: [ALL]\n              add: [NET_BIND_SERVICE, SYS_ADMIN, CAP_NET_ADMIN]',
      ),
    ),
    lines: [32, 32],
  },
  {
    rule: 'k8s-dangerous-capabilities',
    name: 'NET_BIND_SERVICE only',
    file: 'app.yaml',
    text: deployment('', withSecurity('drop: [ALL]', 'drop: [ALL]\n              add: [NET_BIND_SERVICE]')),
    lines: [],
  },
  {
    rule: 'k8s-container-runtime-socket',
    name: 'docker.sock and /var/run/',
    file: 'app.yaml',
    text: deployment(
      '      volumes:\n        - name: docker\n          hostPath:\n            path: /var/run/docker.sock\n        - name: run\n          hostPath:\n            path: /var/run/\n',
    ),
    lines: [23, 26],
  },
  {
    rule: 'k8s-container-runtime-socket',
    name: 'other host paths are another rule',
    file: 'app.yaml',
    text: deployment(
      '      volumes:\n        - name: logs\n          hostPath:\n            path: /var/log\n',
    ),
    lines: [],
  },
  {
    rule: 'k8s-host-path-volume',
    name: 'hostPath /var/log',
    file: 'app.yaml',
    text: deployment(
      '      volumes:\n        - name: logs\n          hostPath:\n            path: /var/log\n',
    ),
    lines: [22],
  },
  {
    rule: 'k8s-host-path-volume',
    name: 'emptyDir and configMap',
    file: 'app.yaml',
    text: deployment(
      '      volumes:\n        - name: tmp\n          emptyDir: {}\n        - name: conf\n          configMap:\n            name: web\n',
    ),
    lines: [],
  },
  {
    rule: 'k8s-root-filesystem-writable',
    name: 'readOnlyRootFilesystem false',
    file: 'app.yaml',
    text: deployment('', withSecurity('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false')),
    lines: [29],
  },
  { rule: 'k8s-root-filesystem-writable', name: 'true', file: 'app.yaml', text: deployment(), lines: [] },
  {
    rule: 'k8s-capabilities-not-dropped',
    name: 'drop NET_RAW only, and a CronJob container with no securityContext',
    file: 'app.yaml',
    text: `${deployment('', withSecurity('drop: [ALL]', 'drop: [NET_RAW]'))}---\n${cronJob('            - name: main\n              image: busybox:1.36\n')}`,
    lines: [31, 45],
  },
  { rule: 'k8s-capabilities-not-dropped', name: 'drop ALL', file: 'app.yaml', text: deployment(), lines: [] },
  {
    rule: 'k8s-service-account-token-mounted',
    name: 'not disabled (at the pod spec), and true',
    file: 'pods.yaml',
    text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers: []\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  automountServiceAccountToken: true\n  containers: []\n',
    lines: [5, 13],
  },
  {
    rule: 'k8s-service-account-token-mounted',
    name: 'false',
    file: 'app.yaml',
    text: deployment(),
    lines: [],
  },
  {
    rule: 'k8s-secret-in-env',
    name: 'literal DB_PASSWORD',
    file: 'app.yaml',
    text: deployment(
      '',
      withSecurity(
        '          resources:',
        `          env:\n            - name: LOG_LEVEL\n              value: info\n            - name: DB_PASSWORD\n              value: ${FAKE}\n          resources:`,
      ),
    ),
    lines: [27],
  },
  {
    rule: 'k8s-secret-in-env',
    name: 'secretKeyRef',
    file: 'app.yaml',
    text: deployment(
      '',
      withSecurity(
        '          resources:',
        '          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: db, key: password}\n          resources:',
      ),
    ),
    lines: [],
  },
  {
    rule: 'k8s-default-namespace',
    name: 'namespace: default',
    file: 'svc.yaml',
    text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\nspec:\n  ports: [{port: 80}]\n',
    lines: [5],
  },
  {
    rule: 'k8s-default-namespace',
    name: 'own namespace, none, or a custom resource',
    file: 'svc.yaml',
    text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\napiVersion: backstage.io/v1alpha1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\n',
    lines: [],
  },
];
