/** The email for an "AWS API Call via CloudTrail" finding. Pure. */

import { describeBpa, describeVersioning, type Outcome } from '../actions/outcome';
import { type ApiCallFinding, type RequestedChange, targetName } from '../triggers/finding';
import { alertSection, outcomeTag, severityField } from './alerts';
import {
  bucketExemption,
  type Email,
  exemptionLines,
  type FormatContext,
  footer,
  id,
  markedActorName,
  quoted,
  remediationSection,
  render,
} from './format-parts';
import { markedAcl, markedPolicyLines } from './format-words';
import { tagHeadline, tagLines } from './tagging';
import { bucketConsoleUrl, cloudTrailEventConsoleUrl, field, isRegionCode, section, subjectLine } from './text';

function changeLines(change: RequestedChange, context: FormatContext): string[] {
  switch (change.setting) {
    case 'bucket-bpa':
    case 'account-bpa':
      if (!change.flags.known) return field('Requested', `not in the record (${id(change.flags.reason)})`);
      return change.flags.value === null
        ? field('Now', 'Block Public Access removed: all four flags off')
        : field('Requested', describeBpa(change.flags.value));
    case 'policy':
      if (!change.policy.known) return field('Policy', `not readable (${id(change.policy.reason)})`);
      if (change.policy.value === null) return field('Policy', 'deleted');
      return markedPolicyLines(change.policy.value).flatMap((line, index) => field(index === 0 ? 'Policy' : '', line));
    case 'acl':
      return [
        ...(change.canned ? field('Canned ACL', id(change.canned)) : []),
        ...field('Grants', change.acl.known ? markedAcl(change.acl.value) : `not readable (${id(change.acl.reason)})`),
      ];
    case 'versioning':
      return field(
        'Versioning',
        change.versioning.known ? id(describeVersioning(change.versioning.value)) : id(change.versioning.reason),
      );
    case 'ownership':
      if (!change.ownership.known) return field('Ownership', id(change.ownership.reason));
      return field(
        'Ownership',
        change.ownership.value === null ? 'controls deleted: ACLs are in force again' : id(change.ownership.value),
      );
    case 'bucket-created':
      return [
        ...(change.locationConstraint ? field('Location', id(change.locationConstraint)) : []),
        ...(change.canned ? field('Canned ACL', id(change.canned)) : []),
        ...(change.acl?.known && !change.canned ? field('Grants', markedAcl(change.acl.value)) : []),
        ...(change.ownership ? field('Ownership', id(change.ownership)) : []),
      ];
    case 'bucket-deleted':
      return [];
    case 'tagging':
      return tagLines(change.tags, context.exemptionTag, context.approval);
  }
}
function apiHeadline(finding: ApiCallFinding, exemptionTag: string): string {
  const actor = markedActorName(finding.actor);
  const target = id(targetName(finding.target));
  const change = finding.change;
  const text = ((): string => {
    switch (finding.eventName) {
      case 'PutBucketPublicAccessBlock':
        return `changed Block Public Access on bucket ${target}`;
      case 'DeleteBucketPublicAccessBlock':
        return `removed Block Public Access from bucket ${target}`;
      case 'PutAccountPublicAccessBlock':
        return `changed account-level Block Public Access in account ${target}`;
      case 'DeleteAccountPublicAccessBlock':
        return `removed account-level Block Public Access from account ${target}`;
      case 'PutBucketPolicy':
        return `put a bucket policy on ${target}`;
      case 'DeleteBucketPolicy':
        return `deleted the bucket policy of ${target}`;
      case 'PutBucketAcl':
        return change.setting === 'acl' && change.canned
          ? `set the ACL of ${target} to ${id(change.canned)}`
          : `changed the ACL of ${target}`;
      case 'PutBucketVersioning':
        return change.setting === 'versioning' && change.versioning.known
          ? `set versioning of ${target} to ${id(change.versioning.value.status)}`
          : `changed versioning of ${target}`;
      case 'PutBucketOwnershipControls':
        return change.setting === 'ownership' && change.ownership.known && change.ownership.value !== null
          ? `set Object Ownership of ${target} to ${id(change.ownership.value)}`
          : `changed Object Ownership of ${target}`;
      case 'DeleteBucketOwnershipControls':
        return `deleted the ownership controls of ${target} (ACLs apply again)`;
      case 'CreateBucket':
        return `created bucket ${target}`;
      case 'DeleteBucket':
        return `deleted bucket ${target}`;
      case 'PutBucketTagging':
      case 'DeleteBucketTagging':
        return tagHeadline(change, target, exemptionTag);
    }
  })();
  if (finding.error) return `${actor} tried ${id(finding.rawEventName)} on ${target}: ${id(finding.error.code)}`;
  return `${actor} ${text}`;
}

