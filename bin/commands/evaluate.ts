/**
 * `bucketguard evaluate <file|dir>...`: every configuration item in the inputs, evaluated by every rule (or
 * `--rules`) with default parameters, through the same pure code the Lambdas run. No AWS calls.
 */

import type { ApprovedExemptionContext } from '../../model/approved-exemptions';
import type { RuleDefinition } from '../../model/rule-definition';
import type { Fact, PublicAccessBlockFlags } from '../../model/types';
import { RULES } from '../../rules';
import { parseRuleParameters } from '../../rules/parameters';
import { evaluateAccount, evaluateBucket } from '../../rules/run-rule';
import { readExemptionsFile } from '../exemptions-file';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from '../exit-codes';
import { listInputFiles } from '../input-files';
import { type CliIo, type Command, UsageError } from '../io';
import {
  accountBpaResolver,
  type LoadedDocument,
  type LoadedState,
  type LoadMessage,
  type LoadResult,
  normalizeDocuments,
  RESPONSE_KINDS,
  streamDocuments,
} from '../load';
import {
  createReportWriter,
  isFinding,
  parseAccountBpaOption,
  parseFormat,
  parseOptions,
  parseRuleIds,
  REPORT_FORMATS,
  type ResultRow,
} from '../report';
import { parseRuleParametersOption, type RuleParameters } from '../rule-parameters';

const HELP = `Usage: bucketguard evaluate <file|dir>... [options]

Evaluates every AWS Config configuration item found in the inputs (rule invocations, bare items in any model,
Config API responses, Config snapshot files, Config SNS notifications) with every rule, using each rule's default
parameters unless --rule-parameters gives the deployed ones. Files are read as streams, item by item: .json, .json.gz (as Config delivers snapshots to S3) and JSON
Lines (.jsonl); a snapshot bigger than memory is fine. The report streams too (the table sizes its columns on the
first 1000 rows).

Options:
  --format table|json|csv             output format (default table)
  --json                              same as --format json
  --rules <id,id>                     only these rules (ids as listed by infra / README)
  --account-public-access-block JSON  account-level Block Public Access to assume for every bucket, e.g.
                                      '{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":true}'
                                      (camelCase keys work too); overrides AccountPublicAccessBlock items in the inputs
  --rule-parameters JSON|@file        the deployed rules' parameters, {"<rule id>": {"<parameter>": "<value>"}}
                                      (the app's ruleParameters context value, the construct's ruleParameters)
  --exemptions FILE                   the approved exemption list (JSON, as in the deployment's SSM parameter
                                      /bucketguard/<prefix>/exemptions); without it nothing is exempt and an
                                      exemption tag is reported as "Exemption requested, not approved"
  --fail-on-findings                  exit 3 when any result is NON_COMPLIANT or could not be decided
                                      (NOT_APPLICABLE "Could not evaluate: ..."), as in check-template and scan

Account-level BPA for a bucket otherwise comes from an AWS::S3::AccountPublicAccessBlock item of the same account:
in the same file, else the same directory, else the only one in the inputs; without one it is unknown and the
rules say so. Inputs that cannot be read are reported on stderr and skipped. Exit codes: 0 done, 1 input errors
and no result at all, 2 usage error, 3 findings with --fail-on-findings.`;

/** `--rules a,b` -> the rules, in registry order; UsageError naming the valid ids for an unknown one. */
export function selectRules(csv: string | undefined, all: readonly RuleDefinition[] = RULES): RuleDefinition[] {
  if (csv === undefined) return [...all];
  const wanted = parseRuleIds(
    csv,
    all.map((rule) => rule.id),
  );
  return all.filter((rule) => wanted.includes(rule.id));
}

export interface EvaluationOutcome {
  readonly rows: ResultRow[];
  readonly problems: LoadMessage[];
  readonly notes: LoadMessage[];
}

const ACCOUNT_BPA_TYPE = 'AWS::S3::AccountPublicAccessBlock';

/** Evaluates loaded states with the rules; shared by the whole-input and the streaming paths. */
class StateEvaluator {
  private readonly params: Map<string, unknown>;

  constructor(
    private readonly rules: readonly RuleDefinition[],
    private readonly accountBpaFor: (bucket: LoadedState) => Fact<PublicAccessBlockFlags | null>,
    private readonly now: Date,
    ruleParameters?: RuleParameters,
    private readonly exemptions?: ApprovedExemptionContext,
  ) {
    this.params = new Map<string, unknown>(
      rules.map((rule) => [rule.id, parseRuleParameters(rule, ruleParameters?.[rule.id])]),
    );
  }

