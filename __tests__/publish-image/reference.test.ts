import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/core/errors.js';
import {
  apiHost,
  DOCKER_HUB,
  DOCKER_HUB_API,
  formatReference,
  parseReference,
  type ImageReference,
} from '../../src/publish-image/reference.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseReference: accepted references', () => {
  const cases: Array<[string, ImageReference]> = [
    ['alpine', { registry: 'docker.io', repository: 'library/alpine', tag: 'latest', digest: undefined }],
    ['alpine:3.20', { registry: 'docker.io', repository: 'library/alpine', tag: '3.20', digest: undefined }],
    ['org/app:v1', { registry: 'docker.io', repository: 'org/app', tag: 'v1', digest: undefined }],
    [
      'docker.io/alpine',
      { registry: 'docker.io', repository: 'library/alpine', tag: 'latest', digest: undefined },
    ],
    [
      'docker.io/library/alpine:edge',
      { registry: 'docker.io', repository: 'library/alpine', tag: 'edge', digest: undefined },
    ],
    ['index.docker.io/x/y', { registry: 'docker.io', repository: 'x/y', tag: 'latest', digest: undefined }],
    [
      'index.docker.io/alpine',
      { registry: 'docker.io', repository: 'library/alpine', tag: 'latest', digest: undefined },
    ],
    ['localhost/a', { registry: 'localhost', repository: 'a', tag: 'latest', digest: undefined }],
    ['localhost:5000/a', { registry: 'localhost:5000', repository: 'a', tag: 'latest', digest: undefined }],
    ['127.0.0.1:5000/a/b:t', { registry: '127.0.0.1:5000', repository: 'a/b', tag: 't', digest: undefined }],
    ['[::1]:5000/a', { registry: '[::1]:5000', repository: 'a', tag: 'latest', digest: undefined }],
    ['[::1]:5000/a/b:v2', { registry: '[::1]:5000', repository: 'a/b', tag: 'v2', digest: undefined }],
    [
      'ghcr.io/org/app:1.2.3',
      { registry: 'ghcr.io', repository: 'org/app', tag: '1.2.3', digest: undefined },
    ],
    [
      'Registry.Example.com/team/app',
      { registry: 'registry.example.com', repository: 'team/app', tag: 'latest', digest: undefined },
    ],
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:1.2.3',
      {
        registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
        repository: 'team/app',
        tag: '1.2.3',
        digest: undefined,
      },
    ],
    [
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app',
      {
        registry: '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn',
        repository: 'app',
        tag: 'latest',
        digest: undefined,
      },
    ],
    // A digest without a tag pins the manifest: no `latest` is invented.
    [`alpine@${D}`, { registry: 'docker.io', repository: 'library/alpine', tag: undefined, digest: D }],
    [`ghcr.io/o/a@${D}`, { registry: 'ghcr.io', repository: 'o/a', tag: undefined, digest: D }],
    [`localhost:5000/a:v1@${D}`, { registry: 'localhost:5000', repository: 'a', tag: 'v1', digest: D }],
    [
      'a/b__c/d-e.f_g:T_1.x-y',
      { registry: 'docker.io', repository: 'a/b__c/d-e.f_g', tag: 'T_1.x-y', digest: undefined },
    ],
    ['a/b---c', { registry: 'docker.io', repository: 'a/b---c', tag: 'latest', digest: undefined }],
    // A one-component name with a port-like suffix is a name and a tag, as Docker reads it.
    [
      'localhost:5000',
      { registry: 'docker.io', repository: 'library/localhost', tag: '5000', digest: undefined },
    ],
  ];
  it.each(cases)('%s', (raw, expected) => {
    expect(parseReference('destinations', raw)).toEqual(expected);
  });

  it('accepts a 128-character tag', () => {
    expect(parseReference('d', `a:${'t'.repeat(128)}`).tag).toBe('t'.repeat(128));
  });
});

