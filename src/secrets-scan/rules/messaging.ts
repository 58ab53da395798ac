/**
 * Chat, webhooks, mail and social APIs: Discord, Microsoft Teams and Power Automate, Mattermost,
 * Facebook, Twitter/X, Brevo (Sendinblue), Mailchimp and Postmark.
 */
import type { SecretRule } from '../types.js';
import { ASSIGN, UUID, assigned, re } from './helpers.js';

/** A Discord bot token starts with the base64 of the bot's user id: a snowflake, 17–20 digits. */
function isDiscordBotToken(token: string): boolean {
  const id = Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8');
  return /^[1-9][0-9]{16,19}$/.test(id);
}

export const MESSAGING_RULES: readonly SecretRule[] = [
  // ── Chat and webhooks ─────────────────────────────────────────────────────────────────────────
  {
    id: 'discord-webhook-url',
    title: 'Discord webhook URL',
    description:
      'A Discord webhook URL: anyone can post messages with it into the channel, under any name and ' +
      'avatar. Delete the webhook (Server settings → Integrations → Webhooks) and create a new one.',
    severity: 'medium',
    keywords: ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'],
    regex:
      /https?:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/webhooks\/[0-9]{17,20}\/[A-Za-z0-9_-]{60,68}(?![A-Za-z0-9_-])/,
    entropy: 3.5,
  },
  {
    id: 'discord-bot-token',
    title: 'Discord bot token',
    description:
      'A Discord bot token assigned to a Discord setting or passed to `login()`: it acts as the bot ' +
      'in every server it joined. Reset it at discord.com/developers → Applications → Bot → Reset Token.',
    severity: 'high',
    keywords: ['discord', '.login('],
    regex: re(
      String.raw`(?:(?<![A-Za-z0-9])discord[\w.-]{0,24}?${ASSIGN}|\.login\([^\S\r\n]*["'\x60])` +
        String.raw`([MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})(?![A-Za-z0-9_.-])`,
      'i',
    ),
    entropy: 4,
    validate: isDiscordBotToken,
  },
  {
    id: 'microsoft-teams-webhook-url',
    title: 'Microsoft Teams or Power Automate webhook URL',
    description:
      'A Microsoft Teams incoming webhook (`…webhook.office.com/webhookb2/…`) or Power Automate / ' +
      'Logic Apps workflow URL (`…logic.azure.com…sig=…`): anyone can post into the channel or run ' +
      'the flow with it. Remove the connector or regenerate the workflow trigger’s URL.',
    severity: 'medium',
    keywords: ['webhook.office.com', 'logic.azure.com'],
    regex: re(
      String.raw`https:\/\/[A-Za-z0-9-]{1,64}\.webhook\.office\.com\/webhookb2\/${UUID}@${UUID}\/IncomingWebhook\/[A-Fa-f0-9]{32}\/${UUID}(?:\/[A-Za-z0-9_-]{20,100})?` +
        String.raw`|https:\/\/[A-Za-z0-9-]{1,64}\.(?:[A-Za-z0-9-]{1,40}\.)?logic\.azure\.com(?::443)?\/workflows\/[A-Fa-f0-9]{32}\/triggers\/[A-Za-z0-9_]{1,64}\/paths\/invoke\?[^\s"'<>]{0,256}?\bsig=[A-Za-z0-9_%-]{43,64}`,
    ),
    entropy: 3,
  },
  {
    id: 'mattermost-token',
    title: 'Mattermost access token or webhook',
    description:
      'A Mattermost personal access or bot token assigned to a Mattermost setting, or the key of an ' +
      'incoming webhook on a Mattermost server: it reads or posts as the user or bot. Revoke it in ' +
      'Profile → Security → Personal access tokens, or delete the webhook in Integrations.',
    severity: 'medium',
    precision: 'medium',
    keywords: ['mattermost'],
    regex: re(
      String.raw`(?:(?<![A-Za-z0-9])mattermost[\w.-]{0,24}?(?:token|key|secret)[\w.-]{0,12}?${ASSIGN}` +
        String.raw`|https?:\/\/[^\s\/"'<>]{0,64}?mattermost[^\s\/"'<>]{0,64}\/hooks\/)([a-z0-9]{26})(?![A-Za-z0-9])`,
      'i',
    ),
    entropy: 3.5,
  },

  // ── Social ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'facebook-access-token',
    title: 'Facebook (Meta) access token',
    description:
      'A Facebook Graph API user, page or system-user access token (`EAA…`): it reads and publishes ' +
      'as the user or page with the permissions granted. Invalidate it (change the password, remove ' +
      'the app, or reset the app secret) in Meta for Developers.',
    severity: 'high',
    keywords: ['eaa'],
    publicPrefix: true,
    // A base64 blob that happens to hold `EAA` is not one: it holds `+` or `/` within 100 characters.
    regex: /(?<![A-Za-z0-9+/_-])(EAA[A-Za-z0-9]{100,600})(?![A-Za-z0-9+/=_-])/,
    entropy: 4.5,
  },
  {
    id: 'twitter-bearer-token',
    title: 'Twitter / X bearer token',
    description:
      'A Twitter (X) API app-only bearer token (22 `A`s and a URL-encoded key): it reads the API with ' +
      'the app’s access level. Regenerate it in the developer portal → Projects & Apps → Keys and tokens.',
    severity: 'medium',
    keywords: ['aaaaaaaaaaaaaaaaaaaaaa'],
    publicPrefix: true,
    regex: /(?<![A-Za-z0-9%])(A{22}[A-Za-z0-9%]{80,120})(?![A-Za-z0-9%])/,
    validate: (token) => /[a-z]/.test(token) && /[0-9]/.test(token),
  },

  // ── Mail ──────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'sendinblue-api-key',
    title: 'Brevo (Sendinblue) API or SMTP key',
    description:
      'A Brevo (formerly Sendinblue) API key (`xkeysib-`) or SMTP key (`xsmtpsib-`): it sends mail ' +
      'from your domains and reads contacts. Delete it in Brevo → SMTP & API → API keys.',
    severity: 'high',
    keywords: ['xkeysib-', 'xsmtpsib-'],
    publicPrefix: true,
    regex: /\b(x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16})\b/,
    entropy: 3,
  },
  {
    id: 'mailchimp-api-key',
    title: 'Mailchimp API key',
    description:
      'A Mailchimp Marketing API key (32 hex digits and its data-center suffix `-us…`): it reads ' +
      'audiences and sends campaigns. Disable it at Account → Extras → API keys.',
    severity: 'high',
    keywords: ['-us'],
    regex: /(?<![A-Za-z0-9-])([a-f0-9]{32}-us[0-9]{1,2})(?![A-Za-z0-9-])/,
    entropy: 3,
  },
  {
    id: 'postmark-server-token',
    title: 'Postmark server or account token',
    description:
      'A Postmark server or account API token assigned to a Postmark setting: it sends mail from the ' +
      'server’s sender signatures, or manages servers and domains. Regenerate it in the server’s (or ' +
      'account’s) API Tokens tab.',
    severity: 'high',
    precision: 'medium',
    keywords: ['postmark'],
    regex: re(assigned(String.raw`postmark[\w.-]{0,20}?(?:token|key)`, UUID), 'i'),
    entropy: 3,
  },
];
