import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/core/errors.js';
import { parseSource } from '../../src/publish-image/source.js';

const D64 = `sha256:${'ab'.repeat(32)}`;

describe('parseSource', () => {
  it.each([
    ['oci:build/image', { transport: 'oci', path: 'build/image' }],
    ['oci:build/image:1.2', { transport: 'oci', path: 'build/image', tag: '1.2' }],
    ['oci:/abs/dir:with:colons:v1_x-y', { transport: 'oci', path: '/abs/dir:with:colons', tag: 'v1_x-y' }],
    // The part after the last ':' is a tag only when it is a valid one.
    ['oci:dir:not a tag', { transport: 'oci', path: 'dir:not a tag' }],
    ['oci:dir:.hidden', { transport: 'oci', path: 'dir:.hidden' }],
    [`oci:dir:${'t'.repeat(129)}`, { transport: 'oci', path: `dir:${'t'.repeat(129)}` }],
    [`oci:build/image@${D64}`, { transport: 'oci', path: 'build/image', digest: D64 }],
    [`oci:a@b@${D64}`, { transport: 'oci', path: 'a@b', digest: D64 }],
    [
      `oci:dir@sha512:${'0'.repeat(128)}`,
      { transport: 'oci', path: 'dir', digest: `sha512:${'0'.repeat(128)}` },
    ],
    ['oci-archive:out/image.tar', { transport: 'oci-archive', path: 'out/image.tar' }],
    ['oci-archive:out/image.tar:latest', { transport: 'oci-archive', path: 'out/image.tar', tag: 'latest' }],
    ['  oci:dir:v1\n', { transport: 'oci', path: 'dir', tag: 'v1', text: 'oci:dir:v1' }],
    ['docker-archive:image.tar', { transport: 'docker-archive', path: 'image.tar' }],
    ['docker-archive:image.tar:app', { transport: 'docker-archive', path: 'image.tar', reference: 'app' }],
    [
      'docker-archive:image.tar:org/app:1.0',
      { transport: 'docker-archive', path: 'image.tar', reference: 'org/app:1.0' },
    ],
    [
      'docker-archive:image.tar:localhost:5000/org/app:1.0',
      { transport: 'docker-archive', path: 'image.tar', reference: 'localhost:5000/org/app:1.0' },
    ],
    ['docker-daemon:alpine', { transport: 'docker-daemon', reference: 'alpine' }],
    ['docker-daemon:ghcr.io/org/app:1.0', { transport: 'docker-daemon', reference: 'ghcr.io/org/app:1.0' }],
    [
      `docker-daemon:ghcr.io/org/app@${D64}`,
      { transport: 'docker-daemon', reference: `ghcr.io/org/app@${D64}` },
    ],
    [`docker-daemon:${D64}`, { transport: 'docker-daemon', reference: D64 }],
    ['docker-daemon:0123456789ab', { transport: 'docker-daemon', reference: '0123456789ab' }],
  ])('%j', (raw, expected) => {
    expect(parseSource('source', raw)).toEqual({ text: raw.trim(), ...expected });
  });

  it.each([
    ['', /no transport prefix/],
    ['build/image', /no transport prefix/],
    ['docker:alpine', /"docker" is not a known transport/],
    ['registry:alpine', /"registry" is not a known transport/],
    ['oci:', /path after "oci:" is empty/],
    ['oci-archive:', /path after "oci-archive:" is empty/],
    ['oci:dir:', /tag after the last ":" is empty/],
    ['oci:dir@sha256:abc', /"sha256:abc" is not a sha256 or sha512 digest/],
    [`oci:@${D64}`, /path before @sha256:.* is empty/],
    ['docker-archive:', /path after "docker-archive:" is empty/],
    ['docker-archive::app', /path after "docker-archive:" is empty/],
    ['docker-archive:image.tar:Bad Name', /"Bad Name" is not an image name/],
    ['docker-archive:image.tar:', /"" is not an image name/],
    ['docker-daemon:', /image after "docker-daemon:" is empty/],
    // A value that docker would read as an option never reaches its command line.
    ['docker-daemon:-o/etc/passwd', /is not an image name/],
    ['docker-daemon:app latest', /is not an image name/],
  ])('%j is an InputError', (raw, message) => {
    let thrown: unknown;
    try {
      parseSource('source', raw);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    const error = thrown as InputError;
    expect(error.input).toBe('source');
    expect(error.value).toBe(raw);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/expected oci:DIR\[:TAG\].*docker-daemon:NAME\[:TAG\]/);
  });
});
