/** Source-hosting tokens: GitHub, GitLab, Bitbucket and Atlassian. */
import type { SecretRule } from '../types.js';

export const VCS_RULES: readonly SecretRule[] = [
  // ── GitHub ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'github-pat',
    title: 'GitHub personal access token (classic)',
    description:
      'A classic GitHub personal access token: it acts as its user on every repository and org the ' +
      'scopes allow. Delete it at Settings → Developer settings → Personal access tokens and create ' +
      'a new one (prefer a fine-grained token).',
    severity: 'critical',
    keywords: ['ghp_'],
    publicPrefix: true,
    regex: /\b(ghp_[A-Za-z0-9]{36})\b/,
    entropy: 3,
  },
  {
    id: 'github-fine-grained-pat',
    title: 'GitHub fine-grained personal access token',
    description:
      'A fine-grained GitHub personal access token: it acts as its user on the repositories it was ' +
      'granted. Revoke it at Settings → Developer settings → Fine-grained tokens and create a new one.',
    severity: 'critical',
    keywords: ['github_pat_'],
    publicPrefix: true,
    regex: /\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b/,
    entropy: 3,
  },
  {
    id: 'github-oauth-token',
    title: 'GitHub OAuth access token',
    description:
      'A GitHub OAuth app user token: it acts as the user with the scopes they granted the app. ' +
      'Revoke it (Settings → Applications, or the OAuth app’s “Revoke all user tokens”).',
    severity: 'high',
    keywords: ['gho_'],
    publicPrefix: true,
    regex: /\b(gho_[A-Za-z0-9]{36})\b/,
    entropy: 3,
  },
  {
    id: 'github-app-token',
    title: 'GitHub App token',
    description:
      'A GitHub App user-to-server (`ghu_`) or installation (`ghs_`, e.g. an Actions `GITHUB_TOKEN`) ' +
      'token. It expires within hours; revoke it through the API (`DELETE /installation/token`) and ' +
      'rotate the app’s private key if that leaked too.',
    severity: 'high',
    keywords: ['ghu_', 'ghs_'],
    publicPrefix: true,
    regex: /\b((?:ghu|ghs)_[A-Za-z0-9]{36,251})\b/,
    entropy: 3,
  },
  {
    id: 'github-refresh-token',
    title: 'GitHub refresh token',
    description:
      'A GitHub App refresh token: it mints new user-to-server tokens for six months. Revoke the ' +
      'user’s authorization of the app (Settings → Applications) so it can no longer be used.',
    severity: 'high',
    keywords: ['ghr_'],
    publicPrefix: true,
    regex: /\b(ghr_[A-Za-z0-9]{36,251})\b/,
    entropy: 3,
  },

  // ── GitLab ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'gitlab-pat',
    title: 'GitLab personal access token',
    description:
      'A GitLab personal, project or group access token: it calls the API (and may push) as its ' +
      'owner. Revoke it under Access tokens in the user, project or group settings and create a new one.',
    severity: 'critical',
    keywords: ['glpat-'],
    publicPrefix: true,
    regex: /\b(glpat-[A-Za-z0-9_-]{20,300}(?:\.[0-9a-z]{9})?)(?![A-Za-z0-9_-])/,
    entropy: 3,
  },
  {
    id: 'gitlab-deploy-token',
    title: 'GitLab deploy token',
    description:
      'A GitLab deploy token: it reads (and maybe writes) the repository, package or container ' +
      'registry. Revoke it in the project’s Settings → Repository → Deploy tokens.',
    severity: 'high',
    keywords: ['gldt-'],
    publicPrefix: true,
    regex: /\b(gldt-[A-Za-z0-9_-]{20,300})(?![A-Za-z0-9_-])/,
    entropy: 3,
  },
  {
    id: 'gitlab-runner-token',
    title: 'GitLab runner token',
    description:
      'A GitLab runner authentication (`glrt-`) or registration (`GR1348941`) token: it registers ' +
      'runners that receive CI jobs and their secrets. Reset it in Settings → CI/CD → Runners and ' +
      're-register the runners.',
    severity: 'high',
    keywords: ['glrt-', 'gr1348941'],
    publicPrefix: true,
    regex: /\b(glrt-[A-Za-z0-9_-]{20,300}|GR1348941[A-Za-z0-9_-]{20,300})(?![A-Za-z0-9_-])/,
    entropy: 3,
  },
  {
    id: 'gitlab-pipeline-trigger-token',
    title: 'GitLab pipeline trigger token',
    description:
      'A GitLab pipeline trigger token: it starts pipelines on any branch, with their variables. ' +
      'Revoke it in the project’s Settings → CI/CD → Pipeline trigger tokens.',
    severity: 'medium',
    keywords: ['glptt-'],
    publicPrefix: true,
    regex: /\b(glptt-[A-Za-z0-9_-]{20,300})(?![A-Za-z0-9_-])/,
    entropy: 3,
  },
  {
    id: 'gitlab-token',
    title: 'GitLab token',
    description:
      'Another GitLab token: CI job (`glcbt-`), OAuth application secret (`gloas-`), SCIM (`glsoat-`), ' +
      'feed (`glft-`), incoming mail (`glimt-`), feature flag client (`glffct-`) or Kubernetes agent ' +
      '(`glagent-`). Revoke or reset it where it was created in GitLab.',
    severity: 'medium',
    keywords: ['glcbt-', 'gloas-', 'glsoat-', 'glft-', 'glimt-', 'glffct-', 'glagent-'],
    publicPrefix: true,
    regex: /\b((?:glcbt|gloas|glsoat|glft|glimt|glffct|glagent)-[A-Za-z0-9_-]{20,300})(?![A-Za-z0-9_-])/,
    entropy: 3,
  },
  {
    id: 'gitlab-session-cookie',
    title: 'GitLab session cookie',
    description:
      'A GitLab web session cookie (`_gitlab_session=`): whoever replays it is logged in as the user ' +
      'until the session ends. Revoke the session in User settings → Active sessions and sign out ' +
      'everywhere.',
    severity: 'high',
    keywords: ['_gitlab_session='],
    regex: /\b_gitlab_session=([0-9a-f]{32})(?![0-9a-zA-Z])/,
    entropy: 3,
  },

  // ── Bitbucket and Atlassian ───────────────────────────────────────────────────────────────────
  {
    id: 'bitbucket-app-password',
    title: 'Bitbucket app password',
    description:
      'A Bitbucket Cloud app password (`ATBB`): it reads and maybe pushes the repositories its ' +
      'permissions allow, as its user. Revoke it at bitbucket.org → Personal settings → App passwords ' +
      '(and move to API tokens).',
    severity: 'high',
    keywords: ['atbb'],
    publicPrefix: true,
    regex: /\b(ATBB[A-Za-z0-9]{24}[A-F0-9]{8})\b/,
    entropy: 3.5,
  },
  {
    id: 'atlassian-api-token',
    title: 'Atlassian API token (Jira, Confluence, Bitbucket)',
    description:
      'An Atlassian Cloud API token (`ATATT3…`) or Bitbucket repository, project or workspace access ' +
      'token (`ATCTT3…`): it calls Jira, Confluence or Bitbucket as its owner. Revoke it at ' +
      'id.atlassian.com → Security → API tokens, or in the repository’s Access tokens.',
    severity: 'high',
    keywords: ['atatt3', 'atctt3'],
    publicPrefix: true,
    // The token ends with `=` and eight hex digits (a checksum).
    regex: /\b(AT[AC]TT3[A-Za-z0-9_-]{20,250}=[A-F0-9]{8})(?![A-Za-z0-9_=-])/,
    entropy: 4,
  },
];
