/**
 * `imagepipe install-hooks`: a git pre-commit hook that runs the staged secrets scan, so a secret
 * is stopped before it is committed, let alone pushed. The hook records this installation's node
 * and CLI paths (it works without imagepipe on PATH) and falls back to `imagepipe` on PATH.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { UserError, errorMessage } from '../core/errors.js';
import { execFile } from '../core/exec.js';
import { GIT_READ } from '../core/files.js';
import { EXIT, type CliIo } from './io.js';

export const HOOK_MARKER = '# imagepipe pre-commit hook';

/** A value as one single-quoted sh word. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function hookScript(node: string, cli: string): string {
  return `#!/bin/sh
${HOOK_MARKER}, written by \`imagepipe install-hooks\`: blocks a commit that adds a secret.
# A false positive: add an \`imagepipe:allow\` comment on its line. Skip once: git commit --no-verify.
IMAGEPIPE_NODE=${shQuote(node)}
IMAGEPIPE_CLI=${shQuote(cli)}
if [ -x "$IMAGEPIPE_NODE" ] && [ -f "$IMAGEPIPE_CLI" ]; then
  exec "$IMAGEPIPE_NODE" "$IMAGEPIPE_CLI" secrets-scan --mode staged
elif command -v imagepipe >/dev/null 2>&1; then
  exec imagepipe secrets-scan --mode staged
fi
echo "imagepipe pre-commit hook: imagepipe is not installed where it was (${cli.replace(/["`$\\]/g, '')}) nor on PATH." >&2
echo "Install it (npm install --global imagepipe) and run imagepipe install-hooks again." >&2
exit 1
`;
}

export interface InstallOptions {
  /** A folder in the repository. */
  cwd: string;
  force?: boolean;
  node?: string;
  cli?: string;
}

/** Writes the hook where git will run it (core.hooksPath honoured); returns its path. */
export async function installHooks(options: InstallOptions): Promise<{ file: string; backup?: string }> {
  const result = await execFile('git', [...GIT_READ, 'rev-parse', '--git-path', 'hooks'], {
    cwd: options.cwd,
    silent: true,
    okExitCodes: 'any',
  });
  if (result.exitCode !== 0) {
    throw new UserError(
      `install-hooks needs a git repository, and ${options.cwd} is not in one. Run it inside your clone.`,
    );
  }
  const hooks = path.resolve(options.cwd, result.stdout.trim());
  const file = path.join(hooks, 'pre-commit');
  let backup: string | undefined;
  if (fs.existsSync(file)) {
    const current = fs.readFileSync(file, 'utf8');
    if (!current.includes(HOOK_MARKER)) {
      if (!options.force) {
        throw new UserError(
          `${file} already exists and was not written by imagepipe. Add \`imagepipe secrets-scan --mode staged\` to it yourself, use the pre-commit framework (.pre-commit-hooks.yaml), or pass --force to replace it (it is kept as pre-commit.imagepipe-backup).`,
        );
      }
      backup = `${file}.imagepipe-backup`;
      fs.copyFileSync(file, backup);
    }
  }
  const cli = options.cli ?? fs.realpathSync(process.argv[1] ?? '');
  try {
    fs.mkdirSync(hooks, { recursive: true });
    fs.writeFileSync(file, hookScript(options.node ?? process.execPath, cli), { mode: 0o755 });
    fs.chmodSync(file, 0o755);
  } catch (error) {
    throw new UserError(`Could not write ${file}: ${errorMessage(error)}`);
  }
  return { file, ...(backup ? { backup } : {}) };
}

export function installHooksCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('install-hooks')
    .summary('install a git pre-commit hook that blocks commits adding secrets')
    .description(
      'Write .git/hooks/pre-commit (or into core.hooksPath) running `imagepipe secrets-scan --mode staged`.\n' +
        'A commit that adds a secret is stopped with the file, line, rule and redacted value.',
    )
    .option('--force', 'replace a pre-commit hook imagepipe did not write (kept as a backup)')
    .action(async (options: { force?: boolean }) => {
      const { file, backup } = await installHooks({ cwd: io.cwd, force: options.force });
      io.stderr(
        `Installed the pre-commit hook: ${file}${backup ? ` (the previous hook is in ${backup})` : ''}.\n`,
      );
      setExit(EXIT.passed);
    });
}
