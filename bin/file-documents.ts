/**
 * One input file's documents, read as a stream (bin/json-stream.ts): a snapshot's items come one by one and are never
 * all held. Every problem is the file's own (or one element's): a file that cannot be read, broken JSON, an element
 * nested too deeply or one that makes classification overflow the stack never stops the other files.
 */
import {
  type Classified,
  classifyDocument,
  type DocumentKind,
  identifyAdvancedQueryRow,
  type LoadedDocument,
  type LoadMessage,
  parseJsonString,
} from './classify';
import { isJsonLinesName, openInputChunks } from './input-files';
import { JsonStreamError, jsonEvents } from './json-stream';

export type FileOutput =
  | { readonly document: LoadedDocument }
  | { readonly problem: LoadMessage }
  | { readonly note: LoadMessage };

export interface FileReadOptions {
  /**
   * `collect`: a top-level object's streamed arrays are gathered and the object classified whole, exactly as if the
   * file had been parsed at once (replay, explain). `stream`: each item of those arrays is a document of its own
   * (`file#item3`, or `file` when there is only one), so `evaluate` holds one item at a time.
   */
  readonly mode: 'collect' | 'stream';
  /** Only array elements whose text holds this are parsed (the account-level BPA pre-pass). */
  readonly onlyContaining?: string;
}

/** Reported by callers as `filesRead`: the file could be opened. */
export interface FileReadStats {
  opened: boolean;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** classifyDocument, with a stack overflow on a pathological value turned into that value's problem. */
function classifySafely(value: unknown, source: string, file: string): Classified {
  try {
    return classifyDocument(value, source, file);
  } catch (error) {
    return { documents: [], problems: [{ source, message: `cannot be read: ${describe(error)}` }], notes: [] };
  }
}

function* outputs(classified: Classified): Generator<FileOutput> {
  for (const document of classified.documents) yield { document };
  for (const problem of classified.problems) yield { problem };
  for (const note of classified.notes) yield { note };
}

/** A member array streamed in `stream` mode: the document kind its items are. */
function streamedKind(key: string): DocumentKind {
  return key === 'Results' ? 'advanced-query-response' : 'config-api-response';
}

/** An object assembled from its members as JSON.parse would (own "__proto__" keys included, last duplicate wins). */
function assemble(members: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of members) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

interface OpenObject {
  readonly source: string;
  readonly members: [string, unknown][];
  /** Streamed arrays seen (stream mode: their items were documents already). */
  streamed: boolean;
  /** The array being collected (collect mode). */
  collecting?: unknown[];
  items: number;
  held?: { readonly item: unknown; readonly kind: DocumentKind };
}

export async function* fileDocuments(
  file: string,
  options: FileReadOptions,
  stats: FileReadStats = { opened: false },
): AsyncGenerator<FileOutput> {
  let chunks: AsyncIterable<Buffer>;
  try {
    chunks = await openInputChunks(file);
  } catch (error) {
    yield { problem: { source: file, message: `cannot read the file (${describe(error)})` } };
    return;
  }
  stats.opened = true;
  const jsonLines = isJsonLinesName(file);
  let values = 0;
  const sourceOf = (line: number): string => (jsonLines || values > 1 ? `${file}#line${line}` : file);
  // A top-level array: each element is classified as it comes, as classifyDocument would classify them in turn.
  let array: { source: string } | undefined;
  let object: OpenObject | undefined;
  const itemDocument = (source: string, item: unknown, kind: DocumentKind): FileOutput => ({
    document: { source, file, kind, document: item, items: [item] },
  });

  try {
    for await (const event of jsonEvents(
      chunks,
      options.onlyContaining ? { onlyContaining: options.onlyContaining } : {},
    )) {
      switch (event.type) {
        case 'value':
          values++;
          yield* outputs(classifySafely(event.value, sourceOf(event.line), file));
          break;
        case 'object-start':
          values++;
          object = { source: sourceOf(event.line), members: [], streamed: false, items: 0 };
          break;
        case 'member':
          object?.members.push([event.key, event.value]);
          break;
        case 'array-start':
          if (event.key === undefined) {
            values++;
            array = { source: sourceOf(event.line) };
          } else if (object) {
            object.streamed = true;
            if (options.mode === 'collect') object.collecting = [];
          }
          break;
        case 'element':
          if (event.key === undefined) {
            if (array) yield* outputs(classifySafely(event.value, `${array.source}#${event.index}`, file));
          } else if (object?.collecting) {
            object.collecting.push(event.value);
          } else if (object) {
            // Named as normalizeDocuments names the items of a whole response: `#item<n>` when there are several.
            const kind = streamedKind(event.key);
            let item = event.value;
            if (kind === 'advanced-query-response') {
              const identified = identifyAdvancedQueryRow(
                parseJsonString(event.value),
                `${object.source}#item${object.items}`,
              );
              if (identified.note) yield { note: identified.note };
              item = identified.row;
            }
            object.items++;
            if (object.items === 1) {
              object.held = { item, kind };
            } else {
              if (object.held) yield itemDocument(`${object.source}#item0`, object.held.item, object.held.kind);
              object.held = undefined;
              yield itemDocument(`${object.source}#item${object.items - 1}`, item, kind);
            }
          }
          break;
        case 'array-end':
          if (event.key === undefined) {
            if (array && event.count === 0) {
              yield { problem: { source: array.source, message: 'an empty array: nothing to process' } };
            }
            array = undefined;
          } else if (object?.collecting) {
            object.members.push([event.key, object.collecting]);
            object.collecting = undefined;
          }
          break;
        case 'object-end':
          if (!object) break;
          if (!object.streamed || options.mode === 'collect') {
            yield* outputs(classifySafely(assemble(object.members), object.source, file));
          } else if (object.held) {
            yield itemDocument(object.source, object.held.item, object.held.kind);
          } else if (object.items === 0) {
            const kind = object.members.some(([key]) => key === 'Results')
              ? 'advanced-query-response'
              : 'config-api-response';
            yield { document: { source: object.source, file, kind, document: assemble(object.members), items: [] } };
          }
          object = undefined;
          break;
        case 'skipped': {
          const base = array?.source ?? object?.source ?? file;
          const at =
            event.index !== undefined
              ? `${base}#${event.key ? `${event.key}[${event.index}]` : event.index}`
              : event.key
                ? `${base}#${event.key}`
                : base;
          yield { problem: { source: at, message: event.reason } };
          break;
        }
      }
    }
  } catch (error) {
    const message =
      error instanceof JsonStreamError
        ? `not valid JSON (${error.message})`
        : `cannot read the file (${describe(error)})`;
    yield { problem: { source: file, message } };
  }
}
