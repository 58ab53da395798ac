import { describe, expect, it } from '@jest/globals';
import type { AmiRegionResult } from '../../src/publish-image/ami.js';
import type { PublishResult } from '../../src/publish-image/publish.js';
import type { PushResult } from '../../src/publish-image/push.js';
import { outputsOf, statusLine, summaryOf, toJson, toText } from '../../src/publish-image/report.js';

const DIGEST = `sha256:${'d'.repeat(64)}`;
const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

const image = (extra: Partial<PushResult> & Pick<PushResult, 'destination' | 'status'>): PushResult => ({
  reference: `${extra.destination}@${DIGEST}`,
  digest: DIGEST,
  uploaded: 0,
  mounted: 0,
  existing: 0,
  bytesUploaded: 0,
  ...extra,
});

const pushed = image({
  destination: `${ECR}/team/app:1.0`,
  reference: `${ECR}/team/app:1.0@${DIGEST}`,
  status: 'pushed',
  uploaded: 2,
  mounted: 1,
  existing: 3,
  bytesUploaded: 3 * 1024 * 1024 + 512 * 1024,
});
const unchanged = image({
  destination: 'ghcr.io/org/app:1.0',
  reference: `ghcr.io/org/app:1.0@${DIGEST}`,
  status: 'unchanged',
});
const failedImage = image({
  destination: 'org/app:1.0',
  reference: `docker.io/org/app:1.0@${DIGEST}`,
  status: 'failed',
  error: 'put manifest org/app:1.0: the registry answered 400 MANIFEST_INVALID: <bad> | "quoted" & more',
});

const amiCopied: AmiRegionResult = {
  region: 'eu-west-1',
  status: 'copied',
  amiId: 'ami-0aaaaaaaaaaaaaaaa',
  snapshots: ['snap-01', 'snap-02'],
  shared: true,
  deprecationTime: '2025-01-01T00:00:00.000Z',
  ssmParameter: '/images/golden/latest',
  ssmVersion: 3,
  s3Object: 's3://bucket/ami-0aaaaaaaaaaaaaaaa.bin',
};
const amiSource: AmiRegionResult = {
  region: 'us-east-1',
  status: 'source',
  amiId: 'ami-0bbbbbbbbbbbbbbbb',
  snapshots: ['snap-03'],
  shared: false,
};
const amiFailed: AmiRegionResult = {
  region: 'ap-southeast-2',
  status: 'failed',
  amiId: 'ami-0ccccccccccccccccc',
  snapshots: [],
  shared: false,
  error: 'the copy failed: <InvalidSnapshot> quota exceeded',
};

const result = (extra: Partial<PublishResult> = {}): PublishResult => ({
  errors: [],
  source: 'oci:build/image:1.0',
  digest: DIGEST,
  images: [pushed, unchanged, failedImage],
  repositories: [
    { repository: 'team/app', created: true, drift: [] },
    {
      repository: 'team/base',
      created: false,
      drift: ['tags are MUTABLE, not IMMUTABLE', 'scan on push is off, not on'],
    },
    { repository: 'team/clean', created: false, drift: [] },
  ],
  amis: [amiSource, amiCopied, amiFailed],
  ...extra,
});

describe('outputsOf', () => {
  it('gives the OCI archive in S3, and shows it in the summary and the text', () => {
    const withArchive = result({
      archive: {
        object: 's3://golden-images/sha256-abc.oci.tar',
        status: 'uploaded',
        bytes: 3 * 1024 * 1024,
      },
    });
    expect(outputsOf(withArchive).archive).toBe('s3://golden-images/sha256-abc.oci.tar');
    expect(summaryOf(withArchive).render()).toContain(
      'OCI archive: s3://golden-images/sha256-abc.oci.tar (uploaded, 3.0 MiB).',
    );
    expect(toText(withArchive)).toContain('uploaded  s3://golden-images/sha256-abc.oci.tar\n');
  });

  it('leaves out failed destinations and regions', () => {
    expect(outputsOf(result())).toEqual({
      digest: DIGEST,
      images: [
        { reference: `${ECR}/team/app:1.0@${DIGEST}`, digest: DIGEST, status: 'pushed' },
        { reference: `ghcr.io/org/app:1.0@${DIGEST}`, digest: DIGEST, status: 'unchanged' },
      ],
      amis: { 'us-east-1': 'ami-0bbbbbbbbbbbbbbbb', 'eu-west-1': 'ami-0aaaaaaaaaaaaaaaa' },
      archive: '',
    });
  });

  it('is empty when nothing was published', () => {
    expect(outputsOf({ images: [], repositories: [], amis: [], errors: [] })).toEqual({
      digest: '',
      images: [],
      amis: {},
      archive: '',
    });
  });

  it('leaves out a region without an AMI id', () => {
    const { amiId: _dropped, ...noId } = amiCopied;
    expect(outputsOf(result({ amis: [noId] })).amis).toEqual({});
  });
});

