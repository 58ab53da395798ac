/** True and false examples of the observability tokens (`src/secrets-scan/rules/observability.ts`). */
import { crc32 } from '../../../src/secrets-scan/rules/helpers.js';
import { ALNUM, B64, B64URL, DIGITS, HEX, UPPER, embed, synth, tok, uuid, type RuleCases } from './synth.js';

const b64json = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64');

/** A Grafana service account token with its CRC-32 (little-endian hex) checksum. */
function glsa(label: string, corrupt = false): string {
  const key = `glsa_${synth(label, 32)}`;
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(corrupt ? (crc32(key) ^ 1) >>> 0 : crc32(key));
  return `${key}_${sum.toString('hex')}`;
}

const sentryOrg = (label: string, claims: object) =>
  `sntrys_${b64json(claims)}_${synth(label, 43, ALNUM + '+/')}`;
const sentryClaims = (label: string) => ({
  iat: 1700000000 + label.length,
  url: 'https://sentry.io',
  region_url: 'https://us.sentry.io',
  org: 'acme',
});

export const OBSERVABILITY_CASES: Record<string, RuleCases> = {
  'new-relic-user-api-key': {
    truths: [
      embed('NEW_RELIC_API_KEY=@@', tok('NRAK-', synth('nrak-1', 27, UPPER + DIGITS))),
      embed('API-Key: @@', tok('NRAK-', synth('nrak-2', 27, UPPER + DIGITS))),
    ],
    falses: [
      tok('NRAK-', synth('nrak-3', 26, UPPER + DIGITS)),
      tok('NRAK_', synth('nrak-4', 27, UPPER + DIGITS)),
    ],
  },
  'new-relic-insert-key': {
    truths: [
      embed('NEW_RELIC_INSERT_KEY=@@', tok('NRII-', synth('nrii-1', 32, B64URL))),
      embed('X-Query-Key: @@', tok('NRIQ-', synth('nrii-2', 32))),
    ],
    falses: [tok('NRII-', synth('nrii-3', 31)), tok('NRIX-', synth('nrii-4', 32))],
  },
  'new-relic-license-key': {
    truths: [
      embed('NEW_RELIC_LICENSE_KEY=@@', `${synth('nral-1', 36, HEX)}NRAL`),
      embed("common:\n  license_key: '@@'\n", `${synth('nral-2', 36, HEX)}NRAL`),
    ],
    falses: [`${synth('nral-3', 35, HEX)}NRAL`, `${synth('nral-4', 36, HEX)}NRAX`],
  },
  'sentry-user-token': {
    truths: [
      embed('SENTRY_AUTH_TOKEN=@@', tok('sntryu_', synth('sntryu-1', 64, HEX))),
      embed('Authorization: Bearer @@', tok('sntryu_', synth('sntryu-2', 64, HEX))),
    ],
    falses: [tok('sntryu_', synth('sntryu-3', 63, HEX)), tok('sntryx_', synth('sntryu-4', 64, HEX))],
  },
  'sentry-org-token': {
    truths: [
      embed('SENTRY_AUTH_TOKEN=@@', sentryOrg('sntrys-1', sentryClaims('sntrys-1'))),
      embed('auth.token=@@', sentryOrg('sntrys-2', sentryClaims('sntrys-22'))),
    ],
    falses: [
      sentryOrg('sntrys-3', { url: 'https://sentry.io', region_url: 'https://us.sentry.io', org: 'acme' }),
      `sntrys_eyJ${synth('sntrys-4', 60)}_${synth('sntrys-5', 43)}`,
      sentryOrg('sntrys-6', sentryClaims('sntrys-6')).slice(0, -1),
    ],
  },
  'grafana-cloud-token': {
    truths: [
      embed('GRAFANA_CLOUD_TOKEN=@@', tok('glc_', synth('glc-1', 120, B64) + '=')),
      embed('remote_write:\n  - basic_auth:\n      password: @@\n', tok('glc_', synth('glc-2', 160, B64))),
    ],
    falses: [tok('glc_', synth('glc-3', 31, B64)), tok('glc-', synth('glc-4', 120, B64))],
  },
  'grafana-service-account-token': {
    truths: [embed('GRAFANA_TOKEN=@@', glsa('glsa-1')), embed('Authorization: Bearer @@', glsa('glsa-2'))],
    falses: [
      glsa('glsa-3', true),
      glsa('glsa-4')
        .replace(/_([0-9a-f]{8})$/, '_0$1')
        .slice(0, -1),
      `glsa_${synth('glsa-5', 31)}_00c0ffee`,
    ],
  },
  'grafana-api-key': {
    truths: [
      embed('GRAFANA_API_KEY=@@', b64json({ k: synth('gk-1', 32), n: 'ci', id: 1 })),
      embed('Authorization: Bearer @@', b64json({ k: synth('gk-2', 32), n: 'deploy', id: 7 })),
    ],
    falses: [
      b64json({ key: synth('gk-3', 32), n: 'ci', id: 1 }).replace(/^eyJ/, 'eyJrIjoi'),
      b64json({ k: synth('gk-4', 8), n: 'ci' }),
      `eyJrIjoi${synth('gk-5', 80)}`,
    ],
  },
  'dynatrace-api-token': {
    truths: [
      embed(
        'DT_API_TOKEN=@@',
        `dt0c01.${synth('dt-1', 24, UPPER + DIGITS)}.${synth('dt-2', 64, UPPER + DIGITS)}`,
      ),
      embed(
        'Authorization: Api-Token @@',
        `dt0s01.${synth('dt-3', 24, UPPER + DIGITS)}.${synth('dt-4', 64, UPPER + DIGITS)}`,
      ),
    ],
    falses: [
      `dt0c01.${synth('dt-5', 23, UPPER + DIGITS)}.${synth('dt-6', 64, UPPER + DIGITS)}`,
      `dt0c02.${synth('dt-7', 24, UPPER + DIGITS)}.${synth('dt-8', 64, UPPER + DIGITS)}`,
    ],
  },
  'honeycomb-api-key': {
    truths: [
      embed('HONEYCOMB_API_KEY=@@', synth('hny-1', 22)),
      embed('honeycomb_write_key: "@@"', synth('hny-2', 32, HEX)),
    ],
    falses: [
      `HONEYCOMB_API_KEY=${synth('hny-3', 21)}`,
      'HONEYCOMB_DATASET=frontend-production',
      'HONEYCOMB_API_KEY=${HONEYCOMB_API_KEY}',
    ],
  },
  'splunk-hec-token': {
    truths: [
      embed('SPLUNK_HEC_TOKEN=@@', uuid('splunk-1')),
      embed(
        'curl -H "Authorization: Splunk @@" https://splunk.internal:8088/services/collector',
        uuid('splunk-2'),
      ),
    ],
    falses: [
      'Authorization: Splunk 00000000-0000-0000-0000-000000000000',
      `SPLUNK_INDEX=${uuid('splunk-3')}`,
      'SPLUNK_HEC_TOKEN=${SPLUNK_HEC_TOKEN}',
    ],
  },
};
