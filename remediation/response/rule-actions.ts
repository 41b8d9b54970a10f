/**
 * bucketguard rule id -> the action that fixes it, read from each rule's own `remediation` field (rules/catalog.ts:
 * the rules as data, so the response Lambdas do not bundle any rule's evaluation code). A rule without an action
 * still routes: its findings are mailed by the notify Lambda.
 */
import { RULE_CATALOG } from '../../rules/catalog';
import { type ActionId, isActionId } from '../actions/action-definition';

export const RULE_ACTIONS: Readonly<Record<string, ActionId>> = Object.fromEntries(
  RULE_CATALOG.flatMap((rule) =>
    rule.remediation !== undefined && isActionId(rule.remediation) ? [[rule.id, rule.remediation]] : [],
  ),
);
