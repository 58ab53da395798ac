/** Source-hosting tokens: GitHub and GitLab. */
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
];
