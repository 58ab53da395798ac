/**
 * JUnit XML, the format test reporters (dorny/test-reporter, mikepenz/action-junit-report, most
 * CI systems) read. Text is escaped and characters XML 1.0 forbids are dropped, so a test that
 * prints binary output still yields a parseable report.
 */
export interface JUnitCase {
  name: string;
  classname: string;
  timeSeconds?: number;
  failure?: { message: string; type?: string; details?: string };
  error?: { message: string; type?: string; details?: string };
  skipped?: string;
  systemOut?: string;
}

export interface JUnitSuite {
  name: string;
  cases: JUnitCase[];
  timestamp?: string;
  timeSeconds?: number;
}

// XML 1.0 allows tab, LF, CR and the ranges below; everything else must go.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attr = (name: string, value: string | number) => ` ${name}="${escapeXml(String(value))}"`;
const seconds = (s: number | undefined) => (s ?? 0).toFixed(3);

function renderCase(c: JUnitCase): string {
  const open = `    <testcase${attr('name', c.name)}${attr('classname', c.classname)}${attr('time', seconds(c.timeSeconds))}`;
  const body: string[] = [];
  for (const [tag, problem] of [
    ['failure', c.failure],
    ['error', c.error],
  ] as const) {
    if (!problem) continue;
    body.push(
      `      <${tag}${attr('message', problem.message)}${attr('type', problem.type ?? tag)}>${escapeXml(problem.details ?? '')}</${tag}>`,
    );
  }
  if (c.skipped !== undefined) body.push(`      <skipped${attr('message', c.skipped)}/>`);
  if (c.systemOut) body.push(`      <system-out>${escapeXml(c.systemOut)}</system-out>`);
  return body.length === 0 ? `${open}/>` : `${open}>\n${body.join('\n')}\n    </testcase>`;
}

function counts(cases: JUnitCase[]) {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.failure).length,
    errors: cases.filter((c) => c.error && !c.failure).length,
    skipped: cases.filter((c) => c.skipped !== undefined && !c.failure && !c.error).length,
  };
}

export function renderJUnit(suites: JUnitSuite[], name = 'imagepipe'): string {
  const all = counts(suites.flatMap((s) => s.cases));
  const totalTime = suites.reduce((t, s) => t + (s.timeSeconds ?? 0), 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attr('name', name)}${attr('tests', all.tests)}${attr('failures', all.failures)}${attr('errors', all.errors)}${attr('skipped', all.skipped)}${attr('time', seconds(totalTime))}>`,
  ];
  for (const suite of suites) {
    const n = counts(suite.cases);
    lines.push(
      `  <testsuite${attr('name', suite.name)}${attr('tests', n.tests)}${attr('failures', n.failures)}${attr('errors', n.errors)}${attr('skipped', n.skipped)}${attr('time', seconds(suite.timeSeconds))}${suite.timestamp ? attr('timestamp', suite.timestamp) : ''}>`,
    );
    for (const c of suite.cases) lines.push(renderCase(c));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
