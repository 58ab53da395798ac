import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import { escapeHtml, Summary, SUMMARY_LIMIT_BYTES, writeSummary } from '../../src/core/summary.js';

describe('Summary', () => {
  it('escapes every cell, heading and paragraph', () => {
    const html = new Summary()
      .heading('<b>x</b>')
      .paragraph('a & b')
      .table(['Rule', 'Where'], [['<script>alert(1)</script>', { code: 'a|b.txt:3' }]])
      .render();
    expect(html).toContain('<h2>&lt;b&gt;x&lt;/b&gt;</h2>');
    expect(html).toContain('<p>a &amp; b</p>');
    expect(html).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(html).toContain('<td><code>a&#124;b.txt:3</code></td>');
    expect(html).not.toContain('<script>');
  });

  it('counts rows beyond the limit instead of showing them', () => {
    const rows = Array.from({ length: 250 }, (_, i) => [`r${i}`]);
    const html = new Summary().table(['n'], rows, 200).render();
    expect(html.match(/<tr>/g)).toHaveLength(201);
    expect(html).toContain('… and 50 more');
  });

  it('folds long text into details', () => {
    const html = new Summary().details('log', 'line <1>\nline 2', 1000).render();
    expect(html).toContain('<details><summary>log</summary>');
    expect(html).toContain('<pre>line &lt;1&gt;\nline 2</pre>');
  });

  it('truncates long cells and stays under the size GitHub accepts', () => {
    const html = new Summary().table(['x'], [['y'.repeat(10_000)]]).render();
    expect(html).toContain('…');
    expect(html.length).toBeLessThan(1000);
    const huge = new Summary();
    for (let i = 0; i < 200; i++) huge.details(`d${i}`, 'z'.repeat(60_000));
    const rendered = huge.render();
    expect(Buffer.byteLength(rendered)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    // Truncated between parts, never inside one: every <details> that opens, closes.
    expect(rendered.match(/<details>/g)?.length).toBe(rendered.match(/<\/details>/g)?.length);
    expect(rendered).toMatch(/<\/details>\n<p>… summary truncated: see the report files\.<\/p>\n$/);
  });

  it('escapeHtml turns newlines into <br>', () => {
    expect(escapeHtml('a\nb')).toBe('a<br>b');
  });
});

describe('writeSummary', () => {
  it('appends to GITHUB_STEP_SUMMARY', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'summary-')), 'summary.md');
    fs.writeFileSync(file, 'before\n');
    expect(writeSummary(new Summary().paragraph('hi'), () => {}, { GITHUB_STEP_SUMMARY: file })).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('before\n<p>hi</p>\n');
  });

  it('warns and carries on when the file cannot be written', () => {
    const warn = jest.fn();
    const ok = writeSummary(new Summary().paragraph('hi'), warn, {
      GITHUB_STEP_SUMMARY: '/nonexistent/dir/summary.md',
    });
    expect(ok).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Could not write the job summary'));
  });

  it('does nothing outside a runner', () => {
    expect(writeSummary(new Summary(), () => {}, {})).toBe(false);
  });
});
