import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

const tracked = (...patterns: string[]) =>
  execFileSync('git', ['ls-files', '-z', '--', ...patterns], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);

/**
 * The tsconfig a `typecheck` script checks: `tsc`/`vue-tsc` with `-p <file>`, or the package's
 * tsconfig.json when it names none. Null when the script runs no TypeScript compiler.
 */
function tsconfigOf(script: string, packageDir: string): string | null {
  const run = script
    .split('&&')
    .map((part) => part.trim())
    .find((part) => /^(vue-)?tsc\b/.test(part));
  if (!run) return null;
  const project = /(?:^|\s)(?:-p|--project)\s+(\S+)/.exec(run)?.[1] ?? 'tsconfig.json';
  return join(packageDir, project);
}

/** Every tsconfig that `pnpm typecheck` checks: the root one and each workspace package's `typecheck` script. */
function typecheckedTsconfigs(): string[] {
  const configs: string[] = [];
  for (const manifest of tracked('package.json', '*/package.json', '**/package.json')) {
    const scripts = (JSON.parse(readFileSync(join(root, manifest), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    const script = scripts['typecheck'];
    if (script === undefined) continue;
    const config = tsconfigOf(script, join(root, dirname(manifest)));
    if (config) configs.push(config);
  }
  return configs;
}

/** The files a tsconfig's `include`/`files` select (what `tsc --listFilesOnly` starts from), .vue files included. */
function filesOf(configPath: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
    undefined,
    undefined,
    [{ extension: '.vue', isMixedContent: true, scriptKind: ts.ScriptKind.Deferred }],
  );
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  return parsed.fileNames.map((file) => relative(root, file));
}

describe('pnpm typecheck', () => {
  it('when a .ts or .vue file is tracked, then some tsconfig that `pnpm typecheck` checks includes it', () => {
    const configs = typecheckedTsconfigs();
    // The root script runs `tsc -p tsconfig.json` itself, before the packages' scripts.
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts['typecheck']).toMatch(/^tsc -p tsconfig\.json && pnpm -r/);
    configs.push(join(root, 'tsconfig.json'));

    const checked = new Set(configs.flatMap(filesOf));
    // The Tekton scripts are plain .mjs that CI runs with Node; JSDoc types keep them checked (root tsconfig).
    const unchecked = tracked('*.ts', '*.mts', '*.cts', '*.vue', '.tekton/scripts/*.mjs').filter((file) => !checked.has(file));

    expect(unchecked).toEqual([]);
  });

  it('when a script names a project, then that is the tsconfig counted as checked', () => {
    expect(tsconfigOf('vue-tsc --noEmit', '/p')).toBe('/p/tsconfig.json');
    expect(tsconfigOf('tsc -p tsconfig.check.json', '/p')).toBe('/p/tsconfig.check.json');
    expect(tsconfigOf('echo skip && tsc --noEmit --project x/tsconfig.json', '/p')).toBe('/p/x/tsconfig.json');
    expect(tsconfigOf('eslint .', '/p')).toBeNull();
  });
});
