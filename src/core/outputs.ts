/** Step outputs: plain strings, or JSON for structured values (lists, maps). */
import * as core from '@actions/core';

export function setOutput(name: string, value: string | number | boolean): void {
  core.setOutput(name, String(value));
}

export function setJsonOutput(name: string, value: unknown): void {
  core.setOutput(name, JSON.stringify(value));
}
