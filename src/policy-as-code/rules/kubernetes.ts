/**
 * Kubernetes rules over the pod spec of every workload kind (Pod, Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate) and its containers,
 * init and ephemeral ones included. A setting that is present and wrong is reported where it is
 * written; a missing one at the container (or at the pod's `spec:`).
 */
import { entry, get, isList, toBool, toNumber, toStr } from '../model.js';
import { imageRef } from '../parse/dockerfile.js';
import {
  containers,
  isTemplated,
  podSpec,
  WORKLOAD_KINDS,
  type Container,
  type ContainerField,
  type PodSpec,
} from '../parse/kubernetes.js';
import type { Doc, Node, Pos, Resource, Rule } from '../types.js';
import { hit, resourceRule, type CheckResult, type RuleMeta } from './define.js';
import { isLiteralSecret, isSecretName } from './dockerfile.js';

const FIELD_LABEL: Record<ContainerField, string> = {
  containers: 'Container',
  initContainers: 'Init container',
  ephemeralContainers: 'Ephemeral container',
};

function label(c: Container): string {
  return `${FIELD_LABEL[c.field]} ${c.name} of ${c.pod.resource.type} ${c.pod.resource.name}`;
}

function podLabel(pod: PodSpec): string {
  return `${pod.resource.type} ${pod.resource.name}`;
}

/** A rule checked on each container of each workload. */
function containerRule(
  meta: RuleMeta,
  check: (c: Container, doc: Doc) => CheckResult,
  fields?: readonly ContainerField[],
): Rule {
  return resourceRule(meta, {
    kubernetes: {
      types: WORKLOAD_KINDS,
      check(res: Resource, doc: Doc) {
        return containers(res, fields).flatMap((c) => {
          const r = check(c, doc);
          return r === undefined ? [] : Array.isArray(r) ? r : [r];
        });
      },
    },
  });
}

/** A rule checked on the pod spec of each workload. */
function podRule(meta: RuleMeta, check: (pod: PodSpec, doc: Doc) => CheckResult): Rule {
  return resourceRule(meta, {
    kubernetes: {
      types: WORKLOAD_KINDS,
      check(res: Resource, doc: Doc) {
        const pod = podSpec(res);
        return pod ? check(pod, doc) : undefined;
      },
    },
  });
}

function securityContext(c: Container, key: string): Node | undefined {
  return get(c.container, 'securityContext', key);
}

/** A pod-level `host*: true` setting. */
function hostNamespaceRule(meta: RuleMeta, key: string, what: string): Rule {
  return podRule(meta, (pod) => {
    const value = get(pod.spec, key);
    if (toBool(value) === true) {
      return hit(value!.pos, `${podLabel(pod)} sets ${key}: true and shares the host's ${what}: remove it.`);
    }
  });
}

export const k8sPrivilegedContainer = containerRule(
  {
    id: 'k8s-privileged-container',
    title: 'Container runs privileged',
    severity: 'critical',
    description:
      'A privileged container has every capability and access to all host devices: it can load kernel modules, mount the host disk and escape to the node, so a compromise of the container is a compromise of the node and everything scheduled on it.',
    fix: 'Remove `securityContext.privileged: true` (or set it to false) and grant only the specific capabilities the workload needs.',
    refs: { checkov: ['CKV_K8S_16'], kics: ['dd29336b-fe57-445b-a26e-e6aa867ae609'] },
  },
  (c) => {
    const value = securityContext(c, 'privileged');
    if (toBool(value) === true) return hit(value!.pos, `${label(c)} is privileged: remove privileged: true.`);
  },
);

export const k8sHostNetwork = hostNamespaceRule(
  {
    id: 'k8s-host-network',
    title: "Pod shares the host's network namespace",
    severity: 'high',
    description:
      'With hostNetwork the pod sees every interface of the node: it can sniff traffic, reach services bound to localhost on the node (kubelet, metadata endpoints) and bypass NetworkPolicies.',
    fix: 'Remove `hostNetwork: true`; expose the workload through a Service instead.',
    refs: { checkov: ['CKV_K8S_19'], kics: ['6b6bdfb3-c3ae-44cb-88e4-7405c1ba2c8a'] },
  },
  'hostNetwork',
  'network namespace',
);

