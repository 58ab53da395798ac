/**
 * Synthetic secrets for tests, assembled at run time so no token-shaped literal sits in the
 * source (our own scanner and push protection would rightly flag one).
 */
const join = (...parts: string[]) => parts.join('');

export const PLANTED = {
  awsKeyId: join('AKIA', 'Q3VZ7RTM', 'PL2XWN4K'),
  awsSecret: join('Zq8vT2mK', 'p9LrX4sW', 'n6YbJ3hF', 'd7GcE1aQ', 'u5NoR0iV'),
  githubPat: join('ghp_', 'Rk7Wq2Zx', 'Lm9Tb4Vn', 'Pc3Hs8Jd', 'Gf6Ya1Ue', 'Xo5Q'),
  dbPassword: join('Tr0ub4dor', 'Zq8vLx'),
  slackWebhook: join(
    'https://hooks.slack.com/services/',
    'T0A1B2C3D',
    '/B9Z8Y7X6W/',
    'Qw3rTy9ZpL2mN8vBxK4jH6sD',
  ),
};

/** Files with secrets planted at known lines, plus files that must stay clean. */
export function plantedTree(): Record<string, string> {
  return {
    'config/app.env': [
      '# settings',
      `AWS_ACCESS_KEY_ID=${PLANTED.awsKeyId}`,
      `AWS_SECRET_ACCESS_KEY=${PLANTED.awsSecret}`,
      `DATABASE_URL=postgres://app:${PLANTED.dbPassword}@db:5432/app`,
      '',
    ].join('\n'),
    'scripts/release.sh': `#!/bin/sh\ncurl -H "Authorization: token ${PLANTED.githubPat}" https://api.github.com/user\n`,
    'notify.py': `WEBHOOK = "${PLANTED.slackWebhook}"\n`,
    'docs/example.yaml':
      'aws_access_key_id: AKIAIOSFODNN7EXAMPLE\ntoken: ${GITHUB_TOKEN}\npassword: "{{ db_password }}"\n',
  };
}

export function cleanTree(): Record<string, string> {
  return {
    'README.md': '# clean\nNothing to see: ${TOKEN} and <your-token> are placeholders.\n',
    'src/main.ts': 'export const answer = 42;\n',
  };
}
