/**
 * `npm run docs`: regenerates what the docs take from the code: RULES.md (scripts/rules-doc.ts) and the README's
 * props tables (scripts/props-doc.ts). test/docs/generated-docs.test.ts fails when either is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withPropsTables } from './props-doc';
import { RULES_DOC_PATH, renderRulesDoc } from './rules-doc';

const readme = join(__dirname, '..', 'README.md');
writeFileSync(RULES_DOC_PATH, renderRulesDoc());
writeFileSync(readme, withPropsTables(readFileSync(readme, 'utf8')));
console.error('docs: wrote RULES.md and the props tables in README.md');
