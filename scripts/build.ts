/**
 * `npm run build` (also run by `npm pack` through `prepack`): the package's compiled output in lib/:
 * 1. tsc -p tsconfig.build.json: the construct, the CLI and everything they import, as CommonJS + .d.ts;
 * 2. every Lambda handler pre-bundled by esbuild into lib/handlers/<name>/index.js, with the one set of settings in
 *    infra/bundling.ts (the construct loads these with Code.fromAsset: a consumer needs neither esbuild nor a lock
 *    file).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { HANDLER_BUNDLE_OPTIONS, HANDLER_FILE, handlerBundles } from '../infra/bundling';
import { RULES } from '../rules';

const root = path.join(__dirname, '..');
const lib = path.join(root, 'lib');
const started = Date.now();

fs.rmSync(lib, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
fs.chmodSync(path.join(lib, 'bin', 'cli.js'), 0o755);

const sizes: string[] = [];
for (const bundle of handlerBundles(RULES.map((rule) => rule.id))) {
  const outfile = path.join(lib, 'handlers', bundle.name, HANDLER_FILE);
  buildSync({
    ...HANDLER_BUNDLE_OPTIONS,
    external: [...HANDLER_BUNDLE_OPTIONS.external],
    entryPoints: [path.join(root, bundle.entry)],
    outfile,
  });
  sizes.push(`${bundle.name} ${(fs.statSync(outfile).size / 1024).toFixed(1)} KiB`);
}
console.error(
  `build: lib/ compiled and ${sizes.length} handlers bundled in ${Date.now() - started} ms (${sizes.join(', ')})`,
);
