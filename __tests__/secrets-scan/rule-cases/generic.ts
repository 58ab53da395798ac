/** True and false examples of the context rules and the generic rule (`src/secrets-scan/rules/generic.ts`). */
import { ALNUM, HEX, B64, B64URL, DJANGO, synth, bytes, tok, jwt, embed, type RuleCases } from './synth.js';

/** A Docker `config.json` `auth` value: base64 of `user:password`. */
const dockerAuth = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');
const dockerConfig = (registry: string, auth: string) =>
  `{\n  "auths": {\n    "${registry}": {\n      "auth": "${auth}"\n    }\n  }\n}\n`;
const hs256 = { alg: 'HS256', typ: 'JWT' };

const b64 = (text: string) => Buffer.from(text).toString('base64');
/** A Secret manifest with `kind` before `stringData`, as people write it. */
const stringDataSecret = (values: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: registry\n  labels:\n    app: images\ntype: Opaque\nstringData:\n${values}\n`;
/** A Secret as `kubectl get -o yaml` prints it: keys sorted, so `data` comes before `kind`. */
const kubectlSecret = (values: string) =>
  `apiVersion: v1\ndata:\n${values}\nkind: Secret\nmetadata:\n  name: db\n  namespace: images\ntype: Opaque\n`;

export const GENERIC_CASES: Record<string, RuleCases> = {
  'url-password': {
    truths: [
      embed('DATABASE_URL=postgres://app:@@@db.internal:5432/app', synth('pg-pw', 20)),
      embed('MONGO_URI="mongodb+srv://svc:@@@cluster0.mongodb.net/?retryWrites=true"', synth('mongo-pw', 24)),
      embed('REDIS_URL=redis://:@@@cache:6379/0', synth('redis-pw', 16)),
      embed(
        'git remote add origin https://deploy:@@@git.internal/images.git',
        synth('git-pw', 12) + '!%' + 'q',
      ),
    ],
    falses: [
      'DATABASE_URL=postgres://user:${DB_PASSWORD}@db:5432/app',
      'postgres://user:password@localhost/db',
      'postgres://postgres:postgres@localhost:5432/test',
      'mysql://root:****@db:3306/app',
      'amqp://guest:<password>@rabbit:5672/',
      'https://registry.internal:8443/v2/',
      "new URL('https://abc:xyz@example.com')",
      `https://deploy:${synth('doc-pw', 16)}@example.com/repo.git`,
    ],
  },
  'connection-string-password': {
    truths: [
      embed(
        'Server=tcp:sql-images.internal,1433;Initial Catalog=app;User ID=svc_app;Password=@@;Encrypt=True;',
        synth('ado-pw', 20),
      ),
      embed('jdbc:postgresql://db.internal:5432/app?user=svc&password=@@', synth('jdbc-pw', 18)),
      embed(
        "conn = psycopg2.connect('host=db.internal user=app password=@@ dbname=app')",
        synth('libpq-pw', 16),
      ),
      embed(
        '"DefaultConnection": "Data Source=db;Initial Catalog=app;Uid=app; Pwd=@@;"',
        synth('odbc-pw', 14),
      ),
    ],
    falses: [
      'Server=db;Database=app;User Id=sa;Password={password};',
      'Server=db;Database=app;User Id=sa;Password=;',
      'Server=db;Database=app;User Id=sa;Password=password;',
      `Password=${synth('ado-pw-2', 20)};`,
      'Server=db;User Id=sa;Password=$(DB_PASSWORD);',
      'const username = result.groups?.user; const password = result.groups?.password;',
      `Server=db;User Id=sa;\nPassword=${synth('ado-pw-3', 20)};`,
      `Server=db;User Id=sa;db_password=${synth('ado-pw-4', 20)};`,
    ],
  },
  jwt: {
    truths: [
      embed('Authorization: Bearer @@', jwt(hs256, 'jwt-1')),
      embed('{"id_token":"@@"}', jwt({ alg: 'RS256', kid: synth('kid', 8) }, 'jwt-2')),
    ],
    falses: [
      jwt({ typ: 'JWT' }, 'jwt-3'),
      `eyJ${synth('jwt-4', 30, B64URL)}.${jwt(hs256, 'jwt-5').split('.').slice(1).join('.')}`,
      jwt(hs256, 'jwt-6').split('.').slice(0, 2).join('.'),
      `${jwt(hs256, 'jwt-7').split('.').slice(0, 2).join('.')}.${synth('jwt-8', 15, B64URL)}`,
    ],
  },
  'django-secret-key': {
    truths: [
      embed("SECRET_KEY = '@@'", tok('django-insecure-', synth('django-1', 50, DJANGO))),
      embed('DJANGO_SECRET_KEY="@@"', synth('django-2', 50, DJANGO)),
      embed(
        "SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', '@@')",
        tok('django-insecure-', synth('django-3', 50, DJANGO)),
      ),
      embed('app.config[\'SECRET_KEY\'] = "@@"', synth('django-4', 50, DJANGO)),
    ],
    falses: [
      `SECRET_KEY = '${synth('django-49', 49, DJANGO)}'`,
      `SECRET_KEY = '${synth('django-51', 51, DJANGO)}'`,
      `SECRET_KEY = '${tok('django-insecure-', 'not-a-real-key-replace-it-in-production-settings!!')}'`,
      "SECRET_KEY = env('DJANGO_SECRET_KEY')",
      `API_SECRET_KEY = '${synth('django-5', 50, DJANGO)}'`,
      `SECRET_KEY = '${'ab(%'.repeat(12)}ab'`,
    ],
  },
  'docker-config-auth': {
    truths: [
      embed(dockerConfig('https://index.docker.io/v1/', '@@'), dockerAuth('ci-bot', synth('docker-1', 24))),
      embed(
        '{"data": {".dockerconfigjson": "{\\"auths\\":{\\"registry.internal:5000\\":{\\"auth\\":\\"@@\\"}}}"}}',
        dockerAuth('AWS', synth('docker-2', 900, B64)),
      ),
      embed('{"auths":{"ghcr.io":{"auth":"@@"}}}', dockerAuth('octo', synth('docker-3', 12) + '!#')),
    ],
    falses: [
      dockerConfig('ghcr.io', dockerAuth('username', 'password')),
      dockerConfig('ghcr.io', dockerAuth('ci-bot', '')),
      dockerConfig('ghcr.io', Buffer.from(`:${synth('docker-4', 24)}`).toString('base64')),
      dockerConfig('ghcr.io', dockerAuth('ci-bot', '${REGISTRY_TOKEN}')),
      dockerConfig('ghcr.io', bytes('docker-binary', 30).toString('base64')),
      dockerConfig('ghcr.io', dockerAuth('ci-bot', synth('docker-5', 22)).replace(/=+$/, '')),
      '{"auths": {"ghcr.io": {}}, "credsStore": "desktop"}',
    ],
  },
  'curl-basic-auth': {
    truths: [
      embed('curl -u deploy:@@ https://api.internal/v1/upload', synth('curl-1', 20)),
      embed('curl -fsSL --user "ci:@@" https://nexus.internal/repository/raw/', synth('curl-2', 16) + '!'),
      embed(
        'curl \\\n  -X POST \\\n  -u admin:@@ \\\n  https://jenkins.internal/job/build',
        synth('curl-3', 14),
      ),
    ],
    falses: [
      'curl -u "$USER:$PASS" https://api.internal/',
      'curl -u user: https://api.internal/',
      'curl -u user:password https://api.internal/',
      'curl -u ${USER}:${TOKEN} https://api.internal/',
      'curl --user-agent "Mozilla/5.0 (X11; Linux x86_64)" https://api.internal/',
      `wget --user=ci --password=${synth('curl-4', 16)} https://api.internal/`,
    ],
  },
  'netrc-password': {
    truths: [
      embed('machine github.com\n  login ci-bot\n  password @@\n', synth('netrc-1', 20)),
      embed('machine registry.internal login deploy password @@', synth('netrc-2', 16)),
    ],
    falses: [
      'machine registry.internal login deploy password ${REGISTRY_TOKEN}',
      'machine registry.internal login deploy',
      'The machine learning password model flags weak passwords.',
      'machine registry.internal login deploy password password',
    ],
  },
  'kubernetes-secret-data': {
    truths: [
      embed(stringDataSecret('@@'), `  username: ci-bot\n  password: ${synth('k8s-1', 20)}`),
      embed(kubectlSecret('@@'), `  DB_PASSWORD: ${b64(synth('k8s-2', 24))}\n  DB_USER: ${b64('app')}`),
      embed(
        `apiVersion: v1\nkind: ConfigMap\ndata:\n  mode: fast\n---\n${stringDataSecret('@@')}`,
        `  config.json: |\n    {"token": "${synth('k8s-3', 30)}"}`,
      ),
    ],
    falses: [
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  token: ${synth('k8s-cm', 20)}\n`,
      stringDataSecret('  password: {{ .Values.password | quote }}'),
      kubectlSecret(`  password: ${b64('password')}\n  empty: ""`),
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: ConfigMap\ndata:\n  token: ${synth('k8s-4', 20)}\n`,
    ],
  },
  'generic-secret': {
    truths: [
      embed('api_key = "@@"', synth('generic-1', 32)),
      embed('DB_PASSWORD=@@', synth('generic-2', 20, ALNUM + '!@#%^&*')),
      embed('{"clientSecret": "@@"}', synth('generic-3', 40)),
      // Hex has at most 4 bits per character: this one has 3.3, judged against 3, not 3.5.
      embed('SECRET_KEY=@@', synth('generic-hex-11', 32, HEX)),
      embed("settings['API_KEY'] = '@@'", synth('generic-4', 24)),
      embed(
        'resource "aws_db_instance" "images" {\n  password = "@@"\n}\n',
        synth('generic-hcl', 20, ALNUM + '!#%'),
      ),
      embed('{\n  "apiKey": "@@",\n  "region": "eu"\n}', synth('generic-json', 32)),
      embed("const apiToken = '@@';", synth('generic-js', 28)),
      embed('cfg := Config{Password: "@@"}', synth('generic-go', 18)),
    ],
    falses: [
      `api_key = "${synth('generic-15', 15)}"`,
      'password = "hunter2hunter2hunter2"',
      'token: getAccessTokenFromVault(config)',
      'secret: ${SECRET}',
      'password: correct-horse-battery-staple',
      'secret_file: /run/secrets/db_password_v2',
      'access_token = settings.OAUTH_ACCESS_TOKEN',
      'type OpeningParenToken = OpeningParenToken$1;',
      // Names in the AWS SDK's own code: words with a short number inside.
      'exports.CreateOAuth2TokenCommand = CreateOAuth2TokenCommand;',
      'const X_AWS_EC2_METADATA_TOKEN = "x-aws-ec2-metadata-token";',
      'const SESSION_TOKEN_QUERY_PARAM = "X-Amz-S3session-Token";',
      `api_key = ${'0a1b'.repeat(8)}`,
      'password: !Ref DatabasePassword',
      "password: '{{resolve:secretsmanager:ImagesDb:SecretString:password}}'",
      'password = var.db_password',
      'api_key = os.environ["API_KEY"]',
      'const token = process.env.API_TOKEN;',
      'secret = "${var.secret}"',
      '<input type="password" placeholder="Password">',
    ],
  },
};
