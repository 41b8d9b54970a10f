import { createRuleHandler } from '../config-protocol/adapter';
import { rule } from '.';

/** The Lambda entry point: the rule bound to the shared AWS Config adapter. */
export const handler = createRuleHandler(rule);
