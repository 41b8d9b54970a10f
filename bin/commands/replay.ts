/**
 * `bucketguard replay [file|dir]...` (default `events`): recorded AWS Config rule invocations run through the REAL
 * rule handlers (createRuleHandler); recorded EventBridge / CloudTrail / alarm documents then run through the response
 * path (bin/offline/replay-response.ts). Both paths' AWS calls are answered in-process by the offline answerer
 * (bin/offline/answerer.ts) from one world built from the configuration items in the inputs. Prints what Config
 * would have recorded and what the response path would have done.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { RuleDefinition } from '../../model/rule-definition';
import type { ComplianceType } from '../../model/types';
import { parseTriggers } from '../../remediation/triggers/triggers';
import { findRule, RULES } from '../../rules';
import { createRuleHandler } from '../../rules/config-protocol/adapter';
import { parseInvocation } from '../../rules/config-protocol/config-event';
import { readExemptionsFile } from '../exemptions-file';
import { EXIT_ERROR, EXIT_OK } from '../exit-codes';
import type { CliIo, Command } from '../io';
import { type LoadedDocument, type LoadMessage, loadInputs, RESPONSE_KINDS } from '../load';
import { createOfflineClients, type OfflineClients } from '../offline/answerer';
import {
  type ReplayNotification,
  type ReplayPlan,
  type ReplayResult as ResponseReplay,
  replayResponse,
} from '../offline/replay-response';
import { createWorld, forkWorld, type OfflineWorld, takeEvaluations } from '../offline/world';
import { bundledEventsDir } from '../package-info';
import { parseFormat, parseOptions, type ResultRow, renderJson, resourceTypeLabel, summaryLine } from '../report';

const HELP = `Usage: bucketguard replay [file|dir]... [options]      (default: the events shipped with bucketguard)

Runs recorded AWS Config rule invocations through the real rule Lambda handlers, offline: the AWS calls they make
(GetResourceConfigHistory, ListDiscoveredResources, BatchGetResourceConfig, s3control GetPublicAccessBlock, S3 reads,
PutEvaluations) are answered in-process from the configuration items found in the inputs; nothing is sent to AWS.
The rule is the one named by configRuleName (e.g. bucketguard-s3-bucket-versioning-enabled), else every rule whose
scope includes the event's resource type. EventBridge events, CloudTrail records and CloudWatch alarm payloads run
through the response path (notifications and remediation plans, notify mode: nothing is changed).

Options:
  --format text|json   output format (default text)
  --json               same as --format json
  --verbose            text format: also print each notification's body
  --exemptions FILE    the approved exemption list (JSON): answered offline as the SSM parameter the rules and
                       the remediation read; without it nothing is exempt (a tag is only a request)

Exit codes: 0 done; 1 a rule invocation failed, or nothing could be replayed (every input was an error); 2 usage error.`;

/** One invocation x rule: what the handler reported, or why it failed. */
export interface InvocationRun {
  readonly source: string;
  readonly rule: string;
  readonly messageType: string;
  readonly testMode: boolean;
  readonly rows: readonly ResultRow[];
  readonly problem?: string;
  readonly error?: string;
}

export interface ReplayResult {
  readonly runs: InvocationRun[];
  readonly notifications: ReplayNotification[];
  readonly plans: ReplayPlan[];
  readonly problems: LoadMessage[];
  readonly notes: LoadMessage[];
  readonly itemCount: number;
  readonly responseEventCount: number;
}

/** Problems of inputs no responder would receive start with this; the text report lists them on their own. */
export const NOT_ROUTED = 'not routed: ';

/** The AWS source of each EventBridge detail-type bucketguard's rules match (infra/event-patterns.ts). */
const AWS_SOURCES: Readonly<Record<string, string>> = {
  'Config Rules Compliance Change': 'aws.config',
  'AWS API Call via CloudTrail': 'aws.s3',
  'CloudWatch Alarm State Change': 'aws.cloudwatch',
};

/**
 * Why a response-path document would reach neither responder, or undefined when it would: an EventBridge envelope
 * whose source or detail-type is not the AWS one bucketguard's rules match, or a document in which no trigger
 * parser finds anything (every part ignored). Such an input is a problem with the reason, never dropped silently.
 */
