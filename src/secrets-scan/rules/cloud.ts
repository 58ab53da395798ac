/** Cloud and infrastructure credentials: AWS, Google, Azure, Vault, Terraform, DigitalOcean, Heroku. */
import type { SecretRule } from '../types.js';
import { ASSIGN, re } from './helpers.js';

export const CLOUD_RULES: readonly SecretRule[] = [
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
    publicPrefix: true,
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
    // The name must not follow a base64 character: one inside a previous value (`…sessiontoken=…`)
    // would rescan up to 4096 characters of it at every such name.
    regex: re(
      String.raw`(?:(?<![A-Za-z0-9/+=])aws[_-]?session[_-]?token|(?<![A-Za-z0-9/+=_])sessiontoken)` +
        ASSIGN +
        String.raw`([A-Za-z0-9/+=]{100,4096})(?![A-Za-z0-9/+=])`,
      'i',
    ),
    entropy: 4.5,
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
    publicPrefix: true,
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
    publicPrefix: true,
    regex: /\b(GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/,
    entropy: 3,
  },

  // ── Azure ─────────────────────────────────────────────────────────────────────────────────────
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

  // ── Infrastructure ────────────────────────────────────────────────────────────────────────────
  {
    id: 'vault-token',
    title: 'HashiCorp Vault token',
    description:
      'A HashiCorp Vault service (`hvs.`) or batch (`hvb.`) token: it reads the secrets its policies ' +
      'allow. Revoke it with `vault token revoke` and audit what it read.',
    severity: 'critical',
    keywords: ['hvs.', 'hvb.'],
    publicPrefix: true,
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
    publicPrefix: true,
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
    publicPrefix: true,
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
];
