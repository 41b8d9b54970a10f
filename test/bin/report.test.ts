import {
  csvField,
  parseFormat,
  type ResultRow,
  renderCsv,
  renderJson,
  renderTable,
  summaryLine,
} from '../../bin/report';

const rows: ResultRow[] = [
  {
    resourceType: 'AWS::S3::Bucket',
    resourceId: 'example-a',
    accountId: '123456789012',
    rule: 's3-bucket-public-access-prohibited',
    compliance: 'NON_COMPLIANT',
    annotation: 'Public read via ACL: AllUsers has READ; IgnorePublicAcls is off, "really".',
    source: 'in/a.json',
  },
  {
    resourceType: 'AWS::S3::Bucket',
    resourceId: 'example-a',
    accountId: '123456789012',
    rule: 's3-bucket-versioning-enabled',
    compliance: 'COMPLIANT',
    annotation: 'Versioning is enabled.',
    source: 'in/a.json',
  },
  {
    resourceType: 'AWS::S3::AccountPublicAccessBlock',
    resourceId: '123456789012',
    accountId: null,
    rule: 's3-account-level-public-access-blocked',
    compliance: 'NOT_APPLICABLE',
    annotation: 'line one\nline two',
    source: 'in/b.json',
  },
];

describe('CSV (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['', ''],
  ])('csvField(%j) = %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('renders a header and CRLF-terminated records, null as empty', () => {
    expect(renderCsv(rows)).toBe(
      'resourceType,resourceId,accountId,rule,compliance,annotation,source\r\n' +
        'AWS::S3::Bucket,example-a,123456789012,s3-bucket-public-access-prohibited,NON_COMPLIANT,"Public read via ACL: AllUsers has READ; IgnorePublicAcls is off, ""really"".",in/a.json\r\n' +
        'AWS::S3::Bucket,example-a,123456789012,s3-bucket-versioning-enabled,COMPLIANT,Versioning is enabled.,in/a.json\r\n' +
        'AWS::S3::AccountPublicAccessBlock,123456789012,,s3-account-level-public-access-blocked,NOT_APPLICABLE,"line one\nline two",in/b.json\r\n',
    );
  });
});

describe('table', () => {
  it('aligns columns, groups by source and ends with the summary', () => {
    expect(renderTable(rows)).toBe(
      [
        '  COMPLIANCE      RULE                                    TYPE         RESOURCE      ANNOTATION',
        'in/a.json',
        '  NON_COMPLIANT   s3-bucket-public-access-prohibited      bucket       example-a     Public read via ACL: AllUsers has READ; IgnorePublicAcls is off, "really".',
        '  COMPLIANT       s3-bucket-versioning-enabled            bucket       example-a     Versioning is enabled.',
        'in/b.json',
        '  NOT_APPLICABLE  s3-account-level-public-access-blocked  account BPA  123456789012  line one\\u000aline two',
        '',
        '3 results for 2 resources: 1 NON_COMPLIANT, 1 NOT_APPLICABLE, 1 COMPLIANT',
      ].join('\n'),
    );
    expect(renderTable([])).toBe('No results.');
  });

  it('summaryLine counts by compliance, findings first', () => {
    expect(summaryLine(rows.slice(1, 2))).toBe('1 result for 1 resource: 1 COMPLIANT');
    expect(summaryLine([...rows].reverse())).toBe(
      '3 results for 2 resources: 1 NON_COMPLIANT, 1 NOT_APPLICABLE, 1 COMPLIANT',
    );
  });
});

describe('JSON', () => {
  it('is {"results": [...]} with every row key in a fixed order', () => {
    const parsed = JSON.parse(renderJson(rows.slice(2), { plans: [] }));
    expect(parsed).toEqual({ results: [rows[2]], plans: [] });
    expect(Object.keys(parsed.results[0])).toEqual([
      'resourceType',
      'resourceId',
      'accountId',
      'rule',
      'compliance',
      'annotation',
      'source',
    ]);
  });
});

describe('parseFormat', () => {
  it('accepts the allowed formats case-insensitively and rejects others with the list', () => {
    expect(parseFormat('CSV', ['table', 'json', 'csv'], 'table')).toBe('csv');
    expect(parseFormat(undefined, ['table', 'json', 'csv'], 'table')).toBe('table');
    expect(() => parseFormat('xml', ['table', 'json', 'csv'], 'table')).toThrow(
      '--format must be one of table, json, csv; received "xml".',
    );
  });
});
