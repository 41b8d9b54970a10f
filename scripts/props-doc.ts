/**
 * The README's props tables, generated from the TSDoc of the props interfaces (infra/props.ts BucketGuardProps,
 * infra/checks.ts BucketGuardChecksProps) with the TypeScript compiler API: name, type, default (`@default`) and
 * description. Every prop must have a description and an `@default`. test/docs/generated-docs.test.ts compares the
 * README with this output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

export interface PropDoc {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly defaultValue: string | undefined;
}

const ROOT = join(__dirname, '..');

export function readProps(file: string, interfaceName: string): PropDoc[] {
  const path = join(ROOT, file);
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  let found: ts.InterfaceDeclaration | undefined;
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === interfaceName) found = node;
  });
  if (!found) throw new Error(`${file}: no interface ${interfaceName}`);
  const props: PropDoc[] = [];
  for (const member of found.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue;
    const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
    const doc = docs[docs.length - 1];
    const text = (value: string | ts.NodeArray<ts.JSDocComment> | undefined) =>
      (typeof value === 'string' ? value : (value?.map((part) => part.text).join('') ?? ''))
        .replace(/\s+/g, ' ')
        .trim();
    const defaultTag = doc?.tags?.find((tag) => tag.tagName.text === 'default');
    props.push({
      name: member.name.getText(source),
      type: member.type.getText(source).replace(/\s+/g, ' '),
      description: text(doc?.comment),
      defaultValue: defaultTag ? text(defaultTag.comment) : undefined,
    });
  }
  return props;
}

export function renderPropsTable(props: readonly PropDoc[]): string {
  const cell = (value: string) => value.replace(/\|/g, '\\|');
  const lines = ['| Prop | Type | Default | Description |', '|---|---|---|---|'];
  for (const prop of props) {
    lines.push(
      `| \`${prop.name}\` | \`${cell(prop.type)}\` | ${cell(prop.defaultValue ?? '')} | ${cell(prop.description)} |`,
    );
  }
  return lines.join('\n');
}

export const PROPS_TABLES = [
  { marker: 'bucketguard-props', file: 'infra/props.ts', interfaceName: 'BucketGuardProps' },
  { marker: 'bucketguard-checks-props', file: 'infra/checks.ts', interfaceName: 'BucketGuardChecksProps' },
] as const;

/** The README with each generated block (between `<!-- <marker>:start -->` and `<!-- <marker>:end -->`) redone. */
export function withPropsTables(readme: string): string {
  let out = readme;
  for (const table of PROPS_TABLES) {
    const start = `<!-- ${table.marker}:start (generated from the TSDoc by npm run docs) -->`;
    const end = `<!-- ${table.marker}:end -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md: no block ${start} ... ${end}`);
    out = `${out.slice(0, from + start.length)}\n${renderPropsTable(readProps(table.file, table.interfaceName))}\n${out.slice(to)}`;
  }
  return out;
}
