/** True and false examples of the cloud and infrastructure credentials (`src/secrets-scan/rules/cloud.ts`). */
import { ALNUM, HEX, B64, B64URL, BASE32, synth, tok, uuid, embed, type RuleCases } from './synth.js';

const awsSecret = synth('aws-secret', 40, B64);

export const CLOUD_CASES: Record<string, RuleCases> = {
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
};
