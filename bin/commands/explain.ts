/**
 * `bucketguard explain <file|dir>...`: for each bucket in the inputs, S3's public-access verdict layer by layer
 * (account BPA, bucket BPA, Object Ownership, ACL, policy), with what each layer does and any caveat.
 */
import { analyseExposure, uncertainLayers } from '../../exposure/bucket-exposure';
import { ACCESS_TYPES, type BucketState, type Exposure } from '../../model/types';
import { describeAccessTypes } from '../../model/wording';
import { EXIT_ERROR, EXIT_OK } from '../exit-codes';
import { type Command, UsageError } from '../io';
import { accountBpaResolver, type LoadedState, loadInputs, normalizeDocuments } from '../load';
import { parseAccountBpaOption, parseFormat, parseOptions } from '../report';
import { reportMessages } from './evaluate';

const HELP = `Usage: bucketguard explain <file|dir>... [options]

Shows, for every bucket configuration item in the inputs, whether S3 would treat the bucket as public and why:
each layer (account-level BPA, bucket-level BPA, Object Ownership, ACL, bucket policy) with what it does.
A directory may hold the bucket's item and its account's AWS::S3::AccountPublicAccessBlock item.

Options:
  --format text|json                  output format (default text)
  --json                              same as --format json
  --account-public-access-block JSON  account-level Block Public Access to assume (see evaluate --help)

Exit codes: 0 done (public buckets or not); 1 input errors and no bucket at all; 2 usage error.`;

export interface ExplainedBucket {
  readonly resourceId: string;
  readonly accountId: string | null;
  readonly source: string;
  readonly public: boolean;
  readonly read: boolean;
  readonly write: boolean;
  readonly list: boolean;
  readonly readAcp: boolean;
  readonly writeAcp: boolean;
  readonly layers: readonly { readonly layer: string; readonly effect: string; readonly detail: string }[];
  /** Unknown inputs and [open] semantics that affected the verdict. */
  readonly caveats: readonly string[];
  /** Unknown layers that could flip the verdict; empty when it is certain. */
  readonly uncertainLayers: readonly string[];
}

export function explainBucket(loaded: LoadedState, exposure: Exposure): ExplainedBucket {
  const state = loaded.state;
  if (state.kind !== 'bucket') throw new TypeError('explainBucket needs a bucket state');
  return {
    resourceId: state.name,
    accountId: state.accountId ?? null,
    source: loaded.source,
    public: exposure.public,
    read: exposure.access.read.public,
    write: exposure.access.write.public,
    list: exposure.access.list.public,
    readAcp: exposure.access.readAcp.public,
    writeAcp: exposure.access.writeAcp.public,
    layers: exposure.layers.map((layer) => ({ layer: layer.layer, effect: layer.effect, detail: layer.detail })),
    caveats: exposure.caveats,
    uncertainLayers: uncertainLayers(exposure),
  };
}

export function renderExplanation(bucket: ExplainedBucket): string {
  const publicTypes = ACCESS_TYPES.filter((type) => bucket[type]);
  const verdict = bucket.public ? `PUBLIC: ${describeAccessTypes(publicTypes)}` : 'not public';
  const uncertain =
    bucket.uncertainLayers.length > 0 ? ` (uncertain: ${bucket.uncertainLayers.join(', ')} could not be read)` : '';
  const width = Math.max(...bucket.layers.map((layer) => layer.layer.length));
  const effectWidth = Math.max(...bucket.layers.map((layer) => layer.effect.length));
  const lines = [
    `${bucket.resourceId}${bucket.accountId ? ` (account ${bucket.accountId})` : ''}  ${bucket.source}`,
    `  verdict: ${verdict}${uncertain}`,
    ...bucket.layers.map(
      (layer) => `  ${layer.layer.padEnd(width)}  ${layer.effect.padEnd(effectWidth)}  ${layer.detail}`,
    ),
    ...bucket.caveats.map((caveat) => `  caveat: ${caveat}`),
  ];
  return lines.join('\n');
}

export const explain: Command = async (args, io) => {
  const { values, positionals } = parseOptions(args, {
    format: { type: 'string' },
    json: { type: 'boolean' },
    'account-public-access-block': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const format = values.json ? 'json' : parseFormat(values.format, ['text', 'json', 'table'], 'text');
  const override = parseAccountBpaOption(values['account-public-access-block']);
  if (positionals.length === 0) throw new UsageError('give at least one file or directory to explain.');

  const loaded = await loadInputs(positionals);
  const { states, problems } = normalizeDocuments(loaded.documents);
  const accountBpaFor = accountBpaResolver(states, override);
  const buckets = states
    .filter((s): s is LoadedState & { readonly state: BucketState } => s.state.kind === 'bucket')
    .map((s) => explainBucket(s, analyseExposure(s.state, accountBpaFor(s))));
  const allProblems = [...loaded.problems, ...problems];
  reportMessages(io, 'explain', allProblems, loaded.notes);
  if (format === 'json') {
    io.out(JSON.stringify({ buckets }, null, 2));
  } else {
    io.out(buckets.length > 0 ? buckets.map(renderExplanation).join('\n\n') : 'No bucket configuration items found.');
    if (buckets.length > 0) {
      const publicCount = buckets.filter((b) => b.public).length;
      io.out(`\n${buckets.length} bucket${buckets.length === 1 ? '' : 's'} explained: ${publicCount} public.`);
    }
  }
  return allProblems.length > 0 && buckets.length === 0 ? EXIT_ERROR : EXIT_OK;
};
