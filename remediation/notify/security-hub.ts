/**
 * bucketguard's Config results as AWS Security Finding Format (ASFF) findings, for Security Hub's
 * BatchImportFindings (opt-in). Pure: the importer adapter sends what this builds.
 *
 * One finding per account, Region, rule and resource (its Id), so a later result updates it in place: FAILED and
 * ACTIVE while NON_COMPLIANT; PASSED, workflow RESOLVED and record ARCHIVED when the resource is compliant again (or no
 * longer evaluated). Each rule is mapped to the Security Hub controls that check the same thing, so the finding sits
 * next to the control's own in the console.
 */
import { headWithin, stripControls } from '../../model/inert-text';
import type { ComplianceChangeFinding } from '../triggers/finding';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** ASFF's length limits (AwsSecurityFinding: Title 256, Description 1024). */
export const MAX_TITLE_LENGTH = 256;
export const MAX_DESCRIPTION_LENGTH = 1024;

/** The Security Hub controls (AWS Foundational Security Best Practices) each rule corresponds to. */
export const SECURITY_HUB_CONTROLS: Readonly<Record<string, readonly string[]>> = {
  's3-bucket-public-access-prohibited': ['S3.2', 'S3.3'],
  's3-bucket-level-public-access-blocked': ['S3.8'],
  's3-account-level-public-access-blocked': ['S3.1'],
  's3-bucket-acl-prohibited': ['S3.12'],
  's3-bucket-versioning-enabled': ['S3.14'],
  's3-bucket-cross-account-access-prohibited': ['S3.6'],
  's3-bucket-ssl-requests-only': ['S3.5'],
  's3-bucket-logging-enabled': ['S3.9'],
};

const SEVERITY: Readonly<Record<string, 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW'>> = {
  's3-bucket-public-access-prohibited': 'CRITICAL',
  's3-account-level-public-access-blocked': 'HIGH',
  's3-bucket-cross-account-access-prohibited': 'HIGH',
  's3-bucket-level-public-access-blocked': 'MEDIUM',
  's3-bucket-acl-prohibited': 'MEDIUM',
  's3-bucket-ssl-requests-only': 'MEDIUM',
  's3-bucket-versioning-enabled': 'LOW',
  's3-bucket-logging-enabled': 'LOW',
};

export interface AsffFinding {
  readonly SchemaVersion: string;
  readonly Id: string;
  readonly ProductArn: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly Region: string;
  readonly Types: readonly string[];
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  readonly Severity: { readonly Label: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' };
  readonly Title: string;
  readonly Description: string;
  readonly Resources: readonly {
    readonly Type: 'AwsS3Bucket' | 'AwsAccount' | 'Other';
    readonly Id: string;
    readonly Partition: string;
    readonly Region: string;
  }[];
  readonly Compliance: {
    readonly Status: 'PASSED' | 'FAILED' | 'NOT_AVAILABLE';
    readonly RelatedRequirements?: readonly string[];
  };
  readonly Workflow: { readonly Status: 'NEW' | 'RESOLVED' };
  readonly RecordState: 'ACTIVE' | 'ARCHIVED';
  readonly ProductFields: Readonly<Record<string, string>>;
  readonly SourceUrl?: string;
}

export interface SecurityHubContext {
  readonly rulePrefix: string;
  /** The partition of the account (aws, aws-cn, aws-us-gov). */
  readonly partition?: string;
}

/** Inert, on one line, and within ASFF's hard limit (counted in UTF-16 units, the note of the cut included). */
function text(value: string, max: number): string {
  const clean = stripControls(value).replace(/\s+/g, ' ').trim() || '-';
  return clean.length <= max ? clean : `${headWithin(clean, max - 3)}...`;
}

/** The finding for a Config result, or undefined when the event lacks what ASFF requires (account, Region). */
export function securityHubFinding(
  finding: ComplianceChangeFinding,
  context: SecurityHubContext,
): AsffFinding | undefined {
  const accountId = finding.accountId;
  const region = finding.region;
  if (!accountId || !/^\d{12}$/.test(accountId) || !region) return undefined;
  const partition = context.partition ?? 'aws';
  const ruleId = finding.ruleName.startsWith(context.rulePrefix)
    ? finding.ruleName.slice(context.rulePrefix.length)
    : finding.ruleName;
  const failed = finding.newCompliance === 'NON_COMPLIANT';
  const status = failed ? 'FAILED' : finding.newCompliance === 'COMPLIANT' ? 'PASSED' : 'NOT_AVAILABLE';
  const controls = SECURITY_HUB_CONTROLS[ruleId] ?? [];
  const resource =
    finding.target?.kind === 'bucket'
      ? { Type: 'AwsS3Bucket' as const, Id: `arn:${partition}:s3:::${finding.target.bucket}` }
      : finding.target?.kind === 'account'
        ? { Type: 'AwsAccount' as const, Id: `AWS::::Account:${finding.target.accountId}` }
        : { Type: 'Other' as const, Id: `${finding.resourceType}/${finding.resourceId}` };
  const name = finding.target?.kind === 'bucket' ? `bucket ${finding.target.bucket}` : `account ${accountId}`;
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    // Stable: the same rule and resource update one finding.
    Id: `bucketguard/${accountId}/${region}/${ruleId}/${finding.resourceType}/${finding.resourceId}`,
    ProductArn: `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`,
    GeneratorId: `bucketguard/${ruleId}`,
    AwsAccountId: accountId,
    Region: region,
    Types: ['Software and Configuration Checks/AWS Security Best Practices'],
    CreatedAt: finding.time,
    UpdatedAt: finding.time,
    Severity: { Label: failed ? (SEVERITY[ruleId] ?? 'MEDIUM') : 'INFORMATIONAL' },
    Title: text(`bucketguard ${ruleId}: ${name} is ${finding.newCompliance}`, MAX_TITLE_LENGTH),
    Description: text(
      finding.annotation ?? `AWS Config rule ${finding.ruleName} reports ${finding.newCompliance}.`,
      MAX_DESCRIPTION_LENGTH,
    ),
    Resources: [{ ...resource, Partition: partition, Region: region }],
    Compliance: {
      Status: status,
      ...(controls.length > 0
        ? { RelatedRequirements: controls.map((control) => `Security Hub control ${control}`) }
        : {}),
    },
    Workflow: { Status: failed ? 'NEW' : 'RESOLVED' },
    RecordState: failed ? 'ACTIVE' : 'ARCHIVED',
    ProductFields: {
      'bucketguard/rule': ruleId,
      'bucketguard/configRuleName': finding.ruleName,
      ...(controls.length > 0 ? { 'bucketguard/securityHubControls': controls.join(',') } : {}),
    },
  };
}
