/**
 * The hostile-text attack (issue 13): a principal we watch controls the user agent and, through the request, the error
 * message of a CloudTrail event. Whatever they put there reaches the email and the terminal inert: no escape
 * sequence, control or format character, no forged line, and capped.
 */

import { renderTable } from '../../bin/report';
import { escapeForTerminal } from '../../model/inert-text';
import { formatApiCall } from '../../remediation/notify/format';
import { MAX_SUBJECT_LENGTH, subjectLine } from '../../remediation/notify/text';
import type { ApiCallFinding } from '../../remediation/triggers/finding';
import { findingOf } from '../remediation/helpers';

const CONTEXT = { rulePrefix: 'bucketguard-', exemptionTag: 'bucketguard:exempt' };
// C0/C1 controls, DEL, bidi embeddings/overrides/isolates, zero-width characters, BOM.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/u;

describe('hostile text in a CloudTrail event', () => {
  const finding = findingOf('cloudtrail/put-bucket-policy-hostile-text.json') as ApiCallFinding;
  const email = formatApiCall(finding, [], CONTEXT);

  it('the body carries no escape, control or format character', () => {
    expect(FORBIDDEN.test(email.body)).toBe(false);
    expect(email.body).not.toContain('\u001b');
    expect(email.body).toContain('click'); // the visible text stays, as data
  });

  it('no attacker text starts a line, so no forged "[bucketguard] FIXED" or "Subject:" line', () => {
    for (const line of email.body.split('\n')) {
      expect(line.startsWith('[bucketguard]')).toBe(false);
      expect(line.startsWith('Subject:')).toBe(false);
    }
    expect(email.body).toContain('[bucketguard] FIXED'); // shown, but inside the quoted value
  });

  it('the 100 kB user agent is capped and says how much was left out', () => {
    expect(email.body.length).toBeLessThan(20_000);
    expect(email.body).toMatch(/\.\.\.\s+\(\d+ more characters\)/);
  });

  it('the subject stays within SNS limits and carries no such character', () => {
    expect(email.subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(FORBIDDEN.test(email.subject)).toBe(false);
    expect(/[\r\n]/.test(email.subject)).toBe(false);
    const forged = subjectLine('FIXED', 'bucket\u001b[2J\r\nSubject: x\u202e\u200b');
    expect(forged).toBe('[bucketguard] FIXED: bucket Subject: x');
  });

  it('the CLI table shows non-printable characters escaped', () => {
    const table = renderTable([
      {
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'bucket\u001b[2J\u202e',
        accountId: '111122223333',
        rule: 's3-bucket-versioning-enabled',
        compliance: 'NON_COMPLIANT',
        annotation: 'Sid "a\u001b]8;;https://evil.example/\u0007b" \u200b',
        source: 'items\u001b[31m.json',
      },
    ]);
    expect(table).not.toContain('\u001b');
    expect(table).not.toContain('\u202e');
    expect(table).toContain('bucket\\u001b[2J\\u202e');
    expect(table).toContain('items\\u001b[31m.json');
    expect(escapeForTerminal('\u0007')).toBe('\\u0007');
  });
});