describe('statusLine', () => {
  it('says what was published when everything was', () => {
    expect(statusLine(result({ images: [pushed, unchanged], amis: [amiCopied] }))).toBe(
      'publish-image passed: published to 2 destinations and 1 region.',
    );
    expect(statusLine(result({ images: [pushed], amis: [] }))).toBe(
      'publish-image passed: published to 1 destination.',
    );
    expect(statusLine(result({ images: [], amis: [amiSource, amiCopied] }))).toBe(
      'publish-image passed: published to 2 regions.',
    );
  });

  it('counts the failures and names each', () => {
    expect(statusLine(result())).toBe(
      `publish-image failed: 2 of 3 destinations and 3 regions failed. org/app:1.0: ${failedImage.error} AMI in ap-southeast-2: ${amiFailed.error}`,
    );
  });
});

describe('summaryOf', () => {
  const html = summaryOf(result()).render();

  it('heads the summary with the outcome and names the source and digest', () => {
    expect(html).toContain('<h2>Publish image: failed</h2>');
    expect(html).toContain(`<p>Source oci:build/image:1.0, digest ${DIGEST}.</p>`);
    expect(summaryOf(result({ images: [pushed], amis: [] })).render()).toContain(
      '<h2>Publish image: passed</h2>',
    );
  });

  it('has a row for each destination, with its result, digest and blob counts', () => {
    expect(html).toContain('<h3>Container images</h3>');
    expect(html).toContain(
      '<tr><th>Destination</th><th>Result</th><th>Digest</th><th>Blobs</th><th>Note</th></tr>',
    );
    expect(html).toContain(
      `<tr><td><code>${ECR}/team/app:1.0</code></td><td>pushed</td><td><code>${DIGEST}</code></td><td>2 uploaded (3.5 MiB), 1 mounted, 3 already there</td><td></td></tr>`,
    );
    expect(html).toContain(
      `<tr><td><code>ghcr.io/org/app:1.0</code></td><td>already there</td><td><code>${DIGEST}</code></td><td></td><td></td></tr>`,
    );
  });

  it('escapes a failed destination’s error and shows no digest for it', () => {
    expect(html).toContain(
      '<tr><td><code>org/app:1.0</code></td><td>FAILED</td><td></td><td></td><td>put manifest org/app:1.0: the registry answered 400 MANIFEST_INVALID: &lt;bad&gt; &#124; &quot;quoted&quot; &amp; more</td></tr>',
    );
    expect(html).not.toContain('<bad>');
  });

  it('lists created and drifted ECR repositories, and leaves out those that match', () => {
    expect(html).toContain('<h3>ECR repositories</h3>');
    expect(html).toContain(
      '<tr><th>Repository</th><th>Created</th><th>Differs from the settings (left as it is)</th></tr>',
    );
    expect(html).toContain('<tr><td><code>team/app</code></td><td>yes</td><td></td></tr>');
    expect(html).toContain(
      '<tr><td><code>team/base</code></td><td>no</td><td>tags are MUTABLE, not IMMUTABLE; scan on push is off, not on</td></tr>',
    );
    expect(html).not.toContain('team/clean');
  });

  it('has no ECR table when every repository matched', () => {
    const clean = summaryOf(
      result({ repositories: [{ repository: 'team/clean', created: false, drift: [] }] }),
    ).render();
    expect(clean).not.toContain('ECR repositories');
  });

  it('has a row for each AMI region', () => {
    expect(html).toContain('<h3>AMIs</h3>');
    expect(html).toContain(
      '<tr><th>Region</th><th>AMI</th><th>Result</th><th>Snapshots</th><th>Shared</th><th>Deprecation</th><th>SSM parameter</th><th>S3</th><th>Note</th></tr>',
    );
    expect(html).toContain(
      '<tr><td>eu-west-1</td><td><code>ami-0aaaaaaaaaaaaaaaa</code></td><td>copied</td><td>snap-01, snap-02</td><td>yes</td><td>2025-01-01T00:00:00.000Z</td><td>/images/golden/latest (version 3)</td><td>s3://bucket/ami-0aaaaaaaaaaaaaaaa.bin</td><td></td></tr>',
    );
    expect(html).toContain(
      '<tr><td>us-east-1</td><td><code>ami-0bbbbbbbbbbbbbbbb</code></td><td>source AMI</td><td>snap-03</td><td>no</td><td></td><td></td><td></td><td></td></tr>',
    );
    expect(html).toContain(
      '<td>ap-southeast-2</td><td><code>ami-0ccccccccccccccccc</code></td><td>FAILED</td><td></td><td>no</td><td></td><td></td><td></td><td>the copy failed: &lt;InvalidSnapshot&gt; quota exceeded</td></tr>',
    );
  });

  it('ends with the failures, escaped, one item each', () => {
    expect(html).toContain(
      `<h3>Failures</h3>\n<ul><li>org/app:1.0: put manifest org/app:1.0: the registry answered 400 MANIFEST_INVALID: &lt;bad&gt; &#124; &quot;quoted&quot; &amp; more</li><li>AMI in ap-southeast-2: the copy failed: &lt;InvalidSnapshot&gt; quota exceeded</li></ul>`,
    );
  });

  it('has only the tables for what was published', () => {
    const amiOnly = summaryOf({ images: [], repositories: [], amis: [amiCopied], errors: [] }).render();
    expect(amiOnly).not.toContain('Container images');
    expect(amiOnly).not.toContain('<p>Source');
    expect(amiOnly).not.toContain('Failures');
    expect(amiOnly).toContain('<h3>AMIs</h3>');
    const imagesOnly = summaryOf(result({ amis: [], images: [pushed] })).render();
    expect(imagesOnly).not.toContain('AMIs');
  });
});

