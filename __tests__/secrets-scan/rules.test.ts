/**
 * Table-driven tests of the built-in secret rules: for every rule, true examples (a finding with
 * that rule id and exactly that secret) and near misses (no finding for that rule).
 *
 * Every fake secret is synthetic and assembled at runtime (a prefix plus a seeded pseudo-random
 * body), so this file never contains a contiguous token that another scanner or push protection
 * would take for a real one.
 */
import { describe, expect, it } from '@jest/globals';
import { compileRules, scanContent } from '../../src/secrets-scan/engine.js';
import { BUILTIN_RULES } from '../../src/secrets-scan/rules.js';

const SET = compileRules(BUILTIN_RULES);
const scan = (text: string) => scanContent(text, 'file.txt', SET);
const findingsOf = (ruleId: string, text: string) => scan(text).filter((f) => f.ruleId === ruleId);

// ── Synthetic secrets ───────────────────────────────────────────────────────────────────────────

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const B64 = ALNUM + '+/';
const B64URL = ALNUM + '-_';
const BASE32 = UPPER + '234567';
const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';
/** What Django's `get_random_secret_key()` draws from. */
const DJANGO = LOWER + DIGITS + '!@#$%^&*(-_=+)';

/** A seeded generator (mulberry32 over an FNV-1a hash of the label): same label, same output. */
function rng(label: string): () => number {
  let seed = 0x811c9dc5;
  for (const ch of label) seed = Math.imul(seed ^ ch.charCodeAt(0), 0x01000193);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random-looking body of `length` characters of `alphabet`, fixed by `label`. */
function synth(label: string, length: number, alphabet = ALNUM): string {
  const next = rng(label);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

function bytes(label: string, n: number): Buffer {
  const next = rng(label);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
}

const tok = (prefix: string, body: string) => prefix + body;

/** A PEM block of `der`, lines joined by `newline` (a real one, or `\\n` inside a JSON string). */
function pem(kind: string, der: Buffer, newline = '\n'): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${kind}-----`, ...lines, `-----END ${kind}-----`].join(newline);
}

const b64url = (value: string) => Buffer.from(value).toString('base64url');
function jwt(header: object, label: string): string {
  const payload = { sub: synth(`${label}-sub`, 10), iat: 1700000000 + label.length, scope: 'read' };
  return [b64url(JSON.stringify(header)), b64url(JSON.stringify(payload)), synth(label, 43, B64URL)].join(
    '.',
  );
}

const uuid = (label: string) => {
  const h = synth(label, 32, HEX);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const digits = (label: string, n: number) => synth(label, n, DIGITS);

// ── The table ───────────────────────────────────────────────────────────────────────────────────

interface Truth {
  text: string;
  secret: string;
}
interface RuleCases {
  truths: Truth[];
  falses: string[];
}

/** A true example: `@@` in the template is where the secret goes. */
const embed = (template: string, secret: string): Truth => ({
  text: template.replace('@@', () => secret),
  secret,
});

const rsaKey = pem('RSA PRIVATE KEY', bytes('rsa', 600));
const pkcs8Json = pem('PRIVATE KEY', bytes('pkcs8', 320), '\\n');
const ecKey = pem('EC PRIVATE KEY', bytes('ec', 121)).replace(/\n/g, '\n    ');
const encryptedRsaKey = pem('RSA PRIVATE KEY', bytes('rsa-enc', 608)).replace(
  '-----\n',
  `-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${synth('dek', 32, HEX).toUpperCase()}\n\n`,
);
const opensshKey = pem('OPENSSH PRIVATE KEY', bytes('openssh', 400));
const opensshKey2 = pem('OPENSSH PRIVATE KEY', bytes('openssh-2', 250));
const pgpBody = pem('PGP PRIVATE KEY BLOCK', bytes('pgp', 500)).replace(
  '-----\n',
  '-----\nVersion: GnuPG v2\n\n',
);
const pgpBody2 = pem('PGP PRIVATE KEY BLOCK', bytes('pgp-2', 300)).replace(
  /\n(-----END)/,
  `\n=${synth('pgp-crc', 4, B64)}\n$1`,
);

const awsSecret = synth('aws-secret', 40, B64);
/** A Docker `config.json` `auth` value: base64 of `user:password`. */
const dockerAuth = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');
const dockerConfig = (registry: string, auth: string) =>
  `{\n  "auths": {\n    "${registry}": {\n      "auth": "${auth}"\n    }\n  }\n}\n`;
const hs256 = { alg: 'HS256', typ: 'JWT' };

const CASES: Record<string, RuleCases> = {
  'private-key': {
    truths: [
      embed('# deploy key\n@@\n', rsaKey),
      embed('{"type": "service_account", "private_key": "@@\\n", "client_email": "ci@proj.iam"}', pkcs8Json),
      embed('tls:\n  key: |\n    @@\n', ecKey),
      embed('@@\n', encryptedRsaKey),
    ],
    falses: [
      'Paste the key that starts with -----BEGIN PRIVATE KEY----- into the form.',
      `-----BEGIN PRIVATE KEY-----\n${synth('short-pem', 40, B64)}\n-----END PRIVATE KEY-----`,
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----',
      pem('PUBLIC KEY', bytes('public', 294)),
      `-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(20)}\n-----END PRIVATE KEY-----`,
    ],
  },
  'openssh-private-key': {
    truths: [embed('@@\n', opensshKey), embed("cat > ~/.ssh/id_ed25519 <<'EOF'\n@@\nEOF\n", opensshKey2)],
    falses: [
      'ssh-keygen writes -----BEGIN OPENSSH PRIVATE KEY----- files.',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE...\n-----END OPENSSH PRIVATE KEY-----',
      pem('OPENSSH PRIVATE KEY', bytes('mismatch', 200)).replace('END OPENSSH', 'END RSA'),
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${synth('short-ssh', 30, B64)}\n-----END OPENSSH PRIVATE KEY-----`,
    ],
  },
  'pgp-private-key-block': {
    truths: [embed('@@\n', pgpBody), embed('signing_key: |\n  @@', pgpBody2)],
    falses: [
      pem('PGP PUBLIC KEY BLOCK', bytes('pgp-public', 300)),
      'Export with gpg --armor --export-secret-keys (-----BEGIN PGP PRIVATE KEY BLOCK-----).',
      '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF...\n-----END PGP PRIVATE KEY BLOCK-----',
    ],
  },
  'age-secret-key': {
    truths: [
      embed('# public key: age1qqq\n@@\n', tok('AGE-SECRET-KEY-1', synth('age-1', 58, BECH32))),
      embed('SOPS_AGE_KEY=@@', tok('AGE-SECRET-KEY-1', synth('age-2', 58, BECH32))),
    ],
    falses: [
      tok('AGE-SECRET-KEY-1', synth('age-short', 57, BECH32)),
      tok('AGE-SECRET-KEY-1', synth('age-b', 57, BECH32) + 'B'),
      tok('AGE-SECRET-KEY-2', synth('age-3', 58, BECH32)),
    ],
  },
  'aws-access-key-id': {
    truths: [
      embed('aws_access_key_id = @@', tok('AKIA', synth('akia-1', 16, BASE32))),
      embed('{"AccessKeyId": "@@"}', tok('ASIA', synth('asia-1', 16, BASE32))),
    ],
    falses: [
      tok('AKIA', synth('akia-15', 15, BASE32)),
      tok('AKIA', synth('akia-17', 17, BASE32)),
      tok('AKIB', synth('akib', 16, BASE32)),
      tok('AKIA', 'ABABABABABABABAB'),
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
    ],
  },
  'aws-secret-access-key': {
    truths: [
      embed('aws_secret_access_key = @@', awsSecret),
      embed('export AWS_SECRET_ACCESS_KEY="@@"', synth('aws-secret-2', 40, B64)),
      embed('{"AccessKeyId": "…", "SecretAccessKey": "@@"}', synth('aws-secret-3', 40, B64)),
    ],
    falses: [
      `aws_secret_access_key = ${synth('aws-39', 39, B64)}`,
      `aws_secret_access_key = ${synth('aws-41', 41, B64)}`,
      `aws_secret_access_key = ${'abAB12+/'.repeat(5)}`,
      `db_secret_key = ${awsSecret}`,
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    ],
  },
  'aws-session-token': {
    truths: [
      embed('aws_session_token = @@', synth('session-1', 300, B64)),
      embed('"SessionToken": "@@",', synth('session-2', 356, B64)),
    ],
    falses: [
      `aws_session_token = ${synth('session-short', 99, B64)}`,
      `session_token = ${synth('session-3', 300, B64)}`,
      'aws_session_token = ${AWS_SESSION_TOKEN}',
    ],
  },
  'github-pat': {
    truths: [
      embed('GITHUB_TOKEN=@@', tok('ghp_', synth('ghp-1', 36))),
      embed('git clone https://x-access-token:@@@github.com/org/repo.git', tok('ghp_', synth('ghp-2', 36))),
    ],
    falses: [
      tok('ghp_', synth('ghp-35', 35)),
      tok('ghp_', synth('ghp-37', 37)),
      tok('ghp_', 'aB3'.repeat(12)),
      tok('gh_', synth('ghp-3', 36)),
      tok('xghp_', synth('ghp-4', 36)),
    ],
  },
  'github-fine-grained-pat': {
    truths: [
      embed('GH_TOKEN=@@', tok('github_pat_', synth('fg-1a', 22) + '_' + synth('fg-1b', 59))),
      embed('token: "@@"', tok('github_pat_', synth('fg-2a', 22) + '_' + synth('fg-2b', 59))),
    ],
    falses: [
      tok('github_pat_', synth('fg-3a', 22) + '_' + synth('fg-3b', 58)),
      tok('github_pat_', synth('fg-4a', 21) + '_' + synth('fg-4b', 59)),
      tok('github_pat_', 'x'.repeat(22) + '_' + 'x'.repeat(59)),
      tok('github_pat-', synth('fg-5a', 22) + '_' + synth('fg-5b', 59)),
    ],
  },
  'github-oauth-token': {
    truths: [
      embed('oauth_token: @@', tok('gho_', synth('gho-1', 36))),
      embed('Authorization: token @@', tok('gho_', synth('gho-2', 36))),
    ],
    falses: [
      tok('gho_', synth('gho-35', 35)),
      tok('gho_', synth('gho-37', 37)),
      tok('gho-', synth('gho-3', 36)),
    ],
  },
  'github-app-token': {
    truths: [
      embed('GITHUB_TOKEN=@@', tok('ghs_', synth('ghs-1', 36))),
      embed('"access_token": "@@"', tok('ghu_', synth('ghu-1', 36))),
    ],
    falses: [tok('ghs_', synth('ghs-35', 35)), tok('ghx_', synth('ghs-2', 36)), tok('ghs_', 'aB'.repeat(18))],
  },
  'github-refresh-token': {
    truths: [
      embed('refresh_token=@@', tok('ghr_', synth('ghr-1', 36))),
      embed('"refresh_token": "@@"', tok('ghr_', synth('ghr-2', 76))),
    ],
    falses: [tok('ghr_', synth('ghr-35', 35)), tok('ghr-', synth('ghr-3', 36)), tok('ghr_', 'xY'.repeat(18))],
  },
  'gitlab-pat': {
    truths: [
      embed('GITLAB_TOKEN=@@', tok('glpat-', synth('glpat-1', 20, B64URL))),
      embed(
        'curl --header "PRIVATE-TOKEN: @@" https://gitlab.com/api/v4/user',
        tok('glpat-', synth('glpat-2', 26)),
      ),
    ],
    falses: [
      tok('glpat-', synth('glpat-19', 19)),
      tok('glpat_', synth('glpat-3', 20)),
      'GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx',
      tok('glpat-', 'aB-'.repeat(8)),
    ],
  },
  'gitlab-deploy-token': {
    truths: [
      embed('CI_DEPLOY_PASSWORD=@@', tok('gldt-', synth('gldt-1', 20))),
      embed('password: @@', tok('gldt-', synth('gldt-2', 24, B64URL))),
    ],
    falses: [
      tok('gldt-', synth('gldt-19', 19)),
      tok('gldt_', synth('gldt-3', 20)),
      tok('gldt-', 'Ab1'.repeat(7)),
    ],
  },
  'gitlab-runner-token': {
    truths: [
      embed('token = "@@"', tok('glrt-', synth('glrt-1', 20))),
      embed('gitlab-runner register --registration-token @@', tok('GR1348941', synth('gr-1', 20))),
    ],
    falses: [
      tok('glrt-', synth('glrt-19', 19)),
      tok('GR1348942', synth('gr-2', 20)),
      tok('glrt_', synth('glrt-2', 20)),
    ],
  },
  'gitlab-pipeline-trigger-token': {
    truths: [
      embed('curl -F token=@@ -F ref=main', tok('glptt-', synth('glptt-1', 40, HEX))),
      embed('TRIGGER_TOKEN: "@@"', tok('glptt-', synth('glptt-2', 20))),
    ],
    falses: [tok('glptt-', synth('glptt-19', 19)), tok('glpt-', synth('glptt-3', 40, HEX))],
  },
  'gitlab-token': {
    truths: [
      embed('CI_JOB_TOKEN=@@', tok('glcbt-', '64_' + synth('glcbt-1', 20))),
      embed('client_secret: @@', tok('gloas-', synth('gloas-1', 64, HEX))),
    ],
    falses: [
      tok('glcbt-', synth('glcbt-19', 19)),
      tok('glxyz-', synth('glcbt-2', 30)),
      tok('gloas-', '0'.repeat(64)),
    ],
  },
  'slack-bot-token': {
    truths: [
      embed('SLACK_BOT_TOKEN=@@', `xoxb-${digits('b1', 11)}-${digits('b2', 12)}-${synth('b3', 24)}`),
      embed("slack_token: '@@'", `xoxb-${digits('b4', 13)}-${digits('b5', 13)}-${synth('b6', 24)}`),
    ],
    falses: [
      `xoxb-${digits('b7', 11)}-${synth('b8', 24)}`,
      `xoxb-${digits('b9', 9)}-${digits('b10', 12)}-${synth('b11', 24)}`,
      'xoxb-00000000000-000000000000-XXXXXXXXXXXXXXXXXXXXXXXX',
      `xoxz-${digits('b12', 11)}-${digits('b13', 12)}-${synth('b14', 24)}`,
    ],
  },
  'slack-user-token': {
    truths: [
      embed(
        'SLACK_USER_TOKEN=@@',
        `xoxp-${digits('p1', 11)}-${digits('p2', 11)}-${digits('p3', 12)}-${synth('p4', 32, HEX)}`,
      ),
      embed(
        '"token": "@@"',
        `xoxp-${digits('p5', 10)}-${digits('p6', 12)}-${digits('p7', 13)}-${synth('p8', 32)}`,
      ),
    ],
    falses: [
      `xoxp-${digits('p9', 11)}-${digits('p10', 11)}-${synth('p11', 32, HEX)}`,
      `xoxp-${digits('p12', 11)}-${digits('p13', 11)}-${digits('p14', 12)}-${synth('p15', 27)}`,
      'xoxp-XXXXXXXXXXX-XXXXXXXXXXX-XXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    ],
  },
  'slack-config-token': {
    truths: [
      embed('SLACK_CONFIG_TOKEN=@@', tok('xoxe.xoxp-1-', synth('cfg-1', 166))),
      embed('refresh_token: "@@"', tok('xoxe-1-', synth('cfg-2', 146))),
    ],
    falses: [
      tok('xoxe-1-', synth('cfg-3', 100)),
      tok('xoxe.xoxq-1-', synth('cfg-4', 166)),
      tok('xoxe-1-', synth('cfg-5', 171)),
    ],
  },
  'slack-app-token': {
    truths: [
      embed(
        'SLACK_APP_TOKEN=@@',
        `xapp-1-A${synth('a1', 10, UPPER + DIGITS)}-${digits('a2', 13)}-${synth('a3', 64, HEX)}`,
      ),
      embed(
        'app_token: @@',
        `xapp-1-A${synth('a4', 9, UPPER + DIGITS)}-${digits('a5', 12)}-${synth('a6', 40)}`,
      ),
    ],
    falses: [
      `xapp-1-A${synth('a7', 10, UPPER + DIGITS)}-${digits('a8', 13)}-${synth('a9', 31, HEX)}`,
      `xapp-A${synth('a10', 10, UPPER + DIGITS)}-${digits('a11', 13)}-${synth('a12', 64, HEX)}`,
      `xapp-1-a${synth('a13', 10, LOWER)}-${digits('a14', 13)}-${synth('a15', 64, HEX)}`,
    ],
  },
  'slack-legacy-token': {
    truths: [
      embed(
        'SLACK_TOKEN=@@',
        `xoxs-${digits('s1', 11)}-${digits('s2', 12)}-${digits('s3', 12)}-${synth('s4', 64, HEX)}`,
      ),
      embed('token = "@@"', `xoxa-2-${digits('s5', 12)}-${synth('s6', 32)}`),
    ],
    falses: [
      tok('xoxs-', synth('s7', 40, LOWER)),
      tok('xoxq-', `${digits('s8', 11)}-${synth('s9', 32)}`),
      tok('xoxs-', `${digits('s10', 11)}-${synth('s11', 7)}`),
    ],
  },
  'slack-webhook-url': {
    truths: [
      embed(
        'SLACK_WEBHOOK=@@',
        `https://hooks.slack.com/services/T${synth('w1', 10, UPPER + DIGITS)}/B${synth('w2', 10, UPPER + DIGITS)}/${synth('w3', 24)}`,
      ),
      embed(
        'url: "@@"',
        `https://hooks.slack.com/workflows/T${synth('w4', 9, UPPER + DIGITS)}/A${synth('w5', 10, UPPER + DIGITS)}/${digits('w6', 18)}/${synth('w7', 32)}`,
      ),
    ],
    falses: [
      'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      `https://hooks.slack.com/services/T${synth('w8', 10, UPPER + DIGITS)}/B${synth('w9', 10, UPPER + DIGITS)}/${synth('w10', 23)}`,
      `https://hooks.slack.com/services/t${synth('w11', 10, LOWER)}/b${synth('w12', 10, LOWER)}/${synth('w13', 24)}`,
      'See https://hooks.slack.com/services/ for the format.',
    ],
  },
  'stripe-live-secret-key': {
    truths: [
      embed('STRIPE_SECRET_KEY=@@', tok('sk_live_', synth('sk-live-1', 24))),
      embed("Stripe.apiKey = '@@';", tok('rk_live_', synth('rk-live-1', 99))),
    ],
    falses: [
      tok('pk_live_', synth('pk-live', 24)),
      tok('sk_live_', synth('sk-live-23', 23)),
      'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
      tok('sk_test_', synth('sk-test-0', 24)),
    ],
  },
  'stripe-test-secret-key': {
    truths: [
      embed('STRIPE_SECRET_KEY=@@', tok('sk_test_', synth('sk-test-1', 24))),
      embed('stripe: { secret: "@@" }', tok('rk_test_', synth('rk-test-1', 99))),
    ],
    falses: [
      tok('sk_tst_', synth('sk-test-2', 24)),
      tok('sk_test_', synth('sk-test-20', 20)),
      tok('sk_test_', 'aB'.repeat(12)),
    ],
  },
  'stripe-webhook-secret': {
    truths: [
      embed('STRIPE_WEBHOOK_SECRET=@@', tok('whsec_', synth('whsec-1', 32))),
      embed('secret: "@@"', tok('whsec_', synth('whsec-2', 43, B64) + '=')),
    ],
    falses: [
      tok('whsec_', synth('whsec-31', 31)),
      tok('whsec-', synth('whsec-3', 32)),
      'STRIPE_WEBHOOK_SECRET=whsec_<your-signing-secret>',
    ],
  },
  'google-api-key': {
    truths: [
      embed('GOOGLE_API_KEY=@@', tok('AIza', synth('aiza-1', 35, B64URL))),
      embed(
        '<script src="https://maps.googleapis.com/maps/api/js?key=@@"></script>',
        tok('AIza', synth('aiza-2', 35)),
      ),
    ],
    falses: [
      tok('AIza', synth('aiza-34', 34)),
      tok('AIza', synth('aiza-36', 36)),
      tok('AIzb', synth('aiza-3', 35)),
    ],
  },
  'google-oauth-client-secret': {
    truths: [
      embed('"client_secret": "@@"', tok('GOCSPX-', synth('gocspx-1', 28, B64URL))),
      embed('GOOGLE_CLIENT_SECRET=@@', tok('GOCSPX-', synth('gocspx-2', 28))),
    ],
    falses: [
      tok('GOCSPX-', synth('gocspx-27', 27)),
      tok('GOCSPX_', synth('gocspx-3', 28)),
      tok('GOCSPX-', synth('gocspx-29', 29)),
    ],
  },
  'npm-access-token': {
    truths: [
      embed('//registry.npmjs.org/:_authToken=@@', tok('npm_', synth('npm-1', 36))),
      embed('NPM_TOKEN: @@', tok('npm_', synth('npm-2', 36))),
    ],
    falses: [
      tok('npm_', synth('npm-35', 35)),
      tok('npm-', synth('npm-3', 36)),
      tok('npm_', 'Ab1'.repeat(12)),
    ],
  },
  'pypi-upload-token': {
    truths: [
      embed('password = @@', tok('pypi-AgEIcHlwaS5vcmc', synth('pypi-1', 160, B64URL))),
      embed('TWINE_PASSWORD=@@', tok('pypi-AgENdGVzdC5weXBpLm9yZw', synth('pypi-2', 120, B64URL))),
    ],
    falses: [
      tok('pypi-AgEIcHlwaS5vcmc', synth('pypi-49', 49)),
      tok('pypi-AgEIcHlwaS5vcmX', synth('pypi-3', 160)),
      tok('pypi-', synth('pypi-4', 160)),
    ],
  },
  'docker-hub-pat': {
    truths: [
      embed('echo @@ | docker login -u ci --password-stdin', tok('dckr_pat_', synth('dckr-1', 27, B64URL))),
      embed('DOCKERHUB_TOKEN=@@', tok('dckr_oat_', synth('dckr-2', 32))),
    ],
    falses: [
      tok('dckr_pat_', synth('dckr-26', 26)),
      tok('dckr_pot_', synth('dckr-3', 27)),
      'dckr_pat_xxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
  'azure-storage-account-key': {
    truths: [
      embed(
        'DefaultEndpointsProtocol=https;AccountName=stimages;AccountKey=@@;EndpointSuffix=core.windows.net',
        synth('azure-1', 86, B64) + '==',
      ),
      embed(
        'az storage blob list --account-name stimages --account-key @@',
        synth('azure-2', 86, B64) + '==',
      ),
    ],
    falses: [
      `AccountKey=${synth('azure-85', 85, B64)}==`,
      `AccountKey=${synth('azure-88', 88, B64)}`,
      'AccountName=stimages;AccountKey=<storage-account-key>;',
    ],
  },
  'azure-shared-access-key': {
    truths: [
      embed(
        'Endpoint=sb://ns-images.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=@@',
        synth('sas-1', 43, B64) + '=',
      ),
      embed('HostName=hub.azure-devices.net;DeviceId=cam;SharedAccessKey=@@', synth('sas-2', 43, B64) + '='),
    ],
    falses: [
      `SharedAccessKey=${synth('sas-42', 42, B64)}=`,
      `SharedAccessKey=${synth('sas-44', 44, B64)}`,
      'SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={key}',
    ],
  },
  'azure-ad-client-secret': {
    truths: [
      embed('AZURE_CLIENT_SECRET=@@', synth('aad-1', 3) + '7Q~' + synth('aad-2', 34)),
      embed('"clientSecret": "@@"', synth('aad-3', 3) + '4Q~' + synth('aad-4', 34, ALNUM + '_~.-')),
    ],
    falses: [
      synth('aad-5', 3) + '7Q~' + synth('aad-6', 30),
      synth('aad-7', 3) + '7Q-' + synth('aad-8', 34),
      'x' + synth('aad-9', 3) + '7Q~' + synth('aad-10', 34),
    ],
  },
  'vault-token': {
    truths: [
      embed('VAULT_TOKEN=@@', tok('hvs.', synth('hvs-1', 90, B64URL))),
      embed('vault login @@', tok('hvb.', synth('hvb-1', 150, B64URL))),
    ],
    falses: [
      tok('hvs.', synth('hvs-23', 23)),
      tok('hvx.', synth('hvs-2', 90)),
      'VAULT_TOKEN=hvs.<your-vault-token>',
    ],
  },
  'terraform-cloud-token': {
    truths: [
      embed(
        'credentials "app.terraform.io" { token = "@@" }',
        `${synth('tf-1', 14)}.atlasv1.${synth('tf-2', 67, B64URL)}`,
      ),
      embed('TF_TOKEN_app_terraform_io=@@', `${synth('tf-3', 14)}.atlasv1.${synth('tf-4', 67)}`),
    ],
    falses: [
      `${synth('tf-5', 13)}.atlasv1.${synth('tf-6', 67)}`,
      `${synth('tf-7', 14)}.atlasv2.${synth('tf-8', 67)}`,
      `${synth('tf-9', 14)}.atlasv1.${synth('tf-10', 59)}`,
    ],
  },
  'digitalocean-token': {
    truths: [
      embed('DIGITALOCEAN_ACCESS_TOKEN=@@', tok('dop_v1_', synth('do-1', 64, HEX))),
      embed('doctl auth init -t @@', tok('doo_v1_', synth('do-2', 64, HEX))),
    ],
    falses: [
      tok('dop_v1_', synth('do-63', 63, HEX)),
      tok('dop_v2_', synth('do-3', 64, HEX)),
      tok('dop_v1_', synth('do-4', 64, HEX).toUpperCase()),
    ],
  },
  'heroku-api-key': {
    truths: [
      embed('HEROKU_API_KEY=@@', tok('HRKU-AA', synth('hrku-1', 58, B64URL))),
      embed('machine api.heroku.com password @@', tok('HRKU-AA', synth('hrku-2', 58))),
    ],
    falses: [
      tok('HRKU-AA', synth('hrku-57', 57)),
      tok('HRKU-AB', synth('hrku-3', 58)),
      tok('HRKU-AA', 'x'.repeat(58)),
    ],
  },
  'heroku-api-key-legacy': {
    truths: [embed('HEROKU_API_KEY=@@', uuid('heroku-1')), embed('heroku_api_key: "@@"', uuid('heroku-2'))],
    falses: [
      `api_key: ${uuid('heroku-3')}`,
      'HEROKU_API_KEY=00000000-0000-0000-0000-000000000000',
      'heroku_app_name = imagepipe-staging',
    ],
  },
  'openai-api-key': {
    truths: [
      embed(
        'OPENAI_API_KEY=@@',
        `sk-proj-${synth('oai-1', 74, B64URL)}T3BlbkFJ${synth('oai-2', 74, B64URL)}`,
      ),
      embed('openai.api_key = "@@"', `sk-${synth('oai-3', 20)}T3BlbkFJ${synth('oai-4', 20)}`),
    ],
    falses: [
      tok('sk-proj-', synth('oai-39', 39)),
      `sk-${synth('oai-5', 19)}T3BlbkFJ${synth('oai-6', 20)}`,
      tok('sk-', synth('oai-7', 48)),
    ],
  },
  'anthropic-api-key': {
    truths: [
      embed('ANTHROPIC_API_KEY=@@', tok('sk-ant-api03-', synth('ant-1', 93, B64URL) + 'AA')),
      embed('x-api-key: @@', tok('sk-ant-admin01-', synth('ant-2', 95, B64URL))),
    ],
    falses: [
      tok('sk-ant-api03-', synth('ant-79', 79)),
      tok('sk-ant-api3-', synth('ant-3', 95)),
      tok('sk-ant-api03-', 'Ab-'.repeat(31)),
    ],
  },
  'sendgrid-api-key': {
    truths: [
      embed('SENDGRID_API_KEY=@@', `SG.${synth('sg-1', 22, B64URL)}.${synth('sg-2', 43, B64URL)}`),
      embed('sg = SendGridAPIClient("@@")', `SG.${synth('sg-3', 22)}.${synth('sg-4', 43)}`),
    ],
    falses: [
      `SG.${synth('sg-5', 21)}.${synth('sg-6', 43)}`,
      `SG.${synth('sg-7', 22)}.${synth('sg-8', 42)}`,
      `SG-${synth('sg-9', 22)}.${synth('sg-10', 43)}`,
    ],
  },
  'twilio-api-key': {
    truths: [
      embed('TWILIO_API_KEY=@@', tok('SK', synth('twilio-1', 32, HEX))),
      embed("client = Client('@@', api_secret, account_sid)", tok('SK', synth('twilio-2', 32, HEX))),
    ],
    falses: [
      tok('SK', synth('twilio-31', 31, HEX)),
      tok('SK', synth('twilio-3', 32, HEX).toUpperCase()),
      tok('sk', synth('twilio-4', 32, HEX)),
    ],
  },
  'mailgun-api-key': {
    truths: [
      embed('MAILGUN_API_KEY=@@', tok('key-', synth('mailgun-1', 32, HEX))),
      embed("auth=('api', '@@')", tok('key-', synth('mailgun-2', 32, HEX))),
    ],
    falses: [
      tok('key-', synth('mailgun-31', 31, HEX)),
      tok('key_', synth('mailgun-3', 32, HEX)),
      tok('key-', '0'.repeat(32)),
    ],
  },
  'shopify-token': {
    truths: [
      embed('SHOPIFY_ACCESS_TOKEN=@@', tok('shpat_', synth('shop-1', 32, HEX))),
      embed('SHOPIFY_API_SECRET=@@', tok('shpss_', synth('shop-2', 32, HEX))),
    ],
    falses: [tok('shpat_', synth('shop-31', 31, HEX)), tok('shpxx_', synth('shop-3', 32, HEX))],
  },
  'datadog-api-key': {
    truths: [
      embed('DD_API_KEY=@@', synth('dd-1', 32, HEX)),
      embed('datadog_app_key: "@@"', synth('dd-2', 40, HEX)),
    ],
    falses: [
      `add_api_key = ${synth('dd-3', 32, HEX)}`,
      `DD_API_KEY=${synth('dd-31', 31, HEX)}`,
      'DD_API_KEY=${DD_API_KEY}',
    ],
  },
  'telegram-bot-token': {
    truths: [
      embed('TELEGRAM_BOT_TOKEN=@@', `${digits('tg-1', 10)}:AA${synth('tg-2', 33, B64URL)}`),
      embed('https://api.telegram.org/bot@@/sendMessage', `${digits('tg-3', 9)}:AA${synth('tg-4', 33)}`),
    ],
    falses: [
      `${digits('tg-5', 7)}:AA${synth('tg-6', 33)}`,
      `${digits('tg-7', 10)}:AA${synth('tg-8', 32)}`,
      `${digits('tg-9', 10)}:AB${synth('tg-10', 33)}`,
    ],
  },
  'url-password': {
    truths: [
      embed('DATABASE_URL=postgres://app:@@@db.internal:5432/app', synth('pg-pw', 20)),
      embed('MONGO_URI="mongodb+srv://svc:@@@cluster0.mongodb.net/?retryWrites=true"', synth('mongo-pw', 24)),
      embed('REDIS_URL=redis://:@@@cache:6379/0', synth('redis-pw', 16)),
      embed(
        'git remote add origin https://deploy:@@@git.internal/images.git',
        synth('git-pw', 12) + '!%' + 'q',
      ),
    ],
    falses: [
      'DATABASE_URL=postgres://user:${DB_PASSWORD}@db:5432/app',
      'postgres://user:password@localhost/db',
      'postgres://postgres:postgres@localhost:5432/test',
      'mysql://root:****@db:3306/app',
      'amqp://guest:<password>@rabbit:5672/',
      'https://registry.internal:8443/v2/',
      "new URL('https://abc:xyz@example.com')",
      `https://deploy:${synth('doc-pw', 16)}@example.com/repo.git`,
    ],
  },
  'connection-string-password': {
    truths: [
      embed(
        'Server=tcp:sql-images.internal,1433;Initial Catalog=app;User ID=svc_app;Password=@@;Encrypt=True;',
        synth('ado-pw', 20),
      ),
      embed('jdbc:postgresql://db.internal:5432/app?user=svc&password=@@', synth('jdbc-pw', 18)),
      embed(
        "conn = psycopg2.connect('host=db.internal user=app password=@@ dbname=app')",
        synth('libpq-pw', 16),
      ),
      embed(
        '"DefaultConnection": "Data Source=db;Initial Catalog=app;Uid=app; Pwd=@@;"',
        synth('odbc-pw', 14),
      ),
    ],
    falses: [
      'Server=db;Database=app;User Id=sa;Password={password};',
      'Server=db;Database=app;User Id=sa;Password=;',
      'Server=db;Database=app;User Id=sa;Password=password;',
      `Password=${synth('ado-pw-2', 20)};`,
      'Server=db;User Id=sa;Password=$(DB_PASSWORD);',
      'const username = result.groups?.user; const password = result.groups?.password;',
      `Server=db;User Id=sa;\nPassword=${synth('ado-pw-3', 20)};`,
      `Server=db;User Id=sa;db_password=${synth('ado-pw-4', 20)};`,
    ],
  },
  jwt: {
    truths: [
      embed('Authorization: Bearer @@', jwt(hs256, 'jwt-1')),
      embed('{"id_token":"@@"}', jwt({ alg: 'RS256', kid: synth('kid', 8) }, 'jwt-2')),
    ],
    falses: [
      jwt({ typ: 'JWT' }, 'jwt-3'),
      `eyJ${synth('jwt-4', 30, B64URL)}.${jwt(hs256, 'jwt-5').split('.').slice(1).join('.')}`,
      jwt(hs256, 'jwt-6').split('.').slice(0, 2).join('.'),
      `${jwt(hs256, 'jwt-7').split('.').slice(0, 2).join('.')}.${synth('jwt-8', 15, B64URL)}`,
    ],
  },
  'django-secret-key': {
    truths: [
      embed("SECRET_KEY = '@@'", tok('django-insecure-', synth('django-1', 50, DJANGO))),
      embed('DJANGO_SECRET_KEY="@@"', synth('django-2', 50, DJANGO)),
      embed(
        "SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', '@@')",
        tok('django-insecure-', synth('django-3', 50, DJANGO)),
      ),
      embed('app.config[\'SECRET_KEY\'] = "@@"', synth('django-4', 50, DJANGO)),
    ],
    falses: [
      `SECRET_KEY = '${synth('django-49', 49, DJANGO)}'`,
      `SECRET_KEY = '${synth('django-51', 51, DJANGO)}'`,
      `SECRET_KEY = '${tok('django-insecure-', 'not-a-real-key-replace-it-in-production-settings!!')}'`,
      "SECRET_KEY = env('DJANGO_SECRET_KEY')",
      `API_SECRET_KEY = '${synth('django-5', 50, DJANGO)}'`,
      `SECRET_KEY = '${'ab(%'.repeat(12)}ab'`,
    ],
  },
  'docker-config-auth': {
    truths: [
      embed(dockerConfig('https://index.docker.io/v1/', '@@'), dockerAuth('ci-bot', synth('docker-1', 24))),
      embed(
        '{"data": {".dockerconfigjson": "{\\"auths\\":{\\"registry.internal:5000\\":{\\"auth\\":\\"@@\\"}}}"}}',
        dockerAuth('AWS', synth('docker-2', 900, B64)),
      ),
      embed('{"auths":{"ghcr.io":{"auth":"@@"}}}', dockerAuth('octo', synth('docker-3', 12) + '!#')),
    ],
    falses: [
      dockerConfig('ghcr.io', dockerAuth('username', 'password')),
      dockerConfig('ghcr.io', dockerAuth('ci-bot', '')),
      dockerConfig('ghcr.io', Buffer.from(`:${synth('docker-4', 24)}`).toString('base64')),
      dockerConfig('ghcr.io', dockerAuth('ci-bot', '${REGISTRY_TOKEN}')),
      dockerConfig('ghcr.io', bytes('docker-binary', 30).toString('base64')),
      dockerConfig('ghcr.io', dockerAuth('ci-bot', synth('docker-5', 22)).replace(/=+$/, '')),
      '{"auths": {"ghcr.io": {}}, "credsStore": "desktop"}',
    ],
  },
  'generic-secret': {
    truths: [
      embed('api_key = "@@"', synth('generic-1', 32)),
      embed('DB_PASSWORD=@@', synth('generic-2', 20, ALNUM + '!@#%^&*')),
      embed('{"clientSecret": "@@"}', synth('generic-3', 40)),
      // Hex has at most 4 bits per character: this one has 3.3, judged against 3, not 3.5.
      embed('SECRET_KEY=@@', synth('generic-hex-11', 32, HEX)),
      embed("settings['API_KEY'] = '@@'", synth('generic-4', 24)),
    ],
    falses: [
      `api_key = "${synth('generic-15', 15)}"`,
      'password = "hunter2hunter2hunter2"',
      'token: getAccessTokenFromVault(config)',
      'secret: ${SECRET}',
      'password: correct-horse-battery-staple',
      'secret_file: /run/secrets/db_password_v2',
      'access_token = settings.OAUTH_ACCESS_TOKEN',
      'type OpeningParenToken = OpeningParenToken$1;',
      `api_key = ${'0a1b'.repeat(8)}`,
    ],
  },
};

// ── Tests ───────────────────────────────────────────────────────────────────────────────────────

describe('the built-in rule catalogue', () => {
  const ids = BUILTIN_RULES.map((r) => r.id);

  it('has unique kebab-case ids', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it('documents every rule and gives it lowercase keywords', () => {
    for (const rule of BUILTIN_RULES) {
      expect(rule.title.trim()).not.toBe('');
      expect(rule.description.trim().length).toBeGreaterThan(40);
      expect(['critical', 'high', 'medium', 'low']).toContain(rule.severity);
      expect(rule.keywords.length).toBeGreaterThan(0);
      for (const keyword of rule.keywords) {
        expect(keyword).not.toBe('');
        expect(keyword).toBe(keyword.toLowerCase());
      }
      expect(rule.regex.flags).not.toMatch(/[gy]/);
    }
  });

  it('compiles', () => {
    expect(() => compileRules(BUILTIN_RULES)).not.toThrow();
  });

  it('keeps the generic rule last', () => {
    expect(ids.at(-1)).toBe('generic-secret');
  });

  it('rates the key kinds as expected', () => {
    const severity = (id: string) => BUILTIN_RULES.find((r) => r.id === id)?.severity;
    expect(severity('aws-access-key-id')).toBe('critical');
    expect(severity('private-key')).toBe('critical');
    expect(severity('github-pat')).toBe('critical');
    expect(severity('stripe-live-secret-key')).toBe('critical');
    expect(severity('stripe-test-secret-key')).toBe('low');
  });

  it('marks a public prefix only on rules whose every true example starts with a keyword', () => {
    for (const rule of BUILTIN_RULES.filter((r) => r.publicPrefix)) {
      const markers = rule.keywords.filter((k) => k.length >= 3);
      for (const { secret } of CASES[rule.id]?.truths ?? []) {
        const marker = markers.find((k) => secret.toLowerCase().startsWith(k));
        expect({ rule: rule.id, startsWithKeyword: marker !== undefined }).toEqual({
          rule: rule.id,
          startsWithKeyword: true,
        });
      }
    }
  });

  it('shows no prefix of passwords, raw keys and secrets without a type marker', () => {
    // For review: these secrets' first characters are secret material (or not a keyword).
    expect(BUILTIN_RULES.filter((r) => !r.publicPrefix).map((r) => r.id)).toEqual([
      'private-key',
      'openssh-private-key',
      'pgp-private-key-block',
      'aws-secret-access-key',
      'aws-session-token',
      'azure-storage-account-key',
      'azure-shared-access-key',
      'azure-ad-client-secret',
      'terraform-cloud-token',
      'heroku-api-key-legacy',
      'slack-webhook-url',
      'twilio-api-key',
      'datadog-api-key',
      'telegram-bot-token',
      'url-password',
      'connection-string-password',
      'django-secret-key',
      'docker-config-auth',
      'generic-secret',
    ]);
  });

  it('rates the rules that key on names rather than formats as medium precision', () => {
    const rated = BUILTIN_RULES.filter((r) => r.precision !== undefined).map((r) => [r.id, r.precision]);
    expect(rated).toEqual([
      ['url-password', 'medium'],
      ['connection-string-password', 'medium'],
      ['generic-secret', 'medium'],
    ]);
  });

  it('has at least two true and two false examples for every rule, and none for unknown rules', () => {
    expect(Object.keys(CASES).sort()).toEqual([...ids].sort());
    for (const cases of Object.values(CASES)) {
      expect(cases.truths.length).toBeGreaterThanOrEqual(2);
      expect(cases.falses.length).toBeGreaterThanOrEqual(2);
    }
  });
});

describe.each(BUILTIN_RULES.map((rule) => [rule.id, rule] as const))('rule %s', (id, rule) => {
  const cases = CASES[id] ?? { truths: [], falses: [] };
  const compiled = SET.rules.find((c) => c.rule.id === id)!;

  it.each(cases.truths.map((truth, i) => [i + 1, truth] as const))('finds true example %i', (_, truth) => {
    const secrets = findingsOf(id, truth.text).map((f) => f.secret);
    expect(secrets).toContain(truth.secret);
  });

  it.each(cases.truths.map((truth, i) => [i + 1, truth] as const))(
    'true example %i passes the keyword prefilter',
    (_, truth) => {
      const lower = truth.text.toLowerCase();
      expect(rule.keywords.some((k) => lower.includes(k))).toBe(true);
      // Stronger: a keyword is inside the very match that yields the secret.
      const regex = new RegExp(compiled.regex.source, compiled.regex.flags);
      const match = [...truth.text.matchAll(regex)].find((m) => m[compiled.secretGroup] === truth.secret);
      expect(match).toBeDefined();
      expect(rule.keywords.some((k) => match![0].toLowerCase().includes(k))).toBe(true);
    },
  );

  it.each(cases.falses.map((text, i) => [i + 1, text] as const))('ignores near miss %i', (_, text) => {
    expect(findingsOf(id, text)).toEqual([]);
  });
});

describe('findings', () => {
  it('report the position of the secret, across lines for a private key', () => {
    const text = `line one\n# key\n${rsaKey}\n`;
    const [finding] = findingsOf('private-key', text);
    expect(finding).toMatchObject({ line: 3, column: 1, path: 'file.txt' });
    expect(finding!.endLine).toBe(3 + rsaKey.split('\n').length - 1);
    expect(finding!.redacted).not.toContain(rsaKey.slice(40, 60));
  });

  it('point at the password, not the whole URL', () => {
    const password = synth('pos-pw', 20);
    const [finding] = findingsOf('url-password', `url = postgres://app:${password}@db/app`);
    expect(finding).toMatchObject({ line: 1, column: 'url = postgres://app:'.length + 1 });
  });

  it('go to the specific rule, not the generic one, when both match the same value', () => {
    const ghp = tok('ghp_', synth('overlap', 36));
    expect(scan(`token = "${ghp}"`).map((f) => f.ruleId)).toEqual(['github-pat']);
    const aws = synth('overlap-aws', 40, B64);
    expect(scan(`aws_secret_access_key = "${aws}"`).map((f) => f.ruleId)).toEqual(['aws-secret-access-key']);
  });

  it('go to the Django rule for Django keys, which the generic rule misses when they hold ( or )', () => {
    const plain = synth('django-overlap', 50, LOWER + DIGITS);
    expect(scan(`SECRET_KEY = '${plain}'`).map((f) => f.ruleId)).toEqual(['django-secret-key']);
    const parens = `${synth('django-parens', 24, DJANGO)}(${synth('django-parens-2', 25, DJANGO)}`;
    expect(scan(`SECRET_KEY = '${parens}'`).map((f) => f.ruleId)).toEqual(['django-secret-key']);
    const generic = compileRules(BUILTIN_RULES.filter((r) => r.id === 'generic-secret'));
    expect(scanContent(`SECRET_KEY = '${parens}'`, 'settings.py', generic)).toEqual([]);
  });

  it('are found several times in one file', () => {
    const a = tok('npm_', synth('many-1', 36));
    const b = tok('npm_', synth('many-2', 36));
    expect(findingsOf('npm-access-token', `one ${a}\ntwo ${b}\n`).map((f) => f.secret)).toEqual([a, b]);
  });
});

describe('documentation placeholders', () => {
  it.each([
    'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
    'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'aws_secret_access_key = ${AWS_SECRET}',
    'GITHUB_TOKEN=${GITHUB_TOKEN}',
    'token: ${{ secrets.GITHUB_TOKEN }}',
    'api_key: {{ api_key }}',
    'password: "{{ db_password }}"',
    'token = "<your-token>"',
    'Authorization: Bearer <your-token>',
    'api_key = "xxxxxxxxxxxxxxxxxxxx"',
    'password: xxxxxxxxxxxxxxxxxxxx',
    'DATABASE_URL=postgres://user:${DB_PASSWORD}@db:5432/app',
    'mongodb+srv://admin:<password>@cluster0.mongodb.net/',
    'Server=db;User Id=sa;Password=${DB_PASSWORD};',
    'secret_key = "%(secret_key)s"',
    'password = "your_password"',
    'api_key = "REPLACE_ME_WITH_A_REAL_KEY"',
    '-----BEGIN PRIVATE KEY-----',
    '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----',
  ])('%s is not a finding', (text) => {
    expect(scan(text)).toEqual([]);
  });
});

/**
 * Inputs that make a careless regex quadratic (a long run rescanned from every position in it) or
 * exponential (a run that can be split several ways). Each holds a keyword of the rule under test,
 * so the prefilter lets it run, and is large enough (1–2 MB) that such a regex would take minutes;
 * the built-in regexes are linear and scan each in milliseconds. No timing is asserted: a slow scan
 * fails on Jest's timeout. The scan is synchronous, so the test then yields to the event loop:
 * Jest's (by then expired) timer fires before the test can pass.
 */
const PEM_HEADERS = ['PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'].map(
  (k) => `-----BEGIN ${k}-----`,
);
const PATHOLOGICAL: [string, string, () => string][] = [
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
];

describe('pathological inputs', () => {
  it.each(PATHOLOGICAL)('%s (%s) scan in linear time', async (_, ruleId, build) => {
    const text = build();
    const rule = BUILTIN_RULES.find((r) => r.id === ruleId)!;
    expect(rule.keywords.some((k) => text.toLowerCase().includes(k))).toBe(true);
    expect(findingsOf(ruleId, text)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
});

describe('real key bodies are not mistaken for filler', () => {
  // Every unencrypted OpenSSH key starts with the same header, whose base64 holds a run of ten
  // `A`s ("…bm9uZQAAAAAAAAABAAA…": kdfoptions "" then one key). The filler checks (repeated
  // characters, `todo`, `<…>`) must not apply to such long bodies.
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const str = (s: string | Buffer) => Buffer.concat([u32(Buffer.byteLength(s)), Buffer.from(s)]);
  const realistic = pem(
    'OPENSSH PRIVATE KEY',
    Buffer.concat([
      Buffer.from('openssh-key-v1\0'),
      str('none'),
      str('none'),
      str(''),
      u32(1),
      str(Buffer.concat([str('ssh-ed25519'), str(bytes('ed25519-pub', 32))])),
      str(bytes('ed25519-priv', 136)),
    ]),
  );

  it('finds an unencrypted OpenSSH key with its real header', () => {
    expect(findingsOf('openssh-private-key', realistic)).toHaveLength(1);
  });
});
