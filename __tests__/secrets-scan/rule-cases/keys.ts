/** True and false examples of the private keys (`src/secrets-scan/rules/keys.ts`). */
import { HEX, B64, BECH32, synth, bytes, tok, pem, embed, type RuleCases } from './synth.js';

export const rsaKey = pem('RSA PRIVATE KEY', bytes('rsa', 600));
const pkcs8Json = pem('PRIVATE KEY', bytes('pkcs8', 320), '\\n');
const ecKey = pem('EC PRIVATE KEY', bytes('ec', 121)).replace(/\n/g, '\n    ');
const encryptedRsaKey = pem('RSA PRIVATE KEY', bytes('rsa-enc', 608)).replace(
  '-----\n',
  `-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${synth('dek', 32, HEX).toUpperCase()}\n\n`,
);
const opensshKey = pem('OPENSSH PRIVATE KEY', bytes('openssh', 400));
const opensshKey2 = pem('OPENSSH PRIVATE KEY', bytes('openssh-2', 250));
const pgpBody = pem('PGP PRIVATE KEY BLOCK', bytes('pgp', 500)).replace(
  '-----\n',
  '-----\nVersion: GnuPG v2\n\n',
);
const pgpBody2 = pem('PGP PRIVATE KEY BLOCK', bytes('pgp-2', 300)).replace(
  /\n(-----END)/,
  `\n=${synth('pgp-crc', 4, B64)}\n$1`,
);

/** A service-account key file as gcloud writes it, `@@` standing for its private key. */
const serviceAccount = (label: string) =>
  [
    '{',
    '  "type": "service_account",',
    '  "project_id": "imagepipe-ci",',
    `  "private_key_id": "${synth(label, 40, HEX)}",`,
    '  "private_key": "@@\\n",',
    '  "client_email": "ci@imagepipe-ci.iam.gserviceaccount.com",',
    '  "client_id": "1234"',
    '}',
  ].join('\n');

export const KEY_CASES: Record<string, RuleCases> = {
  'gcp-service-account-key': {
    truths: [
      embed(serviceAccount('sa-id-1'), pem('PRIVATE KEY', bytes('sa-1', 320), '\\n')),
      embed(
        `GOOGLE_CREDENTIALS='{"type": "service_account", "project_id": "p", "private_key_id": "${synth('sa-id-2', 40, HEX)}", "private_key": "@@\\n"}'`,
        pem('PRIVATE KEY', bytes('sa-2', 300), '\\n'),
      ),
    ],
    falses: [
      serviceAccount('sa-id-3').replace(
        '@@',
        '-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----',
      ),
      serviceAccount('sa-id-4')
        .replace('service_account', 'authorized_user')
        .replace('@@', pem('PRIVATE KEY', bytes('sa-4', 300), '\\n')),
      serviceAccount('sa-id-5')
        .replace(/"private_key_id": "[0-9a-f]+"/, '"private_key_id": "<key-id>"')
        .replace('@@', pem('PRIVATE KEY', bytes('sa-5', 300), '\\n')),
    ],
  },
  'private-key': {
    truths: [
      embed('# deploy key\n@@\n', rsaKey),
      embed('{"type": "service_account", "private_key": "@@\\n", "client_email": "ci@proj.iam"}', pkcs8Json),
      embed('tls:\n  key: |\n    @@\n', ecKey),
      embed('@@\n', encryptedRsaKey),
    ],
    falses: [
      'Paste the key that starts with -----BEGIN PRIVATE KEY----- into the form.',
      `-----BEGIN PRIVATE KEY-----\n${synth('short-pem', 40, B64)}\n-----END PRIVATE KEY-----`,
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----',
      pem('PUBLIC KEY', bytes('public', 294)),
      `-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(20)}\n-----END PRIVATE KEY-----`,
    ],
  },
  'openssh-private-key': {
    truths: [embed('@@\n', opensshKey), embed("cat > ~/.ssh/id_ed25519 <<'EOF'\n@@\nEOF\n", opensshKey2)],
    falses: [
      'ssh-keygen writes -----BEGIN OPENSSH PRIVATE KEY----- files.',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE...\n-----END OPENSSH PRIVATE KEY-----',
      pem('OPENSSH PRIVATE KEY', bytes('mismatch', 200)).replace('END OPENSSH', 'END RSA'),
      `-----BEGIN OPENSSH PRIVATE KEY-----\n${synth('short-ssh', 30, B64)}\n-----END OPENSSH PRIVATE KEY-----`,
    ],
  },
  'pgp-private-key-block': {
    truths: [embed('@@\n', pgpBody), embed('signing_key: |\n  @@', pgpBody2)],
    falses: [
      pem('PGP PUBLIC KEY BLOCK', bytes('pgp-public', 300)),
      'Export with gpg --armor --export-secret-keys (-----BEGIN PGP PRIVATE KEY BLOCK-----).',
      '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF...\n-----END PGP PRIVATE KEY BLOCK-----',
    ],
  },
  'age-secret-key': {
    truths: [
      embed('# public key: age1qqq\n@@\n', tok('AGE-SECRET-KEY-1', synth('age-1', 58, BECH32))),
      embed('SOPS_AGE_KEY=@@', tok('AGE-SECRET-KEY-1', synth('age-2', 58, BECH32))),
    ],
    falses: [
      tok('AGE-SECRET-KEY-1', synth('age-short', 57, BECH32)),
      tok('AGE-SECRET-KEY-1', synth('age-b', 57, BECH32) + 'B'),
      tok('AGE-SECRET-KEY-2', synth('age-3', 58, BECH32)),
    ],
  },
};
