/**
 * The emails a person receives per incident today, over the recorded incident sequences (bench/incidents.ts): the
 * figure issue 15 sets out to bring to at most 2 (the first signal and its outcome). These counts are today's
 * behaviour, asserted exactly so that a change to them is seen; they are the "before" of the incident work.
 */
import { join } from 'node:path';
import { measureIncidents } from '../../bench/incidents';

const EVENTS = join(__dirname, '..', '..', 'events');

it('replays every recorded incident sequence and counts its emails', async () => {
  const sequences = await measureIncidents(EVENTS);
  expect(
    sequences.map(({ name, mode, signals, incidents, emails }) => ({ name, mode, signals, incidents, emails })),
  ).toEqual([
    { name: 'flapping', mode: 'remediate', signals: 8, incidents: 1, emails: 4 },
    { name: 'public-acl-fixed-by-a-person', mode: 'notify', signals: 6, incidents: 1, emails: 5 },
    { name: 'public-policy-auto-fixed', mode: 'remediate', signals: 8, incidents: 1, emails: 7 },
    { name: 'two-buckets-at-once', mode: 'notify', signals: 4, incidents: 2, emails: 4 },
  ]);
  const flapping = sequences[0];
  // bucketguard's own fixes are not mailed again (the remediation role is known); the fourth undo stops the fix.
  expect(flapping.subjects).toEqual([
    '[bucketguard] FIXED: Admin/mallory put a bucket policy on example-incident-flap',
    '[bucketguard] FIXED: Admin/mallory put a bucket policy on example-incident-flap',
    '[bucketguard] FIXED: Admin/mallory put a bucket policy on example-incident-flap',
    '[bucketguard] STOPPED: Admin/mallory put a bucket policy on example-incident-flap',
  ]);
});
