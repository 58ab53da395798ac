/** Cloud and infrastructure credentials: AWS, Google, Azure, Vault, Terraform, DigitalOcean, Heroku. */
import type { SecretRule } from '../types.js';
import { ASSIGN, re } from './helpers.js';

/**
 * An unnamed secret access key after an access key ID: on the same line (a credentials CSV row
 * `AKIA…,<secret>`) or up to three lines below. Each skipped line is at most 100 characters and
 * matched one way only, so a key ID costs at most a few thousand steps. The candidate must start a
 * base64 run of exactly 40 characters mixing upper case, lower case and digits: a git SHA (hex) or
 * a word is skipped in the regex itself, so the search goes on to the real secret.
 */
const PAIRED_SECRET =
  String.raw`\b(?:AKIA|ASIA)[A-Z2-7]{16}\b(?:[^\r\n]{0,100}?\r?\n){0,3}?[^\r\n]{0,100}?` +
  String.raw`(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])(?=[A-Za-z0-9/+]{0,39}[0-9])` +
  String.raw`([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`;

/** Azure's identifiable keys carry a 4-character signature naming the service at a fixed offset. */
const AZ64 = 'A-Za-z0-9+/';

/** An Azure SAS signature is the URL-encoded base64 of an HMAC-SHA256: 32 bytes. */
function isSasSignature(sig: string): boolean {
  try {
    const b64 = decodeURIComponent(sig);
    return /^[A-Za-z0-9+/]{43}=$/.test(b64) && Buffer.from(b64, 'base64').length === 32;
  } catch {
    return false;
  }
}

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
  {
    id: 'aws-sts-session-token',
    title: 'AWS STS session token (unnamed)',
    description:
      'A temporary AWS session token recognised by its own header (`IQoJb3JpZ2luX2Vj…`, older ' +
      '`FwoGZXIvYXdz…`), whatever it is assigned to: with its key pair it acts as the assumed role ' +
      'until it expires. Revoke the role’s active sessions (IAM → Roles → Revoke sessions).',
    severity: 'high',
    keywords: ['iqojb3jpz2lux2vj', 'fwogzxivyxdz', 'fqogzxivyxdz'],
    publicPrefix: true,
    regex:
      /(?<![A-Za-z0-9/+])((?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz|FQoGZXIvYXdz)[A-Za-z0-9/+]{100,4096}={0,2})(?![A-Za-z0-9/+=])/,
    entropy: 4.5,
  },
  {
    id: 'aws-bedrock-api-key',
    title: 'Amazon Bedrock API key',
    description:
      'An Amazon Bedrock API key, long-term (`ABSK…`, an IAM service-specific credential) or ' +
      'short-term (`bedrock-api-key-…`): it calls Bedrock models billed to the account. Delete the ' +
      'service-specific credential in IAM (Users → Security credentials) or revoke the session.',
    severity: 'high',
    keywords: ['absk', 'bedrock-api-key-'],
    publicPrefix: true,
    regex:
      /(?<![A-Za-z0-9/+-])(ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{60,400}={0,2}|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{100,4096}={0,2})(?![A-Za-z0-9/+=])/,
    entropy: 4,
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
  {
    id: 'google-oauth-access-token',
    title: 'Google OAuth access token',
    description:
      'A Google OAuth 2.0 access token (`ya29.`): for about an hour it calls Google APIs with the ' +
      'scopes granted to it. Revoke it (`https://oauth2.googleapis.com/revoke`) and find what logged it.',
    severity: 'medium',
    keywords: ['ya29.'],
    publicPrefix: true,
    regex: /\b(ya29\.[A-Za-z0-9_-]{30,2048})(?![A-Za-z0-9_.-])/,
    entropy: 4,
  },
  {
    id: 'google-oauth-refresh-token',
    title: 'Google OAuth refresh token',
    description:
      'A Google OAuth 2.0 refresh token (`1//0…`): it mints access tokens until revoked. Revoke it ' +
      '(Google Account → Security → Third-party access, or the revoke endpoint) and rotate the ' +
      'client secret if that leaked too.',
    severity: 'high',
    keywords: ['1//0'],
    publicPrefix: true,
    regex: /(?<![A-Za-z0-9_/-])(1\/\/0[A-Za-z0-9_-]{40,400})(?![A-Za-z0-9_-])/,
    entropy: 4,
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
  {
    id: 'azure-identifiable-key',
    title: 'Azure storage, Cosmos DB, Batch, API Management or ML key',
    description:
      'An Azure 64-byte identifiable key (signature `+ASt` storage account, `ACDb` Cosmos DB, `+ABa` ' +
      'Batch, `APIM` API Management, `/AM7` Machine Learning): full access to that resource. ' +
      'Regenerate the key on the resource (Access keys / Keys) and move its users to Entra ID.',
    severity: 'critical',
    keywords: ['+ast', 'acdb', '+aba', 'apim', '/am7'],
    regex: re(
      `(?<![${AZ64}_-])([${AZ64}]{76}(?:\\+ASt|ACDb|\\+ABa|APIM|/AM7)[${AZ64}]{5}[AQgw]==)(?![${AZ64}=_-])`,
    ),
    entropy: 4,
  },
  {
    id: 'azure-identifiable-shared-key',
    title: 'Azure Service Bus, Event Hubs, Relay, IoT Hub or Redis key',
    description:
      'An Azure 32-byte identifiable key (signature `+ASb` Service Bus, `+AEh` Event Hubs, `+ARm` ' +
      'Relay, `AIoT` IoT Hub, `AzCa` Cache for Redis): it sends, listens or manages as its policy ' +
      'allows. Regenerate the key on its access policy in the portal.',
    severity: 'high',
    keywords: ['+asb', '+aeh', '+arm', 'aiot', 'azca'],
    regex: re(
      `(?<![${AZ64}_-])([${AZ64}]{33}(?:\\+ASb|\\+AEh|\\+ARm|AIoT|AzCa)[A-P][${AZ64}]{5}=)(?![${AZ64}=_-])`,
    ),
    entropy: 4,
  },
  {
    id: 'azure-function-key',
    title: 'Azure Functions key',
    description:
      'An Azure Functions host, master or function key (signature `AzFu`): it calls the functions ' +
      'whose authorization level is not anonymous, the master key all of them. Renew the key in the ' +
      'function app (App keys / Function keys).',
    severity: 'high',
    keywords: ['azfu'],
    regex: /(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{44}AzFu[A-Za-z0-9_-]{5}[AQgw]==)(?![A-Za-z0-9_=-])/,
    entropy: 4,
  },
  {
    id: 'azure-search-key',
    title: 'Azure AI Search key',
    description:
      'An Azure AI Search (Cognitive Search) admin or query key (signature `AzSe`): an admin key ' +
      'changes indexes and data, a query key reads them. Regenerate it on the search service (Keys).',
    severity: 'high',
    keywords: ['azse'],
    regex: re(`(?<![${AZ64}_-])([${AZ64}]{42}AzSe[A-D][${AZ64}]{5})(?![${AZ64}=_-])`),
    entropy: 4,
  },
  {
    id: 'azure-container-registry-key',
    title: 'Azure Container Registry password',
    description:
      'An Azure Container Registry admin or token password (signature `+ACR`): it pulls and may ' +
      'push images. Regenerate it (Access keys, or the token’s passwords) and prefer Entra ID.',
    severity: 'high',
    keywords: ['+acr'],
    regex: re(`(?<![${AZ64}_-])([${AZ64}]{42}\\+ACR[A-D][${AZ64}]{5})(?![${AZ64}=_-])`),
    entropy: 4,
  },
  {
    id: 'azure-annotated-security-key',
    title: 'Azure DevOps personal access token or Microsoft annotated key',
    description:
      'A Microsoft common annotated security key (signature `JQQJ9` at a fixed offset): Azure DevOps ' +
      'personal access tokens and other Azure keys issued since 2024. Revoke it where it was issued ' +
      '(Azure DevOps: User settings → Personal access tokens).',
    severity: 'critical',
    keywords: ['jqqj9'],
    regex:
      /(?<![A-Za-z0-9])([A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?)(?![A-Za-z0-9=])/,
    entropy: 4,
  },
  {
    id: 'azure-sas-token',
    title: 'Azure shared access signature',
    description:
      'An Azure Storage shared access signature (`sv=…&sig=…`): until it expires it grants what its ' +
      '`sp` permissions allow on the account, container or blob. Rotate the storage key it was ' +
      'signed with (or revoke its stored access policy or user delegation key).',
    severity: 'high',
    keywords: ['sig='],
    // Parameters between `sv` and `sig` are `name=value&` pairs: a name cannot hold `=` or `&` and
    // a value cannot hold `&`, so each splits one way only.
    regex:
      /\bsv=20[0-9]{2}-[0-9]{2}-[0-9]{2}&(?:[A-Za-z0-9_.%:-]{1,64}=[^&\s"'<>]{0,256}&){0,12}?sig=([A-Za-z0-9%+/]{40,120})(?![A-Za-z0-9%+/])/,
    validate: isSasSignature,
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

/**
 * The AWS rule that pairs an unnamed secret with a nearby key ID. It runs after every token rule
 * (just before the context rules), so a 40-character token of another provider near a key ID is
 * reported as that provider's.
 */
export const AWS_PAIRED_RULES: readonly SecretRule[] = [
  {
    id: 'aws-secret-access-key-paired',
    title: 'AWS secret access key next to its key ID',
    description:
      'An unnamed 40-character AWS secret access key on the line of an access key ID or a few lines ' +
      'below it (a credentials CSV downloaded from IAM, pasted `aws configure` answers): with the ID ' +
      'it acts as the IAM user. Deactivate and delete the access key in IAM, create a new one, and ' +
      'review CloudTrail for its use.',
    severity: 'critical',
    keywords: ['akia', 'asia'],
    regex: re(PAIRED_SECRET),
    // Random base64 has about 5 bits per character; a readable identifier has far less.
    entropy: 4.3,
  },
];
