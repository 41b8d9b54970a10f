import fc from 'fast-check';
import {
  groupFromUri,
  MalformedInputError,
  normalizeAclPermission,
  parseConfigAcl,
  parseOwnershipControls,
  parsePolicyDocument,
  parsePublicAccessBlockFlags,
  parseTaggingConfiguration,
  parseTags,
  parseVersioning,
} from '../../model/normalize';

const OWNER = '3f1c5a7e9b2d4f6081a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5f7';
const OTHER = 'c0ffee00b1ab5eed5eed00b1ab5eedc0ffee00b1ab5eed5eed00b1ab5eed0001';

function thrown(run: () => unknown): MalformedInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof MalformedInputError) return error;
    throw error;
  }
  throw new Error('expected a MalformedInputError');
}

describe('groupFromUri', () => {
  it.each([
    ['AllUsers', 'AllUsers'],
    ['allusers', 'AllUsers'],
    [' AuthenticatedUsers ', 'AuthenticatedUsers'],
    ['LogDelivery', 'LogDelivery'],
    ['http://acs.amazonaws.com/groups/global/AllUsers', 'AllUsers'],
    ['HTTPS://ACS.AMAZONAWS.COM/GROUPS/GLOBAL/ALLUSERS', 'AllUsers'],
    ['http://acs.amazonaws.com/groups/global/AuthenticatedUsers/', 'AuthenticatedUsers'],
    ['http://acs.amazonaws.com/groups/s3/LogDelivery', 'LogDelivery'],
    ['uri="http://acs.amazonaws.com/groups/global/AllUsers"', 'AllUsers'],
    ['uri=http://acs.amazonaws.com/groups/global/AuthenticatedUsers', 'AuthenticatedUsers'],
    ['GroupGrantee [http://acs.amazonaws.com/groups/global/AllUsers]', 'AllUsers'],
  ])('%s -> %s', (input, group) => {
    expect(groupFromUri(input)).toBe(group);
  });

  it.each([
    'http://acs.amazonaws.com/groups/s3/AllUsers',
    'http://acs.amazonaws.com/groups/global/LogDelivery',
    'http://example.com/groups/global/AllUsers',
    'http://acs.amazonaws.com/groups/global/AllUsersX',
    'Everyone',
    '',
    'toString',
    'constructor',
    '__proto__',
  ])('%j is not a predefined group', (input) => {
    expect(groupFromUri(input)).toBeUndefined();
  });
});

describe('normalizeAclPermission', () => {
  it.each([
    ['FullControl', 'FULL_CONTROL'],
    ['FULL_CONTROL', 'FULL_CONTROL'],
    ['full_control', 'FULL_CONTROL'],
    ['Read', 'READ'],
    ['READ', 'READ'],
    ['Write', 'WRITE'],
    ['ReadAcp', 'READ_ACP'],
    ['READ_ACP', 'READ_ACP'],
    ['WriteAcp', 'WRITE_ACP'],
    ['WRITE_ACP', 'WRITE_ACP'],
  ])('%s -> %s', (input, permission) => {
    expect(normalizeAclPermission(input)).toBe(permission);
  });

  it.each(['Admin', '', 'constructor', 'READ_WRITE'])('%j is not a permission', (input) => {
    expect(normalizeAclPermission(input)).toBeUndefined();
  });
});