export const k8sHostPid = hostNamespaceRule(
  {
    id: 'k8s-host-pid',
    title: "Pod shares the host's process namespace",
    severity: 'high',
    description:
      'With hostPID the pod sees every process of the node and, as root, can signal them, read their environment (secrets included) and enter their namespaces.',
    fix: 'Remove `hostPID: true`.',
    refs: { checkov: ['CKV_K8S_17'], kics: ['302736f4-b16c-41b8-befe-c0baffa0bd9d'] },
  },
  'hostPID',
  'process namespace',
);

export const k8sHostIpc = hostNamespaceRule(
  {
    id: 'k8s-host-ipc',
    title: "Pod shares the host's IPC namespace",
    severity: 'high',
    description:
      'With hostIPC the pod can read and write the shared memory and message queues of every process on the node.',
    fix: 'Remove `hostIPC: true`.',
    refs: { checkov: ['CKV_K8S_18'], kics: ['cd290efd-6c82-4e9d-a698-be12ae31d536'] },
  },
  'hostIPC',
  'IPC namespace',
);

export const k8sPrivilegeEscalation = containerRule(
  {
    id: 'k8s-privilege-escalation-allowed',
    title: 'Container allows privilege escalation',
    severity: 'medium',
    description:
      'Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent through setuid binaries or file capabilities, turning a foothold as an unprivileged user into root in the container.',
    fix: 'Set `securityContext.allowPrivilegeEscalation: false` on every container.',
    refs: { checkov: ['CKV_K8S_20'], kics: ['5572cc5e-1e4c-4113-92a6-7a8a3bd25e6d'] },
  },
  (c) => {
    const value = securityContext(c, 'allowPrivilegeEscalation');
    if (toBool(value) === false) return;
    return hit(
      value?.pos ?? c.pos,
      `${label(c)} allows privilege escalation: set securityContext.allowPrivilegeEscalation: false.`,
    );
  },
);

/** A Windows pod: runAsNonRoot and runAsUser do not apply. */
function isWindows(pod: PodSpec): boolean {
  return (
    toStr(get(pod.spec, 'os', 'name'))?.toLowerCase() === 'windows' ||
    get(pod.spec, 'securityContext', 'windowsOptions') !== undefined
  );
}

export const k8sRunsAsRoot = containerRule(
  {
    id: 'k8s-runs-as-root',
    title: 'Container may run as root',
    severity: 'medium',
    description:
      'A container with runAsUser 0, or without runAsNonRoot: true (at pod or container level), runs as root whenever its image says so. Root in the container owns every file of the image and is one kernel or runtime bug away from root on the node.',
    fix: 'Set `securityContext.runAsNonRoot: true` (pod or container level) and a non-zero `runAsUser`, e.g. 10001; build the image with a non-root USER.',
    refs: { checkov: ['CKV_K8S_23'], kics: ['cf34805e-3872-4c08-bf92-6ff7bb0cfadb'] },
  },
  (c) => {
    if (isWindows(c.pod)) return;
    const user = securityContext(c, 'runAsUser') ?? get(c.pod.spec, 'securityContext', 'runAsUser');
    const uid = toNumber(user);
    if (uid === 0)
      return hit(user!.pos, `${label(c)} runs as UID 0: set a non-zero runAsUser and runAsNonRoot: true.`);
    if (uid !== undefined) return;
    const nonRoot = securityContext(c, 'runAsNonRoot') ?? get(c.pod.spec, 'securityContext', 'runAsNonRoot');
    if (toBool(nonRoot) === true) return;
    return hit(
      nonRoot?.pos ?? c.pos,
      `${label(c)} may run as root: set securityContext.runAsNonRoot: true and a non-zero runAsUser.`,
    );
  },
);

