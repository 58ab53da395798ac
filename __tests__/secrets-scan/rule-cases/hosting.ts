/** True and false examples of the other cloud and hosting platforms (`src/secrets-scan/rules/hosting.ts`). */
import { B64, B64URL, DIGITS, HEX, LOWER, UPPER, embed, synth, tok, uuid, type RuleCases } from './synth.js';

export const HOSTING_CASES: Record<string, RuleCases> = {
  'alibaba-access-key-id': {
    truths: [
      embed('ALIBABA_CLOUD_ACCESS_KEY_ID=@@', tok('LTAI', synth('ltai-1', 20))),
      embed('{"AccessKeyId": "@@"}', tok('LTAI', synth('ltai-2', 16))),
    ],
    falses: [
      tok('LTAI', 'Qwertyuiopasdfgh'),
      tok('LTAI', synth('ltai-3', 11)),
      tok('LTAJ', synth('ltai-4', 20)),
    ],
  },
  'alibaba-secret-key': {
    truths: [
      embed('ALIBABA_CLOUD_ACCESS_KEY_SECRET=@@', synth('ali-secret-1', 30)),
      embed('aliyun_secret: "@@"', synth('ali-secret-2', 30)),
    ],
    falses: [
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET=${ALIBABA_SECRET}',
      `ALIBABA_CLOUD_ACCESS_KEY_SECRET=${synth('ali-secret-3', 29)}`,
      `alibaba_region = ${synth('ali-secret-4', 30)}`,
    ],
  },
  'ibm-cloud-api-key': {
    truths: [
      embed('IC_API_KEY=@@', synth('ibm-1', 44, B64URL)),
      embed('ibmcloud_api_key = "@@"', synth('ibm-2', 44, B64URL)),
    ],
    falses: [
      `IC_API_KEY=${synth('ibm-3', 43, B64URL)}`,
      'ibmcloud_api_key = var.ibmcloud_api_key',
      `ibm_region = ${synth('ibm-4', 44, B64URL)}`,
    ],
  },
  'scaleway-access-key': {
    truths: [
      embed('SCW_ACCESS_KEY=@@', tok('SCW', synth('scw-1', 17, UPPER + DIGITS))),
      embed('access_key = "@@"', tok('SCW', synth('scw-2', 17, UPPER + DIGITS))),
    ],
    falses: [
      tok('SCW', synth('scw-3', 16, UPPER + DIGITS)),
      tok('SCW', synth('scw-4', 17, LOWER)),
      'SCW_DEFAULT_ORGANIZATION_ID=org',
    ],
  },
  'scaleway-secret-key': {
    truths: [
      embed('SCW_SECRET_KEY=@@', uuid('scw-secret-1')),
      embed('scaleway_secret_key: "@@"', uuid('scw-secret-2')),
    ],
    falses: [
      'SCW_SECRET_KEY=00000000-0000-0000-0000-000000000000',
      `secret_key = ${uuid('scw-secret-3')}`,
      'SCW_SECRET_KEY=${SCW_SECRET_KEY}',
    ],
  },
  'cloudflare-api-token': {
    truths: [
      embed('CLOUDFLARE_API_TOKEN=@@', synth('cf-token-1', 40, B64URL)),
      embed('CF_API_TOKEN: "@@"', synth('cf-token-2', 40)),
    ],
    falses: [
      `CLOUDFLARE_API_TOKEN=${synth('cf-token-3', 39)}`,
      `cloudflare_zone_id = ${synth('cf-token-4', 40)}`,
      'CLOUDFLARE_API_TOKEN=${{ secrets.CLOUDFLARE_API_TOKEN }}',
    ],
  },
  'cloudflare-global-api-key': {
    truths: [
      embed('CLOUDFLARE_API_KEY=@@', synth('cf-key-1', 37, HEX)),
      embed('cf_api_key: "@@"', synth('cf-key-2', 37, HEX)),
    ],
    falses: [
      `CLOUDFLARE_API_KEY=${synth('cf-key-3', 36, HEX)}`,
      `CLOUDFLARE_API_KEY=${synth('cf-key-4', 38, HEX)}`,
      'CLOUDFLARE_API_KEY=${CF_KEY}',
    ],
  },
  'cloudflare-origin-ca-key': {
    truths: [
      embed('CF_ORIGIN_CA_KEY=@@', `v1.0-${synth('cf-ca-1', 24, HEX)}-${synth('cf-ca-2', 146, HEX)}`),
      embed('origin_ca_key: "@@"', `v1.0-${synth('cf-ca-3', 24, HEX)}-${synth('cf-ca-4', 146, HEX)}`),
    ],
    falses: [
      `v1.0-${synth('cf-ca-5', 24, HEX)}-${synth('cf-ca-6', 145, HEX)}`,
      `v2.0-${synth('cf-ca-7', 24, HEX)}-${synth('cf-ca-8', 146, HEX)}`,
    ],
  },
  'fastly-api-token': {
    truths: [
      embed('FASTLY_API_TOKEN=@@', synth('fastly-1', 32, B64URL)),
      embed('fastly_key: "@@"', synth('fastly-2', 32)),
    ],
    falses: [
      `FASTLY_API_TOKEN=${synth('fastly-3', 31)}`,
      `FASTLY_SERVICE_ID=${synth('fastly-4', 32)}`,
      'FASTLY_API_TOKEN=<your-fastly-token>',
    ],
  },
  'netlify-token': {
    truths: [
      embed('NETLIFY_AUTH_TOKEN=@@', synth('netlify-1', 43, B64URL)),
      embed('netlify_token: "@@"', tok('nfp_', synth('netlify-2', 36))),
    ],
    falses: [`NETLIFY_AUTH_TOKEN=${synth('netlify-3', 39)}`, `NETLIFY_SITE_ID=${uuid('netlify-4')}`],
  },
  'vercel-token': {
    truths: [
      embed('VERCEL_TOKEN=@@', synth('vercel-1', 24)),
      embed('vercel_api_token = "@@"', synth('vercel-2', 24)),
    ],
    falses: [
      `VERCEL_TOKEN=${synth('vercel-3', 23)}`,
      `VERCEL_ORG_ID=${synth('vercel-4', 24)}`,
      'VERCEL_TOKEN=${{ secrets.VERCEL_TOKEN }}',
    ],
  },
  'flyio-token': {
    truths: [
      embed('FLY_API_TOKEN=@@', tok('fo1_', synth('fly-1', 43, B64URL))),
      embed('FLY_API_TOKEN="FlyV1 @@"', tok('fm2_', synth('fly-2', 300, B64))),
    ],
    falses: [
      tok('fo1_', synth('fly-3', 42, B64URL)),
      tok('fm3_', synth('fly-4', 300, B64)),
      tok('fm2_', synth('fly-5', 99, B64)),
    ],
  },
  'supabase-token': {
    truths: [
      embed('SUPABASE_ACCESS_TOKEN=@@', tok('sbp_', synth('sbp-1', 40, HEX))),
      embed('supabase login --token @@', tok('sbp_', synth('sbp-2', 40, HEX))),
    ],
    falses: [
      tok('sbp_', synth('sbp-3', 39, HEX)),
      tok('sbp_', synth('sbp-4', 40, HEX).toUpperCase()),
      tok('sbx_', synth('sbp-5', 40, HEX)),
    ],
  },
  'planetscale-password': {
    truths: [
      embed(
        'DATABASE_URL=mysql://app:@@@aws.connect.psdb.cloud/images',
        tok('pscale_pw_', synth('pscale-1', 43, B64URL)),
      ),
      embed('PLANETSCALE_PASSWORD=@@', tok('pscale_pw_', synth('pscale-2', 43))),
    ],
    falses: [tok('pscale_pw_', synth('pscale-3', 31)), tok('pscale_pwd_', synth('pscale-4', 43))],
  },
  'planetscale-api-token': {
    truths: [
      embed('PLANETSCALE_SERVICE_TOKEN=@@', tok('pscale_tkn_', synth('pscale-5', 43, B64URL))),
      embed('token: @@', tok('pscale_oauth_', synth('pscale-6', 43))),
    ],
    falses: [tok('pscale_tkn_', synth('pscale-7', 31)), tok('pscale_token_', synth('pscale-8', 43))],
  },
  'pulumi-access-token': {
    truths: [
      embed('PULUMI_ACCESS_TOKEN=@@', tok('pul-', synth('pul-1', 40, HEX))),
      embed('accessToken: @@', tok('pul-', synth('pul-2', 40, HEX))),
    ],
    falses: [
      tok('pul-', synth('pul-3', 39, HEX)),
      tok('pul_', synth('pul-4', 40, HEX)),
      tok('pul-', synth('pul-5', 40, HEX).toUpperCase()),
    ],
  },
  'doppler-token': {
    truths: [
      embed('DOPPLER_TOKEN=@@', tok('dp.st.prd.', synth('doppler-1', 40))),
      embed('doppler configure set token @@', tok('dp.pt.', synth('doppler-2', 43))),
    ],
    falses: [tok('dp.xx.', synth('doppler-3', 43)), tok('dp.pt.', synth('doppler-4', 39))],
  },
  'databricks-token': {
    truths: [
      embed('DATABRICKS_TOKEN=@@', tok('dapi', synth('dapi-1', 32, HEX))),
      embed('token = @@', tok('dapi', synth('dapi-2', 32, HEX) + '-2')),
    ],
    falses: [
      tok('dapi', synth('dapi-3', 31, HEX)),
      tok('dapi', synth('dapi-4', 32, HEX).toUpperCase()),
      tok('dapi', synth('dapi-5', 33, HEX)),
    ],
  },
};
