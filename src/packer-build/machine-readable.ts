/**
 * Packer's `-machine-readable` output, line by line: `timestamp,target,type,data…`. Data fields
 * are comma-separated, so Packer writes a comma inside one as `%!(PACKER_COMMA)` and a newline as
 * the two characters `\n` (https://developer.hashicorp.com/packer/docs/commands#machine-readable-output).
 *
 * The reader turns the stream into what a pipeline needs:
 * - `ui` lines (`say`, `message`, `error`) back into the readable text Packer would have printed;
 * - `artifact` lines into artifacts (`builder-id`, `id`, `string`, `files`), with the copies
 *   post-processors hand on unchanged (the manifest post-processor returns its input) dropped;
 * - `error` lines (a build that failed) and template diagnostics (`Error: … on FILE line N`) into
 *   errors; UI errors without a place are kept apart (`unplaced`), for a step that failed with no
 *   other error to show.
 * Anything that is not a machine-readable line (a plugin writing to the terminal) is kept as text.
 */

export interface Artifact {
  /** The build's name: `type.name` for an HCL2 source, the builder's name in a JSON template. */
  build: string;
  builderId: string;
  /** The artifact's id, e.g. `eu-west-1:ami-0abc,us-east-1:ami-0def` for an AMI in two regions. */
  id: string;
  /** Packer's description of it. */
  text: string;
  files: string[];
  /** The Unix time (seconds) of its `artifact … end` line. */
  time: number;
}

export interface PackerError {
  message: string;
  /** The build that failed, for a build error. */
  build?: string;
  /** For a template diagnostic: the file as Packer names it (relative to its working directory). */
  file?: string;
  line?: number;
}

export type Event =
  | { kind: 'ui'; level: 'say' | 'message' | 'error'; text: string }
  | { kind: 'artifact'; artifact: Artifact }
  | { kind: 'error'; error: PackerError }
  | { kind: 'version'; version: string }
  | { kind: 'text'; text: string };

/** A data field as Packer meant it: `%!(PACKER_COMMA)` is a comma, `\n` a newline, `\r` a CR. */
export function unescapeField(field: string): string {
  return field.replace(/%!\(PACKER_COMMA\)|\\[nr]/g, (m) => (m === '\\n' ? '\n' : m === '\\r' ? '\r' : ','));
}

const LINE = /^(\d+),([^,]*),([^,]+)(?:,(.*))?$/;

/** Splits one line into its timestamp, target, type and unescaped data; undefined for other text. */
export function splitLine(
  line: string,
): { time: number; target: string; type: string; data: string[] } | undefined {
  const m = LINE.exec(line.replace(/\r$/, ''));
  if (!m) return undefined;
  return {
    time: Number(m[1]),
    target: unescapeField(m[2]!),
    type: m[3]!,
    data: m[4] === undefined ? [] : m[4].split(',').map(unescapeField),
  };
}

/** `on FILE line N, in …:` (N is 0, and FILE empty, for a diagnostic about a `-var`). */
const LOCATION = /^on (.*?)\s*line (\d+)\b/;
/** The source excerpt HCL prints under a location: `   2:   communicator =`, or its stand-in. */
const SOURCE_LINE = /^\s*(\d+:|\(source code not available\))/;

/**
 * The diagnostics in the text of a UI error, as HCL prints them (`Error: Summary`, a blank line,
 * `  on FILE line N, in …:` with the source lines, a blank line, the detail), each with its file and
 * line where it has them. Other error texts (`Failed to parse template: …`) are one diagnostic, in
 * their own words, without a place.
 */
