/**
 * The built-in secret rules, modelled on what gitleaks' default config detects (our own regexes).
 *
 * How the engine runs them (see engine.ts): a rule only runs on a file containing one of its
 * lowercase keywords; its regex runs over the whole file with `g`, `m` and `d` added; the secret is
 * capture group 1 (or the whole match when the regex has no group, or `secretGroup`); the secret
 * must not be a placeholder, must reach `entropy` and pass `validate`. When two rules match the
 * same span the earlier one wins, so specific rules come first and the generic rule comes last.
 *
 * Conventions: `[^\S\r\n]` is horizontal whitespace (a value never continues on the next line);
 * a token is bounded by `\b` or a lookaround so one embedded in a longer run does not match;
 * quantifiers are bounded and never nested ambiguously (no catastrophic backtracking, see the
 * performance tests).
 */
import { shannonEntropy } from './placeholders.js';
import type { SecretRule } from './types.js';

/**
 * Between a name and its value: `=`, `:`, `:=` or `=>`, optionally closing the name's quote before
 * and opening the value's after (`"apiKey": "…"`, `API_KEY = '…'`, `token: …`).
 */
const ASSIGN = String.raw`["'\]]?[^\S\r\n]*(?:=|:=|:|=>)[^\S\r\n]*["'\x60]?`;

/** The lowercase spellings of `a[_.-]?b`, as keywords for a regex that allows each of them. */
function joined(a: string, b: string): string[] {
  return ['', '_', '-', '.'].map((sep) => `${a}${sep}${b}`);
}

/** A regex from a raw source string (so `\b` needs no double escaping). */
function re(source: string, flags = ''): RegExp {
  return new RegExp(source, flags);
}