export function unroutedReason(document: unknown): string | undefined {
  const envelope = document as { readonly source?: unknown; readonly 'detail-type'?: unknown } | null;
  const detailType = envelope?.['detail-type'];
  if (typeof detailType === 'string') {
    const expected = Object.hasOwn(AWS_SOURCES, detailType) ? AWS_SOURCES[detailType] : undefined;
    if (expected === undefined) {
      return `EventBridge detail-type ${JSON.stringify(detailType)} (source ${JSON.stringify(envelope?.source ?? null)}) is none that bucketguard's rules match (${Object.keys(AWS_SOURCES).join(', ')})`;
    }
    if (envelope?.source !== expected) {
      return `EventBridge source ${JSON.stringify(envelope?.source ?? null)} is not ${expected}: bucketguard's rule for "${detailType}" would not deliver it`;
    }
  }
  const triggers = parseTriggers(document);
  if (triggers.length > 0 && triggers.every((trigger) => trigger.kind === 'ignored')) {
    return [...new Set(triggers.map((trigger) => (trigger.kind === 'ignored' ? trigger.reason : '')))].join('; ');
  }
  return undefined;
}

/** configRuleName -> that rule; else every rule whose scope includes the event's resource type (or periodic rules). */
export function rulesForInvocation(document: unknown): { rules: RuleDefinition[]; why?: string } {
  let invocation: ReturnType<typeof parseInvocation>;
  try {
    invocation = parseInvocation(document);
  } catch {
    // The handler will reject it with its own error; run one rule so that error is shown.
    return { rules: RULES.slice(0, 1) };
  }
  const named = invocation.configRuleName ? findRule(invocation.configRuleName) : undefined;
  if (named) return { rules: [named] };
  const event = invocation.invokingEvent;
  let resourceType: string | undefined;
  if (event.kind === 'change' && typeof event.configurationItem === 'object' && event.configurationItem !== null) {
    const type = (event.configurationItem as { resourceType?: unknown }).resourceType;
    resourceType = typeof type === 'string' ? type : undefined;
  } else if (event.kind === 'oversized') {
    resourceType = event.summary?.resourceType;
  }
  const rules =
    event.kind === 'scheduled'
      ? RULES.filter((rule) => rule.triggers.periodic !== undefined)
      : RULES.filter((rule) => resourceType !== undefined && rule.resourceTypes.some((t) => t === resourceType));
  const name = invocation.configRuleName
    ? `configRuleName "${invocation.configRuleName}" names no bucketguard rule`
    : 'no configRuleName';
  return rules.length > 0
    ? { rules }
    : { rules: [], why: `${name}, and no rule's scope includes ${resourceType ?? `a ${event.messageType}`}` };
}

const silentLogger = (): Logger => new Logger({ serviceName: 'bucketguard-replay', logLevel: 'SILENT' });

