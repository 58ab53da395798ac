/**
 * imagepipe scans itself: outside examples/ (whose secrets are planted on purpose) the repository,
 * tests and bundles included, must hold no secret. A token-shaped literal in a test fails here,
 * before the dogfood job in CI or anyone's push protection finds it.
 */
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { recordingReporter } from '../src/core/reporter.js';
import { scanTree } from '../src/secrets-scan/scan.js';

describe('this repository', () => {
  it('has no secrets outside examples/', async () => {
    const result = await scanTree({
      root: path.resolve('.'),
      exclude: ['examples/**'],
      reporter: recordingReporter(),
    });
    expect(result.stats.filesScanned).toBeGreaterThan(20);
    expect(result.findings.map((f) => `${f.path}:${f.line}: ${f.ruleId}`)).toEqual([]);
  });
});
