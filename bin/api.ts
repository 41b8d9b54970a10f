/**
 * The CLI's programmatic API (`import { checkTemplates } from 'bucketguard/cli'`): what each command does, without
 * printing. `main(argv)` runs a command as the `bucketguard` binary would and returns its exit code.
 */
export { main } from './cli';
export { checkTemplates, type TemplateCheck, type TemplateCheckOptions } from './commands/check-template';
export { type EvaluationOutcome, evaluateLoaded, selectRules } from './commands/evaluate';
export { type ReplayResult, replayInputs } from './commands/replay';
export { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './exit-codes';
export { type LoadMessage, type LoadResult, loadInputs } from './load';
export { type ReportFormat, type ResultRow, renderReport } from './report';
export { parseRuleParametersOption, type RuleParameters } from './rule-parameters';
export { loadTemplates, parseTemplateText } from './templates';
