/**
 * The bucketguard package the CLI runs from, found from this module's own location: the repository (bin/) or an
 * installed package (lib/bin/). Never the working directory: installed, `bucketguard replay` finds its own events/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

/** The nearest folder above this module that holds a package.json: the package root. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      root = dir;
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
}

export function packageVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

/** The recorded events shipped with the package, as a path relative to the working directory when that is shorter. */
export function bundledEventsDir(cwd: string = process.cwd()): string {
  const absolute = path.join(packageRoot(), 'events');
  const relative = path.relative(cwd, absolute);
  return relative !== '' && relative.length < absolute.length ? relative : absolute;
}
