/** True and false examples of the SaaS API tokens (`src/secrets-scan/rules/saas.ts`). */
import {
  UPPER,
  LOWER,
  DIGITS,
  HEX,
  B64,
  B64URL,
  synth,
  tok,
  digits,
  embed,
  type RuleCases,
} from './synth.js';

export const SAAS_CASES: Record<string, RuleCases> = {
  'slack-bot-token': {
    truths: [
      embed('SLACK_BOT_TOKEN=@@', `xoxb-${digits('b1', 11)}-${digits('b2', 12)}-${synth('b3', 24)}`),
      embed("slack_token: '@@'", `xoxb-${digits('b4', 13)}-${digits('b5', 13)}-${synth('b6', 24)}`),
    ],
    falses: [
      `xoxb-${digits('b7', 11)}-${synth('b8', 24)}`,
      `xoxb-${digits('b9', 9)}-${digits('b10', 12)}-${synth('b11', 24)}`,
      'xoxb-00000000000-000000000000-XXXXXXXXXXXXXXXXXXXXXXXX',
      `xoxz-${digits('b12', 11)}-${digits('b13', 12)}-${synth('b14', 24)}`,
    ],
  },
  'slack-user-token': {
    truths: [
      embed(
        'SLACK_USER_TOKEN=@@',
        `xoxp-${digits('p1', 11)}-${digits('p2', 11)}-${digits('p3', 12)}-${synth('p4', 32, HEX)}`,
      ),
      embed(
        '"token": "@@"',
        `xoxp-${digits('p5', 10)}-${digits('p6', 12)}-${digits('p7', 13)}-${synth('p8', 32)}`,
      ),
    ],
    falses: [
      `xoxp-${digits('p9', 11)}-${digits('p10', 11)}-${synth('p11', 32, HEX)}`,
      `xoxp-${digits('p12', 11)}-${digits('p13', 11)}-${digits('p14', 12)}-${synth('p15', 27)}`,
      'xoxp-XXXXXXXXXXX-XXXXXXXXXXX-XXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    ],
  },
  'slack-config-token': {
    truths: [
      embed('SLACK_CONFIG_TOKEN=@@', tok('xoxe.xoxp-1-', synth('cfg-1', 166))),
      embed('refresh_token: "@@"', tok('xoxe-1-', synth('cfg-2', 146))),
    ],
    falses: [
      tok('xoxe-1-', synth('cfg-3', 100)),
      tok('xoxe.xoxq-1-', synth('cfg-4', 166)),
      tok('xoxe-1-', synth('cfg-5', 171)),
    ],
  },
  'slack-app-token': {
    truths: [
      embed(
        'SLACK_APP_TOKEN=@@',
        `xapp-1-A${synth('a1', 10, UPPER + DIGITS)}-${digits('a2', 13)}-${synth('a3', 64, HEX)}`,
      ),
      embed(
        'app_token: @@',
        `xapp-1-A${synth('a4', 9, UPPER + DIGITS)}-${digits('a5', 12)}-${synth('a6', 40)}`,
      ),
    ],
    falses: [
      `xapp-1-A${synth('a7', 10, UPPER + DIGITS)}-${digits('a8', 13)}-${synth('a9', 31, HEX)}`,
      `xapp-A${synth('a10', 10, UPPER + DIGITS)}-${digits('a11', 13)}-${synth('a12', 64, HEX)}`,
      `xapp-1-a${synth('a13', 10, LOWER)}-${digits('a14', 13)}-${synth('a15', 64, HEX)}`,
    ],
  },
  'slack-legacy-token': {
    truths: [
      embed(
        'SLACK_TOKEN=@@',
        `xoxs-${digits('s1', 11)}-${digits('s2', 12)}-${digits('s3', 12)}-${synth('s4', 64, HEX)}`,
      ),
      embed('token = "@@"', `xoxa-2-${digits('s5', 12)}-${synth('s6', 32)}`),
    ],
    falses: [
      tok('xoxs-', synth('s7', 40, LOWER)),
      tok('xoxq-', `${digits('s8', 11)}-${synth('s9', 32)}`),
      tok('xoxs-', `${digits('s10', 11)}-${synth('s11', 7)}`),
    ],
  },
  'slack-webhook-url': {
    truths: [
      embed(
        'SLACK_WEBHOOK=@@',
        `https://hooks.slack.com/services/T${synth('w1', 10, UPPER + DIGITS)}/B${synth('w2', 10, UPPER + DIGITS)}/${synth('w3', 24)}`,
      ),
      embed(
        'url: "@@"',
        `https://hooks.slack.com/workflows/T${synth('w4', 9, UPPER + DIGITS)}/A${synth('w5', 10, UPPER + DIGITS)}/${digits('w6', 18)}/${synth('w7', 32)}`,
      ),
    ],
    falses: [
      'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      `https://hooks.slack.com/services/T${synth('w8', 10, UPPER + DIGITS)}/B${synth('w9', 10, UPPER + DIGITS)}/${synth('w10', 23)}`,
      `https://hooks.slack.com/services/t${synth('w11', 10, LOWER)}/b${synth('w12', 10, LOWER)}/${synth('w13', 24)}`,
      'See https://hooks.slack.com/services/ for the format.',
    ],
  },
  'stripe-live-secret-key': {
    truths: [
      embed('STRIPE_SECRET_KEY=@@', tok('sk_live_', synth('sk-live-1', 24))),
      embed("Stripe.apiKey = '@@';", tok('rk_live_', synth('rk-live-1', 99))),
    ],
    falses: [
      tok('pk_live_', synth('pk-live', 24)),
      tok('sk_live_', synth('sk-live-23', 23)),
      'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
      tok('sk_test_', synth('sk-test-0', 24)),
    ],
  },
  'stripe-test-secret-key': {
    truths: [
      embed('STRIPE_SECRET_KEY=@@', tok('sk_test_', synth('sk-test-1', 24))),
      embed('stripe: { secret: "@@" }', tok('rk_test_', synth('rk-test-1', 99))),
    ],
    falses: [
      tok('sk_tst_', synth('sk-test-2', 24)),
      tok('sk_test_', synth('sk-test-20', 20)),
      tok('sk_test_', 'aB'.repeat(12)),
    ],
  },
  'stripe-webhook-secret': {
    truths: [
      embed('STRIPE_WEBHOOK_SECRET=@@', tok('whsec_', synth('whsec-1', 32))),
      embed('secret: "@@"', tok('whsec_', synth('whsec-2', 43, B64) + '=')),
    ],
    falses: [
      tok('whsec_', synth('whsec-31', 31)),
      tok('whsec-', synth('whsec-3', 32)),
      'STRIPE_WEBHOOK_SECRET=whsec_<your-signing-secret>',
    ],
  },
  'npm-access-token': {
    truths: [
      embed('//registry.npmjs.org/:_authToken=@@', tok('npm_', synth('npm-1', 36))),
      embed('NPM_TOKEN: @@', tok('npm_', synth('npm-2', 36))),
    ],
    falses: [
      tok('npm_', synth('npm-35', 35)),
      tok('npm-', synth('npm-3', 36)),
      tok('npm_', 'Ab1'.repeat(12)),
    ],
  },
  'pypi-upload-token': {
    truths: [
      embed('password = @@', tok('pypi-AgEIcHlwaS5vcmc', synth('pypi-1', 160, B64URL))),
      embed('TWINE_PASSWORD=@@', tok('pypi-AgENdGVzdC5weXBpLm9yZw', synth('pypi-2', 120, B64URL))),
    ],
    falses: [
      tok('pypi-AgEIcHlwaS5vcmc', synth('pypi-49', 49)),
      tok('pypi-AgEIcHlwaS5vcmX', synth('pypi-3', 160)),
      tok('pypi-', synth('pypi-4', 160)),
    ],
  },
  'docker-hub-pat': {
    truths: [
      embed('echo @@ | docker login -u ci --password-stdin', tok('dckr_pat_', synth('dckr-1', 27, B64URL))),
      embed('DOCKERHUB_TOKEN=@@', tok('dckr_oat_', synth('dckr-2', 32))),
    ],
    falses: [
      tok('dckr_pat_', synth('dckr-26', 26)),
      tok('dckr_pot_', synth('dckr-3', 27)),
      'dckr_pat_xxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
  'openai-api-key': {
    truths: [
      embed(
        'OPENAI_API_KEY=@@',
        `sk-proj-${synth('oai-1', 74, B64URL)}T3BlbkFJ${synth('oai-2', 74, B64URL)}`,
      ),
      embed('openai.api_key = "@@"', `sk-${synth('oai-3', 20)}T3BlbkFJ${synth('oai-4', 20)}`),
    ],
    falses: [
      tok('sk-proj-', synth('oai-39', 39)),
      `sk-${synth('oai-5', 19)}T3BlbkFJ${synth('oai-6', 20)}`,
      tok('sk-', synth('oai-7', 48)),
    ],
  },
  'anthropic-api-key': {
    truths: [
      embed('ANTHROPIC_API_KEY=@@', tok('sk-ant-api03-', synth('ant-1', 93, B64URL) + 'AA')),
      embed('x-api-key: @@', tok('sk-ant-admin01-', synth('ant-2', 95, B64URL))),
    ],
    falses: [
      tok('sk-ant-api03-', synth('ant-79', 79)),
      tok('sk-ant-api3-', synth('ant-3', 95)),
      tok('sk-ant-api03-', 'Ab-'.repeat(31)),
    ],
  },
  'sendgrid-api-key': {
    truths: [
      embed('SENDGRID_API_KEY=@@', `SG.${synth('sg-1', 22, B64URL)}.${synth('sg-2', 43, B64URL)}`),
      embed('sg = SendGridAPIClient("@@")', `SG.${synth('sg-3', 22)}.${synth('sg-4', 43)}`),
    ],
    falses: [
      `SG.${synth('sg-5', 21)}.${synth('sg-6', 43)}`,
      `SG.${synth('sg-7', 22)}.${synth('sg-8', 42)}`,
      `SG-${synth('sg-9', 22)}.${synth('sg-10', 43)}`,
    ],
  },
  'twilio-api-key': {
    truths: [
      embed('TWILIO_API_KEY=@@', tok('SK', synth('twilio-1', 32, HEX))),
      embed("client = Client('@@', api_secret, account_sid)", tok('SK', synth('twilio-2', 32, HEX))),
    ],
    falses: [
      tok('SK', synth('twilio-31', 31, HEX)),
      tok('SK', synth('twilio-3', 32, HEX).toUpperCase()),
      tok('sk', synth('twilio-4', 32, HEX)),
    ],
  },
  'mailgun-api-key': {
    truths: [
      embed('MAILGUN_API_KEY=@@', tok('key-', synth('mailgun-1', 32, HEX))),
      embed("auth=('api', '@@')", tok('key-', synth('mailgun-2', 32, HEX))),
    ],
    falses: [
      tok('key-', synth('mailgun-31', 31, HEX)),
      tok('key_', synth('mailgun-3', 32, HEX)),
      tok('key-', '0'.repeat(32)),
    ],
  },
  'shopify-token': {
    truths: [
      embed('SHOPIFY_ACCESS_TOKEN=@@', tok('shpat_', synth('shop-1', 32, HEX))),
      embed('SHOPIFY_API_SECRET=@@', tok('shpss_', synth('shop-2', 32, HEX))),
    ],
    falses: [tok('shpat_', synth('shop-31', 31, HEX)), tok('shpxx_', synth('shop-3', 32, HEX))],
  },
  'datadog-api-key': {
    truths: [
      embed('DD_API_KEY=@@', synth('dd-1', 32, HEX)),
      embed('datadog_app_key: "@@"', synth('dd-2', 40, HEX)),
    ],
    falses: [
      `add_api_key = ${synth('dd-3', 32, HEX)}`,
      `DD_API_KEY=${synth('dd-31', 31, HEX)}`,
      'DD_API_KEY=${DD_API_KEY}',
    ],
  },
  'telegram-bot-token': {
    truths: [
      embed('TELEGRAM_BOT_TOKEN=@@', `${digits('tg-1', 10)}:AA${synth('tg-2', 33, B64URL)}`),
      embed('https://api.telegram.org/bot@@/sendMessage', `${digits('tg-3', 9)}:AA${synth('tg-4', 33)}`),
    ],
    falses: [
      `${digits('tg-5', 7)}:AA${synth('tg-6', 33)}`,
      `${digits('tg-7', 10)}:AA${synth('tg-8', 32)}`,
      `${digits('tg-9', 10)}:AB${synth('tg-10', 33)}`,
    ],
  },
};
