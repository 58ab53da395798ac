/**
 * How rules are written. `defineRule` takes the metadata and a check over a whole document;
 * `resourceRule` a check per resource, per format, so one rule id covers the same
 * misconfiguration in CloudFormation and Terraform (and Packer) alike. Checks return hits; the
 * engine turns them into findings, applies suppressions and the gate.
 */
import { resourcesOf } from '../model.js';
import type { Doc, Format, Hit, Pos, Resource, Rule, RuleRefs, Severity } from '../types.js';

export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  fix: string;
  refs?: RuleRefs;
}

export function defineRule(meta: RuleMeta & { formats: readonly Format[]; check(doc: Doc): Hit[] }): Rule {
  return { refs: {}, origin: 'builtin', ...meta };
}

/** What a per-resource check returns: nothing, one problem, or several. */
export type CheckResult = Hit | Array<Hit | undefined> | undefined | void;

export interface ResourceCheck {
  /** Resource types this check reads: `AWS::EC2::Volume`, `aws_ebs_volume`, `amazon-ebs`. */
  types: readonly string[];
  check(resource: Resource, doc: Doc): CheckResult;
}

export type ResourceChecks = Partial<Record<Format, ResourceCheck | ResourceCheck[]>>;

function listOf<T>(x: T | T[] | undefined): T[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

/** A rule made of per-format resource checks. */
export function resourceRule(meta: RuleMeta, checks: ResourceChecks): Rule {
  const table = new Map<Format, ResourceCheck[]>();
  for (const [format, c] of Object.entries(checks) as Array<[Format, ResourceCheck | ResourceCheck[]]>) {
    table.set(format, listOf(c));
  }
  return buildResourceRule(meta, table);
}

function buildResourceRule(
  meta: RuleMeta,
  table: Map<Format, ResourceCheck[]>,
): Rule & { checks: Map<Format, ResourceCheck[]> } {
  return {
    refs: {},
    origin: 'builtin',
    ...meta,
    formats: [...table.keys()],
    checks: table,
    check(doc: Doc): Hit[] {
      const hits: Hit[] = [];
      for (const c of table.get(doc.format) ?? []) {
        for (const resource of resourcesOf(doc, ...c.types)) {
          for (const hit of listOf(c.check(resource, doc) as Hit | Hit[] | undefined)) {
            if (hit) hits.push({ ...hit, resource: hit.resource ?? resource });
          }
        }
      }
      return hits;
    },
  };
}

/** A hit at a position with a message. */
export function hit(pos: Pos, message: string): Hit {
  return { pos, message };
}
