/**
 * A client for one registry's distribution API (the OCI distribution spec, as Docker's registry,
 * ECR, GHCR and Docker Hub serve it): blob checks, cross-repository mounts, uploads (one PUT for
 * small blobs, PATCH chunks for large ones, a new upload session after a dropped connection), and
 * manifests. Authentication follows the registry's challenge; transient failures
 * (dropped connections, 429, 5xx) are retried with backoff.
 */
import * as fs from 'node:fs';
import { UserError } from '../core/errors.js';
import { retry, type RetryOptions } from '../core/retry.js';
import { VERSION } from '../core/version.js';
import { basicAuthorization, parseChallenges, type Credentials } from './auth.js';
import { isTransientNetworkError, type HttpRequest, type HttpResponse, type Transport } from './http.js';
import { MEDIA_TYPES, type BlobFile, type ManifestBlob } from './image.js';
import { errorDetail, RegistryError, retryAfter, statusText } from './registry-answers.js';

export { RegistryError } from './registry-answers.js';

/** Blobs up to this size go up in one PUT; larger ones in PATCH chunks of this size. */
export const DEFAULT_CHUNK_SIZE = 32 * 1024 * 1024;

const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.dockerManifestList,
].join(', ');

export interface RegistryClientOptions {
  /** The registry as named in references (`docker.io`), for messages. */
  registry: string;
  /** Where its API is: `https://host[:port]` or, for an insecure registry, `http://…`. */
  baseUrl: string;
  transport: Transport;
  credentials?: Credentials;
  log?: (message: string) => void;
  chunkSize?: number;
  /** Called with each token obtained, so the action can mask it. */
  secret?: (value: string) => void;
  /** For tests: the retry sleep. */
  retry?: Pick<RetryOptions, 'sleep' | 'attempts' | 'random'>;
}

export type MountResult = { mounted: true } | { mounted: false; location: URL };

export class RegistryClient {
  private readonly tokens = new Map<string, string>();
  private basic = false;
  readonly chunkSize: number;

  private readonly origin: string;

  constructor(private readonly options: RegistryClientOptions) {
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.origin = new URL(options.baseUrl).origin;
  }

  private url(path: string): URL {
    return new URL(`/v2/${path}`, this.options.baseUrl);
  }

  /**
   * Why the host is not a distribution API, when it is not: asked after an unexpected answer, so
   * that a wrong host or port is named as such rather than as a failed upload.
   */
  async notARegistry(): Promise<string | undefined> {
    try {
      const response = await this.options.transport.request({
        method: 'GET',
        url: this.url(''),
        headers: { 'user-agent': `imagepipe/${VERSION}` },
      });
      if (response.status === 200 || response.status === 401) return undefined;
      return `${this.options.registry} is not an OCI registry: GET ${this.url('').href} answered ${statusText(response.status, response)}; check the host and port`;
    } catch {
      return undefined;
    }
  }

