/**
 * CloudFormation templates -> the same BucketState the rules evaluate for AWS Config items and live reads, so a
 * template is judged before deploy by the same rules and exposure code. Reads every AWS::S3::Bucket (canned
 * AccessControl, PublicAccessBlockConfiguration, OwnershipControls, VersioningConfiguration, Tags) and the
 * AWS::S3::BucketPolicy resources attached to it (Bucket by Ref, name, Sub or Join). Intrinsics are resolved
 * statically (model/cloudformation-resolve.ts); a setting that cannot be resolved becomes unknown with the reason,
 * so the rules say "Could not evaluate" for it rather than guess. Pure.
 *
 * CloudFormation has no resource for account-level Block Public Access: the caller supplies it (or it is unknown).
 */
import {
  bucketNameOf,
  conditionHolds,
  DEPLOYMENT_ACCOUNT,
  DEPLOYMENT_ACCOUNT_LABEL,
  type ResolveOptions,
  resolvePolicyDocument,
  resolveValue,
  type TemplateContext,
  templateContext,
  Unresolved,
} from './cloudformation-resolve';
import { describeValue, isJsonObject, type JsonObject, MalformedInputError } from './normalize-json';
import {
  parseLoggingConfiguration,
  parseOwnershipControls,
  parsePublicAccessBlockFlags,
  parseVersioning,
} from './normalize-parts';
import { parsePolicyDocument } from './normalize-policy';
import {
  type AclGrant,
  type BucketAcl,
  type BucketLogging,
  type BucketPolicy,
  type BucketState,
  type Fact,
  known,
  type ObjectOwnership,
  type PublicAccessBlockFlags,
  unknown,
  type VersioningState,
} from './types';

export type { ResolveOptions } from './cloudformation-resolve';
export { DEPLOYMENT_ACCOUNT, DEPLOYMENT_ACCOUNT_LABEL } from './cloudformation-resolve';
export { MalformedInputError } from './normalize-json';

export const BUCKET_POLICY_RESOURCE_TYPE = 'AWS::S3::BucketPolicy';

/** One bucket of a template, with what the reader noted about it (defaults used, conditions, unresolved parts). */
export interface TemplateBucket {
  readonly logicalId: string;
  readonly state: BucketState;
  readonly notes: readonly string[];
}

export interface TemplateReading {
  readonly buckets: readonly TemplateBucket[];
  /** About the template as a whole: parameter defaults used, policies attached to no bucket of the template. */
  readonly notes: readonly string[];
}

