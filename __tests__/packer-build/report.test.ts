/** The summary, the CLI's text and JSON, and the outputs of a multi-region AMI build (from the amazon-ebs fixture). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { duration } from '../../src/core/text.js';
import { imagesOf, summariseAmis } from '../../src/packer-build/artifacts.js';
import type { BuildResult } from '../../src/packer-build/build.js';
import { readMachineReadable } from '../../src/packer-build/machine-readable.js';
import { outputsOf, statusLine, summaryOf, toJson, toText } from '../../src/packer-build/report.js';
import type { TemplateInfo } from '../../src/packer-build/template.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = readMachineReadable(
  fs.readFileSync(path.join(here, '..', 'fixtures', 'packer', 'amazon-ebs-multi-region.txt'), 'utf8'),
).artifacts;
const { amis, first } = summariseAmis(artifacts, new Map([['amazon-ebs.golden', 'eu-west-1']]));
const result: BuildResult = {
  version: '1.11.2',
  template: { kind: 'hcl2' } as TemplateInfo,
  steps: [
    { name: 'init', status: 'passed', note: '1 plugin', durationMs: 2100 },
    { name: 'fmt-check', status: 'passed', durationMs: 90 },
    { name: 'validate', status: 'passed', durationMs: 400 },
    { name: 'build', status: 'passed', note: '4 artifacts', durationMs: 754_000 },
  ],
  artifacts,
  amis,
  amiId: first!,
  images: imagesOf(artifacts),
  errors: [],
  unformatted: [],
  buildMs: 754_000,
};

describe('reports of an AMI build', () => {
  it('sets the outputs the next jobs read', () => {
    const outputs = outputsOf(result, (f) => f);
    expect(outputs['ami-id']).toBe('ami-0fedcba9876543210');
    expect(outputs.amis).toEqual({
      'ap-southeast-2': 'ami-0c0ffee0c0ffee0c0',
      'eu-west-1': 'ami-0fedcba9876543210',
      'us-east-1': 'ami-0a1b2c3d4e5f60718',
    });
    expect(outputs.artifacts[0]).toEqual({
      build: 'amazon-ebs.golden',
      'builder-id': 'mitchellh.amazonebs',
      id: 'ap-southeast-2:ami-0c0ffee0c0ffee0c0,eu-west-1:ami-0fedcba9876543210,us-east-1:ami-0a1b2c3d4e5f60718',
      files: [],
    });
    expect(outputs.manifest).toBe('');
  });

  it('writes a summary with the version, build time, steps, artifacts, AMIs and images', () => {
    const html = summaryOf(result, 'packer', 'packer/manifest.json').render();
    expect(html).toContain('<h2>Packer build: passed</h2>');
    expect(html).toContain('Template packer (HCL2), packer 1.11.2, build time 12 min 34 s.');
    expect(html).toContain('<td>init</td><td>passed</td><td>2.1 s</td><td>1 plugin</td>');
    expect(html).toContain('<td>eu-west-1</td><td><code>ami-0fedcba9876543210</code></td>');
    expect(html).toContain('<li>registry.example.com/golden/app:1.4.0</li>');
  });

  it('prints text and JSON for the CLI', () => {
    const text = toText(result);
    expect(text).toContain('eu-west-1  ami-0fedcba9876543210\n');
    expect(text).toContain('image  registry.example.com/golden/app:1.4.0\n');
    expect(text.endsWith('packer-build passed: 4 artifacts in 12 min 34 s with packer 1.11.2.\n')).toBe(true);
    expect(toJson(result)).toMatchObject({
      passed: true,
      'ami-id': 'ami-0fedcba9876543210',
      'build-ms': 754_000,
    });
    expect(statusLine({ ...result, failure: 'packer build failed (exit 1).' })).toBe(
      'packer-build failed: packer build failed (exit 1).',
    );
  });

  it('words durations', () => {
    expect([850, 2400, 59_400, 59_600, 303_000].map(duration)).toEqual([
      '850 ms',
      '2.4 s',
      '59.4 s',
      '1 min 0 s',
      '5 min 3 s',
    ]);
  });
});
