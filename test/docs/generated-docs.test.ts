/**
 * The docs that come from the code cannot drift from it: RULES.md from the registry, the README's props tables from
 * the TSDoc (every prop documented, with its @default), and the README's example app is the one the consumer test
 * installs the package into.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROPS_TABLES, readProps, withPropsTables } from '../../scripts/props-doc';
import { RULES_DOC_PATH, renderRulesDoc } from '../../scripts/rules-doc';

const REPO = join(__dirname, '..', '..');
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const FIX = 'run `npm run docs` and commit the result';

it(`RULES.md is what the registry generates (${FIX})`, () => {
  expect(readFileSync(RULES_DOC_PATH, 'utf8')).toBe(renderRulesDoc());
});

it(`the README's props tables are what the TSDoc generates (${FIX})`, () => {
  expect(README).toBe(withPropsTables(README));
});

it.each(PROPS_TABLES.map((table) => [table.interfaceName, table]))(
  'every %s prop has a description and an @default',
  (_name, table) => {
    const props = readProps(table.file, table.interfaceName);
    expect(props.length).toBeGreaterThan(3);
    const undocumented = props.filter((prop) => prop.description === '' || !prop.defaultValue);
    expect(undocumented.map((prop) => prop.name)).toEqual([]);
  },
);

it('the README shows the example app the consumer test builds, verbatim', () => {
  for (const file of ['lib/consumer-app-stack.ts', 'bin/consumer-app.ts']) {
    const code = readFileSync(join(REPO, 'examples', 'consumer-app', file), 'utf8').trimEnd();
    expect(README).toContain(`\`${file}\`:\n\n\`\`\`ts\n${code}\n\`\`\``);
  }
});
