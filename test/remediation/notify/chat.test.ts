import { chatNotification, chatSafe, MAX_CHAT_DESCRIPTION } from '../../../remediation/notify/chat';
import { formatFinding } from '../../../remediation/notify/format';
import { subjectLine } from '../../../remediation/notify/text';
import { findingOf } from '../helpers';

const CONTEXT = { rulePrefix: 'bucketguard-', exemptionTag: 'bucketguard:exempt' };

describe('the machine-readable stream (chat custom notifications)', () => {
  it('carries a Config result as the email text plus the facts a program routes on, threaded per bucket', () => {
    const email = formatFinding(findingOf('eventbridge/compliance-public-read-noncompliant.json'), [], CONTEXT);
    const chat = chatNotification(email);
    expect(chat.version).toBe('1.0');
    expect(chat.source).toBe('custom');
    expect(chat.content.title).toBe(
      '[bucketguard] ALERT: example-public-assets NON_COMPLIANT (s3-bucket-public-access-prohibited)',
    );
    expect(chat.content.description).toBe(chatSafe(email.body.trimEnd()));
    expect(chat.content.description).toContain('Compliance:   COMPLIANT -> NON_COMPLIANT');
    expect(chat.content.keywords).toEqual(['ALERT', '111122223333', 'us-east-1']);
    expect(chat.metadata).toEqual({
      threadId: 'bucketguard-111122223333-example-public-assets',
      summary: chat.content.title,
      eventType: 'bucketguard-config',
      relatedResources: ['arn:aws:s3:::example-public-assets'],
      additionalContext: {
        verdict: 'ALERT',
        source: 'config',
        accountId: '111122223333',
        region: 'us-east-1',
        bucket: 'example-public-assets',
      },
    });
  });

  it('keeps hostile text inert in chat too: no mention or link markup survives, no control character', () => {
    const email = formatFinding(findingOf('cloudtrail/put-bucket-policy-hostile-text.json'), [], CONTEXT);
    const hostile = { ...email, body: `${email.body}\nUser agent: "<!channel> <https://evil.example|click> &amp;"` };
    const text = JSON.stringify(chatNotification(hostile));
    expect(text).not.toContain('<');
    expect(text).toContain('\u2039!channel> \u2039https://evil.example|click> &amp;');
    expect(text).not.toMatch(/\\u00[01][0-9a-f]|\\u001b|\u202e|\u200b/i);
    expect(chatNotification(hostile).metadata.eventType).toBe('bucketguard-cloudtrail');
    expect(chatSafe('a < b -> c & d')).toBe('a \u2039 b -> c & d');
  });

  it('derives the verdict from the subject for an email built without facts, and cuts a long body saying so', () => {
    const chat = chatNotification({
      subject: '[bucketguard] TAMPERING: x',
      body: 'y'.repeat(MAX_CHAT_DESCRIPTION * 2),
    });
    expect(chat.metadata.additionalContext).toEqual({ verdict: 'TAMPERING', source: 'bucketguard' });
    expect(chat.content.description.length).toBeLessThanOrEqual(MAX_CHAT_DESCRIPTION);
    expect(chat.content.description.endsWith('[bucketguard: cut here; the email has the full text]')).toBe(true);
  });
});

describe('subjects never cut the bucket name or the account id', () => {
  const bucket = `b${'x'.repeat(61)}z`; // 63 characters, the longest bucket name
  it('moves the kept values to the front and shortens the rest of the headline', () => {
    const subject = subjectLine(
      'ALERT',
      `arn:aws:sts::111122223333:assumed-role/${'R'.repeat(40)}/s put a bucket policy on ${bucket}`,
      [bucket],
    );
    expect(subject).toBe(`[bucketguard] ALERT: ${bucket} - arn:aws:s...`);
    expect(subject.length).toBe(99);
  });

  it('drops the prefix before it cuts a kept value; the verdict stays', () => {
    const subject = subjectLine('FIX FAILED', `something about ${bucket} in 111122223333`, [bucket, '111122223333']);
    expect(subject.startsWith(`FIX FAILED: ${bucket} 111122223333`)).toBe(true);
    expect(subject.length).toBeLessThanOrEqual(99);
  });

  it('leaves a subject that fits exactly as it was', () => {
    expect(subjectLine('FIXED', 'bucket example-private-data', ['example-private-data'])).toBe(
      '[bucketguard] FIXED: bucket example-private-data',
    );
  });
});
