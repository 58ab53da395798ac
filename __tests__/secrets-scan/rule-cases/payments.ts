/** True and false examples of the payment and commerce tokens (`src/secrets-scan/rules/payments.ts`). */
import { B64URL, DIGITS, HEX, LOWER, embed, synth, tok, uuid, type RuleCases } from './synth.js';

export const PAYMENT_CASES: Record<string, RuleCases> = {
  'square-access-token': {
    truths: [
      embed('SQUARE_ACCESS_TOKEN=@@', tok('EAAA', synth('square-1', 60, B64URL))),
      embed('square: { token: "@@" }', tok('sq0atp-', synth('square-2', 22, B64URL))),
    ],
    falses: [
      tok('EAAA', synth('square-3', 59, B64URL)),
      tok('EAAA', synth('square-4', 61, B64URL)),
      tok('sq0atp-', synth('square-5', 21, B64URL)),
    ],
  },
  'square-oauth-secret': {
    truths: [
      embed('SQUARE_APPLICATION_SECRET=@@', tok('sq0csp-', synth('sq-secret-1', 43, B64URL))),
      embed('client_secret: "@@"', tok('sq0csp-', synth('sq-secret-2', 43))),
    ],
    falses: [tok('sq0csp-', synth('sq-secret-3', 42)), tok('sq0csq-', synth('sq-secret-4', 43))],
  },
  'braintree-access-token': {
    truths: [
      embed(
        'BRAINTREE_ACCESS_TOKEN=@@',
        `access_token$production$${synth('bt-1', 16, LOWER + DIGITS)}$${synth('bt-2', 32, HEX)}`,
      ),
      embed(
        'gateway = Gateway(access_token="@@")',
        `access_token$sandbox$${synth('bt-3', 16, LOWER + DIGITS)}$${synth('bt-4', 32, HEX)}`,
      ),
    ],
    falses: [
      `access_token$production$${synth('bt-5', 15, LOWER + DIGITS)}$${synth('bt-6', 32, HEX)}`,
      `access_token$staging$${synth('bt-7', 16, LOWER + DIGITS)}$${synth('bt-8', 32, HEX)}`,
    ],
  },
  'razorpay-key-secret': {
    truths: [
      embed('RAZORPAY_KEY_SECRET=@@', synth('rzp-1', 24)),
      embed(
        `curl https://api.razorpay.com/v1/orders -u rzp_live_${synth('rzp-2', 14)}:@@`,
        synth('rzp-3', 24),
      ),
    ],
    falses: [
      `RAZORPAY_KEY_SECRET=${synth('rzp-4', 23)}`,
      `RAZORPAY_KEY_ID=rzp_live_${synth('rzp-5', 14)}`,
      'RAZORPAY_KEY_SECRET=${RAZORPAY_SECRET}',
    ],
  },
  'plaid-access-token': {
    truths: [
      embed('PLAID_ACCESS_TOKEN=@@', `access-sandbox-${uuid('plaid-1')}`),
      embed('{"access_token": "@@"}', `access-production-${uuid('plaid-2')}`),
    ],
    falses: [`access-staging-${uuid('plaid-3')}`, `access-production-${uuid('plaid-4').slice(0, 30)}`],
  },
  'flutterwave-secret-key': {
    truths: [
      embed('FLW_SECRET_KEY=@@', `FLWSECK_TEST-${synth('flw-1', 32, HEX)}-X`),
      embed('secretKey: "@@"', `FLWSECK-${synth('flw-2', 32, HEX)}-X`),
    ],
    falses: [`FLWSECK-${synth('flw-3', 32, HEX)}`, `FLWPUBK_TEST-${synth('flw-4', 32, HEX)}-X`],
  },
  'shippo-api-token': {
    truths: [
      embed('SHIPPO_API_TOKEN=@@', tok('shippo_live_', synth('shippo-1', 40, HEX))),
      embed('Authorization: ShippoToken @@', tok('shippo_test_', synth('shippo-2', 40, HEX))),
    ],
    falses: [
      tok('shippo_live_', synth('shippo-3', 39, HEX)),
      tok('shippo_prod_', synth('shippo-4', 40, HEX)),
    ],
  },
  'easypost-api-key': {
    truths: [
      embed('EASYPOST_API_KEY=@@', tok('EZAK', synth('ezak-1', 54))),
      embed('client = EasyPostClient("@@")', tok('EZTK', synth('ezak-2', 54))),
    ],
    falses: [tok('EZAK', synth('ezak-3', 53)), tok('EZXK', synth('ezak-4', 54))],
  },
};
