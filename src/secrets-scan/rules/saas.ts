/**
 * SaaS API tokens: Slack, Stripe, package registries (npm, PyPI, Docker Hub), OpenAI, Anthropic,
 * SendGrid, Twilio, Mailgun, Shopify, Datadog, Telegram.
 */
import type { SecretRule } from '../types.js';
import { ASSIGN, re } from './helpers.js';

export const SAAS_RULES: readonly SecretRule[] = [
  // ── Slack ─────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'slack-bot-token',
    title: 'Slack bot token',
    description:
      'A Slack bot token (`xoxb-`): it reads and posts in every channel the bot is in. Revoke it by ' +
      'reinstalling the app or with `auth.revoke`, at api.slack.com/apps → OAuth & Permissions.',
    severity: 'high',
    keywords: ['xoxb-'],
    publicPrefix: true,
    regex: /\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{20,32})\b/,
    entropy: 3,
  },
  {
    id: 'slack-user-token',
    title: 'Slack user token',
    description:
      'A Slack user token (`xoxp-`): it acts as the user who installed the app, including their ' +
      'private messages. Revoke it with `auth.revoke` or at api.slack.com/apps → OAuth & Permissions.',
    severity: 'high',
    keywords: ['xoxp-'],
    publicPrefix: true,
    regex: /\b(xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{28,34})\b/,
    entropy: 3,
  },
  {
    id: 'slack-config-token',
    title: 'Slack configuration token',
    description:
      'A Slack app configuration access token (`xoxe.xoxp-`, `xoxe.xoxb-`) or its refresh token ' +
      '(`xoxe-`): it creates and changes the workspace’s apps. Revoke it at api.slack.com/apps → ' +
      'Your App Configuration Tokens.',
    severity: 'high',
    keywords: ['xoxe'],
    publicPrefix: true,
    regex: /\b((?:xoxe\.xox[bp]|xoxe)-[0-9]-[A-Za-z0-9]{140,170})(?![A-Za-z0-9])/,
    entropy: 3.5,
  },
  {
    id: 'slack-app-token',
    title: 'Slack app-level token',
    description:
      'A Slack app-level token (`xapp-`): it opens Socket Mode connections that receive the app’s ' +
      'events. Revoke it at api.slack.com/apps → Basic Information → App-Level Tokens.',
    severity: 'high',
    keywords: ['xapp-'],
    publicPrefix: true,
    regex: /\b(xapp-[0-9]-[A-Z0-9]{8,12}-[0-9]{10,13}-[A-Za-z0-9]{32,80})\b/,
    entropy: 3,
  },
  {
    id: 'slack-legacy-token',
    title: 'Slack legacy or workspace token',
    description:
      'A Slack legacy, workspace or refresh token (`xoxa-`, `xoxo-`, `xoxr-`, `xoxs-`). Revoke it with ' +
      '`auth.revoke` or remove the legacy token in the workspace’s app management.',
    severity: 'high',
    keywords: ['xoxa-', 'xoxo-', 'xoxr-', 'xoxs-'],
    publicPrefix: true,
    regex: /\b(xox[aors]-[0-9]{1,13}(?:-[0-9]{1,13}){0,3}-[A-Za-z0-9]{8,200})(?![A-Za-z0-9-])/,
    entropy: 3,
  },
  {
    id: 'slack-webhook-url',
    title: 'Slack incoming webhook URL',
    description:
      'A Slack incoming or workflow webhook URL: anyone can post messages with it into the channel. ' +
      'Remove the webhook (api.slack.com/apps → Incoming Webhooks, or the workflow’s trigger) and create a new one.',
    severity: 'medium',
    keywords: ['hooks.slack.com'],
    regex:
      /(?:https?:\/\/)?hooks\.slack\.com\/(?:services\/T[A-Z0-9]{8,12}\/B[A-Z0-9]{8,12}\/[A-Za-z0-9]{24}|(?:workflows|triggers)\/T[A-Z0-9]{8,12}\/[A-Za-z0-9/]{20,120})(?![A-Za-z0-9/])/,
    entropy: 3.5,
  },

  // ── Stripe ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'stripe-live-secret-key',
    title: 'Stripe live secret key',
    description:
      'A Stripe live secret or restricted key: it moves real money (charges, refunds, payouts). Roll ' +
      'it at dashboard.stripe.com → Developers → API keys and update its users.',
    severity: 'critical',
    keywords: ['sk_live_', 'rk_live_'],
    publicPrefix: true,
    regex: /\b((?:sk|rk)_live_[A-Za-z0-9]{24,247})\b/,
    entropy: 3,
  },
  {
    id: 'stripe-test-secret-key',
    title: 'Stripe test secret key',
    description:
      'A Stripe test-mode secret or restricted key: no real money, but it reads and writes the test ' +
      'account’s data. Roll it at dashboard.stripe.com → Developers → API keys (test mode).',
    severity: 'low',
    keywords: ['sk_test_', 'rk_test_'],
    publicPrefix: true,
    regex: /\b((?:sk|rk)_test_[A-Za-z0-9]{24,247})\b/,
    entropy: 3,
  },
  {
    id: 'stripe-webhook-secret',
    title: 'Webhook signing secret (Stripe, Svix)',
    description:
      'A webhook signing secret (`whsec_`): with it anyone can forge webhook events your endpoint ' +
      'trusts. Roll the endpoint’s signing secret in the provider’s dashboard (Stripe: Developers → Webhooks).',
    severity: 'medium',
    keywords: ['whsec_'],
    publicPrefix: true,
    regex: /\b(whsec_[A-Za-z0-9+/]{32,88}={0,2})(?![A-Za-z0-9+/=])/,
    entropy: 3.5,
  },

  // ── Package registries ────────────────────────────────────────────────────────────────────────
  {
    id: 'npm-access-token',
    title: 'npm access token',
    description:
      'An npm access token: it may publish new versions of your packages (a supply-chain attack). ' +
      'Revoke it at npmjs.com → Access Tokens (or `npm token revoke`) and prefer granular, ' +
      'short-lived or trusted-publishing tokens.',
    severity: 'critical',
    keywords: ['npm_'],
    publicPrefix: true,
    regex: /\b(npm_[A-Za-z0-9]{36})\b/,
    entropy: 3,
  },
  {
    id: 'pypi-upload-token',
    title: 'PyPI upload token',
    description:
      'A PyPI (or TestPyPI) API token: it uploads releases of your projects. Remove it at pypi.org → ' +
      'Account settings → API tokens and prefer trusted publishing.',
    severity: 'critical',
    keywords: ['pypi-'],
    publicPrefix: true,
    regex: /\b(pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'docker-hub-pat',
    title: 'Docker Hub access token',
    description:
      'A Docker Hub personal or organization access token: it pulls and may push images as its ' +
      'owner. Delete it at hub.docker.com → Account settings → Personal access tokens.',
    severity: 'high',
    keywords: ['dckr_pat_', 'dckr_oat_'],
    publicPrefix: true,
    regex: /\b(dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40})(?![A-Za-z0-9_-])/,
    entropy: 3,
  },

  // ── SaaS APIs ─────────────────────────────────────────────────────────────────────────────────
  {
    id: 'openai-api-key',
    title: 'OpenAI API key',
    description:
      'An OpenAI project, service-account, admin or legacy API key: it spends the organization’s ' +
      'credits and reads its files. Revoke it at platform.openai.com → API keys.',
    severity: 'high',
    // `sk-` is the public marker of the legacy keys (`sk-…T3BlbkFJ…`), which start with no longer one.
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-', 't3blbkfj'],
    publicPrefix: true,
    regex:
      /\b(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,300}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'anthropic-api-key',
    title: 'Anthropic API key',
    description:
      'An Anthropic API or admin key: it spends the organization’s credits. Delete it at ' +
      'console.anthropic.com → Settings → API keys.',
    severity: 'high',
    keywords: ['sk-ant-'],
    publicPrefix: true,
    regex: /\b(sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'sendgrid-api-key',
    title: 'SendGrid API key',
    description:
      'A Twilio SendGrid API key: it sends mail as your domains (phishing that passes SPF/DKIM). ' +
      'Delete it at app.sendgrid.com → Settings → API Keys.',
    severity: 'high',
    keywords: ['sg.'],
    publicPrefix: true,
    regex: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'twilio-api-key',
    title: 'Twilio API key',
    description:
      'A Twilio API key SID (`SK…`); its secret is usually nearby. Together they send messages and ' +
      'calls billed to the account. Delete the key in the Twilio console → API keys & tokens.',
    severity: 'high',
    keywords: ['sk'],
    regex: /\b(SK[0-9a-f]{32})\b/,
    entropy: 3,
  },
  {
    id: 'mailgun-api-key',
    title: 'Mailgun API key',
    description:
      'A Mailgun private API key (`key-…`): it sends mail from your domains and reads logs. Rotate ' +
      'it in the Mailgun dashboard → API Security.',
    severity: 'high',
    keywords: ['key-'],
    publicPrefix: true,
    regex: /\b(key-[0-9a-f]{32})\b/,
    entropy: 3,
  },
  {
    id: 'shopify-token',
    title: 'Shopify access token or shared secret',
    description:
      'A Shopify Admin API access token (`shpat_`, `shpca_`, `shppa_`) or app shared secret ' +
      '(`shpss_`): it reads and changes the store’s orders, customers and products. Uninstall or ' +
      'rotate the app credentials in the Shopify admin or Partner dashboard.',
    severity: 'high',
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    publicPrefix: true,
    regex: /\b(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\b/,
    entropy: 3,
  },
  {
    id: 'datadog-api-key',
    title: 'Datadog API or application key',
    description:
      'A Datadog API key (submits metrics and logs) or application key (reads dashboards and data). ' +
      'Revoke it in Datadog → Organization settings → API Keys / Application Keys.',
    severity: 'medium',
    keywords: ['datadog', 'dd'],
    regex: re(
      String.raw`(?:\bdatadog|(?<![A-Za-z0-9])dd)[_.-]?(?:api|app(?:lication)?)[_.-]?key\b` +
        ASSIGN +
        String.raw`([a-f0-9]{40}|[a-f0-9]{32})(?![A-Za-z0-9])`,
      'i',
    ),
    entropy: 3,
  },
  {
    id: 'telegram-bot-token',
    title: 'Telegram bot token',
    description:
      'A Telegram Bot API token: it reads and sends the bot’s messages. Revoke it by sending ' +
      '`/revoke` to @BotFather.',
    severity: 'medium',
    keywords: [':aa'],
    regex: /(?<![0-9])([0-9]{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
];
