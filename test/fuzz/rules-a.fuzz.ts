/** npm run fuzz: rule Lambda handlers 1-3 of the registry (the suite is described in harness/rule-handler-fuzz.ts). */
import { RULES } from '../../rules';
import { describeRuleHandlerFuzz } from './harness/rule-handler-fuzz';

describeRuleHandlerFuzz(RULES.slice(0, 3));
