// Writes the generated CloudFormation and Kubernetes documents: YAML in block style as people write
// it (short-form intrinsic tags `!Ref`, `!Sub`, `!GetAtt`, `!If`…, flow lists for short lists,
// literal blocks for multi-line strings, comments) and CloudFormation JSON with long-form
// intrinsics (`{"Ref": …}`, `{"Fn::GetAtt": […]}`).

/** An intrinsic function call: `new Fn('Ref', 'Bucket')`, `new Fn('If', ['IsProd', a, b])`. */
export class Fn {
  constructor(name, arg) {
    this.name = name;
    this.arg = arg;
  }
}
export const ref = (name) => new Fn('Ref', name);
export const sub = (text, vars) => new Fn('Sub', vars ? [text, vars] : text);
export const getAtt = (resource, attribute) => new Fn('GetAtt', [resource, attribute]);
export const ifFn = (condition, yes, no) => new Fn('If', [condition, yes, no]);
export const noValue = () => ref('AWS::NoValue');

/** A comment line written above a map entry in YAML (dropped in JSON): `{ [COMMENT]: 'text' }`. */
export const COMMENT = Symbol('comment');

const longName = (name) => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);
const isMap = (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Fn);
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
const NUMERIC = /^[-+]?(\.?\d|0x|0o)/i;
const CIDR = /^\d+\.\d+\.\d+\.\d+\/\d+$/;

/** A string as a YAML scalar, quoted when plain style would change or break it. */
function quote(s, flow) {
  const indicator = /^[-?:,[\]{}#&*!|>'"%@`\s]/.test(s) && !/^-[A-Za-z]/.test(s);
  const breaks = /: |\s#|:$|\s$|\t/.test(s) || (flow && /[,[\]{}]/.test(s));
  if (s !== '' && !indicator && !breaks && !RESERVED.test(s) && (CIDR.test(s) || !NUMERIC.test(s))) return s;
  return s.includes("'") && !s.includes('"') ? JSON.stringify(s) : `'${s.replace(/'/g, "''")}'`;
}

function scalar(v, flow) {
  if (v === null) return 'null';
  if (typeof v === 'string') return quote(v, flow);
  return String(v);
}

/** The value on one line (scalar, short tag, short flow list), or undefined when it needs a block. */
function inline(v, flow = false) {
  if (typeof v === 'string' && v.includes('\n')) return undefined;
  if (!(typeof v === 'object') || v === null) return scalar(v, flow);
  if (v instanceof Fn) {
    if (v.arg instanceof Fn) return flow ? `{${longName(v.name)}: ${inline(v.arg, true)}}` : undefined;
    if (v.name === 'GetAtt' && Array.isArray(v.arg) && v.arg.every((a) => typeof a === 'string'))
      return `!GetAtt ${v.arg.join('.')}`;
    const arg = inline(v.arg, true);
    return arg === undefined || arg.length > 90 ? undefined : `!${v.name} ${arg}`;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.map((i) => inline(i, true));
    if (items.some((i) => i === undefined || i.includes(': ') || i.startsWith('{'))) return undefined;
    const text = `[${items.join(', ')}]`;
    return flow || (text.length <= 60 && v.length <= 4) ? text : undefined;
  }
  return Object.keys(v).length === 0 ? '{}' : undefined;
}

function literal(prefix, text, indent, out) {
  out.push(`${prefix} |${text.endsWith('\n') ? '' : '-'}`);
  for (const line of text.replace(/\n$/, '').split('\n'))
    out.push(line ? `${' '.repeat(indent)}${line}` : '');
}

/** Writes `prefix` (`  Key:` or `  -`) followed by the value, on the same line or as a block below it. */
function writeValue(prefix, v, indent, out) {
  const one = inline(v);
  if (one !== undefined) return void out.push(`${prefix} ${one}`);
  if (typeof v === 'string') return literal(prefix, v, indent + 2, out);
  if (v instanceof Fn) {
    // A node has one tag: `!Base64 !Sub …` is not YAML, so the outer call takes the long form.
    if (v.arg instanceof Fn) return writeValue(prefix, { [longName(v.name)]: v.arg }, indent, out);
    if (typeof v.arg === 'string') return literal(`${prefix} !${v.name}`, v.arg, indent + 2, out);
    out.push(`${prefix} !${v.name}`);
    return writeBlock(v.arg, indent + 2, out);
  }
  out.push(prefix);
  writeBlock(v, indent + 2, out);
}

function writeBlock(v, indent, out) {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isMap(item) && Object.keys(item).length > 0) {
        // `- Key: value` with the rest of the map aligned under the first key.
        const lines = [];
        writeBlock(item, indent + 2, lines);
        out.push(`${pad}- ${lines[0].slice(indent + 2)}`, ...lines.slice(1));
      } else writeValue(`${pad}-`, item, indent, out);
    }
    return;
  }
  for (const [key, value] of Object.entries(v)) {
    if (value === undefined) continue;
    if (isMap(value) && value[COMMENT]) out.push(`${pad}# ${value[COMMENT]}`);
    writeValue(`${pad}${quote(key, false)}:`, value, indent, out);
  }
}

/** A YAML document of a map, entries with `undefined` values left out. */
export function toYaml(doc) {
  const out = doc[COMMENT] ? doc[COMMENT].split('\n').map((line) => `# ${line}`) : [];
  writeBlock(doc, 0, out);
  return `${out.join('\n')}\n`;
}

/** The same structure as CloudFormation reads it from JSON: intrinsics in long form. */
export function toCfnJson(v) {
  if (v instanceof Fn) {
    const arg = v.name === 'GetAtt' && typeof v.arg === 'string' ? v.arg.split('.') : v.arg;
    return { [longName(v.name)]: toCfnJson(arg) };
  }
  if (Array.isArray(v)) return v.map(toCfnJson);
  if (isMap(v)) {
    const out = {};
    for (const [k, value] of Object.entries(v)) if (value !== undefined) out[k] = toCfnJson(value);
    return out;
  }
  return v;
}
