/**
 * The rules a scan runs: the built-in ones, changed by a configuration file (extra or replaced
 * rules, disabled ids, entropy thresholds, allowlists), compiled once.
 */
import { compileRules, type CompiledRuleSet } from './engine.js';
import { BUILTIN_RULES } from './rules.js';
import type { SecretRule, SecretsConfig } from './types.js';

export interface RuleSetup {
  rules: readonly SecretRule[];
  set: CompiledRuleSet;
  /** Things in the configuration that had no effect, for the reader. */
  warnings: string[];
}

let builtin: RuleSetup | undefined;

export function ruleSetup(config?: SecretsConfig): RuleSetup {
  if (!config) return (builtin ??= { rules: BUILTIN_RULES, set: compileRules(BUILTIN_RULES), warnings: [] });
  const warnings: string[] = [];
  const configured = new Map(config.rules.map((r) => [r.id, r]));
  const base = config.useDefault ? BUILTIN_RULES : [];
  // A configured rule with a built-in id replaces it in place (its order decides which rule wins a
  // span); new rules go before generic-secret, which must stay last to lose every tie.
  const merged = base.map((r) => configured.get(r.id) ?? r);
  const added = config.rules.filter((r) => !base.some((b) => b.id === r.id));
  const genericAt = merged.findIndex((r) => r.id === 'generic-secret');
  if (genericAt === -1) merged.push(...added);
  else merged.splice(genericAt, 0, ...added);

  const known = new Set(merged.map((r) => r.id));
  for (const id of config.disabledRules) {
    if (!known.has(id))
      warnings.push(`${config.file} disables ${JSON.stringify(id)}, which is not a rule here.`);
  }
  const disabled = new Set(config.disabledRules);
  const rules = merged
    .filter((r) => !disabled.has(r.id))
    .map((r) => (config.entropy[r.id] === undefined ? r : { ...r, entropy: config.entropy[r.id] }));
  for (const id of Object.keys(config.entropy)) {
    if (!known.has(id))
      warnings.push(`${config.file} sets an entropy for ${JSON.stringify(id)}, which is not a rule here.`);
  }
  for (const { id, reason } of config.skippedRules) {
    warnings.push(`${config.file}: rule ${JSON.stringify(id)} was not loaded: ${reason}`);
  }
  if (rules.length === 0) warnings.push(`${config.file} leaves no rule to run.`);
  return { rules, set: compileRules(rules, config.allowlists), warnings };
}
