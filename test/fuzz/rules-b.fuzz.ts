/** npm run fuzz: rule Lambda handlers 4-6 of the registry (the suite is described in harness/rule-handler-fuzz.ts). */
import { RULES } from '../../rules';
import { describeRuleHandlerFuzz } from './harness/rule-handler-fuzz';

describeRuleHandlerFuzz(RULES.slice(3));
