import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { UserError } from '../../src/core/errors.js';
import {
  basicAuthorization,
  dockerConfigCredentials,
  dockerConfigPath,
  ecrHost,
  parseChallenges,
} from '../../src/publish-image/auth.js';
import { tmpDir } from '../helpers/tmp.js';
import { errorOf } from '../helpers/errors.js';

describe('parseChallenges', () => {
  it("reads Docker Hub's Bearer challenge, keeping the comma inside the quoted scope", () => {
    const header =
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull,push"';
    expect(parseChallenges(header)).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/alpine:pull,push',
        },
      },
    ]);
  });

  it("reads distribution's Basic challenge", () => {
    expect(parseChallenges('Basic realm="Registry Realm"')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
    ]);
  });

  it('reads several challenges in one header, each with its own parameters', () => {
    const header =
      'Basic realm="basic realm, with a comma", Bearer realm="https://t.example/token",service=reg.example , Foo';
    expect(parseChallenges(header)).toEqual([
      { scheme: 'basic', params: { realm: 'basic realm, with a comma' } },
      { scheme: 'bearer', params: { realm: 'https://t.example/token', service: 'reg.example' } },
      { scheme: 'foo', params: {} },
    ]);
  });

  it('unescapes quoted pairs (\\" and \\\\) inside quoted values', () => {
    const header = String.raw`Bearer realm="https://t.example/token",error="insufficient_scope",error_description="a \"quoted\" word and a \\ backslash"`;
    expect(parseChallenges(header)).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://t.example/token',
          error: 'insufficient_scope',
          error_description: 'a "quoted" word and a \\ backslash',
        },
      },
    ]);
  });

  it('lower-cases schemes and parameter names but keeps values as sent, and allows spaces around =', () => {
    expect(parseChallenges('BEARER Realm = "https://T.example/Token" ,  Service=Reg')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://T.example/Token', service: 'Reg' } },
    ]);
  });

  it('returns no challenges for an empty header', () => {
    expect(parseChallenges('')).toEqual([]);
  });
});

describe('basicAuthorization', () => {
  it('is Basic base64(user:password), colons in the password kept', () => {
    const value = basicAuthorization({ username: 'u', password: 'p:w', from: 'x' });
    expect(value).toBe(`Basic ${Buffer.from('u:p:w').toString('base64')}`);
  });
});

describe('dockerConfigPath', () => {
  it('is $DOCKER_CONFIG/config.json when set', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/etc/dockercfg' })).toBe('/etc/dockercfg/config.json');
  });
  it('is ~/.docker/config.json otherwise', () => {
    expect(dockerConfigPath({})).toMatch(/[/\\]\.docker[/\\]config\.json$/);
  });
});

