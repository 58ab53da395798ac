/**
 * Cleansing after a scan: the secrets of the findings that fail the scan are purged from every
 * ref of a mirror clone of the repository's remote, the rewritten history is scanned again with
 * the same rules to prove nothing is left, and the refs are pushed back only when asked. The
 * checkout the scan ran in is never touched.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../core/errors.js';
import { execFile } from '../core/exec.js';
import type { Reporter } from '../core/reporter.js';
import { Summary } from '../core/summary.js';
import { plural } from '../core/text.js';
import { cleanseHistory, REDACTED, type CleanseResult } from './cleanse.js';
import { GIT_READ } from '../core/files.js';
import { scanHistory } from './history.js';
import type { RuleSetup } from './ruleset.js';
import { DEFAULT_MAX_FILE_BYTES } from './scan.js';
import type { Finding } from './types.js';

export interface CleanseRequest {
  /** A folder in the scanned repository: its `origin` remote is mirrored. */
  repo: string;
  findings: readonly Finding[];
  setup: RuleSetup;
  push: boolean;
  /** Where the mirror goes (a fresh folder is made inside). Default: the OS temp folder. */
  tempDir?: string;
  reporter: Reporter;
}

/** The values to purge: each failing finding's secret once, never a path-only rule's "secret" (a path). */
export function secretsToPurge(findings: readonly Finding[], setup: RuleSetup): string[] {
  const pathOnly = new Set(setup.rules.filter((r) => r.pathOnly).map((r) => r.id));
  return [...new Set(findings.filter((f) => !f.suppression && !pathOnly.has(f.ruleId)).map((f) => f.secret))];
}

/**
 * The checkout's credentials for its remote, as actions/checkout stores them (an
 * `http.<url>.extraheader`), handed to git through GIT_CONFIG_* variables so they never appear in
 * a command line.
 */
async function credentialEnv(repo: string): Promise<Record<string, string>> {
  const result = await execFile('git', [...GIT_READ, 'config', '--get-regexp', '^http\\..*\\.extraheader$'], {
    cwd: repo,
    silent: true,
    okExitCodes: 'any',
  });
  const env: Record<string, string> = {};
  let n = 0;
  for (const line of result.stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    env[`GIT_CONFIG_KEY_${n}`] = line.slice(0, space);
    env[`GIT_CONFIG_VALUE_${n}`] = line.slice(space + 1);
    n++;
  }
  if (n > 0) env.GIT_CONFIG_COUNT = String(n);
  return env;
}

export async function cleanseFindings(request: CleanseRequest): Promise<CleanseResult | undefined> {
  const { reporter } = request;
  const secrets = secretsToPurge(request.findings, request.setup);
  if (secrets.length === 0) {
    reporter.info('Nothing to cleanse: no failing finding.');
    return undefined;
  }
  const remote = await execFile('git', [...GIT_READ, 'remote', 'get-url', 'origin'], {
    cwd: request.repo,
    silent: true,
    okExitCodes: 'any',
  });
  if (remote.exitCode !== 0 || !remote.stdout.trim()) {
    throw new UserError(
      `Cleansing needs the repository's remote, and ${request.repo} has no 'origin' remote. Run it in a clone of the repository to cleanse.`,
    );
  }
  const workDir = fs.mkdtempSync(path.join(request.tempDir ?? os.tmpdir(), 'imagepipe-cleanse-'));
  return reporter.group(`Cleanse ${plural(secrets.length, 'secret')} from the history`, async () =>
    cleanseHistory({
      remote: remote.stdout.trim(),
      secrets,
      workDir,
      push: request.push,
      gitEnv: await credentialEnv(request.repo),
      reporter,
      rescan: async (mirror) => {
        const rescanned = await scanHistory({
          repo: mirror,
          setup: request.setup,
          maxFileBytes: DEFAULT_MAX_FILE_BYTES,
          reporter,
          requireCommits: false,
        });
        const wanted = new Set(secrets);
        return [...new Set(rescanned.findings.filter((f) => wanted.has(f.secret)).map((f) => f.secret))];
      },
    }),
  );
}

/** The summary's account of a cleanse: what was rewritten, whether it was pushed, and what is still to do. */
export function cleanseSummary(result: CleanseResult, summary: Summary): Summary {
  summary.heading('History cleanse', 3);
  if (result.remaining > 0) {
    summary.paragraph(
      `The rewritten history still holds ${plural(result.remaining, 'secret')}, so nothing was pushed. The mirror is at ${result.mirror}.`,
    );
  } else {
    summary.paragraph(
      `Each secret became ${REDACTED} in ${plural(result.rewrittenRefs.length, 'rewritten ref')}; a scan of the rewritten history found none of them. ` +
        (result.pushed
          ? `Pushed ${plural(result.pushedRefs.length, 'ref')} (force, with lease). Everyone must re-clone or reset to the new history.`
          : `Not pushed (cleanse-push is off): the rewritten mirror is at ${result.mirror}; push it with git push --force-with-lease after review.`),
    );
  }
  if (result.rewrittenRefs.length > 0) {
    summary.table(
      ['Ref', 'Before', 'After'],
      result.rewrittenRefs.map((r) => [
        { code: r.ref },
        { code: r.before.slice(0, 12) },
        { code: r.after.slice(0, 12) },
      ]),
    );
  }
  summary.paragraph(
    'The secrets must still be revoked and rotated: rewriting history does not unpublish them from clones, forks, caches or pull request refs.',
  );
  return summary;
}

/** The same account for a terminal. */
export function cleanseText(result: CleanseResult): string {
  const lines = [
    result.remaining > 0
      ? `The rewritten history still holds ${plural(result.remaining, 'secret')}: nothing was pushed. Mirror: ${result.mirror}`
      : `History cleansed: ${plural(result.rewrittenRefs.length, 'ref')} rewritten, each secret replaced by ${REDACTED}; a rescan found none. ` +
        (result.pushed
          ? `Pushed ${plural(result.pushedRefs.length, 'ref')}.`
          : `Not pushed: review the mirror at ${result.mirror}, then push with --cleanse-push or git push --force-with-lease.`),
    ...result.rewrittenRefs.map((r) => `  ${r.ref} ${r.before.slice(0, 12)} -> ${r.after.slice(0, 12)}`),
    'Revoke and rotate the secrets all the same: clones, forks and caches still have them.',
  ];
  return lines.join('\n');
}
