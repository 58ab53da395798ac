/** True and false examples of the productivity and SaaS platform tokens (`src/secrets-scan/rules/productivity.ts`). */
import {
  B64,
  B64URL,
  DIGITS,
  HEX,
  LOWER,
  UPPER,
  b64url,
  digits,
  embed,
  synth,
  tok,
  uuid,
  type RuleCases,
} from './synth.js';

const mapbox = (label: string, claims: object, prefix = 'sk.') =>
  `${prefix}${b64url(JSON.stringify(claims))}.${synth(label, 22, B64URL)}`;
const secretKeyGroup = (label: string, n: number) => synth(label, n, UPPER + DIGITS);

export const PRODUCTIVITY_CASES: Record<string, RuleCases> = {
  'linear-api-key': {
    truths: [
      embed('LINEAR_API_KEY=@@', tok('lin_api_', synth('linear-1', 40))),
      embed('Authorization: Bearer @@', tok('lin_oauth_', synth('linear-2', 64, HEX))),
    ],
    falses: [tok('lin_api_', synth('linear-3', 39)), tok('lin_key_', synth('linear-4', 40))],
  },
  'notion-api-token': {
    truths: [
      embed('NOTION_TOKEN=@@', tok('ntn_', digits('ntn-1', 11) + synth('ntn-2', 35))),
      embed('auth: "@@"', tok('secret_', synth('ntn-3', 43))),
    ],
    falses: [tok('ntn_', synth('ntn-4', 46, LOWER)), tok('secret_', synth('ntn-5', 42))],
  },
  'postman-api-key': {
    truths: [
      embed('POSTMAN_API_KEY=@@', `PMAK-${synth('pmak-1', 24, HEX)}-${synth('pmak-2', 34, HEX)}`),
      embed('X-Api-Key: @@', `PMAK-${synth('pmak-3', 24, HEX)}-${synth('pmak-4', 34, HEX)}`),
    ],
    falses: [
      `PMAK-${synth('pmak-5', 23, HEX)}-${synth('pmak-6', 34, HEX)}`,
      `PMAK_${synth('pmak-7', 24, HEX)}-${synth('pmak-8', 34, HEX)}`,
    ],
  },
  '1password-service-account-token': {
    truths: [
      embed('OP_SERVICE_ACCOUNT_TOKEN=@@', tok('ops_eyJ', synth('ops-1', 400, B64))),
      embed('token: @@', tok('ops_eyJ', synth('ops-2', 600, B64) + '=')),
    ],
    falses: [tok('ops_eyJ', synth('ops-3', 249, B64)), tok('ops_', synth('ops-4', 400, B64))],
  },
  '1password-secret-key': {
    truths: [
      embed(
        'Secret Key: @@',
        [
          'A3',
          secretKeyGroup('opk-1', 6),
          secretKeyGroup('opk-2', 6),
          secretKeyGroup('opk-3', 5),
          secretKeyGroup('opk-4', 5),
          secretKeyGroup('opk-5', 5),
          secretKeyGroup('opk-6', 5),
        ].join('-'),
      ),
      embed(
        'OP_SECRET_KEY=@@',
        [
          'A3',
          secretKeyGroup('opk-7', 6),
          secretKeyGroup('opk-8', 11),
          secretKeyGroup('opk-9', 5),
          secretKeyGroup('opk-10', 5),
          secretKeyGroup('opk-11', 5),
        ].join('-'),
      ),
    ],
    falses: [
      [
        'A4',
        secretKeyGroup('opk-12', 6),
        secretKeyGroup('opk-13', 6),
        secretKeyGroup('opk-14', 5),
        secretKeyGroup('opk-15', 5),
        secretKeyGroup('opk-16', 5),
        secretKeyGroup('opk-17', 5),
      ].join('-'),
      [
        'A3',
        secretKeyGroup('opk-18', 6),
        secretKeyGroup('opk-19', 6),
        secretKeyGroup('opk-20', 4),
        secretKeyGroup('opk-21', 5),
        secretKeyGroup('opk-22', 5),
        secretKeyGroup('opk-23', 5),
      ].join('-'),
    ],
  },
  'figma-token': {
    truths: [
      embed('FIGMA_TOKEN=@@', tok('figd_', synth('figd-1', 40, B64URL))),
      embed('X-Figma-Token: @@', tok('figd_', synth('figd-2', 43, B64URL))),
    ],
    falses: [tok('figd_', synth('figd-3', 39)), tok('figx_', synth('figd-4', 40))],
  },
  'dropbox-access-token': {
    truths: [
      embed('DROPBOX_ACCESS_TOKEN=@@', tok('sl.', synth('dbx-1', 140, B64URL))),
      embed('Authorization: Bearer @@', tok('sl.u.', synth('dbx-2', 600, B64URL))),
    ],
    falses: [
      tok('sl.', synth('dbx-3', 129, B64URL)),
      `url.sl.${synth('dbx-4', 140)}`,
      tok('sl.', 'x'.repeat(140)),
    ],
  },
  'contentful-pat': {
    truths: [
      embed('CONTENTFUL_MANAGEMENT_TOKEN=@@', tok('CFPAT-', synth('cfpat-1', 43, B64URL))),
      embed('contentful space list --management-token @@', tok('CFPAT-', synth('cfpat-2', 43))),
    ],
    falses: [tok('CFPAT-', synth('cfpat-3', 42)), tok('CFPAT_', synth('cfpat-4', 43))],
  },
  'okta-api-token': {
    truths: [
      embed('Authorization: SSWS @@', tok('00', synth('okta-1', 40, B64URL))),
      embed('OKTA_API_TOKEN=@@', tok('00', synth('okta-2', 40))),
    ],
    falses: [
      `Authorization: SSWS ${tok('01', synth('okta-3', 40))}`,
      `OKTA_API_TOKEN=${tok('00', synth('okta-4', 39))}`,
      'OKTA_ORG_URL=https://acme.okta.com',
    ],
  },
  'airtable-pat': {
    truths: [
      embed('AIRTABLE_TOKEN=@@', `pat${synth('airtable-1', 14)}.${synth('airtable-2', 64, HEX)}`),
      embed('Authorization: Bearer @@', `pat${synth('airtable-3', 14)}.${synth('airtable-4', 64, HEX)}`),
    ],
    falses: [
      `pat${synth('airtable-5', 13)}.${synth('airtable-6', 64, HEX)}`,
      `pat${synth('airtable-7', 14)}.${synth('airtable-8', 63, HEX)}`,
    ],
  },
  'hubspot-private-app-token': {
    truths: [
      embed('HUBSPOT_ACCESS_TOKEN=@@', `pat-na1-${uuid('hubspot-1')}`),
      embed('Authorization: Bearer @@', `pat-eu1-${uuid('hubspot-2')}`),
    ],
    falses: [`pat-xx1-${uuid('hubspot-3')}`, `pat-na1-${uuid('hubspot-4').slice(0, 30)}`],
  },
  'mapbox-secret-token': {
    truths: [
      embed(
        'MAPBOX_SECRET_TOKEN=@@',
        mapbox('mapbox-1', { u: 'acme', a: synth('mapbox-a1', 25, LOWER + DIGITS) }),
      ),
      embed(
        'MAPBOX_DOWNLOADS_TOKEN=@@',
        mapbox('mapbox-2', { u: 'imagepipe', a: synth('mapbox-a2', 25, LOWER + DIGITS) }),
      ),
    ],
    falses: [
      mapbox('mapbox-3', { u: 'acme', a: synth('mapbox-a3', 25, LOWER + DIGITS) }, 'pk.'),
      mapbox('mapbox-4', { user: 'acme', a: synth('mapbox-a4', 25, LOWER + DIGITS) }),
    ],
  },
};
