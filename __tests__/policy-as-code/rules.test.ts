import { describe, expect, it } from '@jest/globals';
import { checkDoc } from '../../src/policy-as-code/engine.js';
import { parseFile, prepareParsers } from '../../src/policy-as-code/parse/index.js';
import { BUILTIN_RULES } from '../../src/policy-as-code/rules/index.js';
import { SEVERITIES } from '../../src/policy-as-code/types.js';
import { ALL_CASES } from './rule-cases/index.js';

// The HCL grammar (Terraform, Packer) loads asynchronously, once.
await prepareParsers();

const byId = new Map(BUILTIN_RULES.map((r) => [r.id, r]));

describe('built-in rule metadata', () => {
  it('has unique kebab-case ids and complete metadata', () => {
    expect(byId.size).toBe(BUILTIN_RULES.length);
    for (const rule of BUILTIN_RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(SEVERITIES).toContain(rule.severity);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(10);
      expect(rule.formats.length).toBeGreaterThan(0);
    }
  });

  it('gives every rule a true and a false case', () => {
    const missing: string[] = [];
    for (const rule of BUILTIN_RULES) {
      const cases = ALL_CASES.filter((c) => c.rule === rule.id);
      if (!cases.some((c) => c.lines.length > 0)) missing.push(`${rule.id}: no true case`);
      if (!cases.some((c) => c.lines.length === 0)) missing.push(`${rule.id}: no false case`);
      for (const format of rule.formats) {
        if (
          !cases.some(
            (c) => c.lines.length > 0 && parseFile(c.file, c.text).docs.some((d) => d.format === format),
          )
        ) {
          missing.push(`${rule.id}: no true case in ${format}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('has cases only for rules that exist', () => {
    expect(ALL_CASES.filter((c) => !byId.has(c.rule)).map((c) => c.rule)).toEqual([]);
  });
});

describe.each(ALL_CASES.map((c) => [`${c.rule}: ${c.name}`, c] as const))('%s', (_label, c) => {
  it(c.lines.length > 0 ? `reports lines ${c.lines.join(', ')}` : 'reports nothing', () => {
    const { docs, errors } = parseFile(c.file, c.text);
    expect(errors).toEqual([]);
    expect(docs.length).toBeGreaterThan(0);
    const rule = byId.get(c.rule)!;
    const findings = docs.flatMap((d) => checkDoc(d, [rule]));
    expect(findings.filter((f) => f.ruleId === 'rule-error')).toEqual([]);
    expect(findings.map((f) => f.pos.line).sort((a, b) => a - b)).toEqual(c.lines);
  });
});
