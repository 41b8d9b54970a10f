/**
 * Issue 13: adding, changing or removing tags (PutBucketTagging, DeleteBucketTagging) is on the fast path: one email
 * saying who asked for what exemption on which bucket, and whether the deployment's approved list approves it. The
 * tag is only ever a request: the call is never remediated, and a tag alone never reads as an approval.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { known, unknown } from '../../../model/types';
import type { Email } from '../../../remediation/notify/format';
import { notifyResponder } from '../../../remediation/notify/handler';
import { routingConfigOf, SILENT_LOGGER } from '../../../remediation/response/respond';
import { routeFinding } from '../../../remediation/response/route';
import { loadResponseConfig } from '../../../remediation/runtime/config';
import type { ApiCallFinding } from '../../../remediation/triggers/finding';
import { findingOf } from '../helpers';

const EVENTS = join(__dirname, '..', '..', '..', 'events');
const recorded = (file: string): unknown => JSON.parse(readFileSync(join(EVENTS, 'cloudtrail', file), 'utf8'));
const config = loadResponseConfig({ BUCKETGUARD_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:bucketguard' });
const NOW = new Date('2024-03-20T12:00:00Z');

async function mail(file: string, list: Parameters<typeof known>[0] | 'unreadable' | undefined): Promise<Email[]> {
  const emails: Email[] = [];
  await notifyResponder({
    config,
    logger: SILENT_LOGGER,
    publish: async (email) => {
      emails.push(email);
    },
    now: () => NOW,
    ...(list === undefined
      ? {}
      : {
          approvedList: async () => ({
            list: list === 'unreadable' ? unknown('GetParameter failed: AccessDenied') : known(list as never),
            maxDays: 90,
          }),
        }),
  })(recorded(file));
  return emails;
}

describe('tagging calls on the fast path', () => {
  it('reads the whole tag set of a PutBucketTagging record and routes it to the notify Lambda, never to an action', () => {
    const finding = findingOf('cloudtrail/put-bucket-tagging-exemption-request.json') as ApiCallFinding;
    expect(finding.change).toEqual({
      setting: 'tagging',
      tags: known({
        'bucketguard:exempt': 'public website, ask SEC',
        'bucketguard:exempt-until': '9999-12-31',
        team: 'web',
      }),
    });
    const route = routeFinding(finding, routingConfigOf({ ...config, mode: 'remediate' }));
    expect(route.actions).toEqual([]);
    expect(route.emailBy).toBe('notify');
    const deleted = findingOf('cloudtrail/delete-bucket-tagging.json') as ApiCallFinding;
    expect(deleted.change).toEqual({ setting: 'tagging', tags: known(null) });
  });

  it('a self-exemption by tag is mailed as a request with no approval', async () => {
    const [email] = await mail('put-bucket-tagging-exemption-request.json', []);
    expect(email.subject).toBe(
      '[bucketguard] CHANGE: Developer/mallory asked for an exemption of bucket example-private-data (t...',
    );
    const flat = email.body.replace(/\s+/g, ' ');
    expect(flat).toContain('Exemption: requested: bucketguard:exempt = "public website, ask SEC" until "9999-12-31"');
    expect(flat).toContain('Other tags: 1');
    expect(flat).toContain('Approval: none: no approved entry for this bucket, so it is evaluated and fixed normally');
    expect(email.body).toContain('  Identity:     arn:aws:sts::111122223333:assumed-role/Developer/mallory');
    expect(email.body).toContain('  Source IP:    198.51.100.7');
  });

  it('names the approved entry when the security team approved the bucket', async () => {
    const [email] = await mail('put-bucket-tagging-exemption-request.json', [
      {
        bucket: 'example-private-*',
        rules: ['s3-bucket-public-access-prohibited'],
        reason: 'website (SEC-1234)',
        approver: 'secteam',
        until: '2024-04-30',
      },
    ]);
    const approval = email.body.slice(email.body.indexOf('  Approval:')).replace(/\s+/g, ' ');
    expect(approval).toContain(
      'Approval: approved: bucket example-private-* (approved by secteam until 2024-04-30: website (SEC-1234)) for s3-bucket-public-access-prohibited',
    );
  });

  it('says when the list cannot be read (never exempt on doubt), and mails a DeleteBucketTagging', async () => {
    const [unreadable] = await mail('put-bucket-tagging-exemption-request.json', 'unreadable');
    expect(unreadable.body).toContain('unknown: the approved exemption list could not be read');
    const [deleted] = await mail('delete-bucket-tagging.json', []);
    expect(deleted.subject).toBe(
      '[bucketguard] CHANGE: Developer/mallory deleted every tag of bucket example-private-data',
    );
    expect(deleted.body).toContain('  Tags:         all removed, bucketguard:exempt included if it was set');
  });
});
