/**
 * The job summary, built as escaped HTML (GitHub renders it inside Markdown). The builder is pure,
 * so the CLI and tests can render it; `writeSummary` appends it to the step summary file and
 * never fails the job: a summary that cannot be written is a warning, not a failed step.
 */
import * as fs from 'node:fs';

/** GitHub refuses step summaries over 1 MiB; stay well under it. */
export const SUMMARY_LIMIT_BYTES = 512 * 1024;
const CELL_LIMIT = 300;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/\|/g, '&#124;')
    .replace(/\r?\n/g, '<br>');
}

function truncate(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** A table cell: plain text (escaped), or `{ code }` for monospace text. */
export type Cell = string | number | { code: string };

function renderCell(cell: Cell, tag: 'td' | 'th'): string {
  if (typeof cell === 'object')
    return `<${tag}><code>${escapeHtml(truncate(cell.code, CELL_LIMIT))}</code></${tag}>`;
  return `<${tag}>${escapeHtml(truncate(String(cell), CELL_LIMIT))}</${tag}>`;
}

export class Summary {
  private readonly parts: string[] = [];

  heading(text: string, level: 1 | 2 | 3 = 2): this {
    this.parts.push(`<h${level}>${escapeHtml(text)}</h${level}>`);
    return this;
  }

  paragraph(text: string): this {
    this.parts.push(`<p>${escapeHtml(text)}</p>`);
    return this;
  }

  list(items: string[]): this {
    this.parts.push(`<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`);
    return this;
  }

  /**
   * A table, escaped cell by cell. Beyond `maxRows` the rest is counted, not shown, so a scan
   * with a million findings still produces a summary GitHub accepts.
   */
  table(header: string[], rows: Cell[][], maxRows = 200): this {
    const shown = rows.slice(0, maxRows);
    const head = `<tr>${header.map((h) => renderCell(h, 'th')).join('')}</tr>`;
    const body = shown.map((row) => `<tr>${row.map((c) => renderCell(c, 'td')).join('')}</tr>`).join('');
    this.parts.push(`<table>${head}${body}</table>`);
    if (rows.length > shown.length) {
      this.paragraph(`… and ${rows.length - shown.length} more (see the full report).`);
    }
    return this;
  }

  /** Long text folded into a collapsed `<details>` block. */
  details(title: string, text: string, limit = 64 * 1024): this {
    const body =
      text.length > limit ? `${text.slice(0, limit)}\n… (${text.length - limit} more characters)` : text;
    this.parts.push(
      `<details><summary>${escapeHtml(title)}</summary>\n\n<pre>${escapeHtml(body).replace(/<br>/g, '\n')}</pre>\n</details>`,
    );
    return this;
  }

  render(): string {
    let out = `${this.parts.join('\n')}\n`;
    if (Buffer.byteLength(out) > SUMMARY_LIMIT_BYTES) {
      // Keep whole parts only (they are joined by newlines), so no tag is cut in half.
      const kept: string[] = [];
      let size = 0;
      for (const part of this.parts) {
        size += Buffer.byteLength(part) + 1;
        if (size > SUMMARY_LIMIT_BYTES / 2) break;
        kept.push(part);
      }
      out = `${[...kept, '<p>… summary truncated: see the report files.</p>'].join('\n')}\n`;
    }
    return out;
  }
}

/**
 * Appends to `$GITHUB_STEP_SUMMARY`. Returns false (and warns) instead of throwing: a summary
 * is a product surface, but never a reason to fail the job.
 */
export function writeSummary(summary: Summary, warn: (message: string) => void, env = process.env): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  try {
    fs.appendFileSync(file, summary.render());
    return true;
  } catch (error) {
    warn(
      `Could not write the job summary to ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return false;
  }
}
