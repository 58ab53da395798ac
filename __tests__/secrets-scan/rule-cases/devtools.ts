/** True and false examples of the CI/CD and package-registry tokens (`src/secrets-scan/rules/devtools.ts`). */
import { B64URL, DIGITS, HEX, LOWER, UPPER, embed, gitSha, synth, tok, type RuleCases } from './synth.js';

export const DEVTOOLS_CASES: Record<string, RuleCases> = {
  'circleci-token': {
    truths: [
      embed('CIRCLE_TOKEN=@@', `CCIPAT_${synth('cci-1', 22)}_${synth('cci-2', 40, HEX)}`),
      embed(
        'curl -H "Circle-Token: @@" https://circleci.com/api/v2/me',
        `CCIPRJ_${synth('cci-3', 22)}_${synth('cci-4', 40, HEX)}`,
      ),
    ],
    falses: [
      `CCIPAT_${synth('cci-5', 21)}_${synth('cci-6', 40, HEX)}`,
      `CCIPAX_${synth('cci-7', 22)}_${synth('cci-8', 40, HEX)}`,
      `CCIPAT_${synth('cci-9', 22)}_${synth('cci-10', 39, HEX)}`,
    ],
  },
  'circleci-legacy-token': {
    truths: [
      embed('CIRCLE_TOKEN=@@', synth('cci-legacy-1', 40, HEX)),
      embed('circleci_api_token: "@@"', synth('cci-legacy-2', 40, HEX)),
    ],
    falses: [
      `CIRCLE_TOKEN=${synth('cci-legacy-3', 39, HEX)}`,
      `CIRCLE_SHA1=${gitSha('cci-legacy-4')}`,
      'CIRCLE_TOKEN=${CIRCLE_TOKEN}',
    ],
  },
  'buildkite-token': {
    truths: [
      embed('BUILDKITE_API_TOKEN=@@', tok('bkua_', synth('bk-1', 40, HEX))),
      embed('BUILDKITE_AGENT_TOKEN=@@', tok('bkaa_', `MTA.${synth('bk-2', 80)}`)),
    ],
    falses: [tok('bkua_', synth('bk-3', 39, HEX)), tok('bkxx_', synth('bk-4', 40, HEX))],
  },
  'travis-ci-token': {
    truths: [
      embed('TRAVIS_API_TOKEN=@@', synth('travis-1', 22, B64URL)),
      embed('travis_token: "@@"', synth('travis-2', 22)),
    ],
    falses: [
      `TRAVIS_API_TOKEN=${synth('travis-3', 21)}`,
      `TRAVIS_BRANCH=${synth('travis-4', 22)}`,
      'TRAVIS_API_TOKEN=${TRAVIS_TOKEN}',
    ],
  },
  'sonarqube-token': {
    truths: [
      embed('SONAR_TOKEN=@@', tok('squ_', synth('sonar-1', 40, HEX))),
      embed('sonar.login=@@', tok('sqp_', synth('sonar-2', 40, HEX))),
    ],
    falses: [tok('sqx_', synth('sonar-3', 40, HEX)), tok('squ_', synth('sonar-4', 39, HEX))],
  },
  'octopus-deploy-api-key': {
    truths: [
      embed('OCTOPUS_API_KEY=@@', tok('API-', synth('octo-1', 26, UPPER + DIGITS))),
      embed('X-Octopus-ApiKey: @@', tok('API-', synth('octo-2', 32, UPPER + DIGITS))),
    ],
    falses: [
      'API-GATEWAYSERVICEINTEGRATIONS',
      tok('API-', synth('octo-3', 25, UPPER + DIGITS)),
      tok('API-', synth('octo-4', 26, LOWER + DIGITS)),
    ],
  },
  'rubygems-api-key': {
    truths: [
      embed('GEM_HOST_API_KEY=@@', tok('rubygems_', synth('gem-1', 48, HEX))),
      embed('---\n:rubygems_api_key: @@\n', tok('rubygems_', synth('gem-2', 48, HEX))),
    ],
    falses: [tok('rubygems_', synth('gem-3', 47, HEX)), tok('rubygems-', synth('gem-4', 48, HEX))],
  },
  'nuget-api-key': {
    truths: [
      embed('dotnet nuget push images.nupkg --api-key @@', tok('oy2', synth('nuget-1', 43, LOWER + DIGITS))),
      embed('NUGET_API_KEY=@@', tok('oy2', synth('nuget-2', 43, LOWER + DIGITS))),
    ],
    falses: [
      tok('oy2', synth('nuget-3', 42, LOWER + DIGITS)),
      tok('oy2', synth('nuget-4', 43, UPPER + DIGITS)),
    ],
  },
  'jfrog-api-key': {
    truths: [
      embed('ARTIFACTORY_API_KEY=@@', tok('AKCp', synth('jfrog-1', 69))),
      embed(
        'curl -H "X-JFrog-Art-Api: @@" https://acme.jfrog.io/artifactory/api/repositories',
        tok('AKCp', synth('jfrog-2', 69)),
      ),
    ],
    falses: [tok('AKCp', synth('jfrog-3', 68)), tok('AKCq', synth('jfrog-4', 69))],
  },
  'jfrog-reference-token': {
    truths: [
      embed('JF_ACCESS_TOKEN=@@', tok('cmVmdGtu', synth('reftkn-1', 56))),
      embed('Authorization: Bearer @@', tok('cmVmdGtu', synth('reftkn-2', 56))),
    ],
    falses: [tok('cmVmdGtu', synth('reftkn-3', 55)), tok('cmVmdGtu', synth('reftkn-4', 57))],
  },
  'crates-io-token': {
    truths: [
      embed('CARGO_REGISTRY_TOKEN=@@', tok('cio', synth('cio-1', 32))),
      embed('[registry]\ntoken = "@@"\n', tok('cio', synth('cio-2', 32))),
    ],
    falses: [
      tok('cio', synth('cio-3', 31)),
      tok('cio', 'NationalRegistryOfCitizensRecords'.slice(0, 32)),
      tok('xcio', synth('cio-4', 32)),
    ],
  },
  'clojars-token': {
    truths: [
      embed('CLOJARS_PASSWORD=@@', tok('CLOJARS_', synth('clojars-1', 60, LOWER + DIGITS))),
      embed(':password "@@"', tok('CLOJARS_', synth('clojars-2', 60))),
    ],
    falses: [tok('CLOJARS_', synth('clojars-3', 59)), tok('CLOJARS-', synth('clojars-4', 60))],
  },
};