export function diagnostics(text: string): PackerError[] {
  const found: PackerError[] = [];
  const chunks = text.split(/^(?=Error: )/m).filter((c) => c.trim() !== '');
  for (const chunk of chunks) {
    const paragraphs = chunk.split(/\n\s*\n/).map((p) => p.trim());
    const head = paragraphs.shift() ?? '';
    const summary = head.replace(/^Error: /, '').trim();
    let file: string | undefined;
    let line: number | undefined;
    const detail: string[] = [];
    for (const para of paragraphs) {
      const lines = para.split('\n');
      const at = LOCATION.exec(lines[0]!.trim());
      if (at) {
        if (Number(at[2]) > 0) {
          file = at[1]!.replace(/,$/, '');
          line = Number(at[2]);
        }
        continue;
      }
      if (lines.every((l) => SOURCE_LINE.test(l))) continue;
      if (para) detail.push(para.replace(/\s+/g, ' '));
    }
    const message = [summary.replace(/\s+/g, ' '), ...detail].filter(Boolean).join(': ');
    if (message) found.push({ message, ...(file ? { file, line: line! } : {}) });
  }
  return found;
}

interface Pending {
  builderId: string;
  id: string;
  text: string;
  files: string[];
  /** Packer prints `artifact,<n>,nil` for a build that produced none. */
  none: boolean;
}

/** Reads a machine-readable stream one line at a time; `events` come out as lines go in. */
export class MachineReadableReader {
  private readonly pending = new Map<string, Pending>();
  private readonly seen = new Set<string>();
  readonly artifacts: Artifact[] = [];
  /** Build errors and the template diagnostics that have a place. */
  readonly errors: PackerError[] = [];
  /** UI errors without a place (a bad `-var`, an unknown builder, a JSON syntax error). */
  readonly unplaced: PackerError[] = [];
  version: string | undefined;

  push(line: string): Event[] {
    const parsed = splitLine(line);
    if (!parsed) return line.trim() === '' ? [] : [{ kind: 'text', text: line }];
    const { time, target, type, data } = parsed;
    switch (type) {
      case 'ui': {
        const level = data[0] === 'error' ? 'error' : data[0] === 'message' ? 'message' : 'say';
        const text = data.slice(1).join(',');
        const events: Event[] = [{ kind: 'ui', level, text }];
        if (level === 'error') {
          for (const error of diagnostics(text)) {
            if (error.file) {
              this.errors.push(error);
              events.push({ kind: 'error', error });
            } else {
              this.unplaced.push(error);
            }
          }
        }
        return events;
      }
      case 'artifact':
        return this.artifact(time, target, data);
      case 'error': {
        const error: PackerError = { message: data.join(',').trim(), ...(target ? { build: target } : {}) };
        this.errors.push(error);
        return [{ kind: 'error', error }];
      }
      case 'version':
        if (data[0]) this.version = data[0];
        return data[0] ? [{ kind: 'version', version: data[0] }] : [];
      default:
        return [];
    }
  }

  private artifact(time: number, build: string, data: string[]): Event[] {
    const [index, key, ...rest] = data;
    if (index === undefined || key === undefined) return [];
    const slot = `${build}\u0000${index}`;
    let a = this.pending.get(slot);
    if (!a) {
      a = { builderId: '', id: '', text: '', files: [], none: false };
      this.pending.set(slot, a);
    }
    switch (key) {
      case 'builder-id':
        a.builderId = rest.join(',');
        return [];
      case 'id':
        a.id = rest.join(',');
        return [];
      case 'string':
        a.text = rest.join(',');
        return [];
      case 'file':
        // `file,<n>,<path>`
        a.files.push(rest.slice(1).join(','));
        return [];
      case 'nil':
        a.none = true;
        return [];
      case 'end': {
        this.pending.delete(slot);
        if (a.none) return [];
        const artifact: Artifact = {
          build,
          builderId: a.builderId,
          id: a.id,
          text: a.text,
          files: a.files,
          time,
        };
        // A post-processor that hands its input on (manifest, checksum with keep_input_artifact)
        // makes Packer print the same artifact again under the next index.
        const identity = JSON.stringify([build, a.builderId, a.id, a.files]);
        if (this.seen.has(identity)) return [];
        this.seen.add(identity);
        this.artifacts.push(artifact);
        return [{ kind: 'artifact', artifact }];
      }
      default:
        return [];
    }
  }
}

/** Reads a whole captured output at once. */
export function readMachineReadable(output: string): MachineReadableReader {
  const reader = new MachineReadableReader();
  for (const line of output.split('\n')) reader.push(line);
  return reader;
}
