/**
 * The image as an OCI archive in S3: a multipart upload of a tar streamed from the layout, read
 * back with the oci-archive source reader; a re-run finds the object and uploads nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { archiveKey, uploadArchive } from '../../src/publish-image/s3-archive.js';
import { openSource, parseSource } from '../../src/publish-image/source.js';
import { imageOf } from '../helpers/local-image.js';
import { writeLayout } from '../helpers/oci.js';

const s3 = mockClient(S3Client);
let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-s3-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
beforeEach(() => {
  s3.reset();
});

const notFound = () =>
  Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });

function bodyBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (typeof body === 'string') return Buffer.from(body);
  throw new Error(`unexpected body ${typeof body}`);
}

describe('uploadArchive', () => {
  it('streams a multipart upload that reads back as the same image, and skips it on a re-run', async () => {
    const dir = path.join(work, 'big');
    const layout = writeLayout(dir, 'v1', [{ layerSizes: [9 * 1024 * 1024, 12 * 1024 * 1024, 2000] }]);
    const image = imageOf(dir, layout.digest);
    const parts: Buffer[] = [];
    s3.on(HeadObjectCommand).rejects(notFound());
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
    s3.on(UploadPartCommand).callsFake((input: { PartNumber: number; Body: unknown }) => {
      parts[input.PartNumber - 1] = bodyBytes(input.Body);
      return { ETag: `"etag-${input.PartNumber}"` };
    });
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const logs: string[] = [];
    const client = new S3Client({ region: 'eu-west-1' });
    const result = await uploadArchive(
      image,
      client,
      { bucket: 'golden-images', prefix: 'containers/base' },
      {
        tempDir: work,
        tag: '1.0',
        log: (m) => logs.push(m),
      },
    );
    const key = `containers/base/${layout.digest.replace(':', '-')}.oci.tar`;
    expect(archiveKey({ bucket: 'golden-images', prefix: 'containers/base' }, layout.digest)).toBe(key);
    expect(result).toMatchObject({ object: `s3://golden-images/${key}`, status: 'uploaded' });
    expect(s3.commandCalls(CreateMultipartUploadCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'golden-images',
      Key: key,
      ContentType: 'application/x-tar',
      Metadata: { 'image-digest': layout.digest },
    });
    expect(parts.length).toBeGreaterThan(1);
    const archive = Buffer.concat(parts);
    expect(archive.length).toBe(result.bytes);
    const file = path.join(work, 'downloaded.tar');
    fs.writeFileSync(file, archive);
    const back = await openSource(parseSource('source', `oci-archive:${file}:1.0`), {
      workspace: work,
      tempDir: work,
      log: () => {},
    });
    expect(back.root.digest).toBe(layout.digest);
    expect(back.blobs.map((b) => b.digest).sort()).toEqual(image.blobs.map((b) => b.digest).sort());
    await back.cleanup();
    expect(fs.readdirSync(work).filter((f) => f.startsWith('s3-archive-'))).toEqual([]);

    s3.reset();
    s3.on(HeadObjectCommand).resolves({ ContentLength: archive.length });
    const again = await uploadArchive(
      image,
      client,
      { bucket: 'golden-images', prefix: 'containers/base' },
      {
        tempDir: work,
        log: () => {},
      },
    );
    expect(again).toEqual({
      object: `s3://golden-images/${key}`,
      status: 'unchanged',
      bytes: archive.length,
    });
    expect(s3.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('names the object when S3 refuses the look-up', async () => {
    const dir = path.join(work, 'small');
    const layout = writeLayout(dir, 'v1', [{ layerSizes: [100] }]);
    s3.on(HeadObjectCommand).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    );
    await expect(
      uploadArchive(
        imageOf(dir, layout.digest),
        new S3Client({ region: 'eu-west-1' }),
        { bucket: 'b', prefix: '' },
        {
          tempDir: work,
          log: () => {},
        },
      ),
    ).rejects.toThrow(`Could not look for s3://b/${layout.digest.replace(':', '-')}.oci.tar: Access Denied`);
  });
});
