/**
 * One HTTP exchange with a registry, on Node's own http/https (keep-alive agents, an extra CA, the
 * environment's proxy, streamed request bodies). Responses are read up to a limit, since a registry only ever sends
 * small JSON bodies back; blobs go up as streams from disk, so memory stays flat however large
 * the layer.
 */
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import * as tls from 'node:tls';
import { getProxyForUrl } from 'proxy-from-env';
import { UserError } from '../core/errors.js';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  /** A small body, or a function making a fresh stream of `length` bytes (called once per try). */
  body?: Buffer | { stream: () => Readable; length: number };
}

/** The most of a response body kept: manifests are limited to 4 MiB by registries too. */
export const RESPONSE_LIMIT = 4 * 1024 * 1024;
const IDLE_TIMEOUT_MS = 120_000;

/** A failure to talk to the registry at all: refused, reset, timed out, a TLS failure. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|EPROTO/;

/** Errors worth another try: a dropped or timed-out connection, not a refused one or bad TLS. */
export function isTransientNetworkError(error: unknown): boolean {
  return (
    error instanceof NetworkError &&
    /^(ECONNRESET|EPIPE|ETIMEDOUT|ESOCKETTIMEDOUT|EAI_AGAIN|ECONNABORTED|UND_ERR_SOCKET)$/.test(error.code)
  );
}

export interface Transport {
  request(req: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

/** Certificates Node adds to its roots from NODE_EXTRA_CA_CERTS, which an explicit `ca` would drop. */
function extraCertificates(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return [fs.readFileSync(file, 'utf8')];
  } catch {
    return [];
  }
}

/** A proxy URL as it may be shown: without its user and password. */
export function shownProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    url.username = '';
    url.password = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return '(the proxy in HTTPS_PROXY)';
  }
}

/**
 * A transport for one registry: `ca` is added to Node's trusted roots (and NODE_EXTRA_CA_CERTS),
 * never replacing them. Requests go through the proxy that HTTPS_PROXY / HTTP_PROXY name for their
 * URL, unless NO_PROXY exempts the host, as curl and the GitHub runner read them.
 */
export function createTransport(options: { ca?: string } = {}): Transport {
  const tlsOptions = options.ca ? { ca: [...tls.rootCertificates, ...extraCertificates(), options.ca] } : {};
  const agents = new Map<string, http.Agent>();
  const agentFor = (url: URL): { agent: http.Agent; proxy: string } => {
    const proxy = getProxyForUrl(url.href);
    const key = `${url.protocol} ${proxy}`;
    let agent = agents.get(key);
    if (!agent) {
      const common = { keepAlive: true, maxSockets: 16 };
      if (url.protocol === 'http:') {
        agent = proxy ? new HttpProxyAgent({ ...common, proxy }) : new http.Agent(common);
      } else {
        agent = proxy
          ? new HttpsProxyAgent({ ...common, ...tlsOptions, proxy })
          : new https.Agent({ ...common, ...tlsOptions });
      }
      agents.set(key, agent);
    }
    return { agent, proxy };
  };
  return {
    request: (req) => {
      const { agent, proxy } = agentFor(req.url);
      return send(req, agent, proxy);
    },
    close() {
      for (const agent of agents.values()) agent.destroy();
    },
  };
}

function send(req: HttpRequest, agent: http.Agent, proxy: string): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const lib = req.url.protocol === 'http:' ? http : https;
    const headers: Record<string, string> = { ...req.headers };
    const body = req.body;
    if (body) headers['content-length'] = String(Buffer.isBuffer(body) ? body.length : body.length);
    else if (req.method === 'PUT' || req.method === 'POST' || req.method === 'PATCH')
      headers['content-length'] = '0';
    let settled = false;
    let upload: Readable | undefined;
    const fail = (error: Error & { code?: string }) => {
      upload?.destroy();
      if (settled) return;
      settled = true;
      const code = error.code ?? 'ERROR';
      const where = `${req.url.protocol}//${req.url.host}`;
      const through = proxy ? ` through the proxy ${shownProxy(proxy)}` : '';
      // OpenSSL's messages run over several lines and end in a colon.
      const cause = error.message.replace(/\s+/g, ' ').replace(/[\s:]+$/, '');
      const at = `cannot reach the registry at ${where}${through}`;
      if (/wrong version number|packet length too long|ERR_SSL_WRONG_VERSION/i.test(error.message)) {
        reject(
          new UserError(
            `${at}: it does not speak TLS there (${cause}). If it serves plain HTTP, list ${req.url.host} in insecure-registries (--insecure-registry)`,
          ),
        );
        return;
      }
      if (req.url.protocol === 'http:' && /^HPE_/.test(code)) {
        reject(
          new UserError(
            `${at}: the answer is not plain HTTP (${cause}); the registry probably speaks TLS, so leave ${req.url.host} out of insecure-registries`,
          ),
        );
        return;
      }
      let message = `${at}: ${cause}`;
      if (TLS_CODES.test(code) || TLS_CODES.test(error.message)) {
        message += `. If it uses a private CA, give that CA in ca-file; if it serves plain HTTP, list ${req.url.host} in insecure-registries (--insecure-registry)`;
        reject(new UserError(message));
        return;
      }
      reject(new NetworkError(message, code));
    };
    const request = lib.request(req.url, { method: req.method, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= RESPONSE_LIMIT) chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        // A registry may answer (401, 400) before reading the whole body: stop reading the file,
        // and drop the connection, which still expects the rest of the body.
        if (upload && !upload.readableEnded) {
          upload.destroy();
          request.destroy();
        }
        if (settled) return;
        settled = true;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
      });
    });
    request.setTimeout(IDLE_TIMEOUT_MS, () =>
      request.destroy(
        Object.assign(new Error(`no answer in ${IDLE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' }),
      ),
    );
    request.on('error', (error) => {
      upload?.destroy();
      fail(error);
    });
    if (!body) {
      request.end();
    } else if (Buffer.isBuffer(body)) {
      request.end(body);
    } else {
      const stream = body.stream();
      upload = stream;
      stream.on('error', (error) => request.destroy(error));
      // pipe() pauses the file while the socket is full: memory stays at a few chunks.
      stream.pipe(request);
    }
  });
}
