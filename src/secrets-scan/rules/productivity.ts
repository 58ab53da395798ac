/**
 * Productivity and SaaS platforms: Linear, Notion, Postman, 1Password, Figma, Dropbox, Contentful,
 * Okta, Airtable, HubSpot and Mapbox.
 */
import type { SecretRule } from '../types.js';
import { ASSIGN, base64Json, re } from './helpers.js';

/** A Mapbox token's middle part is the base64url of `{"u":"<user>","a":"<id>"}`. */
function hasMapboxClaims(token: string): boolean {
  const [, claims] = token.split('.');
  return typeof base64Json(claims ?? '')?.u === 'string';
}

export const PRODUCTIVITY_RULES: readonly SecretRule[] = [
  {
    id: 'linear-api-key',
    title: 'Linear API key or OAuth token',
    description:
      'A Linear personal API key (`lin_api_`) or OAuth access token (`lin_oauth_`): it reads and ' +
      'changes the workspace’s issues and projects as its user. Revoke it in Linear → Settings → ' +
      'Security & access (API keys).',
    severity: 'high',
    keywords: ['lin_api_', 'lin_oauth_'],
    publicPrefix: true,
    regex: /\b(lin_api_[A-Za-z0-9]{40}|lin_oauth_[a-f0-9]{64})\b/,
    entropy: 3.5,
  },
  {
    id: 'notion-api-token',
    title: 'Notion integration token',
    description:
      'A Notion internal integration secret (`ntn_`, older `secret_`): it reads and edits every page ' +
      'and database shared with the integration. Refresh it at notion.so/my-integrations.',
    severity: 'high',
    keywords: ['ntn_', 'secret_'],
    publicPrefix: true,
    regex: /\b(ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})\b/,
    entropy: 4,
  },
  {
    id: 'postman-api-key',
    title: 'Postman API key',
    description:
      'A Postman API key (`PMAK-`): it reads and changes the workspaces, collections and environments ' +
      '(with their secrets) of its user. Revoke it in Postman → Settings → API keys.',
    severity: 'high',
    keywords: ['pmak-'],
    publicPrefix: true,
    regex: /\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b/,
    entropy: 3,
  },
  {
    id: '1password-service-account-token',
    title: '1Password service account token',
    description:
      'A 1Password service account token (`ops_eyJ…`): it reads (and maybe writes) every item in the ' +
      'vaults granted to the service account. Revoke it in 1Password → Developer → Service accounts ' +
      'and rotate the secrets it could read.',
    severity: 'critical',
    keywords: ['ops_eyj'],
    publicPrefix: true,
    regex: /\b(ops_eyJ[A-Za-z0-9+/]{250,4000}={0,3})(?![A-Za-z0-9+/=])/,
    entropy: 4,
  },
  {
    id: '1password-secret-key',
    title: '1Password account Secret Key',
    description:
      'A 1Password account Secret Key (`A3-…`): with the account password it decrypts the whole ' +
      'account. Change the account password and regenerate the Secret Key (Profile → Security).',
    severity: 'critical',
    keywords: ['a3-'],
    publicPrefix: true,
    regex:
      /\b(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\b/,
    entropy: 3.5,
  },
  {
    id: 'figma-token',
    title: 'Figma personal access token',
    description:
      'A Figma personal access token (`figd_`): it reads (and with write scopes, changes) every file ' +
      'its user can open. Revoke it in Figma → Settings → Security → Personal access tokens.',
    severity: 'medium',
    keywords: ['figd_'],
    publicPrefix: true,
    regex: /\b(figd_[A-Za-z0-9_-]{40,64})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'dropbox-access-token',
    title: 'Dropbox short-lived access token',
    description:
      'A Dropbox API access token (`sl.`): for a few hours it reads and writes the files its app may ' +
      'reach. Revoke it (`/2/auth/token/revoke`) and rotate the refresh token or app secret it came from.',
    severity: 'medium',
    keywords: ['sl.'],
    publicPrefix: true,
    regex: /(?<![A-Za-z0-9_.-])(sl\.(?:u\.)?[A-Za-z0-9_-]{130,1400})(?![A-Za-z0-9_-])/,
    entropy: 4.5,
  },
  {
    id: 'contentful-pat',
    title: 'Contentful personal access token',
    description:
      'A Contentful Content Management personal access token (`CFPAT-`): it creates, changes and ' +
      'publishes content in every space of its user. Revoke it in Contentful → Account settings → CMA tokens.',
    severity: 'high',
    keywords: ['cfpat-'],
    publicPrefix: true,
    regex: /\b(CFPAT-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'okta-api-token',
    title: 'Okta API token',
    description:
      'An Okta API token (`SSWS 00…`, or assigned to an Okta setting): it manages users, groups and ' +
      'applications with its creator’s admin role. Revoke it in the Okta Admin Console → Security → ' +
      'API → Tokens.',
    severity: 'critical',
    precision: 'medium',
    keywords: ['ssws', 'okta'],
    regex: re(
      String.raw`(?:\bSSWS[^\S\r\n]+|(?<![A-Za-z0-9])okta[\w.-]{0,24}?${ASSIGN})(00[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])`,
      'i',
    ),
    entropy: 4,
  },
  {
    id: 'airtable-pat',
    title: 'Airtable personal access token',
    description:
      'An Airtable personal access token (`pat….…`): it reads and writes the bases its scopes allow. ' +
      'Delete it at airtable.com/create/tokens.',
    severity: 'high',
    keywords: ['pat'],
    publicPrefix: true,
    regex: /\b(pat[A-Za-z0-9]{14}\.[a-f0-9]{64})\b/,
    entropy: 3.5,
  },
  {
    id: 'hubspot-private-app-token',
    title: 'HubSpot private app access token',
    description:
      'A HubSpot private app access token (`pat-na1-…`, `pat-eu1-…`): it reads and changes CRM ' +
      'records with the app’s scopes. Rotate it in HubSpot → Settings → Integrations → Private Apps.',
    severity: 'high',
    keywords: ['pat-'],
    publicPrefix: true,
    regex: /\b(pat-(?:na|eu|ap)[0-9]-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/,
    entropy: 3,
  },
  {
    id: 'mapbox-secret-token',
    title: 'Mapbox secret access token',
    description:
      'A Mapbox secret access token (`sk.eyJ…`, unlike the public `pk.` tokens): it uploads tilesets ' +
      'and styles and reads account data, billed to the account. Delete it at account.mapbox.com → Tokens.',
    severity: 'high',
    keywords: ['sk.eyj'],
    publicPrefix: true,
    regex: /\b(sk\.eyJ[A-Za-z0-9_-]{20,300}\.[A-Za-z0-9_-]{20,40})(?![A-Za-z0-9_.-])/,
    validate: hasMapboxClaims,
  },
];