/** A JWT's header must base64url-decode to a JSON object naming its `alg`. */
function hasJwtHeader(token: string): boolean {
  const header = token.slice(0, token.indexOf('.'));
  try {
    const json: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return typeof json === 'object' && json !== null && typeof (json as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

/** Passwords that are documentation, not credentials: `user:password@`, `Password=secret;`. */
const PLACEHOLDER_PASSWORDS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'pw',
  'secret',
  'user',
  'username',
  'test',
  'foo',
  'bar',
  'null',
  'none',
  'empty',
  'mypassword',
  'yourpassword',
  'somepassword',
]);

function isRealPassword(password: string): boolean {
  if (password.length < 4) return false; // `abc`, `xyz`, `123`: test fixtures, not credentials
  if (PLACEHOLDER_PASSWORDS.has(password.toLowerCase())) return false;
  if (/^(.)\1*$/.test(password)) return false; // x, xx, ***
  if (/^(?:%[sdv]|\?|[:@][A-Za-z_]\w*)$/.test(password)) return false; // printf or SQL parameters
  return true;
}

/**
 * The generic rule's value must look random, not like a word, a path or a code reference: entropy
 * of 3.5 bits per character (3 for hex), letters and digits (or symbols), not an identifier such as
 * `my-service-name-v2`, not a path.
 */
function looksLikeGenericSecret(value: string): boolean {
  if (/^[~.]?\//.test(value)) return false;
  // Words and identifiers, maybe with a short number: `correct-horse`, `OpeningParenToken$1`, `NAME_V2`.
  if (/^[A-Za-z_$]+(?:-[A-Za-z_$]+)*-?v?[0-9]{0,3}$/.test(value)) return false;
  // Hex tops out at 4 bits per character: a random 32-digit hex key is below 3.5 one time in five.
  if (shannonEntropy(value) < (/^[0-9a-f]+$/i.test(value) ? 3 : 3.5)) return false;
  const letters = /[A-Za-z]/.test(value);
  return (letters && /[0-9]/.test(value)) || (/[!@#$%^&*~]/.test(value) && (letters || /[0-9]/.test(value)));
}

/**
 * The body of a PEM block: base64, armor headers (`Proc-Type: 4,ENCRYPTED`), real or `\n` (JSON)
 * newlines. It never contains `-----`, so a match cannot run on past the next BEGIN/END line and
 * each BEGIN is scanned only up to its own END.
 */
const PEM_BODY = String.raw`(?:[A-Za-z0-9+/=\s:,]|-(?!----)|\\[nr]){50,16384}?`;
/** PGP armor may also carry `Version:` and `Comment:` headers, and a key with subkeys is long. */
const PGP_BODY = String.raw`(?:[A-Za-z0-9+/=\s:,.()_@']|-(?!----)|\\[nr]){50,65536}?`;
const PEM_KIND = String.raw`(?:(?:RSA|EC|DSA|ENCRYPTED|ANY) )?`;

export const BUILTIN_RULES: readonly SecretRule[] = [
  // ── Private keys ──────────────────────────────────────────────────────────────────────────────
  {
    id: 'private-key',
    title: 'Private key (PEM)',
    description:
      'A PEM-encoded RSA, EC, DSA or PKCS#8 private key: whoever holds it can impersonate its owner, ' +
      'decrypt traffic or sign as it. Replace the key pair, revoke any certificate issued for it, and ' +
      'remove the key from the repository history.',
    severity: 'critical',
    keywords: ['private key'],
    regex: re(`-----BEGIN ${PEM_KIND}PRIVATE KEY-----${PEM_BODY}-----END ${PEM_KIND}PRIVATE KEY-----`),
    entropy: 4,
  },
  {
    id: 'openssh-private-key',
    title: 'OpenSSH private key',
    description:
      'An OpenSSH private key: it logs in wherever its public key is authorized. Remove the public key ' +
      'from every `authorized_keys`, deploy-key and account list, then generate a new pair.',
    severity: 'critical',
    keywords: ['begin openssh private key'],
    regex: re(`-----BEGIN OPENSSH PRIVATE KEY-----${PEM_BODY}-----END OPENSSH PRIVATE KEY-----`),
    entropy: 4,
  },
  {
    id: 'pgp-private-key-block',
    title: 'PGP private key block',
    description:
      'An ASCII-armored PGP secret key: it signs and decrypts as its owner. Revoke the key (publish ' +
      'its revocation certificate to the keyservers) and create a new one.',
    severity: 'critical',
    keywords: ['begin pgp private key block'],
    regex: re(`-----BEGIN PGP PRIVATE KEY BLOCK-----${PGP_BODY}-----END PGP PRIVATE KEY BLOCK-----`),
    entropy: 4,
  },
  {
    id: 'age-secret-key',
    title: 'age secret key',
    description:
      'An age (file encryption) identity: it decrypts every file encrypted to its recipient. Generate ' +
      'a new identity, re-encrypt the files to it and remove the old recipient.',
    severity: 'critical',
    keywords: ['age-secret-key-1'],
    regex: /\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b/,
  },

  // ── AWS ───────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'aws-access-key-id',
    title: 'AWS access key ID',
    description:
      'An AWS access key ID (long-term `AKIA` or temporary `ASIA`); its secret key is usually nearby. ' +
      'Deactivate and delete the key in IAM (Users → Security credentials), rotate it, and review ' +
      'CloudTrail for its use.',
    severity: 'critical',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    regex: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/,
    // 16 random base32 characters after a fixed prefix: 1 real key in 10,000 is below 2.9.
    entropy: 2.8,
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    description:
      'An AWS secret access key: with its key ID it acts as the IAM user or role. Deactivate and ' +
      'delete the access key in IAM, create a new one, and review CloudTrail for its use.',
    severity: 'critical',
    keywords: ['aws', 'secretaccesskey', 'secret_access_key', 'secret-access-key'],
    regex: re(
      String.raw`(?:aws[\w.-]{0,20}?(?:secret|sak)|secret(?:_access_|-access-|access)key)[\w.-]{0,20}?` +
        ASSIGN +
        String.raw`([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      'i',
    ),
    entropy: 4,
  },
  {
    id: 'aws-session-token',
    title: 'AWS session token',
    description:
      'A temporary AWS session token: with its key pair it acts as the assumed role until it expires. ' +
      'Revoke the role’s active sessions (IAM → Roles → Revoke sessions) and find where the ' +
      'credentials were exported.',
    severity: 'high',
    keywords: ['session_token', 'session-token', 'sessiontoken'],
    regex: re(
      String.raw`(?:aws[_-]?session[_-]?token|\bsessiontoken)` +
        ASSIGN +
        String.raw`([A-Za-z0-9/+=]{100,4096})(?![A-Za-z0-9/+=])`,
      'i',
    ),
    entropy: 4.5,
  },

  // ── GitHub ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'github-pat',
    title: 'GitHub personal access token (classic)',
    description:
      'A classic GitHub personal access token: it acts as its user on every repository and org the ' +
      'scopes allow. Delete it at Settings → Developer settings → Personal access tokens and create ' +
      'a new one (prefer a fine-grained token).',
    severity: 'critical',
    keywords: ['ghp_'],
    regex: /\b(ghp_[A-Za-z0-9]{36})\b/,
    entropy: 3,
  },
  {
    id: 'github-fine-grained-pat',
    title: 'GitHub fine-grained personal access token',
    description:
      'A fine-grained GitHub personal access token: it acts as its user on the repositories it was ' +
      'granted. Revoke it at Settings → Developer settings → Fine-grained tokens and create a new one.',
    severity: 'critical',
    keywords: ['github_pat_'],
    regex: /\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b/,
    entropy: 3,
  },
  {
    id: 'github-oauth-token',
    title: 'GitHub OAuth access token',
    description:
      'A GitHub OAuth app user token: it acts as the user with the scopes they granted the app. ' +
      'Revoke it (Settings → Applications, or the OAuth app’s “Revoke all user tokens”).',
    severity: 'high',
    keywords: ['gho_'],
    regex: /\b(gho_[A-Za-z0-9]{36})\b/,
    entropy: 3,
  },
  {
    id: 'github-app-token',
    title: 'GitHub App token',
    description:
      'A GitHub App user-to-server (`ghu_`) or installation (`ghs_`, e.g. an Actions `GITHUB_TOKEN`) ' +
      'token. It expires within hours; revoke it through the API (`DELETE /installation/token`) and ' +
      'rotate the app’s private key if that leaked too.',
    severity: 'high',
    keywords: ['ghu_', 'ghs_'],
    regex: /\b((?:ghu|ghs)_[A-Za-z0-9]{36,251})\b/,
    entropy: 3,
  },
  {
    id: 'github-refresh-token',
    title: 'GitHub refresh token',
    description:
      'A GitHub App refresh token: it mints new user-to-server tokens for six months. Revoke the ' +
      'user’s authorization of the app (Settings → Applications) so it can no longer be used.',
    severity: 'high',
    keywords: ['ghr_'],
    regex: /\b(ghr_[A-Za-z0-9]{36,251})\b/,
    entropy: 3,
  },

  // ── GitLab ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'gitlab-pat',
    title: 'GitLab personal access token',
    description:
      'A GitLab personal, project or group access token: it calls the API (and may push) as its ' +
      'owner. Revoke it under Access tokens in the user, project or group settings and create a new one.',
    severity: 'critical',
    keywords: ['glpat-'],
    regex: /\b(glpat-[A-Za-z0-9_-]{20,300}(?:\.[0-9a-z]{9})?)(?![A-Za-z0-9_-])/,
    entropy: 3,
  },
  {
    id: 'gitlab-deploy-token',
    title: 'GitLab deploy token',
    description:
      'A GitLab deploy token: it reads (and maybe writes) the repository, package or container ' +
      'registry. Revoke it in the project’s Settings → Repository → Deploy tokens.',
    severity: 'high',
    keywords: ['gldt-'],
    regex: /\b(gldt-[A-Za-z0-9_-]{20,300})(?![A-Za-z0-9_-])/,
    entropy: 3,
  },
  {
    id: 'gitlab-runner-token',
    title: 'GitLab runner token',
    description:
      'A GitLab runner authentication (`glrt-`) or registration (`GR1348941`) token: it registers ' +
      'runners that receive CI jobs and their secrets. Reset it in Settings → CI/CD → Runners and ' +
      're-register the runners.',
    severity: 'high',
    keywords: ['glrt-', 'gr1348941'],
    regex: /\b(glrt-[A-Za-z0-9_-]{20,300}|GR1348941[A-Za-z0-9_-]{20,300})(?![A-Za-z0-9_-])/,
    entropy: 3,
  },
  {
    id: 'gitlab-pipeline-trigger-token',
    title: 'GitLab pipeline trigger token',
    description:
      'A GitLab pipeline trigger token: it starts pipelines on any branch, with their variables. ' +
      'Revoke it in the project’s Settings → CI/CD → Pipeline trigger tokens.',
    severity: 'medium',
    keywords: ['glptt-'],
    regex: /\b(glptt-[A-Za-z0-9_-]{20,300})(?![A-Za-z0-9_-])/,
    entropy: 3,
  },
  {
    id: 'gitlab-token',
    title: 'GitLab token',
    description:
      'Another GitLab token: CI job (`glcbt-`), OAuth application secret (`gloas-`), SCIM (`glsoat-`), ' +
      'feed (`glft-`), incoming mail (`glimt-`), feature flag client (`glffct-`) or Kubernetes agent ' +
      '(`glagent-`). Revoke or reset it where it was created in GitLab.',
    severity: 'medium',
    keywords: ['glcbt-', 'gloas-', 'glsoat-', 'glft-', 'glimt-', 'glffct-', 'glagent-'],
    regex: /\b((?:glcbt|gloas|glsoat|glft|glimt|glffct|glagent)-[A-Za-z0-9_-]{20,300})(?![A-Za-z0-9_-])/,
    entropy: 3,
  },

  // ── Slack ─────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'slack-bot-token',
    title: 'Slack bot token',
    description:
      'A Slack bot token (`xoxb-`): it reads and posts in every channel the bot is in. Revoke it by ' +
      'reinstalling the app or with `auth.revoke`, at api.slack.com/apps → OAuth & Permissions.',
    severity: 'high',
    keywords: ['xoxb-'],
    regex: /\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{20,32})\b/,
    entropy: 3,
  },
  {
    id: 'slack-user-token',
    title: 'Slack user token',
    description:
      'A Slack user token (`xoxp-`): it acts as the user who installed the app, including their ' +
      'private messages. Revoke it with `auth.revoke` or at api.slack.com/apps → OAuth & Permissions.',
    severity: 'high',
    keywords: ['xoxp-'],
    regex: /\b(xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{28,34})\b/,
    entropy: 3,
  },
  {
    id: 'slack-config-token',
    title: 'Slack configuration token',
    description:
      'A Slack app configuration access token (`xoxe.xoxp-`, `xoxe.xoxb-`) or its refresh token ' +
      '(`xoxe-`): it creates and changes the workspace’s apps. Revoke it at api.slack.com/apps → ' +
      'Your App Configuration Tokens.',
    severity: 'high',
    keywords: ['xoxe'],
    regex: /\b((?:xoxe\.xox[bp]|xoxe)-[0-9]-[A-Za-z0-9]{140,170})(?![A-Za-z0-9])/,
    entropy: 3.5,
  },
  {
    id: 'slack-app-token',
    title: 'Slack app-level token',
    description:
      'A Slack app-level token (`xapp-`): it opens Socket Mode connections that receive the app’s ' +
      'events. Revoke it at api.slack.com/apps → Basic Information → App-Level Tokens.',
    severity: 'high',
    keywords: ['xapp-'],
    regex: /\b(xapp-[0-9]-[A-Z0-9]{8,12}-[0-9]{10,13}-[A-Za-z0-9]{32,80})\b/,
    entropy: 3,
  },
  {
    id: 'slack-legacy-token',
    title: 'Slack legacy or workspace token',
    description:
      'A Slack legacy, workspace or refresh token (`xoxa-`, `xoxo-`, `xoxr-`, `xoxs-`). Revoke it with ' +
      '`auth.revoke` or remove the legacy token in the workspace’s app management.',
    severity: 'high',
    keywords: ['xoxa-', 'xoxo-', 'xoxr-', 'xoxs-'],
    regex: /\b(xox[aors]-[0-9]{1,13}(?:-[0-9]{1,13}){0,3}-[A-Za-z0-9]{8,200})(?![A-Za-z0-9-])/,
    entropy: 3,
  },
  {
    id: 'slack-webhook-url',
    title: 'Slack incoming webhook URL',
    description:
      'A Slack incoming or workflow webhook URL: anyone can post messages with it into the channel. ' +
      'Remove the webhook (api.slack.com/apps → Incoming Webhooks, or the workflow’s trigger) and create a new one.',
    severity: 'medium',
    keywords: ['hooks.slack.com'],
    regex:
      /(?:https?:\/\/)?hooks\.slack\.com\/(?:services\/T[A-Z0-9]{8,12}\/B[A-Z0-9]{8,12}\/[A-Za-z0-9]{24}|(?:workflows|triggers)\/T[A-Z0-9]{8,12}\/[A-Za-z0-9/]{20,120})(?![A-Za-z0-9/])/,
    entropy: 3.5,
  },

  // ── Stripe ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'stripe-live-secret-key',
    title: 'Stripe live secret key',
    description:
      'A Stripe live secret or restricted key: it moves real money (charges, refunds, payouts). Roll ' +
      'it at dashboard.stripe.com → Developers → API keys and update its users.',
    severity: 'critical',
    keywords: ['sk_live_', 'rk_live_'],
    regex: /\b((?:sk|rk)_live_[A-Za-z0-9]{24,247})\b/,
    entropy: 3,
  },
  {
    id: 'stripe-test-secret-key',
    title: 'Stripe test secret key',
    description:
      'A Stripe test-mode secret or restricted key: no real money, but it reads and writes the test ' +
      'account’s data. Roll it at dashboard.stripe.com → Developers → API keys (test mode).',
    severity: 'low',
    keywords: ['sk_test_', 'rk_test_'],
    regex: /\b((?:sk|rk)_test_[A-Za-z0-9]{24,247})\b/,
    entropy: 3,
  },
  {
    id: 'stripe-webhook-secret',
    title: 'Webhook signing secret (Stripe, Svix)',
    description:
      'A webhook signing secret (`whsec_`): with it anyone can forge webhook events your endpoint ' +
      'trusts. Roll the endpoint’s signing secret in the provider’s dashboard (Stripe: Developers → Webhooks).',
    severity: 'medium',
    keywords: ['whsec_'],
    regex: /\b(whsec_[A-Za-z0-9+/]{32,88}={0,2})(?![A-Za-z0-9+/=])/,
    entropy: 3.5,
  },

  // ── Google ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'google-api-key',
    title: 'Google API key',
    description:
      'A Google Cloud / Firebase / Maps API key: it bills to its project for every API it is not ' +
      'restricted from. Delete or regenerate it in Google Cloud Console → APIs & Services → ' +
      'Credentials, and add API and referrer restrictions to the new one.',
    severity: 'high',
    keywords: ['aiza'],
    regex: /\b(AIza[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/,
    entropy: 3,
  },
  {
    id: 'google-oauth-client-secret',
    title: 'Google OAuth client secret',
    description:
      'A Google OAuth 2.0 client secret: with the client ID it exchanges authorization codes for ' +
      'user tokens. Reset the secret in Google Cloud Console → APIs & Services → Credentials.',
    severity: 'high',
    keywords: ['gocspx-'],
    regex: /\b(GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/,
    entropy: 3,
  },

  // ── Package registries ────────────────────────────────────────────────────────────────────────
  {
    id: 'npm-access-token',
    title: 'npm access token',
    description:
      'An npm access token: it may publish new versions of your packages (a supply-chain attack). ' +
      'Revoke it at npmjs.com → Access Tokens (or `npm token revoke`) and prefer granular, ' +
      'short-lived or trusted-publishing tokens.',
    severity: 'critical',
    keywords: ['npm_'],
    regex: /\b(npm_[A-Za-z0-9]{36})\b/,
    entropy: 3,
  },
  {
    id: 'pypi-upload-token',
    title: 'PyPI upload token',
    description:
      'A PyPI (or TestPyPI) API token: it uploads releases of your projects. Remove it at pypi.org → ' +
      'Account settings → API tokens and prefer trusted publishing.',
    severity: 'critical',
    keywords: ['pypi-'],
    regex: /\b(pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'docker-hub-pat',
    title: 'Docker Hub access token',
    description:
      'A Docker Hub personal or organization access token: it pulls and may push images as its ' +
      'owner. Delete it at hub.docker.com → Account settings → Personal access tokens.',
    severity: 'high',
    keywords: ['dckr_pat_', 'dckr_oat_'],
    regex: /\b(dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40})(?![A-Za-z0-9_-])/,
    entropy: 3,
  },

  // ── Cloud and infrastructure ──────────────────────────────────────────────────────────────────
  {
    id: 'azure-storage-account-key',
    title: 'Azure storage account key',
    description:
      'An Azure storage account access key (often inside a connection string): full control of every ' +
      'blob, file, queue and table in the account. Rotate it in the portal (Storage account → ' +
      'Access keys) and prefer Entra ID or SAS with an expiry.',
    severity: 'critical',
    keywords: ['accountkey', 'account_key', 'account-key'],
    regex: re(
      String.raw`\baccount[_-]?key(?:${ASSIGN}|[^\S\r\n]+)([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])`,
      'i',
    ),
    entropy: 4,
  },
  {
    id: 'azure-shared-access-key',
    title: 'Azure shared access key',
    description:
      'An Azure Service Bus, Event Hubs or IoT Hub shared access key: it sends, listens or manages as ' +
      'its policy allows. Regenerate the key on the policy (Shared access policies) in the portal.',
    severity: 'high',
    keywords: ['sharedaccesskey'],
    regex: /\bSharedAccessKey[^\S\r\n]*=[^\S\r\n]*([A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])/i,
    entropy: 4,
  },
  {
    id: 'azure-ad-client-secret',
    title: 'Microsoft Entra ID (Azure AD) client secret',
    description:
      'A Microsoft Entra ID application client secret: it signs in as the app with all its API ' +
      'permissions. Delete it in App registrations → Certificates & secrets and create a new one.',
    severity: 'high',
    keywords: ['q~'],
    regex: /(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/,
    entropy: 3,
  },
  {
    id: 'vault-token',
    title: 'HashiCorp Vault token',
    description:
      'A HashiCorp Vault service (`hvs.`) or batch (`hvb.`) token: it reads the secrets its policies ' +
      'allow. Revoke it with `vault token revoke` and audit what it read.',
    severity: 'critical',
    keywords: ['hvs.', 'hvb.'],
    regex: /\b(hv[sb]\.[A-Za-z0-9_-]{24,300})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'terraform-cloud-token',
    title: 'Terraform Cloud / HCP Terraform token',
    description:
      'A Terraform Cloud user, team or organization API token: it runs plans and applies and reads ' +
      'workspace state and variables. Delete it at app.terraform.io → User or Organization settings → Tokens.',
    severity: 'high',
    keywords: ['atlasv1'],
    regex: /\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?![A-Za-z0-9_=-])/,
    entropy: 3.5,
  },
  {
    id: 'digitalocean-token',
    title: 'DigitalOcean token',
    description:
      'A DigitalOcean personal access (`dop_v1_`), OAuth (`doo_v1_`) or refresh (`dor_v1_`) token: it ' +
      'manages droplets, databases and billing. Delete it at cloud.digitalocean.com → API → Tokens.',
    severity: 'high',
    keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    regex: /\b(do[por]_v1_[a-f0-9]{64})\b/,
    entropy: 3,
  },
  {
    id: 'heroku-api-key',
    title: 'Heroku API key',
    description:
      'A Heroku API key (`HRKU-`): it manages apps, config vars and add-ons as its user. Regenerate ' +
      'it at dashboard.heroku.com → Account settings → API Key, or revoke the authorization.',
    severity: 'high',
    keywords: ['hrku-aa'],
    regex: /\b(HRKU-AA[A-Za-z0-9_-]{58})(?![A-Za-z0-9_-])/,
    entropy: 3,
  },
  {
    id: 'heroku-api-key-legacy',
    title: 'Heroku API key (legacy UUID)',
    description:
      'A legacy, UUID-shaped Heroku API key assigned to a Heroku setting: it manages apps and config ' +
      'vars as its user. Regenerate it at dashboard.heroku.com → Account settings → API Key.',
    severity: 'high',
    keywords: ['heroku'],
    regex: re(
      String.raw`\bheroku[\w.-]{0,20}?` +
        ASSIGN +
        String.raw`([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b`,
      'i',
    ),
    entropy: 3,
  },

  // ── SaaS APIs ─────────────────────────────────────────────────────────────────────────────────
  {
    id: 'openai-api-key',
    title: 'OpenAI API key',
    description:
      'An OpenAI project, service-account, admin or legacy API key: it spends the organization’s ' +
      'credits and reads its files. Revoke it at platform.openai.com → API keys.',
    severity: 'high',
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 't3blbkfj'],
    regex:
      /\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,300}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'anthropic-api-key',
    title: 'Anthropic API key',
    description:
      'An Anthropic API or admin key: it spends the organization’s credits. Delete it at ' +
      'console.anthropic.com → Settings → API keys.',
    severity: 'high',
    keywords: ['sk-ant-'],
    regex: /\b(sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'sendgrid-api-key',
    title: 'SendGrid API key',
    description:
      'A Twilio SendGrid API key: it sends mail as your domains (phishing that passes SPF/DKIM). ' +
      'Delete it at app.sendgrid.com → Settings → API Keys.',
    severity: 'high',
    keywords: ['sg.'],
    regex: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'twilio-api-key',
    title: 'Twilio API key',
    description:
      'A Twilio API key SID (`SK…`); its secret is usually nearby. Together they send messages and ' +
      'calls billed to the account. Delete the key in the Twilio console → API keys & tokens.',
    severity: 'high',
    keywords: ['sk'],
    regex: /\b(SK[0-9a-f]{32})\b/,
    entropy: 3,
  },
  {
    id: 'mailgun-api-key',
    title: 'Mailgun API key',
    description:
      'A Mailgun private API key (`key-…`): it sends mail from your domains and reads logs. Rotate ' +
      'it in the Mailgun dashboard → API Security.',
    severity: 'high',
    keywords: ['key-'],
    regex: /\b(key-[0-9a-f]{32})\b/,
    entropy: 3,
  },
  {
    id: 'shopify-token',
    title: 'Shopify access token or shared secret',
    description:
      'A Shopify Admin API access token (`shpat_`, `shpca_`, `shppa_`) or app shared secret ' +
      '(`shpss_`): it reads and changes the store’s orders, customers and products. Uninstall or ' +
      'rotate the app credentials in the Shopify admin or Partner dashboard.',
    severity: 'high',
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    regex: /\b(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\b/,
    entropy: 3,
  },
  {
    id: 'datadog-api-key',
    title: 'Datadog API or application key',
    description:
      'A Datadog API key (submits metrics and logs) or application key (reads dashboards and data). ' +
      'Revoke it in Datadog → Organization settings → API Keys / Application Keys.',
    severity: 'medium',
    keywords: ['datadog', 'dd'],
    regex: re(
      String.raw`(?:\bdatadog|(?<![A-Za-z0-9])dd)[_.-]?(?:api|app(?:lication)?)[_.-]?key\b` +
        ASSIGN +
        String.raw`([a-f0-9]{40}|[a-f0-9]{32})(?![A-Za-z0-9])`,
      'i',
    ),
    entropy: 3,
  },
  {
    id: 'telegram-bot-token',
    title: 'Telegram bot token',
    description:
      'A Telegram Bot API token: it reads and sends the bot’s messages. Revoke it by sending ' +
      '`/revoke` to @BotFather.',
    severity: 'medium',
    keywords: [':aa'],
    regex: /(?<![0-9])([0-9]{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },

  // ── Passwords in connection strings ───────────────────────────────────────────────────────────
  {
    id: 'url-password',
    title: 'Password in a URL',
    description:
      'A password in a `scheme://user:password@host` URL (database, broker, FTP, HTTP). Change the ' +
      'password on the server it opens, and take the URL from a secret store or environment at runtime.',
    severity: 'high',
    keywords: ['://'],
    // `postgres:postgres@` (password = user) is a local default, and `@example.com` documentation.
    regex:
      /\b[a-z][a-z0-9+.-]{1,30}:\/\/([^\s:@/?#'"`<>]{0,128}):(?!\1@)([^\s@/?#'"`<>]{1,128})@(?=[A-Za-z0-9[])(?!(?:www\.)?example\.(?:com|org|net)\b)/i,
    secretGroup: 2,
    validate: isRealPassword,
  },
  {
    id: 'connection-string-password',
    title: 'Password in a connection string',
    // `Password=` takes no spaces around `=`: `const password = …` after `username = …` is code.
    description:
      'A password in an ADO.NET, ODBC, JDBC or libpq connection string (`Server=…;User Id=…;Password=…`). ' +
      'Change the database password and read the connection string from a secret store at runtime.',
    severity: 'high',
    keywords: ['password', 'pwd'],
    regex: re(
      String.raw`(?<![A-Za-z0-9])(?:server|data[^\S\r\n]source|host|address|addr|user[^\S\r\n]?id|uid|user(?:name)?|database|initial[^\S\r\n]catalog)` +
        String.raw`[^\S\r\n]*=[^\r\n]*?(?:[;&?]|[^\S\r\n])[^\S\r\n]*(?:password|pwd)=["']?([^;&\s'"]{1,128})`,
      'i',
    ),
    validate: isRealPassword,
  },

  // ── JWT ───────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'jwt',
    title: 'JSON Web Token',
    description:
      'A signed JSON Web Token: until it expires it authenticates as its subject to whoever trusts ' +
      'its issuer. Revoke the session (or rotate the signing key) at the issuer, and do not commit ' +
      'captured tokens.',
    severity: 'medium',
    keywords: ['eyj'],
    regex: /\b(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/,
    validate: hasJwtHeader,
  },

  // ── Generic (last: every specific rule wins on the same span) ────────────────────────────────
  {
    id: 'generic-secret',
    title: 'Generic secret',
    description:
      'A random-looking value assigned to a name like `api_key`, `secret`, `token` or `password`. ' +
      'Revoke or rotate it with whatever issued it, and load it from a secret store or the environment.',
    severity: 'medium',
    keywords: [
      ...joined('api', 'key'),
      'secret',
      'token',
      'password',
      'passwd',
      'pwd',
      'credential',
      ...joined('access', 'key'),
      ...joined('auth', 'key'),
    ],
    regex: re(
      String.raw`(?:api[_.-]?key|secret|token|passw(?:or)?d|pwd|credential|access[_.-]?key|auth[_.-]?key)[\w.-]{0,24}?` +
        ASSIGN +
        String.raw`([A-Za-z0-9_\-+/=~!@#$%^&*]{16,256})(?![A-Za-z0-9_\-+/=~!@#$%^&*.(\[{])`,
      'i',
    ),
    // 3.5 bits per character (3 for hex), checked in `looksLikeGenericSecret`.
    entropy: 3,
    validate: looksLikeGenericSecret,
  },
];
