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
   * prefilter). Every rule must have at least one keyword, and each keyword must appear in
   * every true match (lowercased), or the prefilter would hide real secrets.
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
}
