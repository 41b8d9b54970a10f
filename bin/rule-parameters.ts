/**
 * `--rule-parameters JSON|@file` (evaluate, scan, check-template): the deployed rules' parameters, in the shape of
 * the app's `ruleParameters` context value and the construct's `ruleParameters` prop,
 * `{"<rule id>": {"<parameter>": "<value>"}}`, so a local evaluation can match what is deployed. Checked up front
 * by each rule's own parser: a bad value is a usage error naming it, never a silent default.
 */
import { readFileSync } from 'node:fs';
import type { RuleDefinition } from '../model/rule-definition';
import { parseRuleParameters } from '../rules/parameters';
import { UsageError } from './io';

export type RuleParameters = Readonly<Record<string, Readonly<Record<string, string>>>>;

const SHAPE = '{"<rule id>": {"<parameter>": "<value>"}}';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** undefined -> undefined; else the parsed, validated parameters (UsageError otherwise). */
export function parseRuleParametersOption(
  raw: string | undefined,
  rules: readonly RuleDefinition[],
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): RuleParameters | undefined {
  if (raw === undefined) return undefined;
  let text = raw;
  if (raw.startsWith('@')) {
    try {
      text = readFile(raw.slice(1));
    } catch (error) {
      throw new UsageError(`--rule-parameters: cannot read ${raw.slice(1)} (${(error as Error).message}).`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--rule-parameters must be JSON like ${SHAPE} (${(error as Error).message}).`);
  }
  if (!isObject(parsed)) throw new UsageError(`--rule-parameters must be a JSON object like ${SHAPE}.`);
  const result: Record<string, Record<string, string>> = {};
  for (const [ruleId, values] of Object.entries(parsed)) {
    const rule = rules.find((r) => r.id === ruleId);
    if (!rule) {
      throw new UsageError(
        `--rule-parameters: unknown rule id "${ruleId}"; valid ids: ${rules.map((r) => r.id).join(', ')}.`,
      );
    }
    if (!isObject(values)) throw new UsageError(`--rule-parameters: "${ruleId}" must be an object of strings.`);
    const strings: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) {
      // Config passes strings; JSON scalars are accepted as cdk.json accepts them.
      if (typeof value === 'string') strings[name] = value;
      else if (typeof value === 'boolean' || typeof value === 'number') strings[name] = String(value);
      else throw new UsageError(`--rule-parameters: ${ruleId}.${name} must be a string.`);
    }
    try {
      parseRuleParameters(rule, strings);
    } catch (error) {
      throw new UsageError(`--rule-parameters: ${ruleId}: ${(error as Error).message}`);
    }
    result[ruleId] = strings;
  }
  return result;
}