export const k8sImageTagNotFixed = containerRule(
  {
    id: 'k8s-image-tag-not-fixed',
    title: 'Container image uses latest or no tag',
    severity: 'medium',
    description:
      'An image without a tag, or tagged latest, changes whenever the publisher pushes: each node may run a different build, a rollback does not roll back, and a bad or malicious push is deployed on the next pod restart.',
    fix: 'Reference a version tag and, better, a digest: `image: registry/app:1.4.2@sha256:…`.',
    refs: { checkov: ['CKV_K8S_14'] },
  },
  (c) => {
    const node = get(c.container, 'image');
    const image = toStr(node);
    if (image === undefined || image === '' || isTemplated(image) || image.includes('$')) return;
    const ref = imageRef(image);
    if (ref.digest !== undefined) return;
    if (ref.tag === undefined)
      return hit(node!.pos, `${label(c)} uses image ${image} without a tag: pin a version tag and digest.`);
    if (ref.tag.toLowerCase() === 'latest') {
      return hit(
        node!.pos,
        `${label(c)} uses image ${image}: pin a version tag and digest instead of latest.`,
      );
    }
  },
);

export const k8sNoResourceLimits = containerRule(
  {
    id: 'k8s-no-resource-limits',
    title: 'Container has no CPU or memory limit',
    severity: 'medium',
    description:
      'Without limits one container can take all the CPU and memory of its node, starving its neighbours (a noisy neighbour or a denial of service) and getting other pods evicted.',
    fix: 'Set `resources.limits.cpu` and `resources.limits.memory` on every container (and a LimitRange in the namespace as a default).',
    refs: {
      checkov: ['CKV_K8S_11', 'CKV_K8S_13'],
      kics: ['4ac0e2b7-d2d2-4af7-8799-e8de6721ccda', 'b14d1bc4-a208-45db-92f0-e21f8e2588e9'],
    },
  },
  (c) => {
    const limits = get(c.container, 'resources', 'limits');
    const missing = ['cpu', 'memory'].filter((k) => get(limits, k) === undefined);
    if (missing.length === 0) return;
    const at =
      entry(get(c.container, 'resources'), 'limits')?.keyPos ??
      entry(c.container, 'resources')?.keyPos ??
      c.pos;
    return hit(
      at,
      `${label(c)} has no ${missing.join(' or ')} limit: set resources.limits.${missing.join(' and ')}.`,
    );
  },
  ['containers', 'initContainers'],
);

/** Capabilities that give a container control over the node or its network. */
const DANGEROUS_CAPABILITIES = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_PTRACE',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'DAC_READ_SEARCH',
  'BPF',
  'PERFMON',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
]);

function capabilityName(node: Node): string | undefined {
  return toStr(node)?.toUpperCase().replace(/^CAP_/, '');
}

export const k8sDangerousCapabilities = containerRule(
  {
    id: 'k8s-dangerous-capabilities',
    title: 'Container adds a dangerous Linux capability',
    severity: 'high',
    description:
      'Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE or ALL give root-equivalent control over the kernel, the network stack or other processes; with them a container escape is a matter of a few commands.',
    fix: 'Remove the capability from `securityContext.capabilities.add`; drop ALL and add back only narrow ones the workload needs (such as NET_BIND_SERVICE).',
    refs: {
      checkov: ['CKV_K8S_25', 'CKV_K8S_39'],
      kics: ['19ebaa28-fc86-4a58-bcfa-015c9e22fe40', '235236ee-ad78-4065-bd29-61b061f28ce0'],
    },
  },
  (c) => {
    const add = get(c.container, 'securityContext', 'capabilities', 'add');
    if (!isList(add)) return;
    return add.items
      .filter((n) => DANGEROUS_CAPABILITIES.has(capabilityName(n) ?? ''))
      .map((n) => hit(n.pos, `${label(c)} adds capability ${toStr(n)}: remove it.`));
  },
);

/** Host paths that hand the container runtime (and so the node) to the pod. */
const RUNTIME_SOCKETS = new Set([
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/containerd/containerd.sock',
  '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
  '/var/run/cri-dockerd.sock',
  '/run/cri-dockerd.sock',
  '/var/run',
  '/run',
  '/var/run/docker',
  '/var/run/containerd',
  '/run/containerd',
  '/var/lib/docker',
]);

interface HostPath {
  /** The `hostPath:` key of the volume. */
  key: Pos;
  path?: Node;
  value: string | undefined;
  name: string;
}

function hostPaths(pod: PodSpec): HostPath[] {
  const volumes = get(pod.spec, 'volumes');
  if (!isList(volumes)) return [];
  const out: HostPath[] = [];
  for (const v of volumes.items) {
    const e = entry(v, 'hostPath');
    if (!e) continue;
    const path = get(e.value, 'path');
    out.push({
      key: e.keyPos,
      ...(path ? { path } : {}),
      value: toStr(path),
      name: toStr(get(v, 'name')) ?? '(unnamed)',
    });
  }
  return out;
}