describe('parseConfigAcl', () => {
  const owner = { displayName: null, id: OWNER };

  it('reads the Config serialisation, keeping a display name when present', () => {
    const acl = {
      grantSet: null,
      grantList: [
        { grantee: { id: OWNER, displayName: 'storage-admins' }, permission: 'FullControl' },
        { grantee: 'AuthenticatedUsers', permission: 'Read' },
      ],
      owner,
      isRequesterCharged: false,
    };
    expect(parseConfigAcl(JSON.stringify(acl))).toStrictEqual({
      ownerId: OWNER,
      grants: [
        { grantee: { kind: 'canonicalUser', id: OWNER, displayName: 'storage-admins' }, permission: 'FULL_CONTROL' },
        { grantee: { kind: 'group', group: 'AuthenticatedUsers' }, permission: 'READ' },
      ],
    });
  });

  it('reads the double-encoded API-model string', () => {
    const acl = { grantList: [{ grantee: 'AllUsers', permission: 'Read' }], owner };
    expect(parseConfigAcl(JSON.stringify(JSON.stringify(acl)))).toStrictEqual({
      ownerId: OWNER,
      grants: [{ grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ' }],
    });
  });

  it('uses grantSet when grantList is null, and reads both when both are lists (no grant can hide)', () => {
    const onlySet = { grantList: null, grantSet: [{ grantee: 'AllUsers', permission: 'Read' }], owner };
    expect(parseConfigAcl(onlySet).grants).toEqual([
      { grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ' },
    ]);
    const both = {
      grantList: [{ grantee: { id: OWNER }, permission: 'FullControl' }],
      grantSet: [
        { grantee: { id: OWNER }, permission: 'FullControl' },
        { grantee: 'AllUsers', permission: 'Write' },
      ],
      owner,
    };
    expect(parseConfigAcl(both).grants).toEqual([
      { grantee: { kind: 'canonicalUser', id: OWNER }, permission: 'FULL_CONTROL' },
      { grantee: { kind: 'group', group: 'AllUsers' }, permission: 'WRITE' },
    ]);
  });

  it('accepts every grantee form defensively', () => {
    const acl = {
      grantList: [
        { grantee: { emailAddress: 'ops@example.com' }, permission: 'Read' },
        { grantee: { uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'Read' },
        {
          grantee: { 'xsi:type': 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' },
          permission: 'WRITE',
        },
        { grantee: { 'xsi:type': 'CanonicalUser', ID: OTHER, DisplayName: 'partner' }, permission: 'READ_ACP' },
        { grantee: { typeIdentifier: 'id', identifier: OTHER }, permission: 'WriteAcp' },
        { grantee: { typeIdentifier: 'emailAddress', identifier: 'audit@example.com' }, permission: 'Read' },
        {
          grantee: { typeIdentifier: 'uri', identifier: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' },
          permission: 'Read',
        },
        { grantee: { uri: 'http://acs.amazonaws.com/groups/global/Someone' }, permission: 'Read' },
        { grantee: { foo: 'bar' }, permission: 'Read' },
        { grantee: 'SomeFutureGroup', permission: 'Read' },
      ],
      owner,
    };
    expect(parseConfigAcl(acl).grants).toStrictEqual([
      { grantee: { kind: 'email', email: 'ops@example.com' }, permission: 'READ' },
      { grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ' },
      { grantee: { kind: 'group', group: 'LogDelivery' }, permission: 'WRITE' },
      { grantee: { kind: 'canonicalUser', id: OTHER, displayName: 'partner' }, permission: 'READ_ACP' },
      { grantee: { kind: 'canonicalUser', id: OTHER }, permission: 'WRITE_ACP' },
      { grantee: { kind: 'email', email: 'audit@example.com' }, permission: 'READ' },
      { grantee: { kind: 'group', group: 'AuthenticatedUsers' }, permission: 'READ' },
      {
        grantee: { kind: 'unrecognised', raw: '{"uri":"http://acs.amazonaws.com/groups/global/Someone"}' },
        permission: 'READ',
      },
      { grantee: { kind: 'unrecognised', raw: '{"foo":"bar"}' }, permission: 'READ' },
      { grantee: { kind: 'unrecognised', raw: 'SomeFutureGroup' }, permission: 'READ' },
    ]);
  });

  it("reads S3's own GetBucketAcl shape (Grants, Owner.ID)", () => {
    const acl = {
      Owner: { ID: OWNER },
      Grants: [
        { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
      ],
    };
    expect(parseConfigAcl(acl)).toStrictEqual({
      ownerId: OWNER,
      grants: [{ grantee: { kind: 'group', group: 'AllUsers' }, permission: 'READ' }],
    });
  });

  it('omits ownerId when the ACL names no owner', () => {
    expect(parseConfigAcl({ grantList: [] })).toStrictEqual({ grants: [] });
  });

  it.each([
    ['null', null, 'AccessControlList: expected an object, received null'],
    [
      'a grant list that is an object',
      { grantList: {} },
      'AccessControlList.grantList: expected a list of grants, received an object',
    ],
    [
      'a grant without permission',
      { grantList: [{ grantee: 'AllUsers' }] },
      'AccessControlList.grantList[0].permission: expected FullControl, Read, Write, ReadAcp or WriteAcp, received nothing',
    ],
  ])('throws for %s with the default path', (_label, value, message) => {
    expect(thrown(() => parseConfigAcl(value)).message).toBe(message);
  });

  it('uses the caller path in errors', () => {
    expect(thrown(() => parseConfigAcl(7, 'detail.acl')).message).toBe(
      'detail.acl: expected an object, received a number (7)',
    );
  });
});

describe('parsePolicyDocument', () => {
  const statement = {
    Sid: 'Public',
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::b/*',
  };

  it('wraps a single statement object', () => {
    expect(parsePolicyDocument({ Version: '2012-10-17', Statement: statement })).toStrictEqual({
      Version: '2012-10-17',
      Statement: [statement],
    });
  });

  it('reads a double-encoded string and a CloudTrail requestParameters object alike', () => {
    const document = { Version: '2012-10-17', Id: 'P1', Statement: [statement] };
    expect(parsePolicyDocument(JSON.stringify(JSON.stringify(document)))).toStrictEqual(document);
    expect(parsePolicyDocument(document)).toStrictEqual(document);
  });

  it('keeps every IAM element typed and drops unknown ones', () => {
    const raw = {
      Statement: [
        {
          Effect: 'Allow',
          NotPrincipal: { AWS: ['arn:aws:iam::111122223333:root'], CanonicalUser: OWNER },
          NotAction: ['s3:DeleteBucket'],
          NotResource: 'arn:aws:s3:::b/private/*',
          Condition: {
            StringEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'], 's3:max-keys': 10 },
            Bool: { 'aws:SecureTransport': true },
          },
          Comment: 'not an IAM element',
        },
      ],
      Extra: 1,
    };
    expect(parsePolicyDocument(raw)).toStrictEqual({
      Statement: [
        {
          Effect: 'Allow',
          NotPrincipal: { AWS: ['arn:aws:iam::111122223333:root'], CanonicalUser: OWNER },
          NotAction: ['s3:DeleteBucket'],
          NotResource: 'arn:aws:s3:::b/private/*',
          Condition: {
            StringEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'], 's3:max-keys': 10 },
            Bool: { 'aws:SecureTransport': true },
          },
        },
      ],
    });
  });

  it('keeps an empty statement list (a policy that grants nothing)', () => {
    expect(parsePolicyDocument('{"Statement":[]}')).toStrictEqual({ Statement: [] });
  });

  it.each([
    ['a number', 5, 'policy: expected an object, received a number (5)'],
    ['a list', [statement], 'policy: expected an object, received an array'],
    ['null Statement', { Statement: null }, 'policy.Statement: missing'],
    [
      'no Effect',
      { Statement: { Principal: '*' } },
      'policy.Statement[0].Effect: expected "Allow" or "Deny", received nothing',
    ],
    [
      'a principal that is a list',
      { Statement: { Effect: 'Allow', Principal: ['*'] } },
      'policy.Statement[0].Principal: expected "*" or an object such as {"AWS": [...]}, received an array',
    ],
    [
      'a Condition that is a string',
      { Statement: { Effect: 'Allow', Principal: '*', Condition: 'none' } },
      'policy.Statement[0].Condition: expected an object, received a string ("none")',
    ],
    [
      'a Resource list holding null',
      { Statement: { Effect: 'Allow', Principal: '*', Resource: [null] } },
      'policy.Statement[0].Resource: expected a string or a list of strings, received an array',
    ],
  ])('throws for %s', (_label, value, message) => {
    expect(thrown(() => parsePolicyDocument(value)).message).toBe(message);
  });
});

describe('parsePublicAccessBlockFlags', () => {
  const allFalse = {
    blockPublicAcls: false,
    ignorePublicAcls: false,
    blockPublicPolicy: false,
    restrictPublicBuckets: false,
  };

  it.each([
    [
      'camelCase (Config)',
      { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: true },
    ],
    [
      'PascalCase (S3 API)',
      { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true },
    ],
    [
      '"true"/"false" strings',
      {
        blockPublicAcls: 'true',
        ignorePublicAcls: ' TRUE ',
        blockPublicPolicy: 'false',
        restrictPublicBuckets: 'True',
      },
    ],
    [
      'a CloudTrail requestParameters wrapper',
      {
        bucketName: 'b',
        PublicAccessBlockConfiguration: {
          xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/',
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: true,
        },
      },
    ],
    ['a JSON string', '{"blockPublicAcls":true,"ignorePublicAcls":true,"restrictPublicBuckets":true}'],
  ])('reads %s', (_label, value) => {
    expect(parsePublicAccessBlockFlags(value)).toStrictEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: false,
      restrictPublicBuckets: true,
    });
  });

  it('treats missing and null flags as false (what S3 does with an omitted flag)', () => {
    expect(parsePublicAccessBlockFlags({})).toStrictEqual(allFalse);
    expect(parsePublicAccessBlockFlags({ blockPublicAcls: null })).toStrictEqual(allFalse);
  });

  it.each([
    [
      'a number flag',
      { blockPublicAcls: 1 },
      'PublicAccessBlockConfiguration.blockPublicAcls: expected true or false, received a number (1)',
    ],
    [
      'a Pascal flag "yes"',
      { RestrictPublicBuckets: 'yes' },
      'PublicAccessBlockConfiguration.RestrictPublicBuckets: expected true or false, received a string ("yes")',
    ],
    [
      'conflicting camel and Pascal values',
      { blockPublicPolicy: true, BlockPublicPolicy: false },
      'PublicAccessBlockConfiguration.blockPublicPolicy: conflicting values for blockPublicPolicy and BlockPublicPolicy',
    ],
    ['a boolean', true, 'PublicAccessBlockConfiguration: expected an object, received a boolean (true)'],
  ])('throws for %s', (_label, value, message) => {
    expect(thrown(() => parsePublicAccessBlockFlags(value)).message).toBe(message);
  });
});

describe('parseVersioning', () => {
  it.each([
    [
      { status: 'Off', isMfaDeleteEnabled: null },
      { status: 'Off', mfaDelete: null },
    ],
    [{ status: 'Off' }, { status: 'Off', mfaDelete: null }],
    [
      { status: 'Enabled', isMfaDeleteEnabled: 'true' },
      { status: 'Enabled', mfaDelete: true },
    ],
    [
      { status: 'suspended', isMfaDeleteEnabled: false },
      { status: 'Suspended', mfaDelete: false },
    ],
    [
      { Status: 'Enabled', MFADelete: 'Enabled' },
      { status: 'Enabled', mfaDelete: true },
    ],
    [
      { Status: 'Suspended', MfaDelete: 'Disabled' },
      { status: 'Suspended', mfaDelete: false },
    ],
    ['{"status":"Enabled","isMfaDeleteEnabled":null}', { status: 'Enabled', mfaDelete: null }],
  ])('%j -> %j', (value, expected) => {
    expect(parseVersioning(value)).toStrictEqual(expected);
  });

  it.each(['constructor', 'hasOwnProperty'])('throws for status %j (no prototype lookups)', (status) => {
    expect(() => parseVersioning({ status })).toThrow(
      `BucketVersioningConfiguration.status: expected "Off", "Enabled" or "Suspended", received a string ("${status}")`,
    );
  });

  it('throws for a status it does not know', () => {
    expect(thrown(() => parseVersioning({ status: 7 })).message).toBe(
      'BucketVersioningConfiguration.status: expected "Off", "Enabled" or "Suspended", received a number (7)',
    );
  });
});

describe('parseOwnershipControls', () => {
  it('reads S3 GetBucketOwnershipControls output', () => {
    expect(parseOwnershipControls({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } })).toBe(
      'BucketOwnerEnforced',
    );
  });

  it('reads an explicit null wrapper as "none configured"', () => {
    expect(parseOwnershipControls({ ownershipControls: null })).toBeNull();
  });

  it('throws when the rule is not an object', () => {
    expect(thrown(() => parseOwnershipControls({ rules: ['BucketOwnerEnforced'] })).message).toBe(
      'BucketOwnershipControls.rules[0].objectOwnership: expected BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter, received nothing',
    );
  });
});

describe('parseTags and parseTaggingConfiguration', () => {
  it('reads a map, advanced-query rows and S3 TagSets', () => {
    expect(parseTags({ team: 'web', count: 3, flag: true, empty: null })).toStrictEqual({
      team: 'web',
      count: '3',
      flag: 'true',
      empty: '',
    });
    expect(parseTags([{ key: 'team', tag: 'team=web', value: 'web' }])).toStrictEqual({ team: 'web' });
    expect(parseTags([{ Key: 'env', Value: 'prod' }])).toStrictEqual({ env: 'prod' });
    expect(parseTags('{"a":"b"}')).toStrictEqual({ a: 'b' });
  });

  it('never JSON-decodes tag values', () => {
    expect(parseTags({ 'bucketguard:exempt-until': '2030-01-01', numeric: '123', json: '{"x":1}' })).toStrictEqual({
      'bucketguard:exempt-until': '2030-01-01',
      numeric: '123',
      json: '{"x":1}',
    });
  });

  it('keeps a tag named __proto__ as a plain tag', () => {
    const tags = parseTags(JSON.parse('{"__proto__":"x","a":"b"}'));
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(Object.keys(tags)).toEqual(['__proto__', 'a']);
  });

  it.each([
    ['a tag list entry without key', [{ value: 'x' }], 'tags[0]: expected {"key": …, "value": …}, received an object'],
    ['a tag value that is an object', { a: { b: 1 } }, 'tags.a: expected a tag value string, received an object'],
    ['a boolean', false, 'tags: expected a map of tags, received a boolean (false)'],
  ])('throws for %s', (_label, value, message) => {
    expect(thrown(() => parseTags(value)).message).toBe(message);
  });

  it('merges every tag set of BucketTaggingConfiguration', () => {
    const value = { tagSets: [{ tags: { a: '1', b: '2' } }, { tags: null }, { tags: { b: '3' } }] };
    expect(parseTaggingConfiguration(value)).toStrictEqual({ a: '1', b: '3' });
  });

  it('throws when tagSets is not a list', () => {
    expect(thrown(() => parseTaggingConfiguration('{"tagSets":{}}')).message).toBe(
      'BucketTaggingConfiguration.tagSets: expected a list of tag sets, received an object',
    );
  });
});

describe('IAM action syntax check', () => {
  const IAM_ACTION = /^(?:\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;
  const accepts = (action: string): boolean => {
    try {
      parsePolicyDocument({ Statement: [{ Effect: 'Allow', Principal: '*', Action: [action] }] });
      return true;
    } catch (error) {
      if (error instanceof MalformedInputError) return false;
      throw error;
    }
  };

  it('accepts exactly what `^(?:\\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$` accepts', () => {
    const characters = fc.constantFrom(...'aZ09-:*?. \n"_s3'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: characters, maxLength: 12 }), fc.string({ maxLength: 12 })), (action) => {
        expect(accepts(action)).toBe(IAM_ACTION.test(action));
      }),
      { numRuns: 3000 },
    );
  });

  it.each(['s3:GetObject', 's3:Get*', 's3:*', '*', 'kms:Decrypt', 'aws-portal:View?illing'])('accepts %s', (action) => {
    expect(accepts(action)).toBe(true);
  });

  it.each([
    's3:',
    ':GetObject',
    's3::GetObject',
    's3:Get-Object',
    's_3:GetObject',
    '"s3:GetObject"',
    's3:GetObject\n',
    '**',
  ])('rejects %j', (action) => {
    expect(accepts(action)).toBe(false);
  });
});
