/** Packer templates and scripts the packer-build suites share. */
import * as fs from 'node:fs';

export interface ShellLocal {
  inline?: string[];
  script?: string;
  executeCommand?: string[];
}

/** An HCL2 template of one `null` build, with a shell-local provisioner when given (as `packer fmt` writes it). */
export function nullBuild(name: string, provisioner?: ShellLocal): string {
  const list = (items: string[]) => `[${items.map((i) => JSON.stringify(i)).join(', ')}]`;
  const lines = provisioner
    ? [
        ...(provisioner.inline ? [['inline', list(provisioner.inline)]] : []),
        ...(provisioner.script ? [['script', JSON.stringify(provisioner.script)]] : []),
        ...(provisioner.executeCommand ? [['execute_command', list(provisioner.executeCommand)]] : []),
      ]
    : [];
  const width = Math.max(0, ...lines.map(([key]) => key!.length));
  const body = lines.map(([key, value]) => `    ${key!.padEnd(width)} = ${value}`).join('\n');
  return `source "null" "${name}" {
  communicator = "none"
}

build {
  sources = ["source.null.${name}"]
${provisioner ? `\n  provisioner "shell-local" {\n${body}\n  }\n` : ''}}
`;
}

/**
 * A provisioner script that writes `started` to ./marks and runs for `runS` seconds; on SIGINT
 * (and SIGTERM) it writes `interrupted`, takes `cleanupS` seconds to clean up, writes `cleaned`.
 */
export function slowScript(cleanupS: number, runS = 60): string {
  return `#!/bin/sh
trap 'echo interrupted >> marks; sleep ${cleanupS}; echo cleaned >> marks; exit 1' INT TERM
echo started >> marks
i=0; while [ $i -lt ${runS * 10} ]; do sleep 0.1; i=$((i+1)); done
`;
}

/** Waits until `file` holds `text`. */
export async function waitForText(file: string, text: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(text))) {
    if (Date.now() > deadline) throw new Error(`${file} never held ${JSON.stringify(text)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
