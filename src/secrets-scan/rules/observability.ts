/**
 * Observability: New Relic, Sentry, Grafana, Dynatrace, Honeycomb and Splunk. (Datadog is in
 * `saas.ts`.)
 */
import type { SecretRule } from '../types.js';
import { ASSIGN, UUID, assigned, base64Json, crc32, re } from './helpers.js';

/**
 * A Grafana service account token ends with the CRC-32 of everything before its last `_`, as four
 * little-endian bytes in hex (Grafana's `satokengen`).
 */
function hasGrafanaChecksum(token: string): boolean {
  const cut = token.lastIndexOf('_');
  const crc = crc32(token.slice(0, cut));
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(crc);
  return bytes.toString('hex') === token.slice(cut + 1).toLowerCase();
}

/** A Sentry organization token is `sntrys_` + base64 JSON claims (with `iat`) + `_` + a secret. */
function hasSentryClaims(token: string): boolean {
  const claims = base64Json(token.slice('sntrys_'.length, token.lastIndexOf('_')));
  return typeof claims?.iat === 'number';
}

/** A legacy Grafana API key is the base64 of `{"k":…,"n":…,"id":…}`. */
function hasGrafanaKeyClaims(key: string): boolean {
  const claims = base64Json(key);
  return typeof claims?.k === 'string' && typeof claims.n === 'string';
}

export const OBSERVABILITY_RULES: readonly SecretRule[] = [
  // ── New Relic ─────────────────────────────────────────────────────────────────────────────────
  {
    id: 'new-relic-user-api-key',
    title: 'New Relic user API key',
    description:
      'A New Relic user API key (`NRAK-`): it queries and changes the accounts its user can reach ' +
      '(NerdGraph). Delete it at one.newrelic.com → API keys.',
    severity: 'high',
    keywords: ['nrak-'],
    publicPrefix: true,
    regex: /\b(NRAK-[A-Z0-9]{27})\b/,
    entropy: 3.5,
  },
  {
    id: 'new-relic-insert-key',
    title: 'New Relic Insights insert or query key',
    description:
      'A New Relic Insights insert (`NRII-`) or query (`NRIQ-`) key: it writes custom events into ' +
      'the account, or reads them. Delete it at one.newrelic.com → API keys.',
    severity: 'medium',
    keywords: ['nrii-', 'nriq-'],
    publicPrefix: true,
    regex: /\b(NRI[IQ]-[A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'new-relic-license-key',
    title: 'New Relic license (ingest) key',
    description:
      'A New Relic license key (40 characters ending in `NRAL`): agents report data into the account ' +
      'with it. Delete the ingest key at one.newrelic.com → API keys and redeploy the agents with a new one.',
    severity: 'medium',
    keywords: ['nral'],
    regex: /\b([a-f0-9]{36}NRAL)\b/,
    entropy: 3,
  },

  // ── Sentry and Grafana ────────────────────────────────────────────────────────────────────────
  {
    id: 'sentry-user-token',
    title: 'Sentry user auth token',
    description:
      'A Sentry user auth token (`sntryu_`): it calls the Sentry API as its user with the scopes ' +
      'granted (read events, change projects). Revoke it at sentry.io → User settings → Auth Tokens.',
    severity: 'high',
    keywords: ['sntryu_'],
    publicPrefix: true,
    regex: /\b(sntryu_[a-f0-9]{64})\b/,
    entropy: 3,
  },
  {
    id: 'sentry-org-token',
    title: 'Sentry organization auth token',
    description:
      'A Sentry organization auth token (`sntrys_`): it uploads releases and source maps for the ' +
      'organization (CI). Revoke it at sentry.io → Settings → Auth Tokens.',
    severity: 'medium',
    keywords: ['sntrys_'],
    publicPrefix: true,
    regex: /\b(sntrys_eyJ[A-Za-z0-9+/=]{30,600}_[A-Za-z0-9+/]{43})(?![A-Za-z0-9+/=_])/,
    validate: hasSentryClaims,
  },
  {
    id: 'grafana-cloud-token',
    title: 'Grafana Cloud access policy token',
    description:
      'A Grafana Cloud access policy or API token (`glc_`): it reads or writes metrics, logs and ' +
      'traces, or manages the stack, as its policy allows. Delete it at grafana.com → Administration ' +
      '→ Access policies.',
    severity: 'high',
    keywords: ['glc_'],
    publicPrefix: true,
    regex: /\b(glc_[A-Za-z0-9+/]{32,400}={0,2})(?![A-Za-z0-9+/=])/,
    entropy: 4,
  },
  {
    id: 'grafana-service-account-token',
    title: 'Grafana service account token',
    description:
      'A Grafana service account token (`glsa_`): it calls the Grafana API with the service account’s ' +
      'role (dashboards, data sources, alerting). Delete it in Administration → Service accounts.',
    severity: 'high',
    keywords: ['glsa_'],
    publicPrefix: true,
    regex: /\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\b/,
    validate: hasGrafanaChecksum,
  },
  {
    id: 'grafana-api-key',
    title: 'Grafana API key (legacy)',
    description:
      'A legacy Grafana API key (`eyJrIjoi…`, base64 JSON): it calls the Grafana API with its role. ' +
      'Delete it in Administration → API keys and move to service accounts.',
    severity: 'high',
    keywords: ['eyjrijoi'],
    publicPrefix: true,
    regex: /(?<![A-Za-z0-9+/])(eyJrIjoi[A-Za-z0-9]{40,400}={0,2})(?![A-Za-z0-9+/=])/,
    validate: hasGrafanaKeyClaims,
  },

  // ── Other APM ─────────────────────────────────────────────────────────────────────────────────
  {
    id: 'dynatrace-api-token',
    title: 'Dynatrace API or platform token',
    description:
      'A Dynatrace access token (`dt0c01.`) or platform token (`dt0s01.`): it reads monitoring data ' +
      'or changes the environment as its scopes allow. Revoke it in Access tokens (or Account ' +
      'Management → Platform tokens).',
    severity: 'high',
    keywords: ['dt0c01.', 'dt0s01.'],
    publicPrefix: true,
    regex: /\b(dt0[cs]01\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b/,
    entropy: 4,
  },
  {
    id: 'honeycomb-api-key',
    title: 'Honeycomb API key',
    description:
      'A Honeycomb ingest or configuration key assigned to a Honeycomb setting: it sends events into ' +
      'the environment, or changes its datasets and triggers. Delete it in Environment settings → API Keys.',
    severity: 'medium',
    precision: 'medium',
    keywords: ['honeycomb'],
    regex: re(
      assigned(String.raw`honeycomb[\w.-]{0,20}?(?:key|token)`, '[a-f0-9]{32}|[A-Za-z0-9]{22}', 'A-Za-z0-9'),
      'i',
    ),
    entropy: 3.5,
  },
  {
    id: 'splunk-hec-token',
    title: 'Splunk HTTP Event Collector token',
    description:
      'A Splunk HTTP Event Collector token, assigned to a Splunk setting or sent as ' +
      '`Authorization: Splunk …`: it writes events into the indexes it allows. Disable or delete it ' +
      'in Settings → Data inputs → HTTP Event Collector.',
    severity: 'medium',
    precision: 'medium',
    keywords: ['splunk'],
    regex: re(
      String.raw`(?:(?<![A-Za-z0-9])splunk[\w.-]{0,24}?(?:token|key)[\w.-]{0,12}?${ASSIGN}|\bSplunk[^\S\r\n]+)` +
        String.raw`(${UUID})(?![A-Za-z0-9-])`,
      'i',
    ),
    entropy: 3,
  },
];
