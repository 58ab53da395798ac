/**
 * Other cloud, hosting and data platforms: Alibaba Cloud, IBM Cloud, Scaleway, Cloudflare, Fastly,
 * Netlify, Vercel, Fly.io, Supabase, PlanetScale, Pulumi, Doppler and Databricks.
 */
import type { SecretRule } from '../types.js';
import { UUID, assigned, mixedCase, re } from './helpers.js';

export const HOSTING_RULES: readonly SecretRule[] = [
  // ── Alibaba Cloud, IBM Cloud, Scaleway ────────────────────────────────────────────────────────
  {
    id: 'alibaba-access-key-id',
    title: 'Alibaba Cloud AccessKey ID',
    description:
      'An Alibaba Cloud AccessKey ID (`LTAI…`); its secret is usually nearby. Together they act as ' +
      'the RAM user. Disable and delete the AccessKey in the RAM console and review ActionTrail.',
    severity: 'high',
    keywords: ['ltai'],
    publicPrefix: true,
    regex: /\b(LTAI[A-Za-z0-9]{12,20})\b/,
    entropy: 3,
    validate: mixedCase,
  },
  {
    id: 'alibaba-secret-key',
    title: 'Alibaba Cloud AccessKey secret',
    description:
      'An Alibaba Cloud AccessKey secret assigned to an Alibaba setting: with its ID it acts as the ' +
      'RAM user. Disable and delete the AccessKey in the RAM console, create a new one, and review ' +
      'ActionTrail for its use.',
    severity: 'critical',
    precision: 'medium',
    keywords: ['alibaba', 'aliyun', 'alicloud'],
    regex: re(assigned(String.raw`(?:alibaba|aliyun|alicloud)[\w.-]{0,24}?secret`, '[A-Za-z0-9]{30}'), 'i'),
    entropy: 3.5,
  },
  {
    id: 'ibm-cloud-api-key',
    title: 'IBM Cloud API key',
    description:
      'An IBM Cloud IAM API key assigned to an IBM setting (`IC_API_KEY`, `IBMCLOUD_API_KEY`): it ' +
      'acts as its user or service ID on every resource its access policies allow. Delete it in IBM ' +
      'Cloud → Manage → Access (IAM) → API keys.',
    severity: 'high',
    precision: 'medium',
    keywords: ['ibm', 'ic_api_key'],
    regex: re(assigned(String.raw`ibm[\w.-]{0,20}?api[_.-]?key|ic_api_key`, '[A-Za-z0-9_-]{44}'), 'i'),
    entropy: 4,
  },
  {
    id: 'scaleway-access-key',
    title: 'Scaleway access key',
    description:
      'A Scaleway API access key ID (`SCW…`); its secret key (a UUID) is usually nearby. Delete the ' +
      'API key in the Scaleway console → IAM → API keys.',
    severity: 'medium',
    keywords: ['scw'],
    publicPrefix: true,
    regex: /\b(SCW[A-Z0-9]{17})\b/,
    entropy: 3,
  },
  {
    id: 'scaleway-secret-key',
    title: 'Scaleway secret key',
    description:
      'A Scaleway API secret key assigned to a Scaleway setting (`SCW_SECRET_KEY`): it acts as its ' +
      'IAM application or user. Delete the API key in the Scaleway console → IAM → API keys.',
    severity: 'high',
    precision: 'medium',
    keywords: ['scw', 'scaleway'],
    regex: re(assigned(String.raw`(?:scw|scaleway)[\w.-]{0,20}?secret[_.-]?key`, UUID), 'i'),
    entropy: 3,
  },

  // ── CDN and hosting ───────────────────────────────────────────────────────────────────────────
  {
    id: 'cloudflare-api-token',
    title: 'Cloudflare API token',
    description:
      'A Cloudflare API token assigned to a Cloudflare setting: it changes DNS, firewall and Workers ' +
      'as its permissions allow. Roll or delete it at dash.cloudflare.com → My Profile → API Tokens.',
    severity: 'high',
    precision: 'medium',
    keywords: ['cloudflare', 'cf_api_token', 'cf-api-token'],
    regex: re(
      assigned(String.raw`cloudflare[\w.-]{0,20}?token|cf[_-]api[_-]token`, '[A-Za-z0-9_-]{40}'),
      'i',
    ),
    entropy: 3.5,
  },
  {
    id: 'cloudflare-global-api-key',
    title: 'Cloudflare Global API key',
    description:
      'A Cloudflare Global API key: with the account e-mail it has every permission of the user on ' +
      'every zone. Change it at dash.cloudflare.com → My Profile → API Tokens → Global API Key → ' +
      'Change, and switch to scoped API tokens.',
    severity: 'critical',
    precision: 'medium',
    keywords: ['cloudflare', 'cf_api_key', 'cf-api-key'],
    regex: re(assigned(String.raw`cloudflare[\w.-]{0,20}?key|cf[_-]api[_-]key`, '[a-f0-9]{37}'), 'i'),
    entropy: 3,
  },
  {
    id: 'cloudflare-origin-ca-key',
    title: 'Cloudflare Origin CA key',
    description:
      'A Cloudflare Origin CA key (`v1.0-…`): it issues and revokes origin certificates for the ' +
      'account’s zones. Revoke it at dash.cloudflare.com → My Profile → API Tokens → Origin CA Key.',
    severity: 'high',
    keywords: ['v1.0-'],
    publicPrefix: true,
    regex: /\b(v1\.0-[a-f0-9]{24}-[a-f0-9]{146})\b/,
    entropy: 3,
  },
  {
    id: 'fastly-api-token',
    title: 'Fastly API token',
    description:
      'A Fastly API token assigned to a Fastly setting: it changes services, purges caches and reads ' +
      'logs as its scope allows. Delete it at manage.fastly.com → Account → API tokens.',
    severity: 'high',
    precision: 'medium',
    keywords: ['fastly'],
    regex: re(assigned(String.raw`fastly[\w.-]{0,20}?(?:token|key)`, '[A-Za-z0-9_-]{32}'), 'i'),
    entropy: 3.5,
  },
  {
    id: 'netlify-token',
    title: 'Netlify access token',
    description:
      'A Netlify personal access token assigned to a Netlify setting (`NETLIFY_AUTH_TOKEN`): it ' +
      'deploys and configures every site of its user. Delete it at app.netlify.com → User settings → ' +
      'Applications → Personal access tokens.',
    severity: 'high',
    precision: 'medium',
    keywords: ['netlify'],
    regex: re(assigned(String.raw`netlify[\w.-]{0,20}?(?:token|key)`, '[A-Za-z0-9_-]{40,46}'), 'i'),
    entropy: 3.5,
  },
  {
    id: 'vercel-token',
    title: 'Vercel access token',
    description:
      'A Vercel access token assigned to a Vercel setting (`VERCEL_TOKEN`): it deploys and reads the ' +
      'environment variables of the projects in its scope. Delete it at vercel.com → Account ' +
      'Settings → Tokens.',
    severity: 'high',
    precision: 'medium',
    keywords: ['vercel'],
    regex: re(assigned(String.raw`vercel[\w.-]{0,20}?token`, '[A-Za-z0-9]{24}'), 'i'),
    entropy: 3.5,
  },
  {
    id: 'flyio-token',
    title: 'Fly.io token',
    description:
      'A Fly.io organization or deploy token (`fo1_`, `fm1a_`, `fm1r_`, `fm2_`): it deploys and ' +
      'manages apps and reads their secrets as its scope allows. Revoke it with `fly tokens revoke` ' +
      'or in the dashboard (Tokens).',
    severity: 'high',
    keywords: ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'],
    publicPrefix: true,
    regex: /\b(fo1_[A-Za-z0-9_-]{43}|fm(?:1[ar]|2)_[A-Za-z0-9+/]{100,4096}={0,3})(?![A-Za-z0-9_+/=-])/,
    entropy: 4,
  },

  // ── Databases and platforms ───────────────────────────────────────────────────────────────────
  {
    id: 'supabase-token',
    title: 'Supabase personal access token',
    description:
      'A Supabase personal access token (`sbp_`): it manages every project of its user through the ' +
      'Management API (databases, keys, functions). Revoke it at supabase.com → Account → Access Tokens.',
    severity: 'high',
    keywords: ['sbp_'],
    publicPrefix: true,
    regex: /\b(sbp_[a-f0-9]{40})\b/,
    entropy: 3,
  },
  {
    id: 'planetscale-password',
    title: 'PlanetScale database password',
    description:
      'A PlanetScale database branch password (`pscale_pw_`): it connects to the branch with its ' +
      'role. Delete the password in the database’s Settings → Passwords and create a new one.',
    severity: 'high',
    keywords: ['pscale_pw_'],
    publicPrefix: true,
    regex: /\b(pscale_pw_[A-Za-z0-9_=-]{32,64})(?![A-Za-z0-9_=-])/,
    entropy: 3.5,
  },
  {
    id: 'planetscale-api-token',
    title: 'PlanetScale service or OAuth token',
    description:
      'A PlanetScale service token (`pscale_tkn_`) or OAuth token (`pscale_oauth_`): it manages ' +
      'databases, branches and passwords as its access allows. Delete it in the organization’s ' +
      'Settings → Service tokens, or revoke the OAuth application.',
    severity: 'high',
    keywords: ['pscale_tkn_', 'pscale_oauth_'],
    publicPrefix: true,
    regex: /\b(pscale_(?:tkn|oauth)_[A-Za-z0-9_=-]{32,64})(?![A-Za-z0-9_=-])/,
    entropy: 3.5,
  },
  {
    id: 'pulumi-access-token',
    title: 'Pulumi access token',
    description:
      'A Pulumi Cloud access token (`pul-`): it reads and updates stacks, their state and their ' +
      'secrets. Delete it at app.pulumi.com → Settings → Access tokens.',
    severity: 'high',
    keywords: ['pul-'],
    publicPrefix: true,
    regex: /\b(pul-[a-f0-9]{40})\b/,
    entropy: 3,
  },
  {
    id: 'doppler-token',
    title: 'Doppler token',
    description:
      'A Doppler personal (`dp.pt.`), service (`dp.st.`), service account (`dp.sa.`), CLI (`dp.ct.`), ' +
      'SCIM or audit token: it reads the secrets of the projects and configs it can access. Revoke ' +
      'it in the Doppler dashboard (Tokens, or the config’s Access tab).',
    severity: 'critical',
    keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
    publicPrefix: true,
    // A service token may name its config: `dp.st.prd.…`.
    regex: /\b(dp\.(?:pt|st|sa|ct|scim|audit)\.(?:[a-z0-9_-]{1,32}\.)?[A-Za-z0-9]{40,44})\b/,
    entropy: 3.5,
  },
  {
    id: 'databricks-token',
    title: 'Databricks personal access token',
    description:
      'A Databricks personal access token (`dapi…`): it runs jobs, queries and notebooks in the ' +
      'workspace as its user. Revoke it in the workspace’s User settings → Developer → Access tokens.',
    severity: 'high',
    keywords: ['dapi'],
    publicPrefix: true,
    regex: /\b(dapi[a-f0-9]{32}(?:-[0-9])?)(?![A-Za-z0-9-])/,
    entropy: 3,
  },
];
