import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_IDS } from '../../remediation/actions/action-definition';
import { findRule, RULES } from '../../rules';
import { COMMON_BUCKET_PARAMETERS, parseRuleParameters, validateParameterValue } from '../../rules/parameters';

const RULES_DIR = join(__dirname, '..', '..', 'rules');

describe('RULES', () => {
  it('lists the eight rules in order', () => {
    expect(RULES.map((rule) => rule.id)).toEqual([
      's3-bucket-public-access-prohibited',
      's3-bucket-level-public-access-blocked',
      's3-account-level-public-access-blocked',
      's3-bucket-acl-prohibited',
      's3-bucket-versioning-enabled',
      's3-bucket-cross-account-access-prohibited',
      's3-bucket-logging-enabled',
      's3-bucket-ssl-requests-only',
    ]);
  });

  describe.each(RULES.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
    it('lives in the folder named by its id, with rule.ts, evaluate.ts and handler.ts', () => {
      for (const file of ['rule.ts', 'evaluate.ts', 'handler.ts']) {
        expect(existsSync(join(RULES_DIR, id, file))).toBe(true);
      }
    });

    it('parses its own defaults, and every default is valid for its type', () => {
      expect(() => parseRuleParameters(rule, undefined)).not.toThrow();
      for (const [key, spec] of Object.entries(rule.parameters)) {
        expect(() => validateParameterValue(key, spec, spec.default)).not.toThrow();
        expect(spec.description.length).toBeGreaterThan(10);
        if (spec.type === 'enum') expect(spec.allowed).toContain(spec.default);
      }
    });

    it('is evaluated daily as well as on change, and again when the account-level BPA changes if its verdict reads it', () => {
      expect(rule.triggers).toEqual({ configurationChanges: true, periodic: 'TwentyFour_Hours' });
      expect(rule.resourceTypes.includes('AWS::S3::AccountPublicAccessBlock')).toBe(
        rule.target === 'account' || rule.needs.accountBpa,
      );
    });

    it('bucket rules take the common exemption parameters; the account rule does not', () => {
      const keys = Object.keys(rule.parameters);
      for (const common of Object.keys(COMMON_BUCKET_PARAMETERS)) {
        expect(keys.includes(common)).toBe(rule.target === 'bucket');
      }
    });

    it('declares IAM actions, references and a known remediation', () => {
      for (const permission of rule.permissions) expect(permission).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      if (rule.needs.accountBpa) expect(rule.permissions).toContain('s3:GetAccountPublicAccessBlock');
      if (rule.needs.ownership) expect(rule.permissions).toContain('s3:GetBucketOwnershipControls');
      expect(rule.references.length).toBeGreaterThan(0);
      for (const reference of rule.references) expect(reference).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      if (rule.remediation !== undefined) expect(ACTION_IDS).toContain(rule.remediation);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
    });
  });

  it('has unique ids', () => {
    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
  });
});

describe('findRule', () => {
  it.each([
    ['s3-bucket-versioning-enabled', 's3-bucket-versioning-enabled'],
    ['bucketguard-s3-bucket-versioning-enabled', 's3-bucket-versioning-enabled'],
    ['acme-s3-bucket-versioning-enabled-conformance-pack-x1', 's3-bucket-versioning-enabled'],
    ['S3-Bucket-ACL-Prohibited', 's3-bucket-acl-prohibited'],
    ['  bucketguard-s3-account-level-public-access-blocked ', 's3-account-level-public-access-blocked'],
    ['prod-s3-bucket-level-public-access-blocked', 's3-bucket-level-public-access-blocked'],
    ['bucketguard-s3-bucket-cross-account-access-prohibited', 's3-bucket-cross-account-access-prohibited'],
    ['x-s3-bucket-public-access-prohibited-y', 's3-bucket-public-access-prohibited'],
  ])('%j -> %s', (name, id) => {
    expect(findRule(name)?.id).toBe(id);
  });

  it.each([
    '',
    'unknown-rule',
    'xs3-bucket-versioning-enabled',
    's3-bucket-versioning-enabledx',
    's3-bucket-versioning',
  ])('%j -> undefined', (name) => {
    expect(findRule(name)).toBeUndefined();
  });
});
