/**
 * The built-in secret rules, modelled on what gitleaks' default config detects (our own regexes).
 * Each family lives in `rules/` (`keys.ts`, `cloud.ts`, `hosting.ts`, `vcs.ts`, `devtools.ts`,
 * `saas.ts`, `messaging.ts`, `payments.ts`, `ai.ts`, `observability.ts`, `productivity.ts`,
 * `generic.ts`); this module puts them in the order the engine needs.
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
import { AI_RULES } from './rules/ai.js';
import { AWS_PAIRED_RULES, CLOUD_RULES } from './rules/cloud.js';
import { DEVTOOLS_RULES } from './rules/devtools.js';
import { GENERIC_RULES } from './rules/generic.js';
import { HOSTING_RULES } from './rules/hosting.js';
import { KEY_RULES } from './rules/keys.js';
import { MESSAGING_RULES } from './rules/messaging.js';
import { OBSERVABILITY_RULES } from './rules/observability.js';
import { PAYMENT_RULES } from './rules/payments.js';
import { PRODUCTIVITY_RULES } from './rules/productivity.js';
import { SAAS_RULES } from './rules/saas.js';
import { VCS_RULES } from './rules/vcs.js';
import type { SecretRule } from './types.js';

export const BUILTIN_RULES: readonly SecretRule[] = [
  ...KEY_RULES,
  ...CLOUD_RULES,
  ...HOSTING_RULES,
  ...VCS_RULES,
  ...DEVTOOLS_RULES,
  ...SAAS_RULES,
  ...MESSAGING_RULES,
  ...PAYMENT_RULES,
  ...AI_RULES,
  ...OBSERVABILITY_RULES,
  ...PRODUCTIVITY_RULES,
  // An unnamed AWS secret next to its key ID: after every token rule, before the context rules.
  ...AWS_PAIRED_RULES,
  // Context rules (passwords in URLs, connection strings, curl and .netrc, JWT, Django, Docker,
  // Kubernetes Secrets), then generic-secret.
  ...GENERIC_RULES,
];