function isRuntimeSocket(path: string | undefined): boolean {
  if (path === undefined) return false;
  const normal = path.replace(/\/+$/, '') || '/';
  return RUNTIME_SOCKETS.has(normal);
}

export const k8sContainerRuntimeSocket = podRule(
  {
    id: 'k8s-container-runtime-socket',
    title: 'Container runtime socket mounted into the pod',
    severity: 'critical',
    description:
      'Whoever can talk to the Docker, containerd or CRI-O socket can start a privileged container with the host filesystem mounted: mounting it (or the directory holding it) gives the pod root on the node.',
    fix: 'Remove the hostPath volume for the runtime socket. Build images with a daemonless builder (BuildKit rootless, kaniko, buildah) and read runtime data through the Kubernetes API.',
    refs: { checkov: ['CKV_K8S_27'], kics: ['a6f34658-fdfb-4154-9536-56d516f65828'] },
  },
  (pod) =>
    hostPaths(pod)
      .filter((h) => isRuntimeSocket(h.value))
      .map((h) =>
        hit(
          h.path?.pos ?? h.key,
          `${podLabel(pod)} mounts ${h.value} from the host (volume ${h.name}): remove it.`,
        ),
      ),
);

export const k8sHostPathVolume = podRule(
  {
    id: 'k8s-host-path-volume',
    title: 'Pod mounts a directory of the node (hostPath)',
    severity: 'high',
    description:
      "A hostPath volume exposes the node's filesystem to the pod: it can read other pods' data and credentials and, when writable, plant files the node or other pods execute. The Pod Security Standards' baseline profile forbids it.",
    fix: 'Use an emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim instead; if a node agent truly needs a host path, mount it `readOnly: true` and run it in a dedicated, restricted namespace.',
    refs: { kics: ['5308a7a8-06f8-45ac-bf10-791fe21de46e'] },
  },
  (pod) =>
    hostPaths(pod)
      .filter((h) => !isRuntimeSocket(h.value))
      .map((h) =>
        hit(
          h.key,
          `${podLabel(pod)} mounts host path ${h.value ?? '(unknown)'} (volume ${h.name}): use another volume type.`,
        ),
      ),
);

export const k8sRootFilesystemWritable = containerRule(
  {
    id: 'k8s-root-filesystem-writable',
    title: "Container's root filesystem is writable",
    severity: 'low',
    description:
      'A writable root filesystem lets an intruder change binaries and configuration of the running container and persist tools there; a read-only one limits writes to the volumes you mount.',
    fix: 'Set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir where the application must write (such as /tmp).',
    refs: { checkov: ['CKV_K8S_22'], kics: ['a9c2f49d-0671-4fc9-9ece-f4e261e128d0'] },
  },
  (c) => {
    const value = securityContext(c, 'readOnlyRootFilesystem');
    if (toBool(value) === true) return;
    return hit(
      value?.pos ?? c.pos,
      `${label(c)} has a writable root filesystem: set readOnlyRootFilesystem: true.`,
    );
  },
);

export const k8sCapabilitiesNotDropped = containerRule(
  {
    id: 'k8s-capabilities-not-dropped',
    title: 'Container keeps the default Linux capabilities',
    severity: 'low',
    description:
      "Containers start with a default set of capabilities (NET_RAW, CHOWN, SETUID, …) that most applications never use; NET_RAW alone allows ARP and DNS spoofing inside the node's network.",
    fix: 'Set `securityContext.capabilities.drop: [ALL]` and add back only what is needed.',
    refs: { checkov: ['CKV_K8S_28', 'CKV_K8S_37'], kics: ['268ca686-7fb7-4ae9-b129-955a2a89064e'] },
  },
  (c) => {
    const drop = get(c.container, 'securityContext', 'capabilities', 'drop');
    if (isList(drop) && drop.items.some((n) => capabilityName(n) === 'ALL')) return;
    return hit(
      drop?.pos ?? c.pos,
      `${label(c)} does not drop ALL capabilities: set capabilities.drop: [ALL].`,
    );
  },
);

