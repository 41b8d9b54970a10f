/**
 * Properties of the CLI's input loader (bin/load.ts): for any JSON value, and any file content, it classifies or
 * reports every unit, normalises every configuration item or reports it, and never throws.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { accountBpaResolver, classifyDocument, loadInputs, normalizeDocuments } from '../../../bin/load';
import type { Json } from '../../support/basics';
import { configInvocationArb } from '../../support/config-invocation-arbitraries';
import { configurationItemArb, toApiModel } from '../../support/config-item-arbitraries';
import { loadFixtures } from '../../support/fixtures';
import { applyMutations, garbageEventArb, mutationArb } from '../../support/json-mutator';
import { alarmEventArb, cloudTrailEventArb, snsWrapped } from '../../support/response-event-arbitraries';
import { assertProperty, type PropertyRunOptions } from '../harness/assert-property';
import { assertNoViolations } from '../harness/checks';

const apiItemArb = configurationItemArb.map((item) => toApiModel(item) as unknown as Json);

/** Every document shape the loader accepts, one at a time or in arrays. */
const documentArb: fc.Arbitrary<Json> = fc.oneof(
  configInvocationArb().map((inv) => inv.event),
  configurationItemArb,
  apiItemArb,
  fc.array(apiItemArb, { maxLength: 3 }).map((items) => ({ configurationItems: items })),
  fc
    .array(apiItemArb, { maxLength: 3 })
    .map((items) => ({ baseConfigurationItems: items, unprocessedResourceKeys: [] })),
  fc
    .array(configurationItemArb, { maxLength: 3 })
    .map((items) => ({ Results: items.map((item) => JSON.stringify(item)) })),
  configurationItemArb.map((item) =>
    snsWrapped({ configurationItem: item, messageType: 'ConfigurationItemChangeNotification' }),
  ),
  cloudTrailEventArb,
  cloudTrailEventArb.map((event) => ({ Records: [event.detail] })),
  alarmEventArb,
  configurationItemArb.map((item) => JSON.stringify(item)),
);

export const loaderInputArb = (): fc.Arbitrary<Json> => {
  const fixtures = loadFixtures().map((f) => f.json);
  const base = fc.oneof(
    { arbitrary: documentArb, weight: 6 },
    { arbitrary: fc.array(documentArb, { minLength: 1, maxLength: 4 }), weight: 1 },
    ...(fixtures.length > 0 ? [{ arbitrary: fc.constantFrom(...fixtures), weight: 3 }] : []),
  );
  return fc.oneof(
    { arbitrary: base, weight: 3 },
    {
      arbitrary: fc
        .tuple(base, fc.array(mutationArb, { minLength: 1, maxLength: 3 }))
        .map(([value, mutations]) => applyMutations(value, mutations)),
      weight: 6,
    },
    { arbitrary: garbageEventArb as fc.Arbitrary<Json>, weight: 1 },
  );
};

/** L1-L4 for one parsed value. */
export function loaderViolations(value: unknown): string[] {
  const problems: string[] = [];
  let classified: ReturnType<typeof classifyDocument>;
  try {
    classified = classifyDocument(value, 'input.json', 'input.json');
  } catch (error) {
    return [`classifyDocument threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`];
  }
  if (classified.documents.length + classified.problems.length === 0)
    problems.push('the input produced neither a document nor a problem');
  for (const p of classified.problems) {
    if (p.message.trim() === '') problems.push(`empty problem message at ${p.source}`);
    if (!p.source.startsWith('input.json')) problems.push(`problem source ${p.source} does not name the input`);
  }
  let normalised: ReturnType<typeof normalizeDocuments>;
  try {
    normalised = normalizeDocuments(classified.documents);
  } catch (error) {
    return [
      ...problems,
      `normalizeDocuments threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    ];
  }
  const items = classified.documents.reduce((n, d) => n + d.items.length, 0);
  if (normalised.states.length + normalised.problems.length !== items) {
    problems.push(
      `${items} configuration item(s) but ${normalised.states.length} state(s) + ${normalised.problems.length} problem(s)`,
    );
  }
  try {
    const resolve = accountBpaResolver(normalised.states);
    for (const state of normalised.states) if (state.state.kind === 'bucket') resolve(state);
  } catch (error) {
    problems.push(`accountBpaResolver threw ${String(error)}`);
  }
  return problems;
}

export async function runLoaderProperty(options: PropertyRunOptions): Promise<number> {
  let cases = 0;
  await assertProperty(
    fc.asyncProperty(loaderInputArb(), async (value) => {
      cases++;
      assertNoViolations(loaderViolations(value), () => value);
    }),
    options,
  );
  return cases;
}

/** File contents: valid JSON of any shape, truncated JSON, a BOM, nothing, binary noise, a huge file. */
const fileTextArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: loaderInputArb().map((value) => JSON.stringify(value) ?? 'null'), weight: 6 },
  {
    arbitrary: fc.tuple(loaderInputArb(), fc.nat()).map(([v, n]) => {
      const t = JSON.stringify(v) ?? '';
      return t.slice(0, n % (t.length + 1));
    }),
    weight: 2,
  },
  { arbitrary: loaderInputArb().map((value) => `\uFEFF${JSON.stringify(value)}`), weight: 1 },
  { arbitrary: fc.constantFrom('', ' ', '\n', 'null', '[]', '{}', '[[[[[[[[[[', '"\\ud800"', 'NaN'), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 1 },
);

/** L5: files on disk. Every file is read and either yields documents or is reported; loadInputs never throws. */
export async function runLoaderFileProperty(options: PropertyRunOptions): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bucketguard-fuzz-load-'));
  let cases = 0;
  try {
    await assertProperty(
      fc.asyncProperty(fc.array(fileTextArb, { minLength: 1, maxLength: 4 }), async (texts) => {
        cases++;
        const caseDir = mkdtempSync(join(dir, 'case-'));
        const files = texts.map((text, i) => {
          const file = join(caseDir, `input-${i}.json`);
          writeFileSync(file, text);
          return file;
        });
        const problems: string[] = [];
        try {
          const result = await loadInputs([caseDir]);
          if (
            result.filesRead + result.problems.filter((p) => p.message.startsWith('cannot read')).length !==
            files.length
          ) {
            problems.push(`${files.length} files, ${result.filesRead} read`);
          }
          for (const file of files) {
            const accounted =
              result.documents.some((d) => d.file === file) || result.problems.some((p) => p.source.startsWith(file));
            if (!accounted) problems.push(`${file} produced neither a document nor a problem`);
          }
          normalizeDocuments(result.documents);
        } catch (error) {
          problems.push(`loadInputs threw ${String(error)}`);
        } finally {
          rmSync(caseDir, { recursive: true, force: true });
        }
        assertNoViolations(problems, () => texts.map((t) => t.slice(0, 200)));
      }),
      options,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return cases;
}
