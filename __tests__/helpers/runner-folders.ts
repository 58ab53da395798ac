/** The runner's folders the tool cache uses, fresh for each test; process.env is restored after. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach } from '@jest/globals';
import { tmpDir } from './tmp.js';

export interface RunnerFolders {
  toolCache: string;
  /** The file `core.addPath` appends to. */
  githubPath: string;
}

/** Call in a describe block (or at the top of a file): returns the current test's folders. */
export function useRunnerFolders(): () => RunnerFolders {
  const saved = { ...process.env };
  let folders: RunnerFolders;
  beforeEach(() => {
    const dir = tmpDir('runner-');
    folders = { toolCache: path.join(dir, 'tool-cache'), githubPath: path.join(dir, 'github-path') };
    fs.mkdirSync(path.join(dir, 'temp'));
    fs.writeFileSync(folders.githubPath, '');
    process.env.RUNNER_TOOL_CACHE = folders.toolCache;
    process.env.RUNNER_TEMP = path.join(dir, 'temp');
    process.env.GITHUB_PATH = folders.githubPath;
  });
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });
  return () => folders;
}
