import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ReplayEvent, replayResponse } from '../../../bin/offline/replay-response';
import { createWorld, type OfflineWorld } from '../../../bin/offline/world';
import { EVENTS_DIR, loadEvent } from '../../remediation/helpers';

const event = (path: string): ReplayEvent => ({ source: path, document: loadEvent(path) });
/** The offline world of these recorded configuration items (events/ paths). */
const known = (...paths: string[]): OfflineWorld => createWorld({ items: paths.map(loadEvent) });

describe('replayResponse', () => {
  it('dry run (the default): plans from the recorded item, mails what would change', async () => {
    const result = await replayResponse(
      [event('eventbridge/compliance-public-read-noncompliant.json')],
      known('config-items/bucket-invocation-public-read-acl.json'),
    );
    expect(result.plans).toEqual([
      {
        action: 'block-public-access',
        target: 'example-public-assets',
        changes: [
          'BlockPublicAcls: false -> true',
          'IgnorePublicAcls: false -> true',
          'BlockPublicPolicy: false -> true',
          'RestrictPublicBuckets: false -> true',
        ],
        status: 'would-change',
        reason: 'dry run: would turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets',
        source: 'eventbridge/compliance-public-read-noncompliant.json',
      },
    ]);
    expect(result.notifications).toHaveLength(1);
    expect(result.notifications[0]).toMatchObject({
      trigger: 'Config Rules Compliance Change',
      subject: '[bucketguard] DRY RUN: example-public-assets NON_COMPLIANT (s3-bucket-public-access-prohibited)',
      source: 'eventbridge/compliance-public-read-noncompliant.json',
    });
    expect(result.problems).toEqual([]);
  });

  const APPROVED = JSON.stringify([
    {
      bucket: 'example-product-*',
      reason: 'Public product images served by CloudFront (SEC-1234)',
      approver: 'secteam',
      until: '2026-04-30',
    },
  ]);
  const withList = (...paths: string[]): OfflineWorld =>
    createWorld({ items: paths.map(loadEvent), parameters: { '/bucketguard/replay/exemptions': APPROVED } });

  it('never touches a bucket with an approved exemption, whichever trigger arrives', async () => {
    const result = await replayResponse(
      [
        event('eventbridge/compliance-exempt-bucket-noncompliant.json'),
        event('cloudtrail/put-bucket-policy-exempt-bucket.json'),
      ],
      withList('config-items/bucket-invocation-exempt-tagged.json'),
      {
        mode: 'remediate',
        now: new Date('2026-03-01T00:00:00Z'),
        exemptionsParameter: '/bucketguard/replay/exemptions',
      },
    );
    const reason =
      'exempt until 2026-04-30, approved by secteam ("Public product images served by CloudFront (SEC-1234)"): not changed';
    expect(result.plans.map((plan) => [plan.status, plan.reason])).toEqual([
      ['skipped', reason],
      ['skipped', reason],
    ]);
    expect(result.notifications.map((notification) => notification.subject)).toEqual([
      '[bucketguard] EXEMPT: example-product-images NON_COMPLIANT (s3-bucket-level-public-access-blocked)',
      '[bucketguard] EXEMPT: Admin/alice put a bucket policy on example-product-images',
    ]);
  });

  it('self-exemption: the same tagged bucket without an approved entry is fixed, and the email says so', async () => {
    const result = await replayResponse(
      [event('eventbridge/compliance-exempt-bucket-noncompliant.json')],
      known('config-items/bucket-invocation-exempt-tagged.json'),
      { now: new Date('2026-03-01T00:00:00Z') },
    );
    expect(result.plans[0]).toMatchObject({
      status: 'would-change',
      reason:
        'dry run: would turn on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets (exemption requested by tag, not approved)',
    });
    expect(result.notifications[0].body).toContain('  Exempt:       no: requested with tag bucketguard:exempt, not');
  });

  it('an unreadable list is no exemption: the fix goes ahead and says why', async () => {
    const result = await replayResponse(
      [event('eventbridge/compliance-exempt-bucket-noncompliant.json')],
      known('config-items/bucket-invocation-exempt-tagged.json'),
      { now: new Date('2026-03-01T00:00:00Z'), exemptionsParameter: '/bucketguard/missing/exemptions' },
    );
    expect(result.plans[0]).toMatchObject({ status: 'would-change' });
    expect(result.plans[0].reason).toContain(
      'the exemption list could not be read (GetParameter failed: ParameterNotFound (400)): no exemption applies',
    );
  });

  it('without a recorded item the tags are unknown: no longer a reason to skip (the list alone decides)', async () => {
    const result = await replayResponse([event('cloudtrail/put-bucket-public-access-block-all-off.json')], known());
    expect(result.plans).toEqual([
      expect.objectContaining({
        action: 'block-public-access',
        target: 'example-private-data',
        status: 'would-change',
        source: 'cloudtrail/put-bucket-public-access-block-all-off.json',
      }),
    ]);
  });

  it('remediate mode applies in-process, verifies, and stops a fight after three fixes', async () => {
    const fight = [
      'cloudtrail/put-bucket-public-access-block-all-off.json',
      'cloudtrail/delete-bucket-public-access-block.json',
      'cloudtrail/delete-public-access-block-bucket-level.json',
      'cloudtrail/put-bucket-ownership-controls-object-writer.json',
    ].map(event);
    // After the guard trips, every later fix of the same bucket in the window is stopped too.
    const result = await replayResponse(
      [...fight.slice(0, 3), fight[0], fight[3]],
      known('config-items/bucket-invocation-private-full-bpa.json'),
      { mode: 'remediate', now: new Date('2024-03-20T10:30:00Z') },
    );
    expect(result.plans.map((plan) => plan.status)).toEqual(['changed', 'changed', 'changed', 'skipped', 'skipped']);
    expect(result.plans[0].reason).toBe('PutPublicAccessBlock succeeded; verified by reading it back');
    expect(result.plans[3].reason).toBe(
      'already remediated 3 times since 2024-03-20T10:30:00.000Z (limit 3 per 3600 s): something keeps undoing it, so bucketguard stopped until 2024-03-20T11:30:00.000Z; find and fix the source',
    );
    expect(result.notifications.map((notification) => notification.subject.split(':')[0])).toEqual([
      '[bucketguard] FIXED',
      '[bucketguard] FIXED',
      '[bucketguard] FIXED',
      '[bucketguard] STOPPED',
      '[bucketguard] STOPPED',
    ]);
  });

  it('account level: recorded deletion -> would turn all four on', async () => {
    const result = await replayResponse(
      [event('eventbridge/compliance-account-bpa-noncompliant.json')],
      known('config-items/account-bpa-invocation-deleted.json'),
    );
    expect(result.plans).toEqual([
      expect.objectContaining({
        action: 'block-account-public-access',
        target: '111122223333',
        status: 'would-change',
      }),
    ]);
  });

  it('reports actions this deployment has not enabled as skipped', async () => {
    const result = await replayResponse([event('cloudtrail/create-bucket.json')], known());
    // Nothing recorded gives the new bucket's Block Public Access: with all four flags configured, the fix does not
    // depend on reading it (issue 13), so it would write all four; the action not enabled is skipped.
    expect(result.plans.map((plan) => [plan.action, plan.status])).toEqual([
      ['block-public-access', 'would-change'],
      ['enable-versioning', 'skipped'],
    ]);
    expect(result.plans[0].reason).toMatch(/^dry run: would turn on all four flags without reading them first/);
    expect(result.plans[1].reason).toBe('enable-versioning is not enabled in this deployment (BUCKETGUARD_ACTIONS)');
  });

  it('enable-versioning when enabled: the recorded Suspended bucket would be versioned', async () => {
    const result = await replayResponse(
      [event('eventbridge/compliance-versioning-suspended-noncompliant.json')],
      known('config-items/bucket-invocation-versioning-suspended.json'),
      { actions: ['enable-versioning'] },
    );
    expect(result.plans).toEqual([
      expect.objectContaining({
        action: 'enable-versioning',
        status: 'would-change',
        changes: ['Versioning: Suspended -> Enabled'],
      }),
    ]);
  });

  it('reports unreadable triggers as problems and keeps going', async () => {
    const result = await replayResponse(
      [
        event('cloudtrail/put-bucket-policy-missing-bucket-name.json'),
        event('alarms/eventbridge-policy-changed-alarm.json'),
      ],
      known(),
    );
    expect(result.problems).toEqual([
      {
        source: 'cloudtrail/put-bucket-policy-missing-bucket-name.json',
        message: 'Cannot read AWS API Call via CloudTrail event: PutBucketPolicy has no requestParameters.bucketName.',
      },
    ]);
    expect(result.notifications.map((notification) => notification.trigger)).toEqual(['CloudWatch Alarm State Change']);
  });

  it('replays every recorded trigger together with every recorded item without throwing, one email per mailed finding', async () => {
    const triggers = ['eventbridge', 'cloudtrail', 'alarms'].flatMap((folder) =>
      readdirSync(join(EVENTS_DIR, folder))
        .filter((name) => name.endsWith('.json'))
        .map((name) => event(`${folder}/${name}`)),
    );
    const items = readdirSync(join(EVENTS_DIR, 'config-items'))
      .filter((name) => name.endsWith('.json') && !name.startsWith('other-'))
      .map((name) => `config-items/${name}`);
    const result = await replayResponse(triggers, known(...items), {
      actions: ['block-public-access', 'block-account-public-access', 'enable-versioning'],
    });
    const perSource = new Map<string, number>();
    for (const notification of result.notifications)
      perSource.set(notification.source, (perSource.get(notification.source) ?? 0) + 1);
    // One email per mailed finding: no file produces two (the trail file's second record only tightens).
    expect([...perSource.values()].every((count) => count === 1)).toBe(true);
    expect(perSource.size).toBeGreaterThan(20);
    expect(result.notifications.every((notification) => notification.subject.length < 100)).toBe(true);
    expect(result.plans.every((plan) => plan.status !== 'changed' && plan.status !== 'failed')).toBe(true);
  });
});