  /** The notes a document earns by itself (a response-path event, or no item at all). */
  static documentNote(document: LoadedDocument): LoadMessage | undefined {
    if (RESPONSE_KINDS.has(document.kind)) {
      return { source: document.source, message: `${document.kind}: not a configuration item (use replay)` };
    }
    if (document.items.length === 0) {
      return { source: document.source, message: `${document.kind} carries no configuration item` };
    }
    return undefined;
  }

  /** The rows of one state; a note instead when no rule evaluates its type. */
  rows(loadedState: LoadedState): { readonly rows: ResultRow[]; readonly note?: LoadMessage } {
    const { state, source } = loadedState;
    if (state.kind === 'other') {
      return {
        rows: [],
        note: { source, message: `${state.resourceType} ${state.resourceId}: no bucketguard rule evaluates this type` },
      };
    }
    const rows: ResultRow[] = [];
    for (const rule of this.rules) {
      if (state.kind === 'bucket' && rule.target === 'bucket') {
        const context = {
          accountBpa: this.accountBpaFor(loadedState),
          now: this.now,
          ...(this.exemptions ? { exemptions: this.exemptions } : {}),
        };
        const result = evaluateBucket(rule, state, this.params.get(rule.id), context);
        rows.push({ ...result, accountId: state.accountId ?? null, rule: rule.id, source });
      } else if (state.kind === 'account' && rule.target === 'account') {
        // A deleted item is already known(null) (the configuration was removed: all four flags off).
        const result = evaluateAccount(rule, state.accountId, state, this.params.get(rule.id), {
          accountBpa: state.publicAccessBlock,
          now: this.now,
        });
        rows.push({ ...result, accountId: state.accountId, rule: rule.id, source });
      }
    }
    return { rows };
  }
}

/** The pure part of `evaluate` over inputs loaded whole: loaded documents -> result rows. */
export function evaluateLoaded(
  loaded: LoadResult,
  rules: readonly RuleDefinition[],
  options: {
    readonly accountBpa?: PublicAccessBlockFlags;
    readonly now: Date;
    /** The deployed rules' parameters by rule id (--rule-parameters); absent = each rule's defaults. */
    readonly ruleParameters?: RuleParameters;
    /** --exemptions: the approved list; absent = none approved (a tag is only a request). */
    readonly exemptions?: ApprovedExemptionContext;
  },
): EvaluationOutcome {
  const { states, problems } = normalizeDocuments(loaded.documents);
  const notes: LoadMessage[] = [];
  for (const document of loaded.documents) {
    const note = StateEvaluator.documentNote(document);
    if (note) notes.push(note);
  }
  const evaluator = new StateEvaluator(
    rules,
    accountBpaResolver(states, options.accountBpa),
    options.now,
    options.ruleParameters,
    options.exemptions,
  );
  const rows: ResultRow[] = [];
  for (const loadedState of states) {
    const evaluated = evaluator.rows(loadedState);
    rows.push(...evaluated.rows);
    if (evaluated.note) notes.push(evaluated.note);
  }
  return { rows, problems, notes };
}

/** Notes grouped by message as they come, at most MAX_NOTE_MESSAGES distinct ones (memory stays bounded). */
export class NoteLog {
  static readonly MAX_NOTE_MESSAGES = 1000;
  private readonly byMessage = new Map<string, { count: number; sources: string[] }>();
  private dropped = 0;

  add(note: LoadMessage): void {
    let entry = this.byMessage.get(note.message);
    if (!entry) {
      if (this.byMessage.size >= NoteLog.MAX_NOTE_MESSAGES) {
        this.dropped++;
        return;
      }
      entry = { count: 0, sources: [] };
      this.byMessage.set(note.message, entry);
    }
    entry.count++;
    if (entry.sources.length < 3) entry.sources.push(note.source);
  }

  /** The lines reportMessages prints for them. */
  lines(command: string): string[] {
    const lines: string[] = [];
    for (const [message, { count, sources }] of this.byMessage) {
      if (count <= 3) for (const source of sources) lines.push(`bucketguard ${command}: note: ${source}: ${message}`);
      else lines.push(`bucketguard ${command}: note: ${count} inputs ${message} (${sources[0]}, ${sources[1]}, ...)`);
    }
    if (this.dropped > 0) lines.push(`bucketguard ${command}: note: ${this.dropped} more notes not shown`);
    return lines;
  }
}

export interface StreamedEvaluation {
  readonly rows: number;
  readonly findings: boolean;
  readonly problems: readonly LoadMessage[];
  readonly notes: NoteLog;
  readonly filesRead: number;
}

