/**
 * Terraform `.tf` files into the document model. `resource "aws_s3_bucket" "logs"` is a resource
 * of type `aws_s3_bucket` named `logs` (block `resource`); `data` blocks are resources with block
 * `data`, `module` calls have type `module`, and `variable` blocks are resources of type
 * `variable` too (so a rule can read a variable's own settings). `var.x` resolves to the variable's
 * `default`, `local.x` to the local's value; `linkModules()` shares them, and the resources, across
 * the files of one module (a folder), as Terraform does.
 */
import type { Doc, Node, Resource } from '../types.js';
import type { HclBlock } from './hcl.js';
import { parseHcl } from './hcl.js';
import type { ParseResult } from './index.js';
import { scanComments } from './positions.js';

function resource(block: HclBlock, type: string, name: string, kind: string): Resource {
  return { type, name, pos: block.pos, body: block.body, node: block.body, block: kind };
}

/** Names `Ref` resolves in an HCL file: `var.x` → default, `local.x` → value. */
export function hclParams(blocks: readonly HclBlock[]): Map<string, Node | undefined> {
  const params = new Map<string, Node | undefined>();
  for (const b of blocks) {
    if (b.type === 'variable' && b.labels[0]) {
      params.set(`var.${b.labels[0].value}`, b.body.entries.find((e) => e.key === 'default')?.value);
    } else if (b.type === 'locals') {
      for (const e of b.body.entries) params.set(`local.${e.key}`, e.value);
    }
  }
  return params;
}

export function parseTerraform(file: string, text: string): ParseResult {
  const hcl = parseHcl(text);
  if (hcl.error) {
    return { docs: [], errors: [{ file, ...hcl.error, format: 'terraform' }] };
  }
  const resources: Resource[] = [];
  for (const b of hcl.blocks) {
    const [first, second] = b.labels;
    if ((b.type === 'resource' || b.type === 'data') && first && second) {
      resources.push(resource(b, first.value, second.value, b.type));
    } else if (b.type === 'module' && first) {
      resources.push(resource(b, 'module', first.value, 'module'));
    } else if (b.type === 'variable' && first) {
      resources.push(resource(b, 'variable', first.value, 'variable'));
    }
  }
  const doc: Doc = {
    file,
    format: 'terraform',
    root: hcl.root,
    resources,
    params: hclParams(hcl.blocks),
    comments: scanComments(text, 'hcl'),
  };
  return { docs: [doc], errors: [] };
}