/** The bucket ACL each CloudFormation canned `AccessControl` value gives (S3 User Guide, "Canned ACL"). */
const CANNED_ACLS: Readonly<Record<string, readonly AclGrant[]>> = {
  Private: [],
  // "If you specify this canned ACL when creating a bucket, Amazon S3 ignores it": owner only.
  BucketOwnerRead: [],
  BucketOwnerFullControl: [],
  PublicRead: [{ grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ' }],
  PublicReadWrite: [
    { grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ' },
    { grantee: { kind: 'group', group: 'AllUsers' }, permission: 'WRITE' },
  ],
  AuthenticatedRead: [{ grantee: { kind: 'group', group: 'AuthenticatedUsers' }, permission: 'READ' }],
  LogDeliveryWrite: [
    { grantee: { kind: 'group', group: 'LogDelivery' }, permission: 'WRITE' },
    { grantee: { kind: 'group', group: 'LogDelivery' }, permission: 'READ_ACP' },
  ],
  AwsExecRead: [{ grantee: { kind: 'unrecognised', raw: 'Amazon EC2 (canned ACL AwsExecRead)' }, permission: 'READ' }],
};

export const NOT_SET_BPA =
  'PublicAccessBlockConfiguration is not set in the template: evaluated as no bucket-level Block Public Access (S3 turns all four flags on for buckets it creates, but the template does not say so).';
export const NOT_SET_OWNERSHIP =
  'OwnershipControls is not set in the template: evaluated as ACLs enabled (S3 disables ACLs on buckets it creates, but the template does not say so).';

function fact<T>(what: string, raw: unknown, context: TemplateContext, read: (value: unknown) => T): Fact<T> {
  const resolved = resolveValue(raw, context);
  if (resolved instanceof Unresolved) return unknown(`${what} not resolvable before deploy (${resolved.reason})`);
  try {
    return known(read(resolved));
  } catch (error) {
    const message = error instanceof MalformedInputError ? error.message : String(error);
    return unknown(`${what} in the template is malformed: ${message}`);
  }
}

/** CloudFormation's LoggingConfiguration without DestinationBucketName logs into the bucket itself. */
function withOwnDestination(value: unknown, name: string): unknown {
  if (!isJsonObject(value) || value.DestinationBucketName !== undefined) return value;
  return { ...value, DestinationBucketName: name };
}

function cannedAcl(value: unknown): BucketAcl {
  if (typeof value !== 'string' || !Object.hasOwn(CANNED_ACLS, value)) {
    throw new MalformedInputError(
      'AccessControl',
      `expected one of ${Object.keys(CANNED_ACLS).join(', ')}, received ${describeValue(value)}`,
    );
  }
  return { grants: CANNED_ACLS[value] };
}

function tagsOf(value: unknown): Readonly<Record<string, string>> {
  if (!Array.isArray(value)) throw new MalformedInputError('Tags', `expected a list, received ${describeValue(value)}`);
  const tags: [string, string][] = [];
  value.forEach((tag, index) => {
    if (!isJsonObject(tag) || typeof tag.Key !== 'string' || typeof tag.Value !== 'string') {
      throw new MalformedInputError(
        `Tags[${index}]`,
        `expected {"Key": …, "Value": …}, received ${describeValue(tag)}`,
      );
    }
    tags.push([tag.Key, tag.Value]);
  });
  return Object.fromEntries(tags);
}

/** Which bucket of the template a policy's `Bucket` names: by Ref, or by a name equal to a bucket's name. */
function policyTarget(policy: JsonObject, context: TemplateContext, buckets: readonly string[]): string | Unresolved {
  const raw = policy.Bucket;
  if (isJsonObject(raw) && typeof raw.Ref === 'string' && buckets.includes(raw.Ref)) return raw.Ref;
  const name = resolveValue(raw, context);
  if (name instanceof Unresolved) return name;
  const match = buckets.find((id) => bucketNameOf(context, id) === name);
  return match ?? new Unresolved(`bucket ${describeValue(name)} is not a bucket of this template`);
}

function policyFact(documents: readonly unknown[], context: TemplateContext, logicalIds: string): Fact<BucketPolicy> {
  const statements: BucketPolicy['Statement'][number][] = [];
  for (const document of documents) {
    const resolved = resolvePolicyDocument(document, context);
    if (resolved instanceof Unresolved) {
      return unknown(`bucket policy ${logicalIds} not resolvable before deploy (${resolved.reason})`);
    }
    try {
      statements.push(...parsePolicyDocument(resolved, 'PolicyDocument').Statement);
    } catch (error) {
      const message = error instanceof MalformedInputError ? error.message : String(error);
      return unknown(`bucket policy ${logicalIds} in the template is malformed: ${message}`);
    }
  }
  return known({ Version: '2012-10-17', Statement: statements });
}

/**
 * Every bucket of one parsed template, with its policy. Throws MalformedInputError only when the value is not a
 * template at all (no Resources object).
 */
export function readTemplate(template: unknown, options: ResolveOptions = {}): TemplateReading {
  if (!isJsonObject(template) || !isJsonObject(template.Resources)) {
    throw new MalformedInputError('template', 'not a CloudFormation template (no "Resources" object)');
  }
  const context = templateContext(template, options);
  const notes: string[] = [];
  const entries = Object.entries(context.resources);
  const bucketIds = entries.filter(([, r]) => r.Type === 'AWS::S3::Bucket').map(([id]) => id);

  const policies = new Map<string, { ids: string[]; documents: unknown[] }>();
  for (const [id, resource] of entries) {
    if (resource.Type !== BUCKET_POLICY_RESOURCE_TYPE) continue;
    const properties = isJsonObject(resource.Properties) ? resource.Properties : {};
    const target = policyTarget(properties, context, bucketIds);
    if (target instanceof Unresolved) {
      notes.push(`${id}: bucket policy not attached to a bucket of this template (${target.reason})`);
      continue;
    }
    const entry = policies.get(target) ?? { ids: [], documents: [] };
    entry.ids.push(id);
    entry.documents.push(properties.PolicyDocument);
    policies.set(target, entry);
  }

  const buckets: TemplateBucket[] = [];
  for (const logicalId of bucketIds) {
    const resource = context.resources[logicalId];
    const bucketNotes: string[] = [];
    if (typeof resource.Condition === 'string') {
      const holds = conditionHolds(resource.Condition, context);
      if (holds === false) {
        notes.push(`${logicalId}: not created (condition ${resource.Condition} is false)`);
        continue;
      }
      if (holds instanceof Unresolved) {
        bucketNotes.push(`created only when condition ${resource.Condition} holds (${holds.reason})`);
      }
    }
    const properties = isJsonObject(resource.Properties) ? resource.Properties : {};
    const name = bucketNameOf(context, logicalId);
    if (name instanceof Unresolved) bucketNotes.push(`BucketName not resolvable before deploy (${name.reason})`);
    else if (name === `<${logicalId}>`) bucketNotes.push('BucketName generated by CloudFormation at deploy');

    const has = (key: string) => properties[key] !== undefined;
    const publicAccessBlock: Fact<PublicAccessBlockFlags | null> = has('PublicAccessBlockConfiguration')
      ? fact('PublicAccessBlockConfiguration', properties.PublicAccessBlockConfiguration, context, (v) =>
          parsePublicAccessBlockFlags(v),
        )
      : known(null);
    if (!has('PublicAccessBlockConfiguration')) bucketNotes.push(NOT_SET_BPA);
    const ownership: Fact<ObjectOwnership | null> = has('OwnershipControls')
      ? fact('OwnershipControls', properties.OwnershipControls, context, (v) => parseOwnershipControls(v))
      : known(null);
    if (!has('OwnershipControls')) bucketNotes.push(NOT_SET_OWNERSHIP);
    const versioning: Fact<VersioningState> = has('VersioningConfiguration')
      ? fact('VersioningConfiguration', properties.VersioningConfiguration, context, (v) =>
          parseVersioning(v, 'VersioningConfiguration'),
        )
      : known({ status: 'Off', mfaDelete: null });
    const acl: Fact<BucketAcl> = has('AccessControl')
      ? fact('AccessControl', properties.AccessControl, context, cannedAcl)
      : known({ grants: [] });
    const attached = policies.get(logicalId);
    const policy: Fact<BucketPolicy | null> = attached
      ? policyFact(attached.documents, context, attached.ids.join(', '))
      : known(null);
    const tags = has('Tags') ? fact('Tags', properties.Tags, context, tagsOf) : known({});
    const logging: Fact<BucketLogging | null> = has('LoggingConfiguration')
      ? fact('LoggingConfiguration', properties.LoggingConfiguration, context, (v) =>
          parseLoggingConfiguration(
            withOwnDestination(v, name instanceof Unresolved ? `<${logicalId}>` : name),
            'LoggingConfiguration',
            (target) => /^(?:[A-Za-z0-9._-]{1,255}|<[A-Za-z0-9]+>)$/.test(target),
          ),
        )
      : known(null);

    buckets.push({
      logicalId,
      notes: bucketNotes,
      state: {
        kind: 'bucket',
        name: name instanceof Unresolved ? `<${logicalId}>` : name,
        accountId: options.accountId ?? DEPLOYMENT_ACCOUNT,
        ...(options.region ? { region: options.region } : {}),
        source: 'cloudformation-template',
        status: 'OK',
        policy,
        acl,
        publicAccessBlock,
        versioning,
        ownership,
        tags,
        logging,
      },
    });
  }
  for (const name of context.usedDefaults) notes.push(`parameter ${name}: its default value was used`);
  if (context.usedDeploymentAccount) {
    notes.push(
      `AWS::AccountId: read as the account the stack is deployed to, which owns its buckets (shown as ${DEPLOYMENT_ACCOUNT_LABEL})`,
    );
  }
  return { buckets, notes };
}
