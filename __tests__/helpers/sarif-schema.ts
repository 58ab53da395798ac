/** Validates SARIF against the official 2.1.0 schema (as shipped by Microsoft's SARIF multitool). */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/sarif-multitool-linux/sarif-2.1.0.json');
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as object;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const validate = ajv.compile(schema);

/** Returns the schema errors as readable lines; an empty list means valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
