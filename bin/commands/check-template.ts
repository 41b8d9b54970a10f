/**
 * `bucketguard check-template <template.json|template.yaml|cdk.out/>...`: the S3 buckets and bucket policies of
 * CloudFormation templates, judged before anything is deployed by the same rules and exposure code as the Config
 * Lambdas (model/normalize-cloudformation.ts, rules/evaluate-template.ts). Same report formats and exit codes as
 * `evaluate`; each row's source is `<template file>#<logical id>`.
 */

import { COULD_NOT_EVALUATE_PREFIX } from '../../model/annotation';
import { isAccountId } from '../../model/arn';
import { MalformedInputError, type ResolveOptions, readTemplate } from '../../model/normalize-cloudformation';
import { known, type PublicAccessBlockFlags, unknown } from '../../model/types';
import { RULES } from '../../rules';
import { evaluateTemplate } from '../../rules/evaluate-template';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from '../exit-codes';
import { type Command, UsageError } from '../io';
import type { LoadMessage } from '../load';
import {
  hasFindings,
  parseAccountBpaOption,
  parseFormat,
  parseOptions,
  REPORT_FORMATS,
  type ResultRow,
  renderJson,
  renderReport,
} from '../report';
import { parseRuleParametersOption, type RuleParameters } from '../rule-parameters';
import { loadTemplates } from '../templates';
import { reportMessages, selectRules } from './evaluate';

const HELP = `Usage: bucketguard check-template <template.json|template.yaml|cdk.out/>... [options]

Finds every AWS::S3::Bucket and AWS::S3::BucketPolicy in CloudFormation templates (JSON, or YAML with short-form
intrinsics such as !Ref and !Sub; a directory is searched, e.g. a CDK app's cdk.out/), resolves what the template
fixes by itself (Ref and Fn::GetAtt to its own resources, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap,
Fn::If and Conditions, parameters' defaults) and evaluates every bucket with the bucket rules, as deployed rules
would. What cannot be resolved before deploy is unknown: the rules that need it say "Could not evaluate"
(INSUFFICIENT_DATA), never a guess.

Options:
  --format table|json|csv             output format (default table)
  --json                              same as --format json
  --rules <id,id>                     only these rules
  --rule-parameters JSON|@file        the deployed rules' parameters, {"<rule id>": {"<parameter>": "<value>"}}
  --account-public-access-block JSON  the target account's account-level Block Public Access (CloudFormation has no
                                      resource for it; without this option it is unknown and the rules say so)
  --account-id ID                     the target account (AWS::AccountId); unresolved without it
  --region REGION                     the target Region (AWS::Region); unresolved without it
  --parameter KEY=VALUE               a template parameter's value instead of its default (repeatable)
  --fail-on-findings                  exit 3 when any result is NON_COMPLIANT or could not be decided

Exit codes: 0 done (findings or not); 1 input errors and no result at all; 2 usage error; 3 findings with
--fail-on-findings.`;

export interface TemplateCheck {
  readonly rows: ResultRow[];
  readonly problems: LoadMessage[];
  readonly notes: LoadMessage[];
}

export interface TemplateCheckOptions {
  readonly rules?: typeof RULES;
  readonly ruleParameters?: RuleParameters;
  readonly accountBpa?: PublicAccessBlockFlags;
  readonly resolve?: ResolveOptions;
  readonly now?: Date;
}

/** The whole check without printing (tests, the programmatic API): template files -> result rows. */
export async function checkTemplates(
  paths: readonly string[],
  options: TemplateCheckOptions = {},
): Promise<TemplateCheck> {
  const loaded = await loadTemplates(paths);
  const problems = [...loaded.problems];
  const notes = [...loaded.notes];
  const rows: ResultRow[] = [];
  for (const { file, template } of loaded.templates) {
    let reading: ReturnType<typeof readTemplate>;
    try {
      reading = readTemplate(template, options.resolve);
    } catch (error) {
      problems.push({ source: file, message: error instanceof MalformedInputError ? error.message : String(error) });
      continue;
    }
    for (const note of reading.notes) notes.push({ source: file, message: note });
    for (const bucket of reading.buckets) {
      for (const note of bucket.notes) notes.push({ source: `${file}#${bucket.logicalId}`, message: note });
    }
    if (reading.buckets.length === 0) notes.push({ source: file, message: 'no AWS::S3::Bucket in this template' });
    const findings = evaluateTemplate(reading, {
      rules: options.rules ?? RULES,
      ...(options.ruleParameters ? { ruleParameters: options.ruleParameters } : {}),
      accountBpa:
        options.accountBpa !== undefined
          ? known(options.accountBpa)
          : unknown('not in a CloudFormation template: pass --account-public-access-block'),
      now: options.now ?? new Date(),
    });
    for (const finding of findings) {
      // As scan: a result the template cannot decide is INSUFFICIENT_DATA, not a pass.
      const undecided =
        finding.compliance === 'NOT_APPLICABLE' && finding.annotation.startsWith(COULD_NOT_EVALUATE_PREFIX);
      rows.push({
        resourceType: finding.resourceType,
        resourceId: finding.resourceId,
        accountId: options.resolve?.accountId ?? null,
        rule: finding.rule,
        compliance: undecided ? 'INSUFFICIENT_DATA' : finding.compliance,
        annotation: finding.annotation,
        source: `${file}#${finding.logicalId}`,
      });
    }
  }
  return { rows, problems, notes };
}

function templateParameters(entries: readonly string[] | undefined): Record<string, string> | undefined {
  if (!entries || entries.length === 0) return undefined;
  const parameters: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at < 1) throw new UsageError(`--parameter must be KEY=VALUE; received "${entry}".`);
    parameters[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return parameters;
}

export const checkTemplate: Command = async (args, io) => {
  const { values, positionals } = parseOptions(args, {
    format: { type: 'string' },
    json: { type: 'boolean' },
    rules: { type: 'string' },
    'rule-parameters': { type: 'string' },
    'account-public-access-block': { type: 'string' },
    'account-id': { type: 'string' },
    region: { type: 'string' },
    parameter: { type: 'string', multiple: true },
    'fail-on-findings': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const format = values.json ? 'json' : parseFormat(values.format, REPORT_FORMATS, 'table');
  const rules = selectRules(values.rules);
  const ruleParameters = parseRuleParametersOption(values['rule-parameters'], RULES);
  const accountBpa = parseAccountBpaOption(values['account-public-access-block']);
  const accountId = values['account-id'];
  if (accountId !== undefined && !isAccountId(accountId)) {
    throw new UsageError(`--account-id must be 12 digits; received "${accountId}".`);
  }
  const parameters = templateParameters(values.parameter);
  if (positionals.length === 0) throw new UsageError('give at least one template file or directory.');

  const check = await checkTemplates(positionals, {
    rules,
    ...(ruleParameters ? { ruleParameters } : {}),
    ...(accountBpa ? { accountBpa } : {}),
    resolve: {
      ...(accountId ? { accountId } : {}),
      ...(values.region ? { region: values.region } : {}),
      ...(parameters ? { parameters } : {}),
    },
  });
  if (format === 'json') {
    io.out(renderJson(check.rows, { notes: check.notes, problems: check.problems }));
  } else {
    reportMessages(io, 'check-template', check.problems, check.notes);
    io.out(renderReport(check.rows, format));
  }
  if (check.problems.length > 0 && check.rows.length === 0) {
    io.err('bucketguard check-template: nothing could be checked.');
    return EXIT_ERROR;
  }
  return values['fail-on-findings'] && hasFindings(check.rows) ? EXIT_FINDINGS : EXIT_OK;
};
