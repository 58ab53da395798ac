/**
 * Payment and commerce APIs: Square, Braintree (PayPal), Razorpay, Plaid, Flutterwave, Shippo
 * and EasyPost. (Stripe is in `saas.ts`.)
 */
import type { SecretRule } from '../types.js';
import { ASSIGN, re } from './helpers.js';

export const PAYMENT_RULES: readonly SecretRule[] = [
  {
    id: 'square-access-token',
    title: 'Square access token',
    description:
      'A Square access token (`EAAA…`, legacy `sq0atp-`): it takes payments, issues refunds and reads ' +
      'customers as the seller. Revoke it in the Square Developer Dashboard → Credentials (or the ' +
      'OAuth revoke endpoint).',
    severity: 'critical',
    keywords: ['eaaa', 'sq0atp-'],
    publicPrefix: true,
    regex: /\b(EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'square-oauth-secret',
    title: 'Square application secret',
    description:
      'A Square OAuth application secret (`sq0csp-`): with the application id it exchanges codes for ' +
      'sellers’ access tokens. Replace it in the Square Developer Dashboard → OAuth.',
    severity: 'high',
    keywords: ['sq0csp-'],
    publicPrefix: true,
    regex: /\b(sq0csp-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'braintree-access-token',
    title: 'Braintree (PayPal) access token',
    description:
      'A Braintree access token for PayPal payments (`access_token$production$…`): it creates ' +
      'transactions and refunds on the merchant account. Revoke it in the PayPal developer dashboard ' +
      'or the Braintree Control Panel (API → Access tokens).',
    severity: 'critical',
    keywords: ['access_token$production$', 'access_token$sandbox$'],
    publicPrefix: true,
    regex: /\b(access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32})\b/,
    entropy: 3,
  },
  {
    id: 'razorpay-key-secret',
    title: 'Razorpay key secret',
    description:
      'A Razorpay API key secret, assigned to a Razorpay setting or written after its key id ' +
      '(`rzp_live_…:…`): with the id it creates orders, captures payments and issues refunds. ' +
      'Regenerate the key in the Razorpay Dashboard → Account & Settings → API Keys.',
    severity: 'critical',
    precision: 'medium',
    keywords: ['razorpay', 'rzp_live_', 'rzp_test_'],
    regex: re(
      String.raw`(?:(?<![A-Za-z0-9])razorpay[\w.-]{0,24}?secret[\w.-]{0,12}?${ASSIGN}` +
        String.raw`|\brzp_(?:live|test)_[A-Za-z0-9]{14}[^\S\r\n]*[:,][^\S\r\n]*["']?)([A-Za-z0-9]{24})(?![A-Za-z0-9])`,
      'i',
    ),
    entropy: 3.5,
  },
  {
    id: 'plaid-access-token',
    title: 'Plaid access token',
    description:
      'A Plaid access token (`access-production-…`, `access-development-…`, `access-sandbox-…`): with ' +
      'the client credentials it reads the linked bank accounts and transactions. Remove the Item ' +
      '(`/item/remove`) and rotate the Plaid secret if that leaked too.',
    severity: 'high',
    keywords: ['access-production-', 'access-development-', 'access-sandbox-'],
    publicPrefix: true,
    regex:
      /\b(access-(?:production|development|sandbox)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/,
    entropy: 3,
  },
  {
    id: 'flutterwave-secret-key',
    title: 'Flutterwave secret key',
    description:
      'A Flutterwave secret key (`FLWSECK-…-X`, test `FLWSECK_TEST-…-X`): it initiates charges, ' +
      'transfers and refunds on the account. Regenerate it in the Flutterwave dashboard → Settings → API.',
    severity: 'critical',
    keywords: ['flwseck-', 'flwseck_test-'],
    publicPrefix: true,
    regex: /\b(FLWSECK(?:_TEST)?-[a-f0-9]{32}-X)(?![A-Za-z0-9_-])/,
    entropy: 3,
  },
  {
    id: 'shippo-api-token',
    title: 'Shippo API token',
    description:
      'A Shippo live or test API token (`shippo_live_`, `shippo_test_`): it buys labels billed to the ' +
      'account and reads shipments and addresses. Regenerate it at apps.goshippo.com → Settings → API.',
    severity: 'high',
    keywords: ['shippo_live_', 'shippo_test_'],
    publicPrefix: true,
    regex: /\b(shippo_(?:live|test)_[a-f0-9]{40})\b/,
    entropy: 3,
  },
  {
    id: 'easypost-api-key',
    title: 'EasyPost API key',
    description:
      'An EasyPost production (`EZAK`) or test (`EZTK`) API key: it buys postage billed to the account ' +
      'and reads shipments. Delete it at easypost.com → Account settings → API keys.',
    severity: 'high',
    keywords: ['ezak', 'eztk'],
    publicPrefix: true,
    regex: /\b(EZ[AT]K[A-Za-z0-9]{54})\b/,
    entropy: 3.5,
  },
];
