/**
 * Who we are to a registry. Credentials come from the inputs, from the Docker config's `auths`
 * (or the credential helper it names), or from ECR. Challenges are read from `WWW-Authenticate`
 * (RFC 7235): a `Bearer` challenge sends us to a token service for the scopes we need, as Docker
 * Hub, GHCR and distribution's token auth do; `Basic` takes the credentials on every request.
 * The header grammar is a handful of `key="value"` pairs; Node has no parser for it and the npm
 * ones are unmaintained, so it is read here.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../core/errors.js';
import { DOCKER_HUB } from './reference.js';

export interface Credentials {
  username: string;
  password: string;
  /** Where they came from, for messages: `registry-username`, `~/.docker/config.json`. */
  from: string;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Reads the challenges of a `WWW-Authenticate` header; the scheme is lower-cased. */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  const token = /[A-Za-z0-9!#$%&'*+.^_`|~-]+/y;
  let current: Challenge | undefined;
  let i = 0;
  const skip = (chars: RegExp) => {
    while (i < header.length && chars.test(header.charAt(i))) i++;
  };
  while (i < header.length) {
    skip(/[\s,]/);
    token.lastIndex = i;
    const word = token.exec(header)?.[0];
    if (!word) break;
    i += word.length;
    skip(/\s/);
    if (header[i] !== '=') {
      current = { scheme: word.toLowerCase(), params: {} };
      challenges.push(current);
      continue;
    }
    i++;
    skip(/\s/);
    let value = '';
    if (header[i] === '"') {
      for (i++; i < header.length && header[i] !== '"'; i++)
        value += header.charAt(i) === '\\' ? header.charAt(++i) : header.charAt(i);
      i++;
    } else {
      token.lastIndex = i;
      value = token.exec(header)?.[0] ?? '';
      i += value.length;
    }
    if (current) current.params[word.toLowerCase()] = value;
  }
  return challenges;
}

export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** The key a Docker config file uses for a registry: no scheme, no path, Hub under its old name. */
function configKey(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB : host;
}

export function dockerConfigPath(env: Record<string, string | undefined>): string {
  return path.join(env.DOCKER_CONFIG || path.join(os.homedir(), '.docker'), 'config.json');
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/**
 * Credentials for `registry` from a Docker config file, as `docker login` leaves them: an `auths`
 * entry, or a credential helper (`credHelpers` for the host, else `credsStore`) run as
 * `docker-credential-<name> get`. Undefined when the file says nothing about the registry.
 */
export function dockerConfigCredentials(registry: string, file: string): Credentials | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let config: DockerConfig;
  try {
    config = JSON.parse(text) as DockerConfig;
  } catch {
    // Not the parser's message: it quotes the file, and the file holds passwords.
    throw new UserError(`The Docker config ${file} is not valid JSON; fix or remove it.`);
  }
  // As docker does: a helper for the host, else the store for every host, else the file's auths.
  const helperKey = Object.keys(config.credHelpers ?? {}).find((k) => configKey(k) === registry);
  const helper = (helperKey ? config.credHelpers?.[helperKey] : undefined) ?? config.credsStore;
  if (helper) {
    const fromStore = fromHelper(helper, registry, file);
    if (fromStore) return fromStore;
  }
  const entryKey = Object.keys(config.auths ?? {}).find((k) => configKey(k) === registry);
  const entry = entryKey ? config.auths?.[entryKey] : undefined;
  if (entry?.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0)
      return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), from: file };
    throw new UserError(
      `The auths entry for ${registry} in ${file} is not the base64 of user:password; log in again (docker login ${registry}) or fix the entry.`,
    );
  }
  if (entry?.username && entry.password)
    return { username: entry.username, password: entry.password, from: file };
  return undefined;
}

function fromHelper(helper: string, registry: string, file: string): Credentials | undefined {
  if (!/^[\w.-]+$/.test(helper))
    throw new UserError(`The credential helper name ${JSON.stringify(helper)} in ${file} is not valid.`);
  const program = `docker-credential-${helper}`;
  let output: string;
  const server = registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
  try {
    // Bounded: a helper waiting for a passphrase prompt would otherwise hang the job.
    output = execFileSync(program, ['get'], {
      input: server,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 30_000,
    });
  } catch (error) {
    const e = error as { code?: string; stdout?: string };
    if (e.code === 'ENOENT') {
      throw new UserError(
        `${file} names the credential helper ${program} for ${registry}, but it is not on PATH; install it or give registry-username and registry-password.`,
      );
    }
    if (/credentials not found/i.test(e.stdout ?? '')) return undefined;
    throw new UserError(
      `The credential helper ${program} failed for ${registry}; run "echo ${server} | ${program} get" to see why.`,
    );
  }
  let answer: { Username?: string; Secret?: string };
  try {
    answer = JSON.parse(output) as { Username?: string; Secret?: string };
  } catch {
    throw new UserError(
      `The credential helper ${program} answered for ${registry} with something other than JSON; run "echo ${server} | ${program} get" to see it.`,
    );
  }
  if (!answer.Username || !answer.Secret) return undefined;
  return { username: answer.Username, password: answer.Secret, from: program };
}

export interface EcrHost {
  accountId: string;
  region: string;
}

/**
 * An Amazon ECR private registry host: `<account>.dkr.ecr[-fips].<region>.amazonaws.com`, the
 * China form ending `.amazonaws.com.cn`, GovCloud (`us-gov-*` regions), and the dual-stack
 * `<account>.dkr-ecr.<region>.on.aws`.
 */
export function ecrHost(host: string): EcrHost | undefined {
  const region = '([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2})';
  const m =
    new RegExp(`^(\\d{12})\\.dkr\\.ecr(?:-fips)?\\.${region}\\.amazonaws\\.com(?:\\.cn)?$`).exec(host) ??
    new RegExp(`^(\\d{12})\\.dkr-ecr(?:-fips)?\\.${region}\\.on\\.aws$`).exec(host);
  return m?.[1] && m[2] ? { accountId: m[1], region: m[2] } : undefined;
}
