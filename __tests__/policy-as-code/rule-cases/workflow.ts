import type { RuleCase } from './types.js';

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';
const WF = '.github/workflows/ci.yml';

/** A workflow with one job whose steps are given. */
const workflow = (stepsYaml: string, on = 'push', top = 'permissions:\n  contents: read\n') => `name: CI
on: ${on}
${top}jobs:
  build:
    runs-on: ubuntu-latest
    steps:
${stepsYaml}`;

const checkout = `      - uses: actions/checkout@v4
        with:
          persist-credentials: false
`;

const composite = (stepsYaml: string) => `name: Greeter
description: Says hello
inputs:
  who:
    description: Whom to greet
runs:
  using: composite
  steps:
${stepsYaml}`;

export const WORKFLOW_CASES: RuleCase[] = [
  {
    rule: 'workflow-script-injection',
    name: 'issue title on the third line of run: | and head_ref on the fourth',
    file: WF,
    text: workflow(
      `      - name: Triage
        run: |
          echo "start"
          echo "Title: \${{ github.event.issue.title }}"
          git switch \${{ github.head_ref }}
`,
      'issues',
    ),
    lines: [12, 13],
  },
  {
    rule: 'workflow-script-injection',
    name: 'github-script with a comment body, and a folded run',
    file: '.github/workflows/bot.yaml',
    text: workflow(
      `      - uses: actions/github-script@${SHA}
        with:
          script: |
            const body = "\${{ github.event.comment.body }}"
      - run: >
          echo
          \${{ toJSON(github.event.pull_request) }}
`,
      'issue_comment',
    ),
    lines: [12, 15],
  },
  {
    rule: 'workflow-script-injection',
    name: 'composite action running a commit message',
    file: 'actions/greet/action.yml',
    text: composite(`    - shell: bash
      run: echo "\${{ github.event.head_commit.message }}"
`),
    lines: [10],
  },
  {
    rule: 'workflow-script-injection',
    name: 'through env, and trusted contexts',
    file: WF,
    text: workflow(`      - env:
          TITLE: \${{ github.event.issue.title }}
        run: |
          echo "$TITLE" \${{ github.sha }} \${{ github.event.pull_request.number }}
`),
    lines: [],
  },
  {
    rule: 'action-input-interpolated-in-run',
    name: 'inputs.who in a composite run',
    file: 'action.yaml',
    text: composite(`    - shell: bash
      run: |
        set -eu
        echo "Hello \${{ inputs.who }}"
`),
    lines: [12],
  },
  {
    rule: 'action-input-interpolated-in-run',
    name: 'input passed through env',
    file: 'action.yml',
    text: composite(`    - shell: bash
      env:
        WHO: \${{ inputs.who }}
      run: echo "Hello $WHO"
`),
    lines: [],
  },
  {
    rule: 'workflow-action-not-pinned',
    name: 'tag, branch, docker image without digest, reusable workflow',
    file: WF,
    text: `${workflow(`      - uses: tj-actions/changed-files@v45
      - uses: someone/tool@main
      - uses: docker://alpine:3.20
`)}  call:
    uses: org/shared/.github/workflows/release.yml@v1
`,
    lines: [9, 10, 11, 13],
  },
  {
    rule: 'workflow-action-not-pinned',
    name: 'composite action step',
    file: 'action.yml',
    text: composite(`    - uses: aws-actions/configure-aws-credentials@v4
`),
    lines: [9],
  },
  {
    rule: 'workflow-action-not-pinned',
    name: 'SHA, digest, local action, GitHub-owned action',
    file: WF,
    text: workflow(`      - uses: actions/checkout@v4
      - uses: github/codeql-action/init@v3
      - uses: docker/login-action@${SHA} # v3.3.0
      - uses: docker://alpine@sha256:${'e'.repeat(64)}
      - uses: ./.github/actions/local
`),
    lines: [],
  },
  {
    rule: 'workflow-permissions-write-all',
    name: 'workflow and job write-all',
    file: WF,
    text: `${workflow('      - run: make\n', 'push', 'permissions: write-all\n')}  release:
    runs-on: ubuntu-latest
    permissions: write-all
    steps:
      - run: make release
`,
    lines: [3, 11],
  },
  {
    rule: 'workflow-permissions-write-all',
    name: 'read-only with one scope',
    file: WF,
    text: workflow('      - run: make\n', 'push', 'permissions:\n  contents: read\n  packages: write\n'),
    lines: [],
  },
  {
    rule: 'workflow-pr-target-checkout',
    name: 'pull_request_target checking out the head sha',
    file: WF,
    text: workflow(
      `      - uses: actions/checkout@v4
        with:
          persist-credentials: false
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
`,
      '\n  pull_request_target:\n    types: [opened, synchronize]',
    ),
    lines: [14],
  },
  {
    rule: 'workflow-pr-target-checkout',
    name: 'workflow_run with gh pr checkout',
    file: WF,
    text: workflow('      - run: gh pr checkout 1 && make\n', '[workflow_run]'),
    lines: [9],
  },
  {
    rule: 'workflow-pr-target-checkout',
    name: 'pull_request_target checking out the base',
    file: WF,
    text: workflow(checkout, 'pull_request_target'),
    lines: [],
  },
  {
    rule: 'workflow-pr-target-checkout',
    name: 'pull_request (no secrets) checking out the head',
    file: WF,
    text: workflow(
      `      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
`,
      'pull_request',
    ),
    lines: [],
  },
  {
    rule: 'workflow-checkout-persist-credentials',
    name: 'checkout without persist-credentials, and with it true',
    file: WF,
    text: workflow(`      - uses: actions/checkout@v4
      - uses: actions/checkout@v4
        with:
          persist-credentials: true
`),
    lines: [9, 12],
  },
  {
    rule: 'workflow-checkout-persist-credentials',
    name: 'composite action checking out another repository',
    file: 'action.yml',
    text: composite(`    - uses: actions/checkout@v4
      with:
        repository: org/tools
`),
    lines: [9],
  },
  {
    rule: 'workflow-checkout-persist-credentials',
    name: 'persist-credentials: false',
    file: WF,
    text: workflow(checkout),
    lines: [],
  },
  {
    rule: 'workflow-secrets-inherit',
    name: 'secrets: inherit',
    file: WF,
    text: `${workflow('      - run: make\n')}  deploy:
    uses: ./.github/workflows/deploy.yml
    secrets: inherit
`,
    lines: [12],
  },
  {
    rule: 'workflow-secrets-inherit',
    name: 'explicit secrets',
    file: WF,
    text: `${workflow('      - run: make\n')}  deploy:
    uses: ./.github/workflows/deploy.yml
    secrets:
      token: \${{ secrets.DEPLOY_TOKEN }}
`,
    lines: [],
  },
  {
    rule: 'workflow-unsecure-commands',
    name: 'at workflow, job and step level',
    file: WF,
    text: `name: CI
on: push
env:
  ACTIONS_ALLOW_UNSECURE_COMMANDS: true
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      ACTIONS_ALLOW_UNSECURE_COMMANDS: "true"
    steps:
      - run: echo "::add-path::/opt/bin"
        env:
          ACTIONS_ALLOW_UNSECURE_COMMANDS: 'TRUE'
`,
    lines: [4, 9, 13],
  },
  {
    rule: 'workflow-unsecure-commands',
    name: 'in a composite action step',
    file: 'action.yml',
    text: composite(`    - shell: bash
      run: echo hi
      env:
        ACTIONS_ALLOW_UNSECURE_COMMANDS: true
`),
    lines: [12],
  },
  {
    rule: 'workflow-unsecure-commands',
    name: 'false',
    file: WF,
    text: workflow('      - run: echo hi\n        env:\n          ACTIONS_ALLOW_UNSECURE_COMMANDS: false\n'),
    lines: [],
  },
];
