/**
 * Runner-contract test: runs dist/secrets-scan/index.js exactly as the GitHub runner does, with
 * inputs in INPUT_* variables and GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_WORKSPACE set.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';
import { cleanTree, PLANTED, plantedTree } from '../helpers/planted.js';
import { runBundle } from '../helpers/runner.js';
import { git, gitInit, tmpDir, writeTree } from '../helpers/tmp.js';

const bundle = path.resolve('dist/secrets-scan/index.js');

function runAction(
  files: Record<string, string>,
  inputs: Record<string, string>,
  prepare?: (workspace: string) => void,
  extraEnv?: (workspace: string) => NodeJS.ProcessEnv,
) {
  return runBundle(bundle, files, inputs, prepare, extraEnv);
}

const defaults = { path: '.', 'sarif-file': 'secrets-scan.sarif', 'fail-on-findings': 'true', exclude: '' };

describe('dist/secrets-scan/index.js as the runner runs it', () => {
  it('exists (npm run build)', () => {
    expect(fs.existsSync(bundle)).toBe(true);
  });

  describe('on a workspace with planted secrets', () => {
    const run = runAction(plantedTree(), defaults);
    const sarifPath = path.join(run.workspace, 'secrets-scan.sarif');
    const sarif = JSON.parse(fs.readFileSync(sarifPath, 'utf8'));

    it('fails the step, after setting its outputs', () => {
      expect(run.status).toBe(1);
      expect(run.outputs).toEqual({ findings: '5', suppressed: '0', 'sarif-file': 'secrets-scan.sarif' });
      expect(run.stdout).toMatch(/^::error::5 secrets found\./m);
    });

    it('writes SARIF that the official 2.1.0 schema accepts, one result per secret', () => {
      expect(sarifSchemaErrors(sarif)).toEqual([]);
      const results = sarif.runs[0].results;
      expect(
        results
          .map((r: any) => [
            r.ruleId,
            r.locations[0].physicalLocation.artifactLocation.uri,
            r.locations[0].physicalLocation.region.startLine,
          ])
          .sort(),
      ).toEqual(
        [
          ['aws-access-key-id', 'config/app.env', 2],
          ['aws-secret-access-key', 'config/app.env', 3],
          ['url-password', 'config/app.env', 4],
          ['github-pat', 'scripts/release.sh', 2],
          ['slack-webhook-url', 'notify.py', 1],
        ].sort() as any,
      );
      for (const r of results) {
        expect(r.partialFingerprints['imagepipe/v1']).toMatch(/^[0-9a-f]{32}$/);
        expect(r.locations[0].physicalLocation.region.startColumn).toBeGreaterThanOrEqual(1);
      }
      for (const rule of sarif.runs[0].tool.driver.rules) {
        expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
      }
    });

    it('annotates each finding at its file and line', () => {
      expect(run.stdout).toMatch(
        /^::error title=Secret%3A [^,]+,file=config\/app\.env,line=2,endLine=2,col=\d+::/m,
      );
      expect(run.stdout.match(/^::error title=Secret/gm)).toHaveLength(5);
    });

    it('writes a summary table with rule, file:line and the redacted value', () => {
      expect(run.summary).toContain('<h2>Secrets scan</h2>');
      expect(run.summary).toContain('<code>scripts/release.sh:2</code>');
      expect(run.summary).toContain('<code>ghp_…(40 chars)</code>');
      // A password shows its length only, not its first characters.
      expect(run.summary).toContain(`<code>…(${PLANTED.dbPassword.length} chars)</code>`);
    });

    it('never prints a secret: not in logs, summary, annotations, outputs or SARIF', () => {
      // The only place a secret may appear is the runner's mask registration, which the runner
      // consumes and never shows.
      const visibleStdout = run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n');
      const everywhere = [
        visibleStdout,
        run.stderr,
        run.summary,
        JSON.stringify(run.outputs),
        JSON.stringify(sarif),
      ].join('\n');
      for (const secret of Object.values(PLANTED)) {
        const value = secret.startsWith('https://') ? secret.split('/').pop()! : secret;
        expect(everywhere).not.toContain(value);
      }
      expect(run.stdout).toContain(`::add-mask::${PLANTED.githubPat}`);
    });
  });

  it('passes on a clean workspace', () => {
    const run = runAction(cleanTree(), defaults);
    expect(run.status).toBe(0);
    expect(run.outputs.findings).toBe('0');
    expect(run.summary).toContain('No secrets found.');
    expect(run.stdout).not.toContain('::error');
  });

  it('reports but passes when fail-on-findings is false', () => {
    const run = runAction(plantedTree(), { ...defaults, 'fail-on-findings': 'false' });
    expect(run.status).toBe(0);
    expect(run.outputs.findings).toBe('5');
  });

  it('skips excluded globs', () => {
    const run = runAction(plantedTree(), {
      ...defaults,
      exclude: 'config/**\n*.py',
      'sarif-file': 'out/report.sarif',
    });
    expect(run.outputs).toEqual({ findings: '1', suppressed: '0', 'sarif-file': 'out/report.sarif' });
    expect(fs.existsSync(path.join(run.workspace, 'out/report.sarif'))).toBe(true);
  });

  it('in a git checkout: scans what git tracks, even if ignored, and skips ignored untracked files', () => {
    const run = runAction(
      { ...plantedTree(), '.gitignore': '*.env\nlocal/\n', 'local/dev.env': `TOKEN=${PLANTED.githubPat}\n` },
      defaults,
      (ws) => {
        gitInit(ws);
        git(ws, 'add', '.');
        git(ws, 'add', '-f', 'config/app.env');
        git(ws, 'commit', '-qm', 'init');
      },
    );
    expect(run.status).toBe(1);
    expect(run.outputs.findings).toBe('5');
    expect(run.stdout).toMatch(/file=config\/app\.env,line=2/);
    expect(run.stdout).not.toContain('local/dev.env');
  });

  it('outside git, reports paths and matches excludes relative to the workspace', () => {
    const run = runAction(plantedTree(), { ...defaults, path: 'config', exclude: 'scripts/**' });
    expect(run.outputs.findings).toBe('3');
    expect(run.stdout).toMatch(/file=config\/app\.env,line=2/);
    expect(run.stdout).toContain('::warning::The exclude glob "scripts/**" matched nothing under "config".');
  });

  it('masks a private key line by line, without its armour lines or short values', () => {
    const body = [
      'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
      'QyNTUxOQAAACDk9Zq8vT2mKp9LrX4sWn6YbJ3hFd7GcE1aQu5NoR0iVwAAAJgQ8vLm3nTb',
    ];
    const armour = (what: string) => ['-----', what, ' OPENSSH PRIVATE KEY-----'].join('');
    const key = [armour('BEGIN'), ...body, 'AAAA', armour('END'), ''].join('\n');
    const run = runAction({ 'keys/id_ed25519': key }, defaults);
    expect(run.outputs.findings).toBe('1');
    const masks = run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'));
    expect(masks).toEqual(body.map((line) => `::add-mask::${line}`));
  });

  it('gives the same secret twice in a file two distinct fingerprints, so code scanning keeps both', () => {
    const line = `TOKEN=${PLANTED.githubPat}\n`;
    const run = runAction({ 'twice.env': `${line}# again\n${line}` }, defaults);
    const sarif = JSON.parse(fs.readFileSync(path.join(run.workspace, 'secrets-scan.sarif'), 'utf8'));
    const prints = sarif.runs[0].results.map((r: any) => r.partialFingerprints['imagepipe/v1']);
    expect(prints).toHaveLength(2);
    expect(new Set(prints).size).toBe(2);
  });

  it.each([
    [{ 'sarif-file': '.' }, `Invalid value "." for input 'sarif-file': it is a folder`],
    [{ 'sarif-file': 'README.md/x.sarif' }, `Invalid value "README.md/x.sarif" for input 'sarif-file':`],
    [{ 'fail-on-findings': 'yes' }, `Invalid value "yes" for input 'fail-on-findings': use true or false.`],
    [
      { path: '../elsewhere' },
      `Invalid value "../elsewhere" for input 'path': the path must stay inside the workspace`,
    ],
    [{ path: 'missing-dir' }, `Invalid value "missing-dir" for input 'path': no such file or directory`],
    [
      { 'max-file-size-mb': '0' },
      `Invalid value "0" for input 'max-file-size-mb': expected an integer from 1 to 1024.`,
    ],
  ])('bad input %j is one clear error line, no stack trace', (inputs, message) => {
    const run = runAction(cleanTree(), { ...defaults, ...inputs });
    expect(run.status).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
    expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m);
  });

  it('on a push, scans the pushed commits: a secret added and deleted again fails the step', () => {
    let before = '';
    let after = '';
    const run = runAction(
      { 'README.md': '# app\n' },
      { ...defaults, mode: 'auto' },
      (ws) => {
        gitInit(ws);
        git(ws, 'add', '.');
        git(ws, 'commit', '-qm', 'start');
        before = git(ws, 'rev-parse', 'HEAD').trim();
        writeTree(ws, { 'deploy.sh': `export GITHUB_TOKEN=${PLANTED.githubPat}\n` });
        git(ws, 'add', '.');
        git(ws, 'commit', '-qm', 'leak');
        fs.rmSync(path.join(ws, 'deploy.sh'));
        git(ws, 'add', '-A');
        git(ws, 'commit', '-qm', 'oops, remove it');
        after = git(ws, 'rev-parse', 'HEAD').trim();
      },
      (ws) => {
        const event = path.join(ws, '..', `${path.basename(ws)}-event.json`);
        fs.writeFileSync(event, JSON.stringify({ before, after, ref: 'refs/heads/main' }));
        return { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event };
      },
    );
    expect(run.status).toBe(1);
    expect(run.outputs.findings).toBe('1');
    const sarif = JSON.parse(fs.readFileSync(path.join(run.workspace, 'secrets-scan.sarif'), 'utf8'));
    const [result] = sarif.runs[0].results;
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('deploy.sh');
    expect(result.properties).toMatchObject({
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      author: 'Test',
    });
    expect(run.summary).toContain('the pushed commits');
    const visible = run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(visible.join('\n') + run.summary).not.toContain(PLANTED.githubPat);
  });

  it('with a baseline, reports the accepted findings as suppressed and passes', () => {
    const first = runAction(plantedTree(), { ...defaults, 'fail-on-findings': 'false' });
    expect(first.outputs.findings).toBe('5');
    const baselineFile = path.join(tmpDir(), 'baseline.json');
    const cli = spawnSync(
      process.execPath,
      [path.resolve('dist/cli/index.js'), 'secrets-scan', first.workspace, '--write-baseline', baselineFile],
      { encoding: 'utf8' },
    );
    expect(cli.status).toBe(0);
    const run = runAction(plantedTree(), { ...defaults, baseline: '.imagepipe/baseline.json' }, (ws) =>
      writeTree(ws, { '.imagepipe/baseline.json': fs.readFileSync(baselineFile, 'utf8') }),
    );
    expect(run.status).toBe(0);
    expect(run.outputs).toMatchObject({ findings: '0', suppressed: '5' });
    const sarif = JSON.parse(fs.readFileSync(path.join(run.workspace, 'secrets-scan.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((r: any) => r.suppressions[0].kind)).toEqual(Array(5).fill('external'));
    expect(run.stdout).not.toMatch(/^::error /m);
  });

  it('with cleanse and cleanse-push, purges the secret from the remote’s history, never the checkout, and still fails', () => {
    const origin = path.join(tmpDir(), 'origin.git');
    let checkoutHead = '';
    const run = runAction(
      {},
      { ...defaults, mode: 'history', cleanse: 'true', 'cleanse-push': 'true' },
      (ws) => {
        const seed = tmpDir();
        gitInit(seed);
        writeTree(seed, {
          'deploy.sh': `export GITHUB_TOKEN=${PLANTED.githubPat}\n`,
          'README.md': '# app\n',
        });
        git(seed, 'add', '.');
        git(seed, 'commit', '-qm', 'leak');
        writeTree(seed, { 'deploy.sh': 'export GITHUB_TOKEN="$TOKEN"\n' });
        git(seed, 'commit', '-qam', 'use a variable');
        git(seed, 'clone', '-q', '--bare', seed, origin);
        fs.rmSync(ws, { recursive: true, force: true });
        git(path.dirname(ws), 'clone', '-q', origin, ws);
        checkoutHead = git(ws, 'rev-parse', 'HEAD').trim();
      },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error::1 secret found\..*History cleansed and pushed \(1 ref\)\./m);
    expect(JSON.parse(run.outputs['cleansed-refs']!)).toEqual(['refs/heads/main']);
    expect(run.summary).toContain('History cleanse');
    expect(run.summary).toContain('must still be revoked and rotated');
    const remoteHistory = git(origin, 'log', '-p', '--all');
    expect(remoteHistory).not.toContain(PLANTED.githubPat);
    expect(remoteHistory).toContain('***REMOVED***');
    // The checkout the workflow runs in is untouched.
    expect(git(run.workspace, 'rev-parse', 'HEAD').trim()).toBe(checkoutHead);
    expect(git(run.workspace, 'log', '-p')).toContain(PLANTED.githubPat);
    const visible = run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(visible.join('\n') + run.summary).not.toContain(PLANTED.githubPat);
  });

  it('picks up .imagepipe/secrets.yaml: extra rules, disabled rules and allowlists', () => {
    const yaml = [
      'disable: [github-pat]',
      'rules:',
      '  - id: acme-api-key',
      '    title: ACME API key',
      '    severity: critical',
      "    regex: 'acme_[A-Za-z0-9]{24}'",
      '    keywords: [acme_]',
      'allow:',
      "  paths: ['docs/**']",
      '',
    ].join('\n');
    const acme = ['acme_', 'Q3VZ7RTMPL2XWN4KZq8vT2mK'].join('');
    const run = runAction(
      {
        '.imagepipe/secrets.yaml': yaml,
        'app.env': `ACME=${acme}\nGH=${PLANTED.githubPat}\n`,
        'docs/example.env': `ACME=${acme}\n`,
      },
      defaults,
    );
    expect(run.status).toBe(1);
    const sarif = JSON.parse(fs.readFileSync(path.join(run.workspace, 'secrets-scan.sarif'), 'utf8'));
    expect(
      sarif.runs[0].results.map((r: any) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation.uri]),
    ).toEqual([['acme-api-key', 'app.env']]);
    expect(run.stdout).toContain('Configuration: .imagepipe/secrets.yaml');
  });

  it('reads a .gitleaks.toml given as config, keeping its rule ids', () => {
    const toml = [
      '[extend]',
      'useDefault = true',
      '',
      '[[rules]]',
      'id = "internal-service-token"',
      'description = "Internal service token"',
      "regex = '''(?i)\\b(isvc_[a-z0-9]{20})\\b'''",
      'keywords = ["isvc_"]',
      '',
    ].join('\n');
    const token = ['ISVC_', 'q3vz7rtmpl2xwn4kzq8v'].join('');
    const run = runAction(
      { '.gitleaks.toml': toml, 'svc.env': `TOKEN=${token}\nGH=${PLANTED.githubPat}\n` },
      {
        ...defaults,
        config: '.gitleaks.toml',
      },
    );
    expect(run.status).toBe(1);
    const sarif = JSON.parse(fs.readFileSync(path.join(run.workspace, 'secrets-scan.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((r: any) => r.ruleId).sort()).toEqual([
      'github-pat',
      'internal-service-token',
    ]);
  });

  it('names the file, the rule and the problem for a broken config', () => {
    const run = runAction(
      { 'bad.yaml': "rules:\n  - id: broken\n    regex: '([a-z'\n" },
      { ...defaults, config: 'bad.yaml' },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^::error::.*bad\.yaml.*broken/m);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });
});