export function formatApiCall(finding: ApiCallFinding, outcomes: readonly Outcome[], context: FormatContext): Email {
  const headline = apiHeadline(finding, context.exemptionTag);
  const defaultTag = finding.error
    ? finding.error.code === 'AccessDenied'
      ? 'DENIED'
      : 'FAILED CALL'
    : finding.effect === 'loosens'
      ? 'ALERT'
      : 'CHANGE';
  const tag = outcomeTag(outcomes) ?? defaultTag;
  const region = finding.region;
  const what = [
    ...(finding.target.kind === 'bucket' ? field('Bucket', id(finding.target.bucket)) : []),
    ...field(
      'Account',
      finding.target.kind === 'account'
        ? id(finding.target.accountId)
        : finding.accountId
          ? id(finding.accountId)
          : 'not in the event',
    ),
    ...field('Region', region ? id(region) : 'not in the event'),
    ...field('API call', id(finding.rawEventName)),
    ...changeLines(finding.change, context),
    ...(finding.error
      ? field(
          'Error',
          `${id(finding.error.code)}${finding.error.message ? `: ${quoted(finding.error.message)}` : ''} (nothing changed)`,
        )
      : []),
    ...field('When', id(finding.time)),
  ];
  const actor = finding.actor;
  const identity = actor.arn ?? actor.invokedBy ?? actor.principalId;
  const who = [
    ...field('Identity', identity ? id(identity) : 'not in the record'),
    ...(actor.sessionIssuerArn ? field('Via role', id(actor.sessionIssuerArn)) : []),
    ...(actor.invokedBy && actor.arn ? field('Invoked by', id(actor.invokedBy)) : []),
    ...(actor.sourceIp ? field('Source IP', id(actor.sourceIp)) : []),
    ...(actor.userAgent ? field('User agent', quoted(actor.userAgent)) : []),
    ...(actor.mfaAuthenticated !== undefined ? field('MFA', actor.mfaAuthenticated ? 'yes' : 'no') : []),
  ];
  const links: string[] = [];
  if (finding.target.kind === 'bucket') links.push(...field('Bucket', bucketConsoleUrl(finding.target.bucket, region)));
  if (finding.eventId && isRegionCode(region))
    links.push(...field('CloudTrail', cloudTrailEventConsoleUrl(finding.eventId, region)));
  const noAction = finding.error ? undefined : 'none: no enabled action applies; review the change by hand.';
  const accountId = finding.target.kind === 'account' ? finding.target.accountId : finding.accountId;
  const bucket = finding.target.kind === 'bucket' ? finding.target.bucket : undefined;
  return {
    subject: subjectLine(tag, headline, bucket ? [bucket] : accountId ? [accountId] : []),
    facts: {
      verdict: tag,
      source: 'cloudtrail',
      ...(accountId ? { accountId } : {}),
      ...(region ? { region } : {}),
      ...(bucket ? { bucket } : {}),
    },
    body: render(headline, [
      alertSection(outcomes, context.recheck),
      section('What happened', what),
      section('Who', who),
      exemptionLines(bucketExemption(outcomes), context.exemptionTag),
      remediationSection(outcomes, noAction),
      section('Links', links),
      footer(context, finding.target.kind === 'bucket'),
    ]),
    ...severityField(outcomes),
  };
}
