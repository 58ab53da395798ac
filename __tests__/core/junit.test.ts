import { describe, expect, it } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { escapeXml, renderJUnit } from '../../src/core/junit.js';

describe('renderJUnit', () => {
  const xml = renderJUnit(
    [
      {
        name: 'us-east-1',
        timeSeconds: 12.5,
        cases: [
          { name: 'stack creates', classname: 'taskcat.us-east-1', timeSeconds: 10 },
          {
            name: 'ami <boots> & "answers"',
            classname: 'taskcat.us-east-1',
            failure: { message: 'timed out', details: 'log\u0000with\u001bcontrol chars' },
          },
          { name: 'skipped one', classname: 'taskcat.us-east-1', skipped: 'region disabled' },
        ],
      },
      { name: 'eu-west-1', cases: [{ name: 'x', classname: 'c', error: { message: 'crashed' } }] },
    ],
    'taskcat',
  );

  it('is well-formed XML, even with control characters in the output', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('counts tests, failures, errors and skips per suite and overall', () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    expect(doc.testsuites).toMatchObject({
      name: 'taskcat',
      tests: '4',
      failures: '1',
      errors: '1',
      skipped: '1',
      time: '12.500',
    });
    const [first, second] = doc.testsuites.testsuite;
    expect(first).toMatchObject({ name: 'us-east-1', tests: '3', failures: '1', errors: '0', skipped: '1' });
    expect(first.testcase[1].name).toBe('ami <boots> & "answers"');
    expect(first.testcase[1].failure).toMatchObject({
      message: 'timed out',
      '#text': 'logwithcontrol chars',
    });
    expect(second.testcase.error.message).toBe('crashed');
  });

  it('escapeXml escapes markup and drops characters XML forbids', () => {
    expect(escapeXml(`<a href='x'>&\u0007</a>`)).toBe('&lt;a href=&apos;x&apos;&gt;&amp;&lt;/a&gt;');
  });
});
