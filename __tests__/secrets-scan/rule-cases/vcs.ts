/** True and false examples of the source-hosting tokens (`src/secrets-scan/rules/vcs.ts`). */
import { HEX, B64URL, synth, tok, embed, type RuleCases } from './synth.js';

const HEXU = '0123456789ABCDEF';

export const VCS_CASES: Record<string, RuleCases> = {
  'github-pat': {
    truths: [
      embed('GITHUB_TOKEN=@@', tok('ghp_', synth('ghp-1', 36))),
      embed('git clone https://x-access-token:@@@github.com/org/repo.git', tok('ghp_', synth('ghp-2', 36))),
    ],
    falses: [
      tok('ghp_', synth('ghp-35', 35)),
      tok('ghp_', synth('ghp-37', 37)),
      tok('ghp_', 'aB3'.repeat(12)),
      tok('gh_', synth('ghp-3', 36)),
      tok('xghp_', synth('ghp-4', 36)),
    ],
  },
  'github-fine-grained-pat': {
    truths: [
      embed('GH_TOKEN=@@', tok('github_pat_', synth('fg-1a', 22) + '_' + synth('fg-1b', 59))),
      embed('token: "@@"', tok('github_pat_', synth('fg-2a', 22) + '_' + synth('fg-2b', 59))),
    ],
    falses: [
      tok('github_pat_', synth('fg-3a', 22) + '_' + synth('fg-3b', 58)),
      tok('github_pat_', synth('fg-4a', 21) + '_' + synth('fg-4b', 59)),
      tok('github_pat_', 'x'.repeat(22) + '_' + 'x'.repeat(59)),
      tok('github_pat-', synth('fg-5a', 22) + '_' + synth('fg-5b', 59)),
    ],
  },
  'github-oauth-token': {
    truths: [
      embed('oauth_token: @@', tok('gho_', synth('gho-1', 36))),
      embed('Authorization: token @@', tok('gho_', synth('gho-2', 36))),
    ],
    falses: [
      tok('gho_', synth('gho-35', 35)),
      tok('gho_', synth('gho-37', 37)),
      tok('gho-', synth('gho-3', 36)),
    ],
  },
  'github-app-token': {
    truths: [
      embed('GITHUB_TOKEN=@@', tok('ghs_', synth('ghs-1', 36))),
      embed('"access_token": "@@"', tok('ghu_', synth('ghu-1', 36))),
    ],
    falses: [tok('ghs_', synth('ghs-35', 35)), tok('ghx_', synth('ghs-2', 36)), tok('ghs_', 'aB'.repeat(18))],
  },
  'github-refresh-token': {
    truths: [
      embed('refresh_token=@@', tok('ghr_', synth('ghr-1', 36))),
      embed('"refresh_token": "@@"', tok('ghr_', synth('ghr-2', 76))),
    ],
    falses: [tok('ghr_', synth('ghr-35', 35)), tok('ghr-', synth('ghr-3', 36)), tok('ghr_', 'xY'.repeat(18))],
  },
  'gitlab-pat': {
    truths: [
      embed('GITLAB_TOKEN=@@', tok('glpat-', synth('glpat-1', 20, B64URL))),
      embed(
        'curl --header "PRIVATE-TOKEN: @@" https://gitlab.com/api/v4/user',
        tok('glpat-', synth('glpat-2', 26)),
      ),
    ],
    falses: [
      tok('glpat-', synth('glpat-19', 19)),
      tok('glpat_', synth('glpat-3', 20)),
      'GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx',
      tok('glpat-', 'aB-'.repeat(8)),
    ],
  },
  'gitlab-deploy-token': {
    truths: [
      embed('CI_DEPLOY_PASSWORD=@@', tok('gldt-', synth('gldt-1', 20))),
      embed('password: @@', tok('gldt-', synth('gldt-2', 24, B64URL))),
    ],
    falses: [
      tok('gldt-', synth('gldt-19', 19)),
      tok('gldt_', synth('gldt-3', 20)),
      tok('gldt-', 'Ab1'.repeat(7)),
    ],
  },
  'gitlab-runner-token': {
    truths: [
      embed('token = "@@"', tok('glrt-', synth('glrt-1', 20))),
      embed('gitlab-runner register --registration-token @@', tok('GR1348941', synth('gr-1', 20))),
    ],
    falses: [
      tok('glrt-', synth('glrt-19', 19)),
      tok('GR1348942', synth('gr-2', 20)),
      tok('glrt_', synth('glrt-2', 20)),
    ],
  },
  'gitlab-pipeline-trigger-token': {
    truths: [
      embed('curl -F token=@@ -F ref=main', tok('glptt-', synth('glptt-1', 40, HEX))),
      embed('TRIGGER_TOKEN: "@@"', tok('glptt-', synth('glptt-2', 20))),
    ],
    falses: [tok('glptt-', synth('glptt-19', 19)), tok('glpt-', synth('glptt-3', 40, HEX))],
  },
  'gitlab-token': {
    truths: [
      embed('CI_JOB_TOKEN=@@', tok('glcbt-', '64_' + synth('glcbt-1', 20))),
      embed('client_secret: @@', tok('gloas-', synth('gloas-1', 64, HEX))),
    ],
    falses: [
      tok('glcbt-', synth('glcbt-19', 19)),
      tok('glxyz-', synth('glcbt-2', 30)),
      tok('gloas-', '0'.repeat(64)),
    ],
  },
  'gitlab-session-cookie': {
    truths: [
      embed('Cookie: _gitlab_session=@@; preferred_language=en', synth('gl-session-1', 32, HEX)),
      embed(
        'curl -b "_gitlab_session=@@" https://gitlab.internal/api/v4/user',
        synth('gl-session-2', 32, HEX),
      ),
    ],
    falses: [
      `_gitlab_session=${synth('gl-session-3', 31, HEX)}`,
      '_gitlab_session=${GITLAB_SESSION}',
      `_gitlab_session=${synth('gl-session-4', 32, HEX)}x`,
    ],
  },
  'bitbucket-app-password': {
    truths: [
      embed(
        'git clone https://ci-bot:@@@bitbucket.org/team/images.git',
        tok('ATBB', synth('atbb-1', 24) + synth('atbb-1b', 8, HEXU)),
      ),
      embed('BITBUCKET_APP_PASSWORD=@@', tok('ATBB', synth('atbb-2', 24) + synth('atbb-2b', 8, HEXU))),
    ],
    falses: [
      tok('ATBB', synth('atbb-3', 23) + synth('atbb-3b', 8, HEXU)),
      tok('ATBC', synth('atbb-4', 24) + synth('atbb-4b', 8, HEXU)),
      tok('ATBB', synth('atbb-5', 24) + 'deadbeef'),
    ],
  },
  'atlassian-api-token': {
    truths: [
      embed(
        'JIRA_API_TOKEN=@@',
        tok('ATATT3xFfGF0', synth('atatt-1', 170, B64URL) + '=' + synth('atatt-1b', 8, HEXU)),
      ),
      embed(
        'curl -H "Authorization: Bearer @@" https://api.bitbucket.org/2.0/repositories',
        tok('ATCTT3xFfGN0', synth('atctt-1', 150, B64URL) + '=' + synth('atctt-1b', 8, HEXU)),
      ),
    ],
    falses: [
      tok('ATATT3xFfGF0', synth('atatt-2', 170, B64URL)),
      tok(
        'ATATT3xFfGF0',
        synth('atatt-3', 170, B64URL) + '=' + synth('atatt-3b', 8, HEX).replace(/[0-9]/g, 'a'),
      ),
      tok('ATATT4xFfGF0', synth('atatt-4', 170, B64URL) + '=' + synth('atatt-4b', 8, HEXU)),
    ],
  },
};
