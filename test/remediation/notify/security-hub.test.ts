import {
  ASFF_SCHEMA_VERSION,
  MAX_DESCRIPTION_LENGTH,
  SECURITY_HUB_CONTROLS,
  securityHubFinding,
} from '../../../remediation/notify/security-hub';
import type { ComplianceChangeFinding } from '../../../remediation/triggers/finding';
import { RULE_CATALOG } from '../../../rules/catalog';
import { findingOf } from '../helpers';

const CONTEXT = { rulePrefix: 'bucketguard-' };
const compliance = (file: string) => findingOf(`eventbridge/${file}`) as ComplianceChangeFinding;
/** ASFF's required top-level attributes (Security Hub user guide, "Required top-level ASFF attributes"). */
const REQUIRED = [
  'AwsAccountId',
  'CreatedAt',
  'Description',
  'GeneratorId',
  'Id',
  'ProductArn',
  'Resources',
  'SchemaVersion',
  'Severity',
  'Title',
  'Types',
  'UpdatedAt',
] as const;

describe('Security Hub findings (ASFF)', () => {
  it('turns a NON_COMPLIANT result into an active, failed finding with every required attribute', () => {
    const asff = securityHubFinding(compliance('compliance-public-read-noncompliant.json'), CONTEXT);
    expect(asff).toBeDefined();
    for (const key of REQUIRED) expect(asff?.[key]).toBeTruthy();
    expect(asff).toMatchObject({
      SchemaVersion: ASFF_SCHEMA_VERSION,
      Id: 'bucketguard/111122223333/us-east-1/s3-bucket-public-access-prohibited/AWS::S3::Bucket/example-public-assets',
      ProductArn: 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default',
      GeneratorId: 'bucketguard/s3-bucket-public-access-prohibited',
      AwsAccountId: '111122223333',
      Types: ['Software and Configuration Checks/AWS Security Best Practices'],
      Severity: { Label: 'CRITICAL' },
      Title: 'bucketguard s3-bucket-public-access-prohibited: bucket example-public-assets is NON_COMPLIANT',
      Description: 'Public read, list via ACL: AllUsers has READ; IgnorePublicAcls is off at bucket and account level.',
      Resources: [
        { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::example-public-assets', Partition: 'aws', Region: 'us-east-1' },
      ],
      Compliance: { Status: 'FAILED', RelatedRequirements: ['Security Hub control S3.2', 'Security Hub control S3.3'] },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
    });
    expect(asff?.CreatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
  });

  it('updates the same finding in place when the bucket is compliant again: passed, resolved, archived', () => {
    const failed = securityHubFinding(compliance('compliance-public-read-noncompliant.json'), CONTEXT);
    const resolved = securityHubFinding(compliance('compliance-resolved.json'), CONTEXT);
    expect(resolved?.Id).toBe(failed?.Id);
    expect(resolved).toMatchObject({
      Compliance: { Status: 'PASSED' },
      Workflow: { Status: 'RESOLVED' },
      RecordState: 'ARCHIVED',
      Severity: { Label: 'INFORMATIONAL' },
    });
  });

  it('maps the account-level rule to S3.1 on the account resource', () => {
    const asff = securityHubFinding(compliance('compliance-account-bpa-noncompliant.json'), CONTEXT);
    expect(asff?.Compliance.RelatedRequirements).toEqual(['Security Hub control S3.1']);
    expect(asff?.Resources[0].Type).toBe('AwsAccount');
  });

  it('maps every rule of the registry to its Security Hub controls', () => {
    for (const rule of RULE_CATALOG) expect(SECURITY_HUB_CONTROLS[rule.id]?.length).toBeGreaterThan(0);
  });

  it('keeps untrusted annotation text inert and within the limits; no account or Region means no finding', () => {
    const base = compliance('compliance-public-read-noncompliant.json');
    const hostile = { ...base, annotation: `\u001b[31mred\u202e ${'x'.repeat(5000)}` };
    const asff = securityHubFinding(hostile, CONTEXT);
    expect(asff?.Description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_LENGTH);
    expect([...(asff?.Description ?? '')].some((c) => c.charCodeAt(0) < 0x20 || c === '\u202e')).toBe(false);
    expect(securityHubFinding({ ...base, accountId: undefined }, CONTEXT)).toBeUndefined();
    expect(securityHubFinding({ ...base, region: undefined }, CONTEXT)).toBeUndefined();
  });
});
