/**
 * Private keys: Google Cloud service-account key files, PEM (RSA, EC, DSA, PKCS#8), OpenSSH, PGP,
 * and age identities.
 */
import type { SecretRule } from '../types.js';
import { re } from './helpers.js';

/**
 * The body of a PEM block: base64, armor headers (`Proc-Type: 4,ENCRYPTED`), real or `\n` (JSON)
 * newlines. It never contains `-----`, so a match cannot run on past the next BEGIN/END line and
 * each BEGIN is scanned only up to its own END (or the next BEGIN): the scans of all the BEGINs in
 * a file never overlap, even when none of them is closed. Each character has one way to match
 * (`-` and `\` are not in the class), so a failed scan backtracks in linear time.
 */
const PEM_BODY = String.raw`(?:[A-Za-z0-9+/=\s:,]|-(?!----)|\\[nr]){50,16384}?`;
/** PGP armor may also carry `Version:` and `Comment:` headers, and a key with subkeys is long. */
const PGP_BODY = String.raw`(?:[A-Za-z0-9+/=\s:,.()_@']|-(?!----)|\\[nr]){50,65536}?`;
const PEM_KIND = String.raw`(?:(?:RSA|EC|DSA|ENCRYPTED|ANY) )?`;
/** A JSON key and its colon, also inside a JSON string (`\"type\": \"…\"`). */
const jsonKey = (name: string) => String.raw`\\?"${name}\\?"[^\S\r\n]*:[^\S\r\n]*\\?"`;

export const KEY_RULES: readonly SecretRule[] = [
  // ── Private keys ──────────────────────────────────────────────────────────────────────────────
  {
    id: 'gcp-service-account-key',
    title: 'Google Cloud service account key',
    description:
      'The private key of a Google Cloud service-account key file (`"type": "service_account"`, ' +
      '`"private_key_id"`, `"private_key"`): it acts as the service account with all its IAM roles. ' +
      'Delete the key in IAM & Admin → Service accounts → Keys (its id is `private_key_id`), and ' +
      'prefer workload identity federation to key files.',
    severity: 'critical',
    keywords: ['service_account'],
    // The fields keep gcloud's order (type, project_id, private_key_id, private_key). The key is
    // the same span the PEM rule would report, so this rule (first) names it.
    regex: re(
      jsonKey('type') +
        String.raw`service_account\\?"[\s\S]{0,400}?` +
        jsonKey('private_key_id') +
        String.raw`[0-9a-f]{40}\\?"[^\S\r\n]*,\s{0,40}` +
        jsonKey('private_key') +
        String.raw`(-----BEGIN PRIVATE KEY-----${PEM_BODY}-----END PRIVATE KEY-----)`,
    ),
    entropy: 4,
  },
  {
    id: 'private-key',
    title: 'Private key (PEM)',
    description:
      'A PEM-encoded RSA, EC, DSA or PKCS#8 private key: whoever holds it can impersonate its owner, ' +
      'decrypt traffic or sign as it. Replace the key pair, revoke any certificate issued for it, and ' +
      'remove the key from the repository history.',
    severity: 'critical',
    keywords: ['private key'],
    regex: re(`-----BEGIN ${PEM_KIND}PRIVATE KEY-----${PEM_BODY}-----END ${PEM_KIND}PRIVATE KEY-----`),
    entropy: 4,
  },
  {
    id: 'openssh-private-key',
    title: 'OpenSSH private key',
    description:
      'An OpenSSH private key: it logs in wherever its public key is authorized. Remove the public key ' +
      'from every `authorized_keys`, deploy-key and account list, then generate a new pair.',
    severity: 'critical',
    keywords: ['begin openssh private key'],
    regex: re(`-----BEGIN OPENSSH PRIVATE KEY-----${PEM_BODY}-----END OPENSSH PRIVATE KEY-----`),
    entropy: 4,
  },
  {
    id: 'pgp-private-key-block',
    title: 'PGP private key block',
    description:
      'An ASCII-armored PGP secret key: it signs and decrypts as its owner. Revoke the key (publish ' +
      'its revocation certificate to the keyservers) and create a new one.',
    severity: 'critical',
    keywords: ['begin pgp private key block'],
    regex: re(`-----BEGIN PGP PRIVATE KEY BLOCK-----${PGP_BODY}-----END PGP PRIVATE KEY BLOCK-----`),
    entropy: 4,
  },
  {
    id: 'age-secret-key',
    title: 'age secret key',
    description:
      'An age (file encryption) identity: it decrypts every file encrypted to its recipient. Generate ' +
      'a new identity, re-encrypt the files to it and remove the old recipient.',
    severity: 'critical',
    keywords: ['age-secret-key-1'],
    publicPrefix: true,
    regex: /\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b/,
  },
];
