/**
 * The lines of a tagging email (PutBucketTagging / DeleteBucketTagging): the exemption tag the call sets or removes,
 * which is only a request (issue 13), and what the deployment's approved list says of the bucket. The other tags are
 * only counted: they are not bucketguard's business.
 */
import type { Fact } from '../../model/types';
import type { RequestedChange } from '../triggers/finding';
import { field, untrusted } from './text';

const id = (value: string): string => untrusted(value);
const quoted = (value: string): string => untrusted(value, 'quoted');

export function tagLines(
  tags: Fact<Readonly<Record<string, string>> | null>,
  exemptionTag: string,
  approval: string | undefined,
): string[] {
  const approvalLines = field('Approval', approval ?? 'not looked up (no approved exemption list is configured)');
  if (!tags.known) return [...field('Tags', `not in the record (${id(tags.reason)})`), ...approvalLines];
  if (tags.value === null)
    return [...field('Tags', `all removed, ${id(exemptionTag)} included if it was set`), ...approvalLines];
  const untilKey = `${exemptionTag}-until`;
  const others = Object.keys(tags.value).filter((name) => name !== exemptionTag && name !== untilKey).length;
  const requested = tags.value[exemptionTag];
  const until = tags.value[untilKey];
  return [
    ...field(
      'Exemption',
      requested === undefined
        ? `no ${id(exemptionTag)} tag in the new tag set (an earlier request is withdrawn)`
        : `requested: ${id(exemptionTag)} = ${quoted(requested)}${until !== undefined ? ` until ${quoted(until)}` : ''}`,
    ),
    ...field('Other tags', String(others)),
    ...approvalLines,
  ];
}

/** "asked for an exemption of bucket b (tag bucketguard:exempt)"; `target` is already marked by the caller. */
export function tagHeadline(change: RequestedChange, target: string, exemptionTag: string): string {
  if (change.setting !== 'tagging' || !change.tags.known) return `changed the tags of bucket ${target}`;
  if (change.tags.value === null) return `deleted every tag of bucket ${target}`;
  return change.tags.value[exemptionTag] !== undefined
    ? `asked for an exemption of bucket ${target} (tag ${id(exemptionTag)})`
    : `replaced the tags of bucket ${target}`;
}