  /** Whether the repository holds the blob. */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const what = `check blob ${digest} in ${repository}`;
    const response = await this.call(what, [`repository:${repository}:pull,push`], {
      method: 'HEAD',
      url: this.url(`${repository}/blobs/${digest}`),
    });
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw new RegistryError(what, response.status, errorDetail(response));
  }

  /**
   * Asks the registry to link a blob it holds in `from` into `repository`. A registry that cannot
   * (another account's repository, a registry without mounts) starts an upload instead.
   */
  async mountBlob(repository: string, digest: string, from: string): Promise<MountResult> {
    const what = `mount blob ${digest} from ${from} into ${repository}`;
    const url = this.url(`${repository}/blobs/uploads/`);
    url.searchParams.set('mount', digest);
    url.searchParams.set('from', from);
    const scopes = [`repository:${repository}:pull,push`, `repository:${from}:pull`];
    const response = await this.call(what, scopes, { method: 'POST', url });
    if (response.status === 201) return { mounted: true };
    if (response.status === 202) return { mounted: false, location: this.location(response, what) };
    throw new RegistryError(what, response.status, errorDetail(response));
  }

  /**
   * Uploads a blob from disk; `location` continues an upload the registry already started (a
   * mount it could not do). A streamed request is never resent as is: after a dropped connection
   * the registry may hold part of it, and distribution cancels an upload resumed at another offset
   * than its own. So a failed upload starts again from a new upload session, a few times.
   */
  async uploadBlob(repository: string, blob: BlobFile, location?: URL): Promise<void> {
    const scopes = [`repository:${repository}:pull,push`];
    const what = `upload blob ${blob.digest} (${blob.size} bytes) to ${repository}`;
    let given = location;
    await retry(
      async () => {
        const start = given ?? (await this.startUpload(repository, what, scopes));
        given = undefined;
        await this.sendBlob(blob, start, what, scopes);
      },
      {
        label: what,
        attempts: 4,
        ...this.options.retry,
        retryable: (error) =>
          isTransientNetworkError(error) ||
          (error instanceof RegistryError && (error.transient || error.uploadLost)),
        log: this.options.log,
      },
    );
  }

  private async sendBlob(blob: BlobFile, start: URL, what: string, scopes: string[]): Promise<void> {
    let at = start;
    const chunked = blob.size > this.chunkSize;
    for (let from = 0; chunked && from < blob.size; from += this.chunkSize) {
      const end = Math.min(from + this.chunkSize, blob.size) - 1;
      const response = await this.call(`${what}: bytes ${from}-${end}`, scopes, {
        method: 'PATCH',
        url: at,
        headers: { 'content-type': 'application/octet-stream', 'content-range': `${from}-${end}` },
        body: { stream: () => fs.createReadStream(blob.path, { start: from, end }), length: end - from + 1 },
      });
      if (response.status !== 202) throw new RegistryError(what, response.status, errorDetail(response));
      at = this.location(response, what);
    }
    const url = new URL(at);
    url.searchParams.set('digest', blob.digest);
    const request: HttpRequest = chunked
      ? { method: 'PUT', url }
      : {
          method: 'PUT',
          url,
          headers: { 'content-type': 'application/octet-stream' },
          body: { stream: () => fs.createReadStream(blob.path), length: blob.size },
        };
    const response = await this.call(`${what}: finish`, scopes, request);
    if (response.status !== 201) throw new RegistryError(what, response.status, errorDetail(response));
    this.checkDigest(what, response, blob.digest);
  }

  private async startUpload(repository: string, what: string, scopes: string[]): Promise<URL> {
    const response = await this.call(`${what}: start`, scopes, {
      method: 'POST',
      url: this.url(`${repository}/blobs/uploads/`),
    });
    if (response.status !== 202) throw new RegistryError(what, response.status, errorDetail(response));
    return this.location(response, what);
  }

  /** The digest the registry holds under `reference`, or undefined when it has nothing there. */
  async manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    const what = `look up ${repository}:${reference}`;
    const response = await this.call(what, [`repository:${repository}:pull,push`], {
      method: 'HEAD',
      url: this.url(`${repository}/manifests/${reference}`),
      headers: { accept: MANIFEST_ACCEPT },
    });
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw new RegistryError(what, response.status, errorDetail(response));
    const digest = response.headers['docker-content-digest'];
    return typeof digest === 'string' ? digest : undefined;
  }

  /** Puts a manifest or index under a tag or its digest; returns the digest the registry reports. */
  async putManifest(repository: string, reference: string, manifest: ManifestBlob): Promise<string> {
    const what = `put manifest ${repository}:${reference}`;
    const response = await this.call(what, [`repository:${repository}:pull,push`], {
      method: 'PUT',
      url: this.url(`${repository}/manifests/${reference}`),
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes,
    });
    if (response.status !== 201) throw new RegistryError(what, response.status, errorDetail(response));
    return this.checkDigest(what, response, manifest.digest);
  }

  /** The registry's `Docker-Content-Digest` must be ours: anything else means it stored other bytes. */
  private checkDigest(what: string, response: HttpResponse, expected: string): string {
    const reported = response.headers['docker-content-digest'];
    if (typeof reported === 'string' && reported !== '' && reported !== expected) {
      throw new UserError(
        `${what}: the registry reports digest ${reported}, but the image's is ${expected}; it did not store what was sent`,
      );
    }
    return expected;
  }

  private location(response: HttpResponse, what: string): URL {
    const location = response.headers.location;
    if (typeof location !== 'string' || location === '') {
      throw new RegistryError(what, response.status, 'with no Location header for the upload');
    }
    return new URL(location, this.options.baseUrl);
  }

  /**
   * Sends a request with whatever authorization the scopes need, answering a 401 challenge once.
   * Transient failures are retried, except for a streamed body, whose retry is the caller's.
   */
  private async call(what: string, scopes: string[], request: HttpRequest): Promise<HttpResponse> {
    const key = scopes.join(' ');
    const streamed = request.body !== undefined && !Buffer.isBuffer(request.body);
    return retry(
      async () => {
        let response = await this.send(request, key);
        if (response.status === 401) {
          if (
            /insufficient_scope/.test(String(response.headers['www-authenticate'] ?? '')) &&
            this.tokens.has(key)
          ) {
            throw this.notAllowed(what, response);
          }
          await this.authenticate(what, response, scopes);
          response = await this.send(request, key);
          if (response.status === 401) {
            if (/insufficient_scope/.test(String(response.headers['www-authenticate'] ?? ''))) {
              throw this.notAllowed(what, response);
            }
            throw new UserError(
              `${what}: ${this.options.registry} refused the credentials${this.options.credentials ? ` from ${this.options.credentials.from}` : ''} (${statusText(401, response)})`,
            );
          }
        }
        if (response.status === 403) throw this.notAllowed(what, response);
        if (response.status === 429 || response.status >= 500) {
          const error = new RegistryError(what, response.status, errorDetail(response), retryAfter(response));
          if (error.transient) throw error;
        }
        return response;
      },
      {
        label: what,
        attempts: streamed ? 1 : 5,
        ...this.options.retry,
        ...(streamed ? { attempts: 1 } : {}),
        retryable: (error) =>
          isTransientNetworkError(error) || (error instanceof RegistryError && error.transient),
        delayOf: (error) => (error instanceof RegistryError ? error.retryAfterMs : undefined),
        log: this.options.log,
      },
    );
  }

  private notAllowed(what: string, response: HttpResponse): UserError {
    return new UserError(
      `${what}: ${this.options.registry} denied access (${statusText(response.status, response)}); check that ${this.options.credentials ? `the credentials from ${this.options.credentials.from}` : 'anonymous access'} may push to this repository`,
    );
  }

  private send(request: HttpRequest, key: string): Promise<HttpResponse> {
    const headers: Record<string, string> = { 'user-agent': `imagepipe/${VERSION}`, ...request.headers };
    // Credentials go to the registry itself only, never to another host a Location points at.
    if (request.url.origin === this.origin) {
      const token = this.tokens.get(key);
      if (token) headers.authorization = `Bearer ${token}`;
      else if (this.basic && this.options.credentials)
        headers.authorization = basicAuthorization(this.options.credentials);
    }
    return this.options.transport.request({ ...request, headers });
  }

  /** Answers a challenge: a token from the realm for these scopes, or Basic credentials. */
  private async authenticate(what: string, response: HttpResponse, scopes: string[]): Promise<void> {
    const header = String(response.headers['www-authenticate'] ?? '');
    const challenges = parseChallenges(header);
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const credentials = this.options.credentials;
    if (bearer?.params.realm) {
      this.tokens.set(scopes.join(' '), await this.fetchToken(what, bearer.params, scopes));
      return;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (!credentials) throw this.needCredentials(what);
      this.basic = true;
      return;
    }
    throw new UserError(
      `${what}: ${this.options.registry} asked for authentication this client does not speak (${header || 'no WWW-Authenticate header'})`,
    );
  }

  private needCredentials(what: string): UserError {
    return new UserError(
      `${what}: ${this.options.registry} requires credentials; give registry-username and registry-password (--registry-username and --registry-password-stdin), or log in so that the Docker config holds them`,
    );
  }

  private async fetchToken(what: string, params: Record<string, string>, scopes: string[]): Promise<string> {
    let url: URL;
    try {
      url = new URL(params.realm ?? '');
    } catch {
      throw new UserError(
        `${what}: ${this.options.registry} sent a token realm that is not a URL (${params.realm})`,
      );
    }
    if (params.service) url.searchParams.set('service', params.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = { 'user-agent': `imagepipe/${VERSION}` };
    const credentials = this.options.credentials;
    if (credentials && url.protocol !== 'https:' && new URL(this.options.baseUrl).protocol === 'https:') {
      throw new UserError(
        `${what}: ${this.options.registry} sends clients for a token to ${url.origin}, over plain HTTP; the credentials are not sent there`,
      );
    }
    if (credentials) headers.authorization = basicAuthorization(credentials);
    const response = await retry(
      async () => {
        const r = await this.options.transport.request({ method: 'GET', url, headers });
        if (r.status === 429 || r.status >= 500)
          throw new RegistryError(`${what}: get a token`, r.status, errorDetail(r));
        return r;
      },
      {
        label: `${what}: get a token`,
        attempts: 5,
        ...this.options.retry,
        retryable: (error) =>
          isTransientNetworkError(error) || (error instanceof RegistryError && error.transient),
        delayOf: (error) => (error instanceof RegistryError ? error.retryAfterMs : undefined),
        log: this.options.log,
      },
    );
    if (response.status === 401 || response.status === 403) {
      if (!credentials) throw this.needCredentials(what);
      throw new UserError(
        `${what}: ${url.host} refused the credentials from ${credentials.from} (${statusText(response.status, response)})`,
      );
    }
    if (response.status !== 200)
      throw new RegistryError(
        `${what}: get a token from ${url.host}`,
        response.status,
        errorDetail(response),
      );
    let token: string | undefined;
    try {
      const body = JSON.parse(response.body.toString('utf8')) as { token?: string; access_token?: string };
      token = body.token || body.access_token;
    } catch {
      // handled below
    }
    if (!token) throw new UserError(`${what}: the token service at ${url.host} answered without a token`);
    this.options.secret?.(token);
    return token;
  }
}