export const k8sServiceAccountToken = podRule(
  {
    id: 'k8s-service-account-token-mounted',
    title: 'Service account token mounted automatically',
    severity: 'low',
    description:
      'Unless automountServiceAccountToken is false, every container gets an API token; an intruder in the pod can use it against the Kubernetes API with whatever RBAC grants the service account.',
    fix: 'Set `automountServiceAccountToken: false` in the pod spec (or on the ServiceAccount) and mount a projected token only in pods that call the API.',
    refs: { checkov: ['CKV_K8S_38'], kics: ['48471392-d4d0-47c0-b135-cdec95eb3eef'] },
  },
  (pod) => {
    const value = get(pod.spec, 'automountServiceAccountToken');
    if (toBool(value) === false) return;
    return hit(
      value?.pos ?? pod.pos,
      `${podLabel(pod)} mounts a service account token: set automountServiceAccountToken: false.`,
    );
  },
);

export const k8sSecretInEnv = containerRule(
  {
    id: 'k8s-secret-in-env',
    title: 'Secret written as a literal environment value',
    severity: 'high',
    description:
      'A password, token or key written as `env[].value` lives in the manifest, in Git history, and in the object any reader of the Deployment can see; it cannot be rotated without a commit.',
    fix: 'Store it in a Secret (or an external secrets manager) and reference it with `valueFrom.secretKeyRef`, or mount it as a file.',
  },
  (c) => {
    const env = get(c.container, 'env');
    if (!isList(env)) return;
    return env.items.flatMap((item) => {
      const name = toStr(get(item, 'name'));
      const value = get(item, 'value');
      if (name === undefined || !isSecretName(name) || !isLiteralSecret(toStr(value))) return [];
      return [hit(value!.pos, `${label(c)} sets ${name} to a literal secret: use valueFrom.secretKeyRef.`)];
    });
  },
);

/** Built-in API groups: objects of CRDs (Backstage, Argo, …) use namespaces their own way. */
function isBuiltinApi(apiVersion: string | undefined): boolean {
  if (apiVersion === undefined) return false;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  return (
    group === '' ||
    group.endsWith('k8s.io') ||
    ['apps', 'batch', 'policy', 'autoscaling', 'extensions'].includes(group)
  );
}

export const k8sDefaultNamespace = resourceRule(
  {
    id: 'k8s-default-namespace',
    title: 'Object placed in the default namespace',
    severity: 'low',
    description:
      'The default namespace is shared by everything deployed without thought: RBAC, NetworkPolicies, quotas and Pod Security admission cannot separate this workload from the rest. (A manifest without a namespace is left to the deploy tool, e.g. kustomize or `kubectl -n`, and is not reported.)',
    fix: 'Deploy into a dedicated namespace: set `metadata.namespace` to it (or let kustomize / the deploy command set it) instead of `default`.',
    refs: { checkov: ['CKV_K8S_21'], kics: ['611ab018-c4aa-4ba2-b0f6-a448337509a6'] },
  },
  {
    kubernetes: {
      types: [
        ...WORKLOAD_KINDS,
        'Service',
        'ConfigMap',
        'Secret',
        'ServiceAccount',
        'Role',
        'RoleBinding',
        'Ingress',
        'NetworkPolicy',
        'PersistentVolumeClaim',
      ],
      check(res) {
        if (!isBuiltinApi(toStr(get(res.body, 'apiVersion')))) return;
        const ns = get(res.body, 'metadata', 'namespace');
        if (toStr(ns) === 'default') {
          return hit(
            ns!.pos,
            `${res.type} ${res.name} is in the default namespace: use a dedicated namespace.`,
          );
        }
      },
    },
  },
);

export const KUBERNETES_RULES: readonly Rule[] = [
  k8sPrivilegedContainer,
  k8sHostNetwork,
  k8sHostPid,
  k8sHostIpc,
  k8sPrivilegeEscalation,
  k8sRunsAsRoot,
  k8sImageTagNotFixed,
  k8sNoResourceLimits,
  k8sDangerousCapabilities,
  k8sContainerRuntimeSocket,
  k8sHostPathVolume,
  k8sRootFilesystemWritable,
  k8sCapabilitiesNotDropped,
  k8sServiceAccountToken,
  k8sSecretInEnv,
  k8sDefaultNamespace,
];
