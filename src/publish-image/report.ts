/** What a publish-image run reports: the outputs, the job summary, and the CLI's text and JSON. */
import { Summary } from '../core/summary.js';
import { bytes, plural } from '../core/text.js';
import { failuresOf, type PublishResult } from './publish.js';

export interface Outputs {
  digest: string;
  images: Array<{ reference: string; digest: string; status: string }>;
  amis: Record<string, string>;
  /** `s3://bucket/key` of the image's OCI archive, or ''. */
  archive: string;
}

/** Only what was published: a failed destination or region has nothing to point at. */
export function outputsOf(result: PublishResult): Outputs {
  const amis: Record<string, string> = {};
  for (const a of result.amis) if (a.status !== 'failed' && a.amiId) amis[a.region] = a.amiId;
  return {
    digest: result.digest ?? '',
    images: result.images
      .filter((i) => i.status !== 'failed')
      .map((i) => ({ reference: i.reference, digest: i.digest, status: i.status })),
    amis,
    archive: result.archive?.object ?? '',
  };
}

const IMAGE_STATUS = { pushed: 'pushed', unchanged: 'already there', failed: 'FAILED' } as const;
const AMI_STATUS = {
  copied: 'copied',
  existing: 'already there',
  source: 'source AMI',
  failed: 'FAILED',
} as const;

/**
 * One line: what happened. With `short`, failures of destinations and regions are counted, not
 * repeated, for a report whose lines above already give each one's reason.
 */
export function statusLine(result: PublishResult, short = false): string {
  const failures = failuresOf(result);
  const parts: string[] = [];
  if (result.images.length) parts.push(plural(result.images.length, 'destination'));
  if (result.amis.length) parts.push(plural(result.amis.length, 'region'));
  const what = parts.join(' and ');
  const failed =
    result.images.filter((i) => i.status === 'failed').length +
    result.amis.filter((a) => a.status === 'failed').length;
  if (failures.length) {
    const shown = short ? result.errors : failures;
    return `publish-image failed: ${failed ? `${failed} of ${what} failed.` : ''}${shown.length ? `${failed ? ' ' : ''}${shown.join(' ')}` : ''}`;
  }
  return `publish-image passed: published to ${what}.`;
}

export function summaryOf(result: PublishResult): Summary {
  const failures = failuresOf(result);
  const s = new Summary().heading(`Publish image: ${failures.length ? 'failed' : 'passed'}`);
  if (result.source) s.paragraph(`Source ${result.source}, digest ${result.digest ?? ''}.`);
  if (result.images.length) {
    s.heading('Container images', 3).table(
      ['Destination', 'Result', 'Digest', 'Blobs', 'Note'],
      result.images.map((i) => [
        { code: i.destination },
        IMAGE_STATUS[i.status],
        i.status === 'failed' ? '' : { code: i.digest },
        i.status === 'pushed'
          ? `${i.uploaded} uploaded (${bytes(i.bytesUploaded)}), ${i.mounted} mounted, ${i.existing} already there`
          : '',
        i.error ?? '',
      ]),
    );
  }
  if (result.archive) {
    s.paragraph(
      `OCI archive: ${result.archive.object} (${result.archive.status === 'uploaded' ? `uploaded, ${bytes(result.archive.bytes)}` : 'already there'}).`,
    );
  }
  const drift = result.repositories.filter((r) => r.created || r.drift.length);
  if (drift.length) {
    s.heading('ECR repositories', 3).table(
      ['Repository', 'Created', 'Differs from the settings (left as it is)'],
      drift.map((r) => [{ code: r.repository }, r.created ? 'yes' : 'no', r.drift.join('; ')]),
    );
  }
  if (result.amis.length) {
    s.heading('AMIs', 3).table(
      ['Region', 'AMI', 'Result', 'Snapshots', 'Shared', 'Deprecation', 'SSM parameter', 'S3', 'Note'],
      result.amis.map((a) => [
        a.region,
        a.amiId ? { code: a.amiId } : '',
        AMI_STATUS[a.status],
        a.snapshots.join(', '),
        a.shared ? 'yes' : 'no',
        a.deprecationTime ?? '',
        a.ssmParameter ? `${a.ssmParameter}${a.ssmVersion ? ` (version ${a.ssmVersion})` : ''}` : '',
        a.s3Object ?? '',
        a.error ?? '',
      ]),
    );
  }
  if (failures.length) s.heading('Failures', 3).list(failures);
  return s;
}

/** The CLI's text report: one line per destination and region, then the status line. */
export function toText(result: PublishResult): string {
  const lines: string[] = [];
  for (const i of result.images) {
    lines.push(
      `${IMAGE_STATUS[i.status]}  ${i.status === 'failed' ? i.destination : i.reference}${i.error ? `  ${i.error}` : ''}`,
    );
  }
  if (result.archive)
    lines.push(
      `${result.archive.status === 'uploaded' ? 'uploaded' : 'already there'}  ${result.archive.object}`,
    );
  for (const a of result.amis) {
    lines.push(`${AMI_STATUS[a.status]}  ${a.region}  ${a.amiId ?? ''}${a.error ? `  ${a.error}` : ''}`);
  }
  lines.push(statusLine(result, true));
  return `${lines.join('\n')}\n`;
}

export function toJson(result: PublishResult): unknown {
  const failures = failuresOf(result);
  return {
    passed: failures.length === 0,
    ...outputsOf(result),
    ...(failures.length ? { failures } : {}),
    result,
  };
}
