// Synthetic secrets for the benchmarks, drawn from a seeded generator at run time: nothing
// token-shaped is written in this repository. Each has the kind of file it goes in and the line
// that holds the secret (1-based within `lines`), so a finding can be matched to it by path and line.
import { ALNUM, rng } from './corpus.mjs';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const DIGITS = '0123456789';
const B64 = `${ALNUM}+/`;

export function plantedSecrets(seed) {
  const r = rng(seed);
  const body = Array.from({ length: 6 }, () => r.chars(B64, 70));
  return [
    {
      id: 'aws-access-key-id',
      kind: 'env',
      lines: [`AWS_ACCESS_KEY_ID=${['AKIA', r.chars(BASE32, 16)].join('')}`],
    },
    { id: 'aws-secret-access-key', kind: 'env', lines: [`AWS_SECRET_ACCESS_KEY=${r.chars(B64, 40)}`] },
    {
      id: 'github-pat',
      kind: 'ts',
      lines: [`const GITHUB_TOKEN = '${['ghp', '_', r.chars(ALNUM, 36)].join('')}';`],
    },
    {
      id: 'slack-bot-token',
      kind: 'py',
      lines: [
        `SLACK_TOKEN = "${['xoxb', '-', r.chars(DIGITS, 11), '-', r.chars(DIGITS, 13), '-', r.chars(ALNUM, 24)].join('')}"`,
      ],
    },
    {
      id: 'url-password',
      kind: 'yaml',
      lines: [`    databaseUrl: postgres://app:${r.chars(ALNUM, 18)}@db.internal:5432/app`],
    },
    {
      id: 'sendgrid-api-key',
      kind: 'sh',
      lines: [
        `export SENDGRID_API_KEY="${['SG', '.', r.chars(ALNUM, 22), '.', r.chars(ALNUM, 43)].join('')}"`,
      ],
    },
    {
      id: 'npm-access-token',
      file: '.npmrc',
      lines: [
        'registry=https://registry.npmjs.org/',
        `//registry.npmjs.org/:_authToken=${['npm', '_', r.chars(ALNUM, 36)].join('')}`,
      ],
      line: 2,
    },
    {
      id: 'openssh-private-key',
      file: 'deploy/keys/id_ed25519',
      lines: [
        ['-----BEGIN OPENSSH', ' PRIVATE KEY-----'].join(''),
        ...body,
        ['-----END OPENSSH', ' PRIVATE KEY-----'].join(''),
      ],
      line: 1,
    },
  ].map((s) => ({ line: 1, ...s }));
}

/**
 * How many planted secrets a tool found: a planted secret counts when some finding is on its path
 * and line (a finding may span lines; its first line is compared).
 */
export function countFound(planted, findings) {
  const at = new Set(findings.map((f) => `${f.path}\n${f.line}`));
  return planted.filter((p) => at.has(`${p.path}\n${p.line}`)).length;
}
