/**
 * Kubernetes manifests: any YAML (or JSON) document with a string `apiVersion` and `kind`, one
 * `Doc` per document of a multi-document file. The object is the resource (type = kind, name =
 * `metadata.name`); the items of a `List` are resources too. `podSpecs` and `containers` find the
 * pod template of every workload kind so rules read containers the same way everywhere.
 */
import { entry, get, isList, isMap, isScalar } from '../model.js';
import type { Doc, MapNode, Node, Pos, Resource } from '../types.js';
import { scanComments } from './positions.js';

function str(node: Node | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** True when a parsed document is a Kubernetes object (or list of objects). */
export function isKubernetesObject(root: Node | undefined): root is MapNode {
  return isMap(root) && str(get(root, 'apiVersion')) !== undefined && str(get(root, 'kind')) !== undefined;
}

function resourceOf(object: MapNode): Resource {
  const name =
    str(get(object, 'metadata', 'name')) ?? str(get(object, 'metadata', 'generateName')) ?? '(unnamed)';
  return { type: str(get(object, 'kind'))!, name, pos: object.pos, body: object, node: object };
}

export function kubernetesDoc(file: string, root: MapNode, text: string, json: boolean, index: number): Doc {
  const resources: Resource[] = [resourceOf(root)];
  const kind = str(get(root, 'kind'))!;
  if (kind === 'List' || kind.endsWith('List')) {
    const list = get(root, 'items');
    if (isList(list))
      for (const item of list.items) if (isKubernetesObject(item)) resources.push(resourceOf(item));
  }
  return {
    file,
    format: 'kubernetes',
    root,
    resources,
    params: new Map(),
    comments: json ? [] : scanComments(text, 'hash'),
    index,
  };
}

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export const WORKLOAD_KINDS: readonly string[] = Object.keys(POD_SPEC_PATHS);

export interface PodSpec {
  spec: MapNode;
  /** The `spec:` key of the pod spec: where a missing pod-level setting is reported. */
  pos: Pos;
  resource: Resource;
}

/** The pod spec of a workload (none for other kinds, or when the template is missing). */
export function podSpec(resource: Resource): PodSpec | undefined {
  const path = POD_SPEC_PATHS[resource.type];
  if (!path) return undefined;
  let node: Node | undefined = resource.body;
  let pos = resource.pos;
  for (const key of path) {
    const e = entry(node, key);
    if (!e) return undefined;
    node = e.value;
    pos = e.keyPos;
  }
  return isMap(node) ? { spec: node, pos, resource } : undefined;
}

export type ContainerField = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface Container {
  container: MapNode;
  /** `name:` of the container, or its field and index when unnamed. */
  name: string;
  field: ContainerField;
  /** The container item: where a missing container setting is reported. */
  pos: Pos;
  pod: PodSpec;
}

const FIELDS: readonly ContainerField[] = ['containers', 'initContainers', 'ephemeralContainers'];

/** Every container of a workload's pod spec, init and ephemeral ones included. */
export function containers(resource: Resource, fields: readonly ContainerField[] = FIELDS): Container[] {
  const pod = podSpec(resource);
  if (!pod) return [];
  const out: Container[] = [];
  for (const field of fields) {
    const list = get(pod.spec, field);
    if (!isList(list)) continue;
    list.items.forEach((item, i) => {
      if (!isMap(item)) return;
      out.push({
        container: item,
        name: str(get(item, 'name')) ?? `${field}[${i}]`,
        field,
        pos: item.pos,
        pod,
      });
    });
  }
  return out;
}

/** A value Kubernetes would not see as written: a Helm/Go template placeholder. */
export function isTemplated(value: string): boolean {
  return value.includes('{{');
}
