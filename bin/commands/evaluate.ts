/**
 * `bucketguard evaluate <file|dir>...`: every configuration item in the inputs, evaluated by every rule (or
 * `--rules`) with default parameters, through the same pure code the Lambdas run. No AWS calls.
 */

import type { RuleDefinition } from '../../model/rule-definition';
import type { PublicAccessBlockFlags } from '../../model/types';
import { RULES } from '../../rules';
import { parseRuleParameters } from '../../rules/parameters';
import { evaluateAccount, evaluateBucket } from '../../rules/run-rule';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from '../exit-codes';
import { type CliIo, type Command, UsageError } from '../io';
import {
  accountBpaResolver,
  type LoadMessage,
  type LoadResult,
  loadInputs,
  normalizeDocuments,
  RESPONSE_KINDS,
} from '../load';
import {
  hasFindings,
  parseAccountBpaOption,
  parseFormat,
  parseOptions,
  parseRuleIds,
  REPORT_FORMATS,
  type ResultRow,
  renderReport,
} from '../report';
import { parseRuleParametersOption, type RuleParameters } from '../rule-parameters';

const HELP = `Usage: bucketguard evaluate <file|dir>... [options]

Evaluates every AWS Config configuration item found in the inputs (rule invocations, bare items in any model,
Config API responses, Config SNS notifications) with every rule, using each rule's default parameters unless
--rule-parameters gives the deployed ones.

Options:
  --format table|json|csv             output format (default table)
  --json                              same as --format json
  --rules <id,id>                     only these rules (ids as listed by infra / README)
  --account-public-access-block JSON  account-level Block Public Access to assume for every bucket, e.g.
                                      '{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":true}'
                                      (camelCase keys work too); overrides AccountPublicAccessBlock items in the inputs
  --rule-parameters JSON|@file        the deployed rules' parameters, {"<rule id>": {"<parameter>": "<value>"}}
                                      (the app's ruleParameters context value, the construct's ruleParameters)
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

/** The pure part of `evaluate`, reused by tests: loaded documents -> result rows. */
export function evaluateLoaded(
  loaded: LoadResult,
  rules: readonly RuleDefinition[],
  options: {
    readonly accountBpa?: PublicAccessBlockFlags;
    readonly now: Date;
    /** The deployed rules' parameters by rule id (--rule-parameters); absent = each rule's defaults. */
    readonly ruleParameters?: RuleParameters;
  },
): EvaluationOutcome {
  const { states, problems } = normalizeDocuments(loaded.documents);
  const notes: LoadMessage[] = [];
  for (const document of loaded.documents) {
    if (RESPONSE_KINDS.has(document.kind)) {
      notes.push({ source: document.source, message: `${document.kind}: not a configuration item (use replay)` });
    } else if (document.items.length === 0) {
      notes.push({ source: document.source, message: `${document.kind} carries no configuration item` });
    }
  }
  const params = new Map<string, unknown>(
    rules.map((rule) => [rule.id, parseRuleParameters(rule, options.ruleParameters?.[rule.id])]),
  );
  const accountBpaFor = accountBpaResolver(states, options.accountBpa);
  const rows: ResultRow[] = [];
  for (const loadedState of states) {
    const { state, source } = loadedState;
    if (state.kind === 'other') {
      notes.push({
        source,
        message: `${state.resourceType} ${state.resourceId}: no bucketguard rule evaluates this type`,
      });
      continue;
    }
    for (const rule of rules) {
      if (state.kind === 'bucket' && rule.target === 'bucket') {
        const context = { accountBpa: accountBpaFor(loadedState), now: options.now };
        const result = evaluateBucket(rule, state, params.get(rule.id), context);
        rows.push({ ...result, accountId: state.accountId ?? null, rule: rule.id, source });
      } else if (state.kind === 'account' && rule.target === 'account') {
        // A deleted item is already known(null) (the configuration was removed: all four flags off).
        const result = evaluateAccount(rule, state.accountId, state, params.get(rule.id), {
          accountBpa: state.publicAccessBlock,
          now: options.now,
        });
        rows.push({ ...result, accountId: state.accountId, rule: rule.id, source });
      }
    }
  }
  return { rows, problems, notes };
}

/** Notes and problems to stderr; a note repeated for many inputs (README files, ...) is said once with a count. */
export function reportMessages(
  io: CliIo,
  command: string,
  problems: readonly LoadMessage[],
  notes: readonly LoadMessage[],
) {
  const byMessage = new Map<string, string[]>();
  for (const note of notes) byMessage.set(note.message, [...(byMessage.get(note.message) ?? []), note.source]);
  for (const [message, sources] of byMessage) {
    if (sources.length <= 3)
      for (const source of sources) io.err(`bucketguard ${command}: note: ${source}: ${message}`);
    else
      io.err(`bucketguard ${command}: note: ${sources.length} inputs ${message} (${sources[0]}, ${sources[1]}, ...)`);
  }
  for (const problem of problems) io.err(`bucketguard ${command}: error: ${problem.source}: ${problem.message}`);
}

export const evaluate: Command = async (args, io) => {
  const { values, positionals } = parseOptions(args, {
    format: { type: 'string' },
    json: { type: 'boolean' },
    rules: { type: 'string' },
    'account-public-access-block': { type: 'string' },
    'rule-parameters': { type: 'string' },
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
  if (positionals.length === 0) throw new UsageError('give at least one file or directory to evaluate.');

  const loaded = await loadInputs(positionals);
  const outcome = evaluateLoaded(loaded, rules, {
    ...(accountBpa ? { accountBpa } : {}),
    ...(ruleParameters ? { ruleParameters } : {}),
    now: new Date(),
  });
  const problems = [...loaded.problems, ...outcome.problems];
  reportMessages(io, 'evaluate', problems, [...loaded.notes, ...outcome.notes]);
  io.out(renderReport(outcome.rows, format));
  if (problems.length > 0 && outcome.rows.length === 0) {
    io.err('bucketguard evaluate: nothing could be evaluated.');
    return EXIT_ERROR;
  }
  return values['fail-on-findings'] && hasFindings(outcome.rows) ? EXIT_FINDINGS : EXIT_OK;
};
