/**
 * Reads CloudFormation templates for `bucketguard check-template`: JSON, or YAML with the short-form intrinsic tags
 * (!Ref, !GetAtt, !Sub, !Join, ...) turned into their long forms ({"Ref": ...}, {"Fn::GetAtt": [...]}) by the
 * `yaml` package's custom tags. Directories are walked (a CDK `cdk.out/` gives its `*.template.json` files; asset
 * folders are skipped). A file that cannot be read or is not a template is a problem for that file only.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml, type Tags } from 'yaml';
import type { LoadMessage } from './load';

export interface LoadedTemplate {
  readonly file: string;
  readonly template: unknown;
}

export interface TemplateLoad {
  readonly templates: readonly LoadedTemplate[];
  readonly problems: readonly LoadMessage[];
  readonly notes: readonly LoadMessage[];
}

const FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Length',
  'Select',
  'Split',
  'Sub',
  'ToJsonString',
  'Transform',
  'Equals',
  'Not',
  'And',
  'Or',
] as const;

function longForm(fn: string, value: unknown): Record<string, unknown> {
  if (fn === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${fn}`]: value };
}

/** Every CloudFormation short-form tag, on a scalar, a sequence or a mapping. */
export const CLOUDFORMATION_TAGS: Tags = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!Condition', resolve: (value: string) => ({ Condition: value }) },
  ...FUNCTIONS.flatMap((fn) => [
    { tag: `!${fn}`, resolve: (value: string) => longForm(fn, value) },
    { tag: `!${fn}`, collection: 'seq' as const, resolve: (seq: { toJSON(): unknown }) => longForm(fn, seq.toJSON()) },
    { tag: `!${fn}`, collection: 'map' as const, resolve: (map: { toJSON(): unknown }) => longForm(fn, map.toJSON()) },
  ]),
];

/** JSON first (what CDK writes), then YAML with the CloudFormation tags. Throws with the parser's message. */
export function parseTemplateText(text: string, file: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || /\.json$/i.test(file)) return JSON.parse(text);
  return parseYaml(text, { customTags: CLOUDFORMATION_TAGS, uniqueKeys: true, maxAliasCount: 100 });
}

const TEMPLATE_FILE = /\.(json|ya?ml|template)$/i;
/** cdk.out holds the app's templates next to files that are not templates: skipped without a note. */
const CDK_OUT_NON_TEMPLATES = new Set([
  'manifest.json',
  'tree.json',
  'cdk.out',
  'validation-report.json',
  'performance-counters.json',
]);
const isCdkOutput = (entry: string) =>
  CDK_OUT_NON_TEMPLATES.has(entry) || entry.endsWith('.assets.json') || entry.endsWith('.metadata.json');

function isTemplate(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'Resources' in value;
}

export async function loadTemplates(paths: readonly string[]): Promise<TemplateLoad> {
  const templates: LoadedTemplate[] = [];
  const problems: LoadMessage[] = [];
  const notes: LoadMessage[] = [];

  const readTemplate = async (file: string, named: boolean): Promise<void> => {
    let template: unknown;
    try {
      template = parseTemplateText(await readFile(file, 'utf8'), file);
    } catch (error) {
      problems.push({ source: file, message: `not a readable JSON or YAML template (${(error as Error).message})` });
      return;
    }
    if (isTemplate(template)) templates.push({ file, template });
    else if (named) problems.push({ source: file, message: 'not a CloudFormation template (no "Resources")' });
    else notes.push({ source: file, message: 'skipped (not a CloudFormation template)' });
  };

  const walk = async (dir: string): Promise<void> => {
    let entries: string[];
    try {
      entries = (await readdir(dir)).sort();
    } catch (error) {
      problems.push({ source: dir, message: `cannot read the directory (${(error as Error).message})` });
      return;
    }
    for (const entry of entries) {
      if (entry.startsWith('.') || entry.startsWith('asset.') || entry === 'node_modules') continue;
      const path = join(dir, entry);
      const info = await stat(path).catch(() => undefined);
      if (info?.isDirectory()) await walk(path);
      else if (TEMPLATE_FILE.test(entry) && !isCdkOutput(entry)) await readTemplate(path, false);
    }
  };

  for (const path of paths) {
    // By shape, not instanceof: errors from node: modules come from another realm under jest.
    const found = await stat(path).then(
      (info) => ({ info }),
      (error: unknown) => ({ error: String((error as { message?: unknown }).message ?? error) }),
    );
    if ('error' in found) problems.push({ source: path, message: `no such file or directory (${found.error})` });
    else if (found.info.isDirectory()) await walk(path);
    else await readTemplate(path, true);
  }
  return { templates, problems, notes };
}