describe('parseReference: refused references, each with a message that says why', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['empty', '', /no spaces and is not empty/],
    ['spaces', 'org/app :v1', /no spaces/],
    ['a tab', 'org/app\t', /no spaces/],
    ['a scheme', 'https://ghcr.io/org/app', /leave out the URL scheme/],
    ['a docker:// scheme', 'docker://alpine', /leave out the URL scheme/],
    [
      'upper-case repository',
      'ghcr.io/Org/app',
      /"Org" is not a valid repository name component \(lower-case/,
    ],
    ['upper-case one-component name', 'Alpine', /"Alpine" is not a valid repository name component/],
    ['a separator at the end', 'org/app-', /"app-" is not a valid repository name component/],
    ['a tag starting with a dot', 'app:.v1', /"\.v1" is not a valid tag/],
    ['a tag starting with a dash', 'app:-v1', /"-v1" is not a valid tag/],
    ['an empty tag', 'app:', /"" is not a valid tag/],
    [
      'a 129-character tag',
      `app:${'t'.repeat(129)}`,
      /is not a valid tag \(letters, digits, _ \. -; at most 128\)/,
    ],
    ['a short digest', 'app@sha256:abc', /"sha256:abc" is not a sha256 digest/],
    ['an upper-case digest', `app@sha256:${'A'.repeat(64)}`, /is not a sha256 digest/],
    [
      'a digest of another algorithm',
      `app@sha512:${'a'.repeat(128)}`,
      /is not a sha256 digest \(sha256: and 64 hex digits\)/,
    ],
    ['an empty digest', 'app@', /"" is not a sha256 digest/],
    ['an empty path after the registry', 'ghcr.io/', /the repository path is empty/],
    ['an empty component', 'ghcr.io/org//app', /the repository path is empty/],
    ['a leading slash', '/app', /the repository path is empty/],
    [
      'a bad registry',
      'bad_host.example:5000/app',
      /"bad_host\.example:5000" is not a registry host\[:port\]/,
    ],
    ['a too long port', 'registry.example:123456/app', /is not a registry host\[:port\]/],
    ['two tags', 'localhost:5000/app:bad:tag', /a reference has one :tag at most, after the last \//],
    ['a name over 255 characters', `ghcr.io/${'a'.repeat(250)}`, /longer than 255 characters/],
  ];
  it.each(cases)('%s', (_label, raw, why) => {
    let error: unknown;
    try {
      parseReference('destinations', raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as InputError).message;
    expect(message).toMatch(why);
    // Names the input and the value, and shows what a good reference looks like.
    expect(message).toContain(`for input 'destinations'`);
    expect(message).toContain(JSON.stringify(raw));
    expect(message).toContain(
      'give an image reference such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:1.2.3',
    );
  });
});

describe('formatReference', () => {
  it.each([
    ['alpine', 'docker.io/library/alpine:latest'],
    ['index.docker.io/x/y:1', 'docker.io/x/y:1'],
    ['localhost:5000/a', 'localhost:5000/a:latest'],
    ['[::1]:5000/a:t', '[::1]:5000/a:t'],
    [`ghcr.io/o/a@${D}`, `ghcr.io/o/a@${D}`],
    [`ghcr.io/o/a:v1@${D}`, `ghcr.io/o/a:v1@${D}`],
  ])('%s → %s', (raw, formatted) => {
    expect(formatReference(parseReference('d', raw))).toBe(formatted);
  });

  it('round-trips: the formatted form parses back to the same reference', () => {
    for (const raw of ['alpine', 'localhost:5000/a/b:t', `ghcr.io/o/a:v1@${D}`, `x@${D}`]) {
      const ref = parseReference('d', raw);
      expect(parseReference('d', formatReference(ref))).toEqual(ref);
    }
  });
});

describe('apiHost', () => {
  it("sends Docker Hub's requests to its API host, and every other registry's to itself", () => {
    expect(DOCKER_HUB).toBe('docker.io');
    expect(apiHost(parseReference('d', 'alpine'))).toBe(DOCKER_HUB_API);
    expect(DOCKER_HUB_API).toBe('registry-1.docker.io');
    expect(apiHost(parseReference('d', 'index.docker.io/x/y'))).toBe('registry-1.docker.io');
    expect(apiHost(parseReference('d', 'ghcr.io/o/a'))).toBe('ghcr.io');
    expect(apiHost(parseReference('d', 'localhost:5000/a'))).toBe('localhost:5000');
    expect(apiHost({ registry: '[::1]:5000' })).toBe('[::1]:5000');
  });
});
