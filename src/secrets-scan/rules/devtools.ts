/**
 * CI/CD services and package registries: CircleCI, Buildkite, Travis CI, SonarQube, Octopus
 * Deploy, RubyGems, NuGet, JFrog Artifactory, crates.io and Clojars.
 */
import type { SecretRule } from '../types.js';
import { assigned, mixedCase, re } from './helpers.js';

export const DEVTOOLS_RULES: readonly SecretRule[] = [
  // ── CI/CD ─────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'circleci-token',
    title: 'CircleCI API token',
    description:
      'A CircleCI personal (`CCIPAT_`) or project (`CCIPRJ_`) API token: it triggers pipelines and ' +
      'reads project settings and environment variables. Delete it at app.circleci.com → User ' +
      'settings → Personal API tokens, or the project’s API permissions.',
    severity: 'high',
    keywords: ['ccipat_', 'cciprj_'],
    publicPrefix: true,
    regex: /\b(CCIP(?:AT|RJ)_[A-Za-z0-9]{22}_[a-f0-9]{40})\b/,
    entropy: 3.5,
  },
  {
    id: 'circleci-legacy-token',
    title: 'CircleCI API token (legacy)',
    description:
      'A legacy 40-hex CircleCI API token assigned to a CircleCI setting (`CIRCLE_TOKEN`): it ' +
      'triggers pipelines and reads project environment variables. Delete it at app.circleci.com → ' +
      'User settings → Personal API tokens.',
    severity: 'high',
    precision: 'medium',
    keywords: ['circle'],
    regex: re(assigned(String.raw`circle(?:ci)?[\w.-]{0,12}?token`, '[a-f0-9]{40}'), 'i'),
    entropy: 3,
  },
  {
    id: 'buildkite-token',
    title: 'Buildkite API or agent token',
    description:
      'A Buildkite user API access token (`bkua_`) or agent access token (`bkaa_`): the first calls ' +
      'the REST and GraphQL APIs as its user, the second registers agents that receive jobs and ' +
      'their secrets. Revoke it in Personal settings → API access tokens, or the cluster’s agent tokens.',
    severity: 'high',
    keywords: ['bkua_', 'bkaa_'],
    publicPrefix: true,
    // Newer tokens carry a short organization part before a dot: `bkua_MTA.…`.
    regex: /\b(bk(?:ua|aa)_(?:[A-Za-z0-9]{2,24}\.)?[A-Za-z0-9]{40,100})(?![A-Za-z0-9])/,
    entropy: 3.5,
  },
  {
    id: 'travis-ci-token',
    title: 'Travis CI API token',
    description:
      'A Travis CI API token assigned to a Travis setting: it restarts builds and reads and changes ' +
      'repository settings and environment variables. Regenerate it at app.travis-ci.com → Settings.',
    severity: 'medium',
    precision: 'medium',
    keywords: ['travis'],
    regex: re(assigned(String.raw`travis[\w.-]{0,20}?(?:token|key)`, '[A-Za-z0-9_-]{22}'), 'i'),
    entropy: 3.5,
  },
  {
    id: 'sonarqube-token',
    title: 'SonarQube token',
    description:
      'A SonarQube user (`squ_`), project analysis (`sqp_`) or global analysis (`sqa_`) token: it ' +
      'submits analyses and, for a user token, reads code and issues as its user. Revoke it in ' +
      'My Account → Security.',
    severity: 'medium',
    keywords: ['squ_', 'sqp_', 'sqa_'],
    publicPrefix: true,
    regex: /\b(sq[upa]_[a-f0-9]{40})\b/,
    entropy: 3,
  },
  {
    id: 'octopus-deploy-api-key',
    title: 'Octopus Deploy API key',
    description:
      'An Octopus Deploy API key (`API-…`): it creates releases and deployments as its user. Revoke ' +
      'it in the Octopus web portal → Profile → My API keys.',
    severity: 'high',
    keywords: ['api-'],
    publicPrefix: true,
    regex: /\b(API-[A-Z0-9]{26,32})\b/,
    entropy: 3,
    // Upper-case words joined by dashes (`API-GATEWAY…`) are names; a key mixes in digits.
    validate: (key) => /[0-9]/.test(key.slice(4)) && /[A-Z]/.test(key.slice(4)),
  },

  // ── Package registries ────────────────────────────────────────────────────────────────────────
  {
    id: 'rubygems-api-key',
    title: 'RubyGems API key',
    description:
      'A RubyGems.org API key (`rubygems_`): it may push new versions of your gems (a supply-chain ' +
      'attack). Delete it at rubygems.org → Settings → API keys and prefer trusted publishing.',
    severity: 'critical',
    keywords: ['rubygems_'],
    publicPrefix: true,
    regex: /\b(rubygems_[a-f0-9]{48})\b/,
    entropy: 3,
  },
  {
    id: 'nuget-api-key',
    title: 'NuGet API key',
    description:
      'A nuget.org API key (`oy2…`): it may push new versions of your packages. Regenerate or delete ' +
      'it at nuget.org → API Keys and prefer trusted publishing.',
    severity: 'critical',
    keywords: ['oy2'],
    publicPrefix: true,
    regex: /\b(oy2[a-z0-9]{43})\b/,
    entropy: 3.5,
  },
  {
    id: 'jfrog-api-key',
    title: 'JFrog Artifactory API key',
    description:
      'A JFrog Artifactory API key (`AKCp…`): it reads and deploys artifacts as its user. Revoke it ' +
      'in the JFrog Platform → Edit Profile → API key, and move to access tokens.',
    severity: 'high',
    keywords: ['akcp'],
    publicPrefix: true,
    regex: /\b(AKCp[A-Za-z0-9]{69})\b/,
    entropy: 4,
  },
  {
    id: 'jfrog-reference-token',
    title: 'JFrog reference token',
    description:
      'A JFrog Platform reference token (`cmVmdGtu…`, base64 of `reftkn`): it reads and deploys ' +
      'artifacts as its user or service. Revoke it in the JFrog Platform → Administration → ' +
      'Identity and Access → Access Tokens.',
    severity: 'high',
    keywords: ['cmvmdgtu'],
    publicPrefix: true,
    regex: /\b(cmVmdGtu[A-Za-z0-9]{56})\b/,
    entropy: 4,
  },
  {
    id: 'crates-io-token',
    title: 'crates.io API token',
    description:
      'A crates.io API token (`cio…`): it may publish new versions of your crates or yank them. ' +
      'Revoke it at crates.io → Account Settings → API Tokens and prefer trusted publishing.',
    severity: 'critical',
    keywords: ['cio'],
    publicPrefix: true,
    regex: /\b(cio[A-Za-z0-9]{32})\b/,
    entropy: 3.5,
    validate: mixedCase,
  },
  {
    id: 'clojars-token',
    title: 'Clojars deploy token',
    description:
      'A Clojars deploy token (`CLOJARS_`): it deploys new versions of your libraries. Disable it at ' +
      'clojars.org → Deploy Tokens.',
    severity: 'high',
    keywords: ['clojars_'],
    publicPrefix: true,
    regex: /\b(CLOJARS_[A-Za-z0-9]{60})\b/,
    entropy: 3.5,
  },
];