describe('toText', () => {
  it('has a line per destination and region, then the status line', () => {
    expect(toText(result())).toBe(
      [
        `pushed  ${ECR}/team/app:1.0@${DIGEST}`,
        `already there  ghcr.io/org/app:1.0@${DIGEST}`,
        `FAILED  org/app:1.0  ${failedImage.error}`,
        'source AMI  us-east-1  ami-0bbbbbbbbbbbbbbbb',
        'copied  eu-west-1  ami-0aaaaaaaaaaaaaaaa',
        `FAILED  ap-southeast-2  ami-0ccccccccccccccccc  ${amiFailed.error}`,
        // The reasons are on the lines above: the last line counts them.
        'publish-image failed: 2 of 3 destinations and 3 regions failed.',
      ].join('\n') + '\n',
    );
  });

  it('still gives the reason of a part that could not run at all', () => {
    const text = toText(
      result({ images: [pushed], amis: [], errors: ['AMI: no such AMI ami-1 in us-east-1'] }),
    );
    expect(text.trimEnd().split('\n').pop()).toBe(
      'publish-image failed: AMI: no such AMI ami-1 in us-east-1',
    );
  });
});

describe('toJson', () => {
  it('carries passed, the outputs, the failures and the whole result', () => {
    const r = result();
    expect(toJson(r)).toEqual({
      passed: false,
      ...outputsOf(r),
      failures: [`org/app:1.0: ${failedImage.error}`, `AMI in ap-southeast-2: ${amiFailed.error}`],
      result: r,
    });
    // What the CLI prints survives JSON.
    expect(JSON.parse(JSON.stringify(toJson(r)))).toEqual(toJson(r));
  });

  it('has no failures key when everything was published', () => {
    const r = result({ images: [pushed], amis: [amiCopied] });
    expect(toJson(r)).toEqual({ passed: true, ...outputsOf(r), result: r });
  });
});