describe('dockerConfigCredentials', () => {
  let dir: string;
  let bin: string;
  let stdinLog: string;
  // The helper is spawned by node:child_process with the real process environment; Jest's
  // `process.env` is a copy, so PATH is set on the real one (and put back afterwards).
  const realEnv = (vm.runInThisContext('process') as NodeJS.Process).env;
  const savedPath = realEnv.PATH;
  const write = (config: unknown): string => {
    const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
    return file;
  };
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('refuses an auths entry that is not the base64 of user:password, naming the registry and the file', () => {
    const file = write({ auths: { 'ghcr.io': { auth: b64('no-colon-here') } } });
    expect(() => dockerConfigCredentials('ghcr.io', file)).toThrow(
      `The auths entry for ghcr.io in ${file} is not the base64 of user:password; log in again (docker login ghcr.io) or fix the entry.`,
    );
  });

  beforeAll(() => {
    dir = tmpDir('imagepipe-auth-');
    bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    stdinLog = path.join(dir, 'helper-stdin.log');
    // A credential helper as the docker-credential-helpers protocol has them: `get`, the server on
    // stdin, JSON on stdout; "credentials not found" on stdout with exit 1 when it has none.
    fs.writeFileSync(
      path.join(bin, 'docker-credential-test'),
      [
        '#!/bin/sh',
        `[ "$1" = get ] || { echo "unexpected action $1" >&2; exit 3; }`,
        'server=$(cat)',
        `printf '%s\\n' "$server" >> '${stdinLog}'`,
        'case "$server" in',
        '  notfound.example) echo "credentials not found in native keychain"; exit 1 ;;',
        '  broken.example) echo "the keychain is locked" >&2; exit 1 ;;',
        '  garbage.example) echo "Username: helper-user" ;;',
        '  *) printf \'{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret-for-%s"}\\n\' "$server" "$server" ;;',
        'esac',
      ].join('\n'),
      { mode: 0o755 },
    );
    realEnv.PATH = `${bin}${path.delimiter}${savedPath ?? ''}`;
  });
  afterAll(() => {
    realEnv.PATH = savedPath;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => fs.rmSync(stdinLog, { force: true }));
  const helperStdin = (): string[] =>
    fs.existsSync(stdinLog) ? fs.readFileSync(stdinLog, 'utf8').split('\n').filter(Boolean) : [];

  it('decodes an auths entry’s base64 auth, keeping colons in the password', () => {
    const file = write({ auths: { 'ghcr.io': { auth: b64('octo:ghp_secret:with:colons') } } });
    expect(dockerConfigCredentials('ghcr.io', file)).toEqual({
      username: 'octo',
      password: 'ghp_secret:with:colons',
      from: file,
    });
  });

  it('reads username and password fields when there is no auth', () => {
    const file = write({ auths: { 'quay.io': { username: 'robot', password: 'pw' } } });
    expect(dockerConfigCredentials('quay.io', file)).toEqual({
      username: 'robot',
      password: 'pw',
      from: file,
    });
  });

  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['https://ghcr.io', 'ghcr.io'],
    ['http://localhost:5000/v2/', 'localhost:5000'],
  ])('matches the key %s to the registry %s', (key, registry) => {
    const file = write({ auths: { [key]: { auth: b64('u:p') } } });
    expect(dockerConfigCredentials(registry, file)).toEqual({ username: 'u', password: 'p', from: file });
  });

  it('gives nothing for a registry the file does not name', () => {
    const file = write({ auths: { 'ghcr.io': { auth: b64('u:p') } } });
    expect(dockerConfigCredentials('quay.io', file)).toBeUndefined();
    expect(dockerConfigCredentials('docker.io', file)).toBeUndefined();
    expect(helperStdin()).toEqual([]);
  });

  it('gives nothing when there is no config file', () => {
    expect(dockerConfigCredentials('ghcr.io', path.join(dir, 'absent', 'config.json'))).toBeUndefined();
  });

  it('refuses a config that is not JSON with a UserError naming the file', () => {
    const file = write('{ "auths": ');
    expect(() => dockerConfigCredentials('ghcr.io', file)).toThrow(UserError);
    expect(() => dockerConfigCredentials('ghcr.io', file)).toThrow(
      new RegExp(`The Docker config ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON`),
    );
  });

  it('does not echo the file’s text (which holds base64 user:password) when it is not JSON', () => {
    const auth = b64('robot:s3cr3t-password-value');
    const file = write(`{"auths": {"ghcr.io": {"auth": ${auth}}}}`);
    const error = errorOf(() => dockerConfigCredentials('ghcr.io', file));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain(file);
    expect(error.message).not.toContain(auth.slice(0, 6));
  });

  it('asks the credHelpers helper for the host, sending the server on stdin', () => {
    const file = write({ credHelpers: { 'ghcr.io': 'test' } });
    expect(dockerConfigCredentials('ghcr.io', file)).toEqual({
      username: 'helper-user',
      password: 'helper-secret-for-ghcr.io',
      from: 'docker-credential-test',
    });
    expect(helperStdin()).toEqual(['ghcr.io']);
  });

  it("sends Docker Hub's server under its legacy address, as docker login stores it", () => {
    const file = write({ credHelpers: { 'https://index.docker.io/v1/': 'test' } });
    expect(dockerConfigCredentials('docker.io', file)?.password).toBe(
      'helper-secret-for-https://index.docker.io/v1/',
    );
    expect(helperStdin()).toEqual(['https://index.docker.io/v1/']);
  });

  it('asks the credsStore helper for a registry that docker login recorded', () => {
    const file = write({ auths: { 'registry.example:5000': {} }, credsStore: 'test' });
    expect(dockerConfigCredentials('registry.example:5000', file)).toEqual({
      username: 'helper-user',
      password: 'helper-secret-for-registry.example:5000',
      from: 'docker-credential-test',
    });
    expect(helperStdin()).toEqual(['registry.example:5000']);
  });

  it('gives nothing when the helper says "credentials not found"', () => {
    const file = write({ credHelpers: { 'notfound.example': 'test' } });
    expect(dockerConfigCredentials('notfound.example', file)).toBeUndefined();
    expect(helperStdin()).toEqual(['notfound.example']);
  });

  it('names the helper, the registry and a command to try when the helper fails otherwise', () => {
    const file = write({ credHelpers: { 'broken.example': 'test' } });
    expect(() => dockerConfigCredentials('broken.example', file)).toThrow(UserError);
    expect(() => dockerConfigCredentials('broken.example', file)).toThrow(
      'The credential helper docker-credential-test failed for broken.example; run "echo broken.example | docker-credential-test get" to see why.',
    );
  });

  it('refuses a helper answer that is not JSON with a UserError naming the helper', () => {
    const file = write({ credHelpers: { 'garbage.example': 'test' } });
    const error = errorOf(() => dockerConfigCredentials('garbage.example', file));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('docker-credential-test');
    expect(error.message).toContain('garbage.example');
  });

  it('refuses a helper that is not on PATH with a UserError naming it, the file and the registry', () => {
    const file = write({ credHelpers: { 'ghcr.io': 'absent-helper' } });
    let error: unknown;
    try {
      dockerConfigCredentials('ghcr.io', file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      `${file} names the credential helper docker-credential-absent-helper for ghcr.io, but it is not on PATH; install it or give registry-username and registry-password.`,
    );
  });

  it('refuses a helper name that could be a path or an option', () => {
    const file = write({ credHelpers: { 'ghcr.io': '../../bin/sh' } });
    expect(() => dockerConfigCredentials('ghcr.io', file)).toThrow(UserError);
    expect(() => dockerConfigCredentials('ghcr.io', file)).toThrow(
      /credential helper name "\.\.\/\.\.\/bin\/sh"/,
    );
    expect(helperStdin()).toEqual([]);
  });
});

