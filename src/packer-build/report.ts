/** What a packer-build run reports: the outputs, the job summary, and the CLI's text and JSON. */
import { Summary } from '../core/summary.js';
import { duration, plural } from '../core/text.js';
import { artifactsOutput } from './artifacts.js';
import type { BuildResult, StepResult } from './build.js';

export interface Outputs {
  'packer-version': string;
  artifacts: ReturnType<typeof artifactsOutput>;
  amis: Record<string, string>;
  'ami-id': string;
  images: string[];
  manifest: string;
}

/** The step outputs; `manifest` is the path given by `shown` (workspace-relative in the action). */
export function outputsOf(result: BuildResult, shown: (file: string) => string): Outputs {
  return {
    'packer-version': result.version,
    artifacts: artifactsOutput(result.artifacts),
    amis: result.amis,
    'ami-id': result.amiId ?? '',
    images: result.images,
    manifest: result.manifest?.file ? shown(result.manifest.file) : '',
  };
}

const MARK: Record<StepResult['status'], string> = {
  passed: 'passed',
  failed: 'FAILED',
  skipped: 'skipped',
  cancelled: 'cancelled',
};

/** One line: what happened. */
export function statusLine(result: BuildResult): string {
  const made = plural(result.artifacts.length, 'artifact');
  if (result.failure) return `packer-build failed: ${result.failure}`;
  const built = result.steps.find((s) => s.name === 'build');
  if (built?.status !== 'passed')
    return `packer-build passed (${
      result.steps
        .filter((s) => s.status === 'passed')
        .map((s) => s.name)
        .join(', ') || 'no step ran'
    }).`;
  return `packer-build passed: ${made} in ${duration(result.buildMs)} with packer ${result.version}.`;
}

export function summaryOf(result: BuildResult, templateShown: string, manifestShown?: string): Summary {
  const s = new Summary().heading(`Packer build: ${result.failure ? 'failed' : 'passed'}`);
  s.paragraph(
    `Template ${templateShown} (${result.template.kind === 'json' ? 'JSON' : 'HCL2'}), packer ${result.version}, build time ${duration(result.buildMs)}.`,
  );
  if (result.failure) s.paragraph(result.failure);
  s.table(
    ['Step', 'Result', 'Time', 'Note'],
    result.steps.map((st) => [
      st.name,
      MARK[st.status],
      st.status === 'skipped' ? '' : duration(st.durationMs),
      st.note ?? '',
    ]),
  );
  if (result.artifacts.length > 0) {
    s.heading('Artifacts', 3).table(
      ['Build', 'Builder', 'Id', 'Files'],
      result.artifacts.map((a) => [a.build, { code: a.builderId }, { code: a.id }, a.files.join(', ')]),
    );
  } else {
    s.paragraph('No artifacts.');
  }
  const regions = Object.entries(result.amis);
  if (regions.length > 0) {
    s.heading('AMIs', 3).table(
      ['Region', 'AMI'],
      regions.map(([region, ami]) => [region, { code: ami }]),
    );
  }
  if (result.images.length > 0) s.heading('Container images', 3).list(result.images);
  if (result.errors.length > 0) {
    s.heading('Errors', 3).list(
      result.errors.map(
        (e) =>
          `${e.build ? `${e.build}: ` : ''}${e.message}${e.file ? ` (${e.file}${e.line ? ` line ${e.line}` : ''})` : ''}`,
      ),
    );
  }
  if (result.manifest) {
    const how =
      result.manifest.source === 'template'
        ? "from the template's manifest post-processor, this run's builds only"
        : 'made from the artifacts Packer printed (the template has no manifest post-processor whose file could be read)';
    s.paragraph(
      `Manifest${manifestShown ? ` ${manifestShown}` : ''}: ${plural(result.manifest.manifest.builds.length, 'build')}, ${how}.`,
    );
  }
  return s;
}

/** The CLI's text report (on stdout): the artifacts and AMIs, then the status line. */
export function toText(result: BuildResult): string {
  const lines: string[] = [];
  for (const a of result.artifacts) {
    lines.push(
      `${a.build}  ${a.builderId}  ${a.id}${a.files.length ? `  files: ${a.files.join(', ')}` : ''}`,
    );
  }
  for (const [region, ami] of Object.entries(result.amis)) lines.push(`${region}  ${ami}`);
  for (const image of result.images) lines.push(`image  ${image}`);
  lines.push(statusLine(result));
  return `${lines.join('\n')}\n`;
}

export function toJson(result: BuildResult, manifestShown?: string): unknown {
  return {
    passed: !result.failure,
    ...(result.failure ? { failure: result.failure } : {}),
    ...(result.cancelled ? { cancelled: result.cancelled } : {}),
    'packer-version': result.version,
    steps: result.steps,
    artifacts: artifactsOutput(result.artifacts),
    amis: result.amis,
    'ami-id': result.amiId ?? null,
    images: result.images,
    manifest: manifestShown ?? null,
    errors: result.errors,
    'build-ms': result.buildMs,
  };
}
