/**
 * One case for one rule: a file (its name decides the parser, as in a real scan) and the lines the
 * rule must report in it, sorted. `lines: []` is a false case: the rule must stay silent.
 */
export interface RuleCase {
  rule: string;
  name: string;
  file: string;
  text: string;
  lines: number[];
}
