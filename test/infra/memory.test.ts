/** Each function's memory size, as infra/function.ts explains it (init CPU scales with memory on Lambda). */
import { NOTIFY_MEMORY_MB, REMEDIATION_MEMORY_MB, RULE_MEMORY_MB } from '../../infra/function';
import { synthBucketGuard } from './helpers';

it('gives the rules 256 MB, the remediation Lambda 512 MB and the notify Lambda 256 MB', () => {
  const result = synthBucketGuard();
  const stack = result.json.Resources;
  const memoryOf = (fn: { function: { node: { defaultChild?: unknown } } }) => {
    const id = result.stack.getLogicalId(fn.function.node.defaultChild as never);
    return stack[id].Properties?.MemorySize;
  };
  expect([RULE_MEMORY_MB, REMEDIATION_MEMORY_MB, NOTIFY_MEMORY_MB]).toEqual([256, 512, 256]);
  for (const deployed of result.guard.rules) expect(memoryOf(deployed.function)).toBe(RULE_MEMORY_MB);
  expect(memoryOf(result.guard.remediation)).toBe(REMEDIATION_MEMORY_MB);
  expect(memoryOf(result.guard.notify)).toBe(NOTIFY_MEMORY_MB);
});
