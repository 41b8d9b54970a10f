/**
 * Reads files and directories of recorded inputs and says what each document is (bin/classify.ts). Files are read
 * as streams (bin/file-documents.ts), gzipped or not, JSON or JSON Lines. A file that cannot be read or classified
 * is a problem for that file only.
 */
import { dirname } from 'node:path';
import { MalformedInputError, type NormalizedItem, normalizeConfigurationItem } from '../model/normalize';
import { type AccountBpaState, type Fact, known, type PublicAccessBlockFlags, unknown } from '../model/types';
import { withBatchGetTags } from '../rules/config-protocol/config-event';
import type { LoadedDocument, LoadMessage } from './classify';
import { type FileReadOptions, type FileReadStats, fileDocuments } from './file-documents';
import { type InputEntry, listInputFiles } from './input-files';

export {
  type Classified,
  classifyDocument,
  type DocumentKind,
  type LoadedDocument,
  type LoadMessage,
  RESPONSE_KINDS,
} from './classify';

export interface LoadResult {
  readonly documents: readonly LoadedDocument[];
  /** Inputs that could not be read or understood (reported; the rest is still processed). */
  readonly problems: readonly LoadMessage[];
  /** Files skipped on purpose (README, non-JSON files in a directory, a path reached twice). */
  readonly notes: readonly LoadMessage[];
  readonly filesRead: number;
}

/** Walks `paths` (files or directories, recursively, sorted by name) and classifies every JSON document, all held. */
export async function loadInputs(paths: readonly string[]): Promise<LoadResult> {
  const documents: LoadedDocument[] = [];
  const problems: LoadMessage[] = [];
  const notes: LoadMessage[] = [];
  let filesRead = 0;
  for (const entry of (await listInputFiles(paths)).entries) {
    if ('problem' in entry) problems.push(entry.problem);
    else if ('note' in entry) notes.push(entry.note);
    else {
      const stats: FileReadStats = { opened: false };
      for await (const output of fileDocuments(entry.file, { mode: 'collect' }, stats)) {
        if ('document' in output) documents.push(output.document);
        else if ('note' in output) notes.push(output.note);
        else problems.push(output.problem);
      }
      if (stats.opened) filesRead++;
    }
  }
  return { documents, problems, notes, filesRead };
}

/**
 * The documents of `files` one at a time (`stream` mode: a snapshot's items one by one), for callers that never hold
 * them all, in walking order (listInputFiles). Problems go to `onProblem`, notes to `onNote`; `onFileRead` is called
 * for each file that could be opened.
 */
export async function* streamDocuments(
  entries: readonly InputEntry[],
  options: FileReadOptions & {
    readonly onProblem: (problem: LoadMessage) => void;
    readonly onNote?: (note: LoadMessage) => void;
    readonly onFileRead?: () => void;
  },
): AsyncGenerator<LoadedDocument> {
  for (const entry of entries) {
    if ('problem' in entry) options.onProblem(entry.problem);
    else if ('note' in entry) options.onNote?.(entry.note);
    else {
      const stats: FileReadStats = { opened: false };
      for await (const output of fileDocuments(entry.file, options, stats)) {
        if ('document' in output) yield output.document;
        else if ('note' in output) options.onNote?.(output.note);
        else options.onProblem(output.problem);
      }
      if (stats.opened) options.onFileRead?.();
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Typed states from the loaded documents, and which account-level BPA applies to each bucket.

/** A configuration item from the inputs, normalised. */
export interface LoadedState {
  readonly state: NormalizedItem;
  readonly source: string;
  readonly file: string;
}

/** Normalises every configuration item the documents carry; a malformed item is a problem for its source only. */
export function normalizeDocuments(documents: readonly LoadedDocument[]): {
  readonly states: LoadedState[];
  readonly problems: LoadMessage[];
} {
  const states: LoadedState[] = [];
  const problems: LoadMessage[] = [];
  for (const document of documents) {
    document.items.forEach((item, index) => {
      const source = document.items.length > 1 ? `${document.source}#item${index}` : document.source;
      try {
        const state = normalizeConfigurationItem(item);
        const withTags =
          state.kind === 'bucket' && document.kind === 'config-api-response' ? withBatchGetTags(state, item) : state;
        states.push({ state: withTags, source, file: document.file });
      } catch (error) {
        const message = error instanceof MalformedInputError ? error.message : String(error);
        problems.push({ source, message: `malformed configuration item: ${message}` });
      }
    });
  }
  return { states, problems };
}

function captureMs(state: LoadedState): number {
  return state.state.captureTime ? Date.parse(state.state.captureTime) : 0;
}

/**
 * Which account-level BPA applies to a bucket from the inputs: `override` if given; else the account's
 * AWS::S3::AccountPublicAccessBlock item from the same file, else from the same directory (the latest capture
 * wins), else the only one in all the inputs; several that disagree, or none, leave it unknown with the reason.
 * A deleted item (configuration removed) is normalised to known(null): all four flags off.
 */
export function accountBpaResolver(
  states: readonly LoadedState[],
  override?: PublicAccessBlockFlags,
): (bucket: LoadedState) => Fact<PublicAccessBlockFlags | null> {
  if (override) return () => known(override);
  const accounts = states.filter((s): s is LoadedState & { state: AccountBpaState } => s.state.kind === 'account');
  const latest = (candidates: readonly (LoadedState & { state: AccountBpaState })[]) =>
    candidates.reduce((a, b) => (captureMs(b) >= captureMs(a) ? b : a));
  return (bucket) => {
    const accountId = bucket.state.accountId;
    if (!accountId) return unknown('not provided');
    const mine = accounts.filter((a) => a.state.accountId === accountId);
    if (mine.length === 0) return unknown('not provided');
    const sameFile = mine.filter((a) => a.file === bucket.file);
    if (sameFile.length > 0) return latest(sameFile).state.publicAccessBlock;
    const sameDir = mine.filter((a) => dirname(a.file) === dirname(bucket.file));
    if (sameDir.length > 0) return latest(sameDir).state.publicAccessBlock;
    const distinct = new Set(mine.map((a) => JSON.stringify(a.state.publicAccessBlock)));
    if (distinct.size === 1) return mine[0].state.publicAccessBlock;
    return unknown('several different account-level items in the inputs; use --account-public-access-block');
  };
}
