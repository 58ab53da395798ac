/**
 * Small CloudFormation builders for the AWS rule cases. `resource()` puts one resource `R` at
 * line 10 with its properties from line 13 on, after parameters `Flag` (default "false"),
 * `Open` (default "true"), `World` (default 0.0.0.0/0), `Free` (no default) and a condition
 * `Prod`:
 *
 *  10  R:            (the resource: hits on a missing setting point here)
 *  11    Type: …
 *  12    Properties:
 *  13    (props, indented six spaces)
 */
export const HEADER = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Flag: {Type: String, Default: "false"}
  Open: {Type: String, Default: "true"}
  World: {Type: String, Default: 0.0.0.0/0}
  Free: {Type: String}
Conditions:
  Prod: !Equals [!Ref AWS::Region, eu-west-1]
`;

export const RESOURCE_LINE = 10;

/** A template with one resource `R` of `type`; `props` are lines indented by six spaces. */
export function resource(type: string, props: string, more = ''): string {
  const body = props.endsWith('\n') || props === '' ? props : `${props}\n`;
  return `${HEADER}Resources:\n  R:\n    Type: ${type}\n    Properties:\n${body}${more}`;
}

/** The 1-based line of the `nth` (1-based) occurrence of `needle`, for JSON cases. */
export function lineOf(text: string, needle: string, nth = 1): number {
  let from = 0;
  for (let i = 0; i < nth; i++) {
    const at = text.indexOf(needle, from);
    if (at < 0) throw new Error(`${needle} not found`);
    if (i === nth - 1) return text.slice(0, at).split('\n').length;
    from = at + needle.length;
  }
  throw new Error('unreachable');
}

/** A JSON template holding `resources`, pretty-printed so each value has its own line. */
export function jsonTemplate(resources: Record<string, unknown>): string {
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }, null, 2);
}

/**
 * A Terraform file: variables `flag` (default false), `open` (default true), `world` (default
 * "0.0.0.0/0") and `free` (no default) on lines 1-4, a blank line, then `body` from line 6.
 */
export const TF_HEADER = `variable "flag" { default = false }
variable "open" { default = true }
variable "world" { default = "0.0.0.0/0" }
variable "free" {}

`;

export const TF_LINE = 6;

export function tf(body: string): string {
  return `${TF_HEADER}${body}`;
}
