/**
 * Inputs that make a careless regex quadratic (a long run rescanned from every position in it) or
 * exponential (a run that can be split several ways), as [name, rule id, builder]. Each holds a
 * keyword of the rule under test, so the prefilter lets it run, and is large enough (0.2–2 MB)
 * that such a regex would take minutes; the built-in regexes are linear and scan each in
 * milliseconds to a few hundred.
 */
import { BASE32, synth, tok } from './synth.js';

const PEM_HEADERS = ['PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'].map(
  (k) => `-----BEGIN ${k}-----`,
);
const AKID = tok('AKIA', synth('patho-akid', 16, BASE32));
export const PATHOLOGICAL: [string, string, () => string][] = [
  [
    'a long line of key=value pairs',
    'connection-string-password',
    () => `${'h.host=x;'.repeat(150_000)} password`,
  ],
  [
    'a key, a long run of blanks',
    'connection-string-password',
    () => `host=x;${' '.repeat(1_000_000)}password`,
  ],
  ['a long dotted scheme', 'url-password', () => `${'a.'.repeat(500_000)}://u:p`],
  ['a long userinfo of colons', 'url-password', () => `db://${'u:'.repeat(500_000)}`],
  ['a long run of assignments', 'generic-secret', () => 'token='.repeat(200_000)],
  ['a long name', 'generic-secret', () => `${'secret_'.repeat(200_000)}= x`],
  ['a long assignment', 'generic-secret', () => `password = ${'a1'.repeat(500_000)}`],
  ['many short assignments', 'generic-secret', () => 'token = x\n'.repeat(150_000)],
  [
    'many BEGINs without END',
    'private-key',
    () =>
      PEM_HEADERS.map((h) => `${h}\nQUJD\n`)
        .join('')
        .repeat(15_000),
  ],
  [
    'a BEGIN with a long body and no END',
    'private-key',
    () => `-----BEGIN RSA PRIVATE KEY-----\n${`${'QUJD'.repeat(16)}\n`.repeat(16_000)}`,
  ],
  ['a long dashed JWT-like run', 'jwt', () => 'eyJa-'.repeat(300_000)],
  ['a long JWT-like segment', 'jwt', () => `eyJ${'a'.repeat(1_000_000)}.eyJ`],
  [
    'a long AWS name and a long base64 run',
    'aws-secret-access-key',
    () => `${'aws_'.repeat(300_000)}secret_access_key = ${'Ab1/'.repeat(100_000)}`,
  ],
  ['a long run of session-token names', 'aws-session-token', () => 'sessiontoken='.repeat(120_000)],
  ['a long run of Django settings', 'django-secret-key', () => 'secret_key='.repeat(150_000)],
  ['an unterminated long auth value', 'docker-config-auth', () => `"auth": "${'QUJD'.repeat(400_000)}`],
  [
    'many key IDs with near-miss secrets below',
    'aws-secret-access-key-paired',
    () => `${AKID} ${'Ab1/'.repeat(9)}\n${'Ab1/'.repeat(9)} ${'xY'.repeat(40)}\n`.repeat(5_000),
  ],
  // Each key ID is a finding of its own rule: 5,000 of them keep fingerprinting out of the timing.
  [
    'a long run of key IDs',
    'aws-secret-access-key-paired',
    () => `${AKID} ${'Ab1/'.repeat(40)} `.repeat(5_000),
  ],
  ['a key ID and a long line', 'aws-secret-access-key-paired', () => `${AKID} ${'a1B'.repeat(400_000)}`],
  ['many data blocks outside a Secret', 'kubernetes-secret-data', () => 'data:\n  k: v\n'.repeat(50_000)],
  [
    'a Secret with a huge data block and no kind after it',
    'kubernetes-secret-data',
    () => `data:\n${'  k: v\n'.repeat(200_000)}`,
  ],
  [
    'nested data headers',
    'kubernetes-secret-data',
    () => Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i % 200)}data:`).join('\n'),
  ],
  ['a long run of curl words', 'curl-basic-auth', () => 'curl '.repeat(100_000)],
  ['a curl line with a long tail', 'curl-basic-auth', () => `curl ${'-u'.repeat(500_000)}`],
  ['a long run of machine words', 'netrc-password', () => 'machine login '.repeat(80_000)],
  ['a long run of SAS parameters', 'azure-sas-token', () => `sv=2022-11-02&${'a=b&'.repeat(250_000)}sig=x`],
  ['a long base64 run with Azure signatures', 'azure-identifiable-key', () => `${'A+AStQ'.repeat(200_000)}`],
  ['a long run of EAA', 'facebook-access-token', () => 'EAA'.repeat(400_000)],
  ['a long run of A', 'twitter-bearer-token', () => 'A'.repeat(1_000_000)],
  ['a long Discord-like name run', 'discord-bot-token', () => 'discord='.repeat(150_000)],
  ['a long mattermost host', 'mattermost-token', () => `https://${'mattermost'.repeat(100_000)}/hooks/`],
  ['a long run of named assignments', 'cloudflare-api-token', () => 'cloudflare_token='.repeat(70_000)],
  [
    'a long service-account preamble',
    'gcp-service-account-key',
    () => '"type": "service_account",'.repeat(40_000),
  ],
  [
    'a long run of Teams hosts',
    'microsoft-teams-webhook-url',
    () => 'https://a.webhook.office.com/'.repeat(40_000),
  ],
];