describe('ecrHost', () => {
  it.each([
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', '123456789012', 'us-east-1'],
    ['123456789012.dkr.ecr.eu-central-1.amazonaws.com', '123456789012', 'eu-central-1'],
    ['210987654321.dkr.ecr.ap-southeast-2.amazonaws.com', '210987654321', 'ap-southeast-2'],
    ['123456789012.dkr.ecr-fips.us-east-1.amazonaws.com', '123456789012', 'us-east-1'],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', '123456789012', 'cn-north-1'],
    ['123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn', '123456789012', 'cn-northwest-1'],
    ['123456789012.dkr.ecr.us-gov-west-1.amazonaws.com', '123456789012', 'us-gov-west-1'],
    ['123456789012.dkr.ecr-fips.us-gov-east-1.amazonaws.com', '123456789012', 'us-gov-east-1'],
    // Dual-stack (IPv6) registry endpoints, as AWS documents them: <registry-id>.dkr-ecr.<region>.on.aws
    ['123456789012.dkr-ecr.us-east-1.on.aws', '123456789012', 'us-east-1'],
    ['123456789012.dkr-ecr.eu-west-1.on.aws', '123456789012', 'eu-west-1'],
  ])('%s is account %s in %s', (host, accountId, region) => {
    expect(ecrHost(host)).toEqual({ accountId, region });
  });

  it.each([
    'ghcr.io',
    'docker.io',
    'public.ecr.aws',
    'localhost:5000',
    '12345678901.dkr.ecr.us-east-1.amazonaws.com',
    '1234567890123.dkr.ecr.us-east-1.amazonaws.com',
    'abcdefghijkl.dkr.ecr.us-east-1.amazonaws.com',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example',
    'evil.example.123456789012.dkr.ecr.us-east-1.amazonaws.com',
    '123456789012.dkr.ecr.us-east-1.amazonaws.co',
    '123456789012.ecr.us-east-1.amazonaws.com',
    '123456789012.dkr.ecr.amazonaws.com',
  ])('%s is not an ECR private registry', (host) => {
    expect(ecrHost(host)).toBeUndefined();
  });
});
