/**
 * The built-in secret rules, modelled on what gitleaks' default config detects (our own regexes).
 * Each family lives in `rules/` (`keys.ts`, `cloud.ts`, `vcs.ts`, `saas.ts`, `generic.ts`); this
 * module puts them in the order the engine needs.
 *
 * How the engine runs them (see engine.ts): a rule only runs on a file containing one of its
 * lowercase keywords; its regex runs over the whole file with `g`, `m` and `d` added; the secret is
 * capture group 1 (or the whole match when the regex has no group, or `secretGroup`); the secret
 * must not be a placeholder, must reach `entropy` and pass `validate`. When two rules match the
 * same span the earlier one wins, so specific rules come first and the generic rule comes last.
 *
 * Conventions: `[^\S\r\n]` is horizontal whitespace (a value never continues on the next line);
 * a token is bounded by `\b` or a lookaround so one embedded in a longer run does not match;
 * quantifiers are bounded and never nested ambiguously, and no rule rescans a long run from every
 * position in it, so every regex runs in time linear in the file (see the pathological-input tests).
 * `publicPrefix` marks a secret that starts with one of its keywords as a public type marker
 * (`ghp_`, `AKIA`); `precision` is `medium` for the rules that key on names rather than formats.
 */
import { CLOUD_RULES } from './rules/cloud.js';
import { GENERIC_RULES } from './rules/generic.js';
import { KEY_RULES } from './rules/keys.js';
import { SAAS_RULES } from './rules/saas.js';
import { VCS_RULES } from './rules/vcs.js';
import type { SecretRule } from './types.js';

export const BUILTIN_RULES: readonly SecretRule[] = [
  ...KEY_RULES,
  ...CLOUD_RULES,
  ...VCS_RULES,
  ...SAAS_RULES,
  // Context rules (URL and connection-string passwords, JWT, Django, Docker), then generic-secret.
  ...GENERIC_RULES,
];
