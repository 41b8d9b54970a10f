/**
 * The house plan, enforced: which folder may import which (DESIGN.md "Layout"), decision code free of the SDK and of
 * I/O (Biome's noRestrictedImports says the same in the editor, biome.json "overrides"), no drawer named `shared`,
 * and no source file over 600 lines. Read from the import statements of every tracked TypeScript file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && !file.startsWith('node_modules/'));
const sources = files.filter((file) => !file.startsWith('test/'));

/** `from '...'` / `import('...')` / `require('...')` specifiers of a file. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from|import|require)\s*\(?\s*['"]([^'"]+)['"]/g)].map((match) => match[1]);
}

/** The top-level folder a relative import lands in (`model`, `exposure`, ...), or the package name. */
function targetOf(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return relative(ROOT, normalize(join(ROOT, dirname(file), specifier)));
}

function folderOf(path: string): string {
  return path.split('/')[0];
}

const LAYERS: Readonly<Record<string, readonly string[]>> = {
  // folder: the project folders it may import (besides itself)
  model: [],
  exposure: ['model'],
  aws: ['model'],
  rules: ['model', 'exposure', 'aws'],
  remediation: ['model', 'exposure', 'aws', 'rules'],
  infra: ['model', 'rules', 'remediation'],
  bin: ['model', 'exposure', 'aws', 'rules', 'remediation'],
};

/** Packages decision code may import: pure helpers, no client, no I/O. */
const PURE_PACKAGES: ReadonlySet<string> = new Set(['@aws-sdk/util-arn-parser']);

const isDecision = (file: string): boolean =>
  /^(model|exposure)\//.test(file) ||
  /^rules\/[^/]+\/(evaluate|rule)\.ts$/.test(file) ||
  file === 'rules/run-rule.ts' ||
  file === 'rules/parameters.ts' ||
  /^remediation\/[^/]+\/plan\.ts$/.test(file) ||
  /^remediation\/notify\/(format(-[a-z-]+)?|text)\.ts$/.test(file);

describe('layers', () => {
  it.each(Object.keys(LAYERS))('%s/ imports only the folders below it', (folder) => {
    const allowed = new Set([folder, ...LAYERS[folder]]);
    const wrong = sources
      .filter((file) => folderOf(file) === folder)
      .flatMap((file) =>
        importsOf(file)
          .filter((specifier) => specifier.startsWith('.'))
          .map((specifier) => ({ file, target: targetOf(file, specifier) }))
          .filter(({ target }) => LAYERS[folderOf(target)] !== undefined && !allowed.has(folderOf(target))),
      );
    expect(wrong).toEqual([]);
  });

  it('decision code imports no AWS SDK client, no CDK, no Powertools and does no I/O', () => {
    const decision = sources.filter(isDecision);
    expect(decision.length).toBeGreaterThan(20);
    const impure = decision.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => !specifier.startsWith('.') && !PURE_PACKAGES.has(specifier))
        .map((specifier) => `${file}: ${specifier}`),
    );
    expect(impure).toEqual([]);
    const adapters = decision.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => targetOf(file, specifier))
        .filter((target) => /^(aws|rules\/config-protocol|remediation\/runtime)\//.test(target))
        .map((target) => `${file}: ${target}`),
    );
    expect(adapters).toEqual([]);
  });

  it('the model imports nothing but itself and pure helpers', () => {
    const outside = sources
      .filter((file) => file.startsWith('model/'))
      .flatMap((file) => importsOf(file).map((specifier) => ({ file, target: targetOf(file, specifier) })))
      .filter(({ target }) => !target.startsWith('model/') && !PURE_PACKAGES.has(target));
    expect(outside).toEqual([]);
  });
});

describe('rooms', () => {
  it('no folder is called shared (one concern per folder, named for what it holds)', () => {
    expect(files.filter((file) => file.split('/').includes('shared'))).toEqual([]);
  });
  it('no source or test file is over 600 lines', () => {
    const long = files
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 600);
    expect(long).toEqual([]);
  });
});
