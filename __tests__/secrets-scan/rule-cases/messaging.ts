/** True and false examples of the chat, webhook, mail and social tokens (`src/secrets-scan/rules/messaging.ts`). */
import {
  ALNUM,
  B64,
  B64URL,
  DIGITS,
  HEX,
  LOWER,
  b64url,
  digits,
  embed,
  synth,
  tok,
  uuid,
  type RuleCases,
} from './synth.js';

/** A snowflake id: 18 digits, no leading zero. */
const snowflake = (label: string) => `1${digits(label, 17)}`;
const discordToken = (label: string, id = snowflake(label)) =>
  `${b64url(id)}.${synth(`${label}-ts`, 6, B64URL)}.${synth(`${label}-hmac`, 38, B64URL)}`;

export const MESSAGING_CASES: Record<string, RuleCases> = {
  'discord-webhook-url': {
    truths: [
      embed(
        'DISCORD_WEBHOOK=@@',
        `https://discord.com/api/webhooks/${snowflake('dw-1')}/${synth('dw-2', 68, B64URL)}`,
      ),
      embed('url: "@@"', `https://ptb.discordapp.com/api/webhooks/${snowflake('dw-3')}/${synth('dw-4', 68)}`),
    ],
    falses: [
      `https://discord.com/api/webhooks/${snowflake('dw-5')}/${synth('dw-6', 59)}`,
      'Create one under https://discord.com/api/webhooks/ in the server settings.',
      `https://discord.com/api/webhooks/${digits('dw-7', 16)}/${synth('dw-8', 68)}`,
    ],
  },
  'discord-bot-token': {
    truths: [
      embed('DISCORD_TOKEN=@@', discordToken('dbot-1')),
      embed("client.login('@@');", discordToken('dbot-2')),
    ],
    falses: [
      `DISCORD_TOKEN=${discordToken('dbot-3', '1abcdefghijklmnopq')}`,
      `const t = '${discordToken('dbot-4')}';`,
      `DISCORD_TOKEN=${discordToken('dbot-5').slice(0, -12)}`,
    ],
  },
  'microsoft-teams-webhook-url': {
    truths: [
      embed(
        'TEAMS_WEBHOOK=@@',
        `https://contoso.webhook.office.com/webhookb2/${uuid('teams-1')}@${uuid('teams-2')}/IncomingWebhook/${synth('teams-3', 32, HEX)}/${uuid('teams-4')}/V2${synth('teams-5', 40, B64URL)}`,
      ),
      embed(
        'url = "@@"',
        `https://prod-27.westeurope.logic.azure.com:443/workflows/${synth('flow-1', 32, HEX)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${synth('flow-2', 43, B64URL)}`,
      ),
    ],
    falses: [
      `https://contoso.webhook.office.com/webhookb2/${uuid('teams-6')}@${uuid('teams-7')}/IncomingWebhook/${synth('teams-8', 31, HEX)}/${uuid('teams-9')}`,
      `https://prod-27.westeurope.logic.azure.com:443/workflows/${synth('flow-3', 32, HEX)}/triggers/manual/paths/invoke?api-version=2016-06-01`,
    ],
  },
  'mattermost-token': {
    truths: [
      embed('MATTERMOST_TOKEN=@@', synth('mm-1', 26, LOWER + DIGITS)),
      embed('webhook: https://mattermost.acme.io/hooks/@@', synth('mm-2', 26, LOWER + DIGITS)),
    ],
    falses: [
      `MATTERMOST_TOKEN=${synth('mm-3', 25, LOWER + DIGITS)}`,
      'MATTERMOST_URL=https://chat.acme.io',
      `https://chat.acme.io/hooks/${synth('mm-4', 26, LOWER + DIGITS)}`,
    ],
  },
  'facebook-access-token': {
    truths: [
      embed('FACEBOOK_ACCESS_TOKEN=@@', tok('EAAG', synth('fb-1', 180))),
      embed('https://graph.facebook.com/me?access_token=@@&fields=id', tok('EAAB', synth('fb-2', 120))),
    ],
    falses: [
      tok('EAAG', synth('fb-3', 90)),
      `data:image/png;base64,iVBORw0KGgo/${tok('EAAG', synth('fb-4', 150))}`,
      tok('EAAG', synth('fb-5', 150, B64)),
    ],
  },
  'twitter-bearer-token': {
    truths: [
      embed('TWITTER_BEARER_TOKEN=@@', 'A'.repeat(22) + synth('tw-1', 90, ALNUM + '%')),
      embed('Authorization: Bearer @@', 'A'.repeat(22) + synth('tw-2', 85, ALNUM)),
    ],
    falses: ['A'.repeat(21) + synth('tw-3', 90), 'A'.repeat(112), `x${'A'.repeat(22)}${synth('tw-4', 90)}`],
  },
  'sendinblue-api-key': {
    truths: [
      embed('BREVO_API_KEY=@@', `xkeysib-${synth('brevo-1', 64, HEX)}-${synth('brevo-2', 16)}`),
      embed('smtp_password: @@', `xsmtpsib-${synth('brevo-3', 64, HEX)}-${synth('brevo-4', 16)}`),
    ],
    falses: [
      `xkeysib-${synth('brevo-5', 63, HEX)}-${synth('brevo-6', 16)}`,
      `xkeysib_${synth('brevo-7', 64, HEX)}-${synth('brevo-8', 16)}`,
    ],
  },
  'mailchimp-api-key': {
    truths: [
      embed('MAILCHIMP_API_KEY=@@', `${synth('mc-1', 32, HEX)}-us21`),
      embed('apikey: "@@"', `${synth('mc-2', 32, HEX)}-us6`),
    ],
    falses: [
      `${synth('mc-3', 31, HEX)}-us21`,
      `${synth('mc-4', 32, HEX)}-eu1`,
      `${synth('mc-5', 32, HEX).toUpperCase()}-us21`,
    ],
  },
  'postmark-server-token': {
    truths: [
      embed('POSTMARK_SERVER_TOKEN=@@', uuid('postmark-1')),
      embed('postmark_api_key: "@@"', uuid('postmark-2')),
    ],
    falses: [
      'POSTMARK_SERVER_TOKEN=POSTMARK_API_TEST',
      'POSTMARK_SERVER_TOKEN=00000000-0000-0000-0000-000000000000',
      `POSTMARK_FROM=${uuid('postmark-3')}`,
    ],
  },
};
