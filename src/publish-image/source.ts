/**
 * The image to publish, read from where the build left it, without a Docker engine unless the
 * source is the engine itself:
 *
 * - `oci:DIR[:TAG]` or `oci:DIR@sha256:…`: an OCI image layout folder;
 * - `oci-archive:FILE[:TAG]`: a tar of one, extracted to the temporary folder;
 * - `docker-archive:FILE[:NAME:TAG]`: `docker save` output, converted to a schema 2 manifest over
 *   gzip layers;
 * - `docker-daemon:NAME[:TAG]`: `docker save` run for you, then read as a docker archive.
 *
 * Relative paths resolve against the workspace. Everything written goes under a folder of its own
 * in `tempDir`, removed by the image's `cleanup()` (or at once when opening fails).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, isUserError, UserError } from '../core/errors.js';
import { ExecError, execFile } from '../core/exec.js';
import type { LocalImage } from './image.js';
import { extractArchive, statOrUndefined } from './source-archive.js';
import { parseReference, TAG } from './reference.js';
import { readDockerArchive } from './source-docker.js';
import { type LayoutFiles, readLayout } from './source-oci.js';

export interface SourceOptions {
  /** Relative paths in the source resolve against this folder. */
  workspace: string;
  /** Extracted and converted files go in a folder of their own under this one. */
  tempDir: string;
  log(message: string): void;
  /** The docker client command for docker-daemon: sources. Default 'docker'. */
  docker?: string;
}

/** A parsed `source` value. `text` is the value as given, for logs and the summary. */
export type SourceRef =
  | { transport: 'oci' | 'oci-archive'; path: string; tag?: string; digest?: string; text: string }
  | { transport: 'docker-archive'; path: string; reference?: string; text: string }
  | { transport: 'docker-daemon'; reference: string; text: string };

const FORMS =
  'expected oci:DIR[:TAG], oci:DIR@sha256:DIGEST, oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG] ' +
  'or docker-daemon:NAME[:TAG]';
/** An image ID, which `docker save` takes as well as a name. */
const IMAGE_ID = /^(?:sha256:)?[a-f0-9]{12,64}$/;
const LAYOUT_DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const DIGEST_LIKE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:/;

/** Whether `raw` is an image name (`name[:tag]`, with `@digest` only where allowed). */
function isName(raw: string, digestAllowed: boolean): boolean {
  try {
    const ref = parseReference('source', raw);
    return digestAllowed || !ref.digest;
  } catch {
    return false;
  }
}

/** Parses a `source` value (`name` is the input's name, for errors). Pure: nothing is read. */
export function parseSource(name: string, raw: string): SourceRef {
  const text = raw.trim();
  const colon = text.indexOf(':');
  const transport = colon < 0 ? '' : text.slice(0, colon);
  const rest = text.slice(colon + 1);
  const fail = (problem: string) => new InputError(name, raw, `${problem}; ${FORMS}`);
  switch (transport) {
    case 'oci':
    case 'oci-archive': {
      if (!rest) throw fail(`the path after "${transport}:" is empty`);
      const at = rest.lastIndexOf('@');
      if (at >= 0 && DIGEST_LIKE.test(rest.slice(at + 1))) {
        const digest = rest.slice(at + 1);
        if (!LAYOUT_DIGEST.test(digest))
          throw fail(`${JSON.stringify(digest)} is not a sha256 or sha512 digest`);
        if (at === 0) throw fail(`the path before @${digest} is empty`);
        return { transport, path: rest.slice(0, at), digest, text };
      }
      const last = rest.lastIndexOf(':');
      if (last === rest.length - 1) throw fail('the tag after the last ":" is empty');
      if (last > 0 && TAG.test(rest.slice(last + 1)))
        return { transport, path: rest.slice(0, last), tag: rest.slice(last + 1), text };
      return { transport, path: rest, text };
    }
    case 'docker-archive': {
      // As skopeo does: the path ends at the first ':' (a path cannot hold one), the rest is NAME:TAG.
      const sep = rest.indexOf(':');
      const file = sep < 0 ? rest : rest.slice(0, sep);
      if (!file) throw fail('the path after "docker-archive:" is empty');
      if (sep < 0) return { transport, path: file, text };
      const reference = rest.slice(sep + 1);
      if (!isName(reference, false))
        throw fail(
          `${JSON.stringify(reference)} is not an image name such as name:tag or registry.example/name:tag`,
        );
      return { transport, path: file, reference, text };
    }
    case 'docker-daemon': {
      if (!rest) throw fail('the image after "docker-daemon:" is empty');
      if (!IMAGE_ID.test(rest) && !isName(rest, true))
        throw fail(`${JSON.stringify(rest)} is not an image name (name[:tag][@digest]) or an image ID`);
      return { transport, reference: rest, text };
    }
    default:
      throw fail(
        colon < 0 ? 'it has no transport prefix' : `${JSON.stringify(transport)} is not a known transport`,
      );
  }
}