/**
 * `evaluate` on inputs of any size: files are read as streams and every row goes to `onRow` as it is made; nothing
 * but the account-level BPA items, the problems and a bounded note log is kept. Without an override, the
 * AWS::S3::AccountPublicAccessBlock items are read first, in a pass that parses only the elements naming that type
 * (an account's setting may come after its buckets, as it does in a Config snapshot); then every item is evaluated.
 */
export async function evaluateStreaming(
  paths: readonly string[],
  rules: readonly RuleDefinition[],
  options: {
    readonly accountBpa?: PublicAccessBlockFlags;
    readonly now: Date;
    /** The deployed rules' parameters by rule id (--rule-parameters); absent = each rule's defaults. */
    readonly ruleParameters?: RuleParameters;
    /** --exemptions: the approved list; absent = none approved (a tag is only a request). */
    readonly exemptions?: ApprovedExemptionContext;
  },
  onRow: (row: ResultRow) => Promise<void>,
): Promise<StreamedEvaluation> {
  const { entries } = await listInputFiles(paths);
  const problems: LoadMessage[] = [];
  const notes = new NoteLog();
  const accountStates: LoadedState[] = [];
  if (!options.accountBpa) {
    const accountPass = streamDocuments(entries, {
      mode: 'stream',
      onlyContaining: ACCOUNT_BPA_TYPE,
      // The evaluation pass reports them.
      onProblem: () => undefined,
    });
    for await (const document of accountPass) {
      for (const loaded of normalizeDocuments([document]).states) {
        if (loaded.state.kind === 'account') accountStates.push(loaded);
      }
    }
  }
  const evaluator = new StateEvaluator(
    rules,
    accountBpaResolver(accountStates, options.accountBpa),
    options.now,
    options.ruleParameters,
    options.exemptions,
  );
  let rows = 0;
  let findings = false;
  let filesRead = 0;
  const documents = streamDocuments(entries, {
    mode: 'stream',
    onProblem: (problem) => problems.push(problem),
    onNote: (note) => notes.add(note),
    onFileRead: () => {
      filesRead++;
    },
  });
  for await (const document of documents) {
    const note = StateEvaluator.documentNote(document);
    if (note) notes.add(note);
    const normalized = normalizeDocuments([document]);
    problems.push(...normalized.problems);
    for (const loadedState of normalized.states) {
      const evaluated = evaluator.rows(loadedState);
      if (evaluated.note) notes.add(evaluated.note);
      for (const row of evaluated.rows) {
        rows++;
        if (isFinding(row)) findings = true;
        await onRow(row);
      }
    }
  }
  return { rows, findings, problems, notes, filesRead };
}

/** Notes and problems to stderr; a note repeated for many inputs (README files, ...) is said once with a count. */
export function reportMessages(
  io: CliIo,
  command: string,
  problems: readonly LoadMessage[],
  notes: readonly LoadMessage[] | NoteLog,
) {
  let log: NoteLog;
  if (notes instanceof NoteLog) {
    log = notes;
  } else {
    log = new NoteLog();
    for (const note of notes) log.add(note);
  }
  for (const line of log.lines(command)) io.err(line);
  for (const problem of problems) io.err(`bucketguard ${command}: error: ${problem.source}: ${problem.message}`);
}

export const evaluate: Command = async (args, io) => {
  const { values, positionals } = parseOptions(args, {
    format: { type: 'string' },
    json: { type: 'boolean' },
    rules: { type: 'string' },
    'account-public-access-block': { type: 'string' },
    'rule-parameters': { type: 'string' },
    exemptions: { type: 'string' },
    'fail-on-findings': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const format = values.json ? 'json' : parseFormat(values.format, REPORT_FORMATS, 'table');
  const rules = selectRules(values.rules);
  const accountBpa = parseAccountBpaOption(values['account-public-access-block']);
  const ruleParameters = parseRuleParametersOption(values['rule-parameters'], RULES);
  const now = new Date();
  const exemptions = values.exemptions === undefined ? undefined : readExemptionsFile(values.exemptions, now).context;
  if (positionals.length === 0) throw new UsageError('give at least one file or directory to evaluate.');

  const writer = createReportWriter(format, io.write ?? io.out);
  const outcome = await evaluateStreaming(
    positionals,
    rules,
    {
      ...(accountBpa ? { accountBpa } : {}),
      ...(ruleParameters ? { ruleParameters } : {}),
      ...(exemptions ? { exemptions } : {}),
      now,
    },
    writer.add,
  );
  await writer.end();
  reportMessages(io, 'evaluate', outcome.problems, outcome.notes);
  if (outcome.problems.length > 0 && outcome.rows === 0) {
    io.err('bucketguard evaluate: nothing could be evaluated.');
    return EXIT_ERROR;
  }
  return values['fail-on-findings'] && outcome.findings ? EXIT_FINDINGS : EXIT_OK;
};
