/** The secrets engine's data: rules in, findings out. No runner, no terminal. */
import type { Severity } from '../core/sarif.js';

export interface SecretRule {
  /** Stable kebab-case id, used as the SARIF ruleId: `aws-access-key-id`. */
  id: string;
  /** Short human title: "AWS access key ID". */
  title: string;
  /** What the secret grants and how to fix a leak (revoke / rotate where). Markdown allowed. */
  description: string;
  severity: Severity;
  /**
   * Lowercase substrings; the rule only runs on content containing at least one of them (the
   * prefilter). Every built-in rule has at least one keyword, and each keyword must appear in
   * every true match (lowercased), or the prefilter would hide real secrets. A configured rule
   * without keywords runs on every file.
   */
  keywords: string[];
  /** Not global, not sticky. The engine runs it per line. */
  regex: RegExp;
  /** The capture group holding the secret itself. Default: 1 when the regex has groups, else 0. */
  secretGroup?: number;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /** Extra structural check of the secret (a checksum, a decodable header…). */
  validate?: (secret: string) => boolean;
  /**
   * The secret starts with a public type marker that is one of the keywords (`ghp_`, `AKIA`,
   * `xoxb-`): redaction may show that marker. Leave unset for passwords, raw keys and anything
   * whose first characters are secret material.
   */
  publicPrefix?: boolean;
  /**
   * How often a match is a real secret, as SARIF `precision`. Default `high`; generic rules that
   * key on names like `secret =` are `medium`.
   */
  precision?: 'very-high' | 'high' | 'medium' | 'low';
  /** Only files whose repo-relative `/` path matches are scanned by this rule (gitleaks' `path`). */
  path?: RegExp;
  /**
   * The rule reports a file merely for its path (gitleaks rules with `path` and no `regex`, such
   * as a committed `.pypirc`): the finding spans the first line and its "secret" is the path.
   */
  pathOnly?: boolean;
  /** Matches of this rule that are not secrets (gitleaks' rule-level allowlists). */
  allowlists?: Allowlist[];
  /** Where a rule not built in was defined: `.gitleaks.toml`, for messages. */
  origin?: string;
}

/**
 * What is not a finding (gitleaks' allowlist). With condition `OR` a finding is allowed when any
 * one criterion holds; with `AND`, when every criterion given holds (an empty list is no
 * criterion).
 */
export interface Allowlist {
  description?: string;
  condition: 'OR' | 'AND';
  /** Over the finding's repo-relative `/` path. Globs from our YAML are compiled to these. */
  paths: RegExp[];
  /** Over `regexTarget`. */
  regexes: RegExp[];
  /** What `regexes` run over: the secret (default), the whole match, or the whole line. */
  regexTarget: 'secret' | 'match' | 'line';
  /** Lowercase; a secret containing one is allowed. */
  stopwords: string[];
  /** Full or abbreviated commit SHAs (lowercase) whose findings are allowed (history mode). */
  commits: string[];
}

/** A loaded configuration file, ours (`.imagepipe/secrets.yaml`) or a `.gitleaks.toml`. */
export interface SecretsConfig {
  /** The file it was read from, as the user named it. */
  file: string;
  format: 'imagepipe' | 'gitleaks';
  /** Whether the built-in rules run too (gitleaks: `[extend] useDefault = true`). */
  useDefault: boolean;
  /** Rules defined by the file; a rule with a built-in rule's id replaces it. */
  rules: SecretRule[];
  /** Rule ids that do not run. */
  disabledRules: string[];
  /** Global allowlists. */
  allowlists: Allowlist[];
  /** Minimum entropy per rule id, overriding the rule's own. */
  entropy: Record<string, number>;
  /** Rules the file defines that could not be used, by id, with the reason: reported, never dropped silently. */
  skippedRules: { id: string; reason: string }[];
}

export interface Finding {
  ruleId: string;
  /** Relative to the scan root's repository (or the scan root), `/`-separated. */
  path: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  /** A private key spans lines; most secrets end on their start line. */
  endLine: number;
  /** 1-based, exclusive, on endLine. */
  endColumn: number;
  /** The secret, in memory only: used to mask and fingerprint, never written anywhere. */
  secret: string;
  /** What may be shown: a few leading characters and the length. */
  redacted: string;
  /** rule + path + a hash of the secret: survives line shifts, changes with a new secret. */
  fingerprint: string;
  /** The commit that added it (history mode). */
  commit?: CommitInfo;
  /** Set when the finding is allowed inline or by the baseline: reported, but it does not fail the scan. */
  suppression?: Suppression;
}

export interface CommitInfo {
  sha: string;
  author: string;
  email: string;
  /** ISO 8601, the author date. */
  date: string;
}

/** SARIF's kinds: `inSource` for a comment on the line, `external` for the baseline. */
export interface Suppression {
  kind: 'inSource' | 'external';
  justification: string;
}