/** Reads the image a source names; the caller must call `cleanup()` when done with it. */
export async function openSource(ref: SourceRef, options: SourceOptions): Promise<LocalImage> {
  if (ref.transport === 'oci') {
    const dir = path.resolve(options.workspace, ref.path);
    const stat = await statOrUndefined(dir);
    if (!stat) throw missing(ref, dir, options, 'folder');
    if (!stat.isDirectory())
      throw new UserError(
        `Source '${ref.text}': ${dir} is a file, not an OCI layout folder. For a tar of a layout use oci-archive:.`,
      );
    options.log(`Reading the OCI layout ${dir}`);
    const image = await readLayout({ label: dir, locate: (name) => path.join(dir, name) }, ref);
    return { source: ref.text, ...image, cleanup: async () => undefined };
  }
  return inWorkDir(ref, options, async (work) => {
    if (ref.transport === 'docker-daemon') {
      const saved = await dockerSave(ref.reference, work, options);
      const label = `the archive docker save wrote for ${ref.reference}`;
      const archive = await extractTo(saved, work, label, options);
      await fs.promises.rm(saved, { force: true });
      const image = await readDockerArchive(
        archive,
        label,
        { reference: ref.reference, strict: false },
        path.join(work, 'blobs'),
        options.log,
      );
      return { ...image, children: [] };
    }
    const file = path.resolve(options.workspace, ref.path);
    const stat = await statOrUndefined(file);
    if (!stat) throw missing(ref, file, options, 'file');
    if (!stat.isFile()) {
      throw new UserError(
        `Source '${ref.text}': ${file} is a folder, not an archive.` +
          (ref.transport === 'oci-archive' ? ' For an OCI layout folder use oci:.' : ''),
      );
    }
    const archive = await extractTo(file, work, file, options);
    if (ref.transport === 'docker-archive') {
      const select = { reference: ref.reference, strict: true };
      const image = await readDockerArchive(archive, file, select, path.join(work, 'blobs'), options.log);
      return { ...image, children: [] };
    }
    const layout: LayoutFiles = { label: file, locate: archive.resolve };
    if (
      !(await statOrUndefined(layout.locate('oci-layout'))) &&
      (await statOrUndefined(layout.locate('manifest.json')))
    )
      throw new UserError(`${file} is a docker archive, not an OCI archive: use a docker-archive: source.`);
    return readLayout(layout, ref);
  });
}

function missing(ref: SourceRef, file: string, options: SourceOptions, what: string): UserError {
  return new UserError(
    `Source '${ref.text}': the ${what} ${file} does not exist` +
      (ref.transport !== 'docker-daemon' && !path.isAbsolute(ref.path)
        ? ` (relative paths resolve against the workspace ${options.workspace}).`
        : '.') +
      ' Check the path, and that the step that writes it ran before this one.',
  );
}

async function inWorkDir(
  ref: SourceRef,
  options: SourceOptions,
  read: (work: string) => Promise<Omit<LocalImage, 'source' | 'cleanup'>>,
): Promise<LocalImage> {
  await fs.promises.mkdir(options.tempDir, { recursive: true });
  const work = await fs.promises.mkdtemp(path.join(options.tempDir, 'source-'));
  const cleanup = () => fs.promises.rm(work, { recursive: true, force: true });
  try {
    return { source: ref.text, ...(await read(work)), cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function extractTo(file: string, work: string, label: string, options: SourceOptions) {
  const into = path.join(work, 'archive');
  await fs.promises.mkdir(into);
  options.log(`Extracting ${label}`);
  return extractArchive(file, into, label);
}

const NO_ENGINE = [
  /Cannot connect to the Docker daemon/i,
  /Is the docker daemon running/i,
  /failed to connect to the docker API/i,
  /error during connect/i,
  /dial unix [^:]*docker\.sock/i,
];

/** Runs `docker save` into the work folder; returns the archive's path. */
async function dockerSave(reference: string, work: string, options: SourceOptions): Promise<string> {
  const docker = options.docker ?? 'docker';
  const file = path.join(work, 'docker-save.tar');
  const args = ['save', '-o', file, reference];
  const fallback =
    'A docker-daemon: source needs a running Docker engine; without one, publish from an oci:DIR[:TAG] or ' +
    'docker-archive:FILE source (written by `docker buildx build --output type=oci`, `docker save` on the build machine, or skopeo).';
  options.log(`Saving ${reference} from the Docker engine: ${JSON.stringify([docker, ...args])}`);
  try {
    await execFile(docker, args, { silent: true });
  } catch (error) {
    if (isUserError(error))
      throw new UserError(`No Docker engine is reachable: ${error.message} ${fallback}`);
    if (!(error instanceof ExecError)) throw error;
    const output = `${error.result.stderr}\n${error.result.stdout}`.trim();
    const tail = output.split('\n').slice(-3).join('\n');
    if (NO_ENGINE.some((pattern) => pattern.test(output)))
      throw new UserError(
        `No Docker engine is reachable: ${docker} save ${reference} failed with: ${tail}\n${fallback}`,
      );
    if (/permission denied/i.test(output)) {
      throw new UserError(
        `${docker} save ${reference} was refused access to the Docker engine: ${tail}\n` +
          'Run as a user in the docker group, or use an oci: or docker-archive: source.',
      );
    }
    throw new UserError(
      `${docker} save ${reference} failed: ${tail || error.message}\nCheck the image name (docker image ls).`,
    );
  }
  if (!(await statOrUndefined(file))?.isFile())
    throw new UserError(`${docker} save ${reference} succeeded but wrote no archive at ${file}.`);
  return file;
}
