/** True and false examples of the cloud and infrastructure credentials (`src/secrets-scan/rules/cloud.ts`). */
import {
  ALNUM,
  HEX,
  B64,
  B64URL,
  BASE32,
  bytes,
  gitSha,
  synth,
  tok,
  uuid,
  embed,
  type RuleCases,
} from './synth.js';

const awsSecret = synth('aws-secret', 40, B64);
/** An Azure identifiable key: random base64 around a service signature at a fixed offset. */
const azureKey = (label: string, before: number, signature: string, after: string) =>
  synth(`${label}-a`, before, B64) + signature + after;
/** A SAS `sig`: the URL-encoded base64 of a 32-byte HMAC. */
const sasSig = (label: string, n = 32) => encodeURIComponent(bytes(label, n).toString('base64'));
const SAS_QUERY =
  'sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https';

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
      embed('"refresh_token": "@@"', tok('dor_v1_', synth('do-5', 64, HEX))),
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
  'aws-secret-access-key-paired': {
    truths: [
      embed(
        `Access key ID,Secret access key\n${tok('AKIA', synth('paired-id-1', 16, BASE32))},@@\n`,
        synth('paired-1', 40, B64),
      ),
      embed(
        `$ aws configure\nAWS Access Key ID [None]: ${tok('AKIA', synth('paired-id-2', 16, BASE32))}\nAWS Secret Access Key [None]: @@\nDefault region name [None]: eu-west-1\n`,
        synth('paired-2', 40, B64),
      ),
      embed(
        `key ${tok('ASIA', synth('paired-id-3', 16, BASE32))} at ${gitSha('paired-sha')}\n\nsecret @@`,
        synth('paired-3', 40, B64),
      ),
    ],
    falses: [
      `${tok('AKIA', synth('paired-id-4', 16, BASE32))} deployed from ${gitSha('paired-sha-2')}`,
      `${tok('AKIA', synth('paired-id-5', 16, BASE32))}\n1\n2\n3\n4\n${synth('paired-5', 40, B64)}`,
      `${tok('AKIA', synth('paired-id-6', 16, BASE32))},${synth('paired-6', 41, B64)}`,
      `${synth('paired-7', 40, B64)} with no key id`,
      'AKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    ],
  },
  'aws-sts-session-token': {
    truths: [
      embed('X-Amz-Security-Token: @@', tok('IQoJb3JpZ2luX2Vj', synth('sts-1', 300, B64))),
      embed('credentials = {"Token": "@@"}', tok('FwoGZXIvYXdz', synth('sts-2', 200, B64) + '==')),
    ],
    falses: [
      tok('IQoJb3JpZ2luX2Vj', synth('sts-3', 99, B64)),
      tok('IQoJb3JpZ2luX2Vk', synth('sts-4', 300, B64)),
      tok('xIQoJb3JpZ2luX2Vj', synth('sts-5', 300, B64)),
    ],
  },
  'aws-bedrock-api-key': {
    truths: [
      embed('AWS_BEARER_TOKEN_BEDROCK=@@', tok('ABSKQmVkcm9ja0FQSUtleS', synth('bedrock-1', 110, B64))),
      embed(
        'api_key = "@@"',
        tok('bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t', synth('bedrock-2', 900, B64) + '=='),
      ),
    ],
    falses: [
      tok('ABSKQmVkcm9ja0FQSUtleS', synth('bedrock-3', 59, B64)),
      tok('ABSKQmVkcm9ja0FQSUtleT', synth('bedrock-4', 110, B64)),
      tok('bedrock-api-key-', synth('bedrock-5', 900, B64)),
    ],
  },
  'google-oauth-access-token': {
    truths: [
      embed('Authorization: Bearer @@', tok('ya29.', synth('ya29-1', 150, B64URL))),
      embed('{"access_token": "@@", "expires_in": 3599}', tok('ya29.', synth('ya29-2', 200, B64URL))),
    ],
    falses: [
      tok('ya29.', synth('ya29-3', 29, B64URL)),
      tok('ya30.', synth('ya29-4', 150, B64URL)),
      tok('ya29.', 'x'.repeat(60)),
    ],
  },
  'google-oauth-refresh-token': {
    truths: [
      embed('{"refresh_token": "@@"}', tok('1//0', synth('g-refresh-1', 100, B64URL))),
      embed('GOOGLE_REFRESH_TOKEN=@@', tok('1//0', synth('g-refresh-2', 60))),
    ],
    falses: [
      tok('1//0', synth('g-refresh-3', 39)),
      tok('x1//0', synth('g-refresh-4', 60)),
      tok('1//1', synth('g-refresh-5', 60)),
    ],
  },
  'azure-identifiable-key': {
    truths: [
      embed('"primaryKey": "@@"', azureKey('azid-1', 76, '+ASt', synth('azid-1b', 5, B64) + 'Q==')),
      embed('COSMOS_KEY=@@', azureKey('azid-2', 76, 'ACDb', synth('azid-2b', 5, B64) + 'w==')),
      embed('apim: { key: @@ }', azureKey('azid-3', 76, 'APIM', synth('azid-3b', 5, B64) + 'A==')),
    ],
    falses: [
      azureKey('azid-4', 75, '+ASt', synth('azid-4b', 5, B64) + 'Q=='),
      azureKey('azid-5', 76, '+ASu', synth('azid-5b', 5, B64) + 'Q=='),
      azureKey('azid-6', 76, 'ACDb', synth('azid-6b', 5, B64) + 'B=='),
      'x+' + azureKey('azid-7', 76, 'ACDb', synth('azid-7b', 5, B64) + 'A=='),
    ],
  },
  'azure-identifiable-shared-key': {
    truths: [
      embed('primary_key: "@@"', azureKey('azsh-1', 33, '+AEh', 'C' + synth('azsh-1b', 5, B64) + '=')),
      embed('REDIS_KEY=@@', azureKey('azsh-2', 33, 'AzCa', 'P' + synth('azsh-2b', 5, B64) + '=')),
    ],
    falses: [
      azureKey('azsh-3', 33, '+AEh', 'Q' + synth('azsh-3b', 5, B64) + '='),
      azureKey('azsh-4', 32, '+ASb', 'A' + synth('azsh-4b', 5, B64) + '='),
      azureKey('azsh-5', 33, '+AEi', 'A' + synth('azsh-5b', 5, B64) + '='),
    ],
  },
  'azure-function-key': {
    truths: [
      embed(
        'https://app.azurewebsites.net/api/resize?code=@@',
        synth('azfu-1', 44, B64URL) + 'AzFu' + synth('azfu-1b', 5, B64URL) + 'A==',
      ),
      embed(
        'x-functions-key: @@',
        synth('azfu-2', 44, B64URL) + 'AzFu' + synth('azfu-2b', 5, B64URL) + 'g==',
      ),
    ],
    falses: [
      synth('azfu-3', 43, B64URL) + 'AzFu' + synth('azfu-3b', 5, B64URL) + 'A==',
      synth('azfu-4', 44, B64URL) + 'AzFv' + synth('azfu-4b', 5, B64URL) + 'A==',
      synth('azfu-5', 44, B64URL) + 'AzFu' + synth('azfu-5b', 5, B64URL) + 'B==',
    ],
  },
  'azure-search-key': {
    truths: [
      embed('api-key: @@', azureKey('azse-1', 42, 'AzSe', 'B' + synth('azse-1b', 5, B64))),
      embed('SEARCH_ADMIN_KEY=@@', azureKey('azse-2', 42, 'AzSe', 'D' + synth('azse-2b', 5, B64))),
    ],
    falses: [
      azureKey('azse-3', 42, 'AzSe', 'E' + synth('azse-3b', 5, B64)),
      azureKey('azse-4', 41, 'AzSe', 'A' + synth('azse-4b', 5, B64)),
      azureKey('azse-5', 42, 'AzSf', 'A' + synth('azse-5b', 5, B64)),
    ],
  },
  'azure-container-registry-key': {
    truths: [
      embed(
        'docker login images.azurecr.io -u ci -p @@',
        azureKey('acr-1', 42, '+ACR', 'A' + synth('acr-1b', 5, B64)),
      ),
      embed('ACR_PASSWORD=@@', azureKey('acr-2', 42, '+ACR', 'C' + synth('acr-2b', 5, B64))),
    ],
    falses: [
      azureKey('acr-3', 42, '+ACR', 'F' + synth('acr-3b', 5, B64)),
      azureKey('acr-4', 42, '+ACS', 'A' + synth('acr-4b', 5, B64)),
      azureKey('acr-5', 42, '+ACR', 'A' + synth('acr-5b', 6, B64)),
    ],
  },
  'azure-annotated-security-key': {
    truths: [
      embed(
        'AZURE_DEVOPS_PAT=@@',
        synth('ado-1', 52) +
          'JQQJ99' +
          synth('ado-1b', 1) +
          'C' +
          synth('ado-1c', 16) +
          'a' +
          synth('ado-1d', 7),
      ),
      embed(
        'git clone https://pat:@@@dev.azure.com/org/project/_git/images',
        synth('ado-2', 52) +
          'JQQJ9D' +
          synth('ado-2b', 1) +
          'L' +
          synth('ado-2c', 16) +
          'Q' +
          synth('ado-2d', 7),
      ),
    ],
    falses: [
      synth('ado-3', 52) +
        'JQQJ8' +
        '9' +
        synth('ado-3b', 1) +
        'C' +
        synth('ado-3c', 16) +
        'a' +
        synth('ado-3d', 7),
      synth('ado-4', 52) +
        'JQQJ99' +
        synth('ado-4b', 1) +
        'M' +
        synth('ado-4c', 16) +
        'a' +
        synth('ado-4d', 7),
      synth('ado-5', 51) +
        'JQQJ99' +
        synth('ado-5b', 1) +
        'C' +
        synth('ado-5c', 16) +
        'a' +
        synth('ado-5d', 7),
    ],
  },
  'azure-sas-token': {
    truths: [
      embed(`https://stimages.blob.core.windows.net/raw/cat.png?${SAS_QUERY}&sig=@@`, sasSig('sas-1')),
      embed('AZURE_SAS="sv=2021-08-06&sr=c&sp=racwdl&sig=@@"', sasSig('sas-2')),
    ],
    falses: [
      `https://stimages.blob.core.windows.net/raw/cat.png?${SAS_QUERY}&sig=${sasSig('sas-3', 31)}`,
      `?${SAS_QUERY}&sig=<signature>`,
      `?sig=${sasSig('sas-4')}&${SAS_QUERY}`,
      `?sp=r&sig=${sasSig('sas-5')}`,
    ],
  },
};