async function runInvocation(
  document: LoadedDocument,
  rule: RuleDefinition,
  world: OfflineWorld,
  clients: OfflineClients,
  now: Date,
): Promise<InvocationRun> {
  const handler = createRuleHandler(rule, {
    clients: () => clients,
    now: () => now,
    logger: silentLogger(),
    retry: { attempts: 1, baseDelayMs: 0 },
    sleep: async () => {},
  });
  takeEvaluations(world);
  const rowsFrom = (): ResultRow[] =>
    takeEvaluations(world).flatMap(({ evaluations }) =>
      evaluations.map((evaluation) => {
        const resourceId = evaluation.ComplianceResourceId ?? '';
        const accountId =
          world.buckets.get(resourceId)?.accountId ??
          (world.accounts.has(resourceId) || evaluation.ComplianceResourceType === 'AWS::::Account'
            ? resourceId
            : undefined) ??
          accountOf(document.document);
        return {
          resourceType: evaluation.ComplianceResourceType ?? '',
          resourceId,
          accountId: accountId ?? null,
          rule: rule.id,
          compliance: (evaluation.ComplianceType ?? 'NOT_APPLICABLE') as ComplianceType,
          annotation: evaluation.Annotation ?? '',
          source: document.source,
        };
      }),
    );
  try {
    const report = await handler(document.document);
    return {
      source: document.source,
      rule: rule.id,
      messageType: report.messageType,
      testMode: report.testMode,
      rows: rowsFrom(),
      ...(report.problem ? { problem: report.problem } : {}),
    };
  } catch (error) {
    return {
      source: document.source,
      rule: rule.id,
      messageType: messageTypeOf(document.document),
      testMode: false,
      rows: rowsFrom(),
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

function accountOf(document: unknown): string | undefined {
  const id = (document as { accountId?: unknown } | null)?.accountId;
  return typeof id === 'string' ? id : undefined;
}

function messageTypeOf(document: unknown): string {
  try {
    return parseInvocation(document).invokingEvent.messageType;
  } catch {
    return '(invalid invocation)';
  }
}

/** Where `--exemptions` puts the list in the offline world when an invocation names no parameter of its own. */
export const REPLAY_EXEMPTIONS_PARAMETER = '/bucketguard/replay/exemptions';

/**
 * The invocation as the deployment would send it with an approved list: its own `exemptionsParameter` (answered
 * with the file) or the replay one. Parameters that are not a JSON object are left as they are (the rule says why).
 */
function withExemptionsParameter(document: LoadedDocument, world: OfflineWorld, text: string): LoadedDocument {
  const event = document.document as { ruleParameters?: unknown } | null;
  if (event === null || typeof event !== 'object') return document;
  let parameters: unknown = event.ruleParameters ?? {};
  if (typeof parameters === 'string') {
    try {
      parameters = parameters.trim() === '' ? {} : JSON.parse(parameters);
    } catch {
      return document;
    }
  }
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) return document;
  const given = (parameters as Record<string, unknown>).exemptionsParameter;
  const name = typeof given === 'string' && given.startsWith('/') ? given : REPLAY_EXEMPTIONS_PARAMETER;
  world.parameters.set(name, text);
  const ruleParameters = JSON.stringify({ ...parameters, exemptionsParameter: name });
  return { ...document, document: { ...event, ruleParameters } };
}

/** The whole replay, without printing: used by the command and by tests. */
export async function replayInputs(
  paths: readonly string[],
  now: Date = new Date(),
  options: { readonly exemptionsText?: string } = {},
): Promise<ReplayResult> {
  const loaded = await loadInputs(paths);
  const problems: LoadMessage[] = [...loaded.problems];
  const notes: LoadMessage[] = [...loaded.notes];
  const world = createWorld({ items: loaded.documents.flatMap((document) => document.items) });
  const clients = createOfflineClients(world);
  const exemptionsText = options.exemptionsText;
  if (exemptionsText !== undefined) world.parameters.set(REPLAY_EXEMPTIONS_PARAMETER, exemptionsText);

  const runs: InvocationRun[] = [];
  const responseDocuments: LoadedDocument[] = [];
  for (const document of loaded.documents) {
    if (!RESPONSE_KINDS.has(document.kind)) continue;
    const why = unroutedReason(document.document);
    if (why === undefined) responseDocuments.push(document);
    else problems.push({ source: document.source, message: `${NOT_ROUTED}${why}` });
  }
  for (const document of loaded.documents) {
    if (document.kind !== 'config-rule-invocation') continue;
    const { rules, why } = rulesForInvocation(document.document);
    if (rules.length === 0) notes.push({ source: document.source, message: `skipped: ${why}` });
    const invocation =
      exemptionsText === undefined ? document : withExemptionsParameter(document, world, exemptionsText);
    for (const rule of rules) runs.push(await runInvocation(invocation, rule, world, clients, now));
  }

  const notifications: ReplayNotification[] = [];
  const plans: ReplayPlan[] = [];
  if (responseDocuments.length > 0) {
    // The rule path only read the world; this copy is where every isolated retry below starts from.
    const recorded = forkWorld(world);
    const events = responseDocuments.map((document) => ({ source: document.source, document: document.document }));
    const exemptionsOption = exemptionsText === undefined ? {} : { exemptionsParameter: REPLAY_EXEMPTIONS_PARAMETER };
    const collect = (result: ResponseReplay) => {
      notifications.push(...result.notifications);
      plans.push(...result.plans);
      problems.push(...result.problems);
    };
    try {
      // All at once and in order: a later CloudTrail call sees the state an earlier one left.
      collect(await replayResponse(events, world, { mode: 'notify', ...exemptionsOption }));
    } catch {
      // Isolate the document that breaks it; the others still replay.
      for (const event of events) {
        try {
          collect(await replayResponse([event], forkWorld(recorded), { mode: 'notify', ...exemptionsOption }));
        } catch (error) {
          const message = (error as { message?: unknown } | null)?.message;
          problems.push({ source: event.source, message: `response path failed: ${String(message ?? error)}` });
        }
      }
    }
  }
  return {
    runs,
    notifications,
    plans,
    problems,
    notes,
    itemCount: world.itemCount,
    responseEventCount: responseDocuments.length,
  };
}

function renderText(result: ReplayResult, verbose: boolean): string {
  const out: string[] = [];
  const rows = result.runs.flatMap((run) => run.rows);
  out.push(
    `Replayed ${new Set(result.runs.map((r) => r.source)).size} Config rule invocation(s) and ${result.responseEventCount} response-path event(s); ` +
      `${result.itemCount} recorded configuration item(s) answered the AWS calls.`,
  );
  const complianceWidth = 'NOT_APPLICABLE'.length;
  const typeWidth = Math.max(0, ...rows.map((row) => resourceTypeLabel(row.resourceType).length));
  const idWidth = Math.max(0, ...rows.map((row) => row.resourceId.length));
  let source: string | undefined;
  for (const run of result.runs) {
    if (run.source !== source) {
      source = run.source;
      out.push('', run.source);
    }
    const flags = [run.messageType, ...(run.testMode ? ['TestMode'] : [])].join(', ');
    out.push(`  ${run.rule} (${flags})`);
    for (const row of run.rows) {
      out.push(
        `    ${row.compliance.padEnd(complianceWidth)}  ${resourceTypeLabel(row.resourceType).padEnd(typeWidth)}  ${row.resourceId.padEnd(idWidth)}  ${row.annotation}`.trimEnd(),
      );
    }
    if (run.rows.length === 0 && !run.error) out.push('    (no evaluations)');
    if (run.problem) out.push(`    note: ${run.problem}`);
    if (run.error) out.push(`    error: ${run.error}`);
  }
  if (result.notifications.length > 0 || result.plans.length > 0) {
    out.push('', 'Response path (notify mode: nothing is changed):');
    const sources = [...new Set([...result.notifications, ...result.plans].map((x) => x.source ?? ''))];
    for (const s of sources) {
      out.push(`  ${s}`);
      for (const n of result.notifications.filter((x) => x.source === s)) {
        out.push(`    email: ${n.subject}`);
        if (verbose) out.push(...n.body.split('\n').map((line) => `      | ${line}`.trimEnd()));
      }
      for (const p of result.plans.filter((x) => x.source === s)) {
        const changes = p.changes.length > 0 ? `: ${p.changes.join('; ')}` : '';
        out.push(`    ${p.action} ${p.target}: ${p.status}${changes}${p.reason ? ` (${p.reason})` : ''}`);
      }
    }
  }
  const skipped = result.notes.filter((n) => n.message.startsWith('skipped:'));
  if (skipped.length > 0) {
    out.push('', 'Skipped:');
    for (const n of skipped) out.push(`  ${n.source}: ${n.message.replace(/^skipped: /, '')}`);
  }
  const unrouted = result.problems.filter((p) => p.message.startsWith(NOT_ROUTED));
  const inputErrors = result.problems.filter((p) => !p.message.startsWith(NOT_ROUTED));
  if (unrouted.length > 0) {
    out.push('', 'Not routed (no bucketguard EventBridge rule or trigger would deliver these):');
    for (const p of unrouted) out.push(`  ${p.source}: ${p.message.slice(NOT_ROUTED.length)}`);
  }
  if (inputErrors.length > 0) {
    out.push('', 'Input errors:');
    for (const p of inputErrors) out.push(`  ${p.source}: ${p.message}`);
  }
  const errors = result.runs.filter((run) => run.error).length;
  out.push(
    '',
    `Summary: ${summaryLine(rows)}; ${result.notifications.length} notification(s); ${result.plans.length} remediation plan(s)` +
      (errors > 0 ? `; ${errors} invocation(s) failed` : '') +
      (unrouted.length > 0 ? `; ${unrouted.length} not routed` : '') +
      (inputErrors.length > 0 ? `; ${inputErrors.length} input error(s)` : ''),
  );
  return out.join('\n');
}

function report(io: CliIo, result: ReplayResult, format: 'text' | 'json', verbose: boolean): void {
  if (format === 'json') {
    io.out(
      renderJson(
        result.runs.flatMap((run) => run.rows),
        {
          notifications: result.notifications,
          plans: result.plans,
          invocations: result.runs.map(({ rows: _rows, ...run }) => run),
          problems: result.problems,
        },
      ),
    );
    return;
  }
  io.out(renderText(result, verbose));
}

export const replay: Command = async (args, io) => {
  const { values, positionals } = parseOptions(args, {
    format: { type: 'string' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
    exemptions: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const format = values.json ? 'json' : parseFormat(values.format, ['text', 'json', 'table'], 'text');
  const now = new Date();
  const exemptions = values.exemptions === undefined ? undefined : readExemptionsFile(values.exemptions, now);
  const result = await replayInputs(
    positionals.length > 0 ? positionals : [bundledEventsDir()],
    now,
    exemptions === undefined ? {} : { exemptionsText: exemptions.text },
  );
  report(io, result, format === 'json' ? 'json' : 'text', values.verbose === true);
  const processed = result.runs.length + result.notifications.length + result.plans.length;
  // A failed invocation is an evaluation Config would have lost: a script must see it, not only a reader.
  const failed = result.runs.some((run) => run.error !== undefined);
  return failed || (processed === 0 && result.problems.length > 0) ? EXIT_ERROR : EXIT_OK;
};
