/**
 * The re-check after a stopped fix, against moto's EventBridge Scheduler: the schedule the remediation function
 * creates (remediation/runtime/recheck-scheduler.ts) with a real SDK v3 client, read back with GetSchedule.
 *
 * moto differences met here: moto stores schedules but never runs them (no invocation at the `at()` time) and does not
 * check the target role or the function ARN; the re-delivery itself is tested with the recorded payload in
 * test/security/attacks-remediation.test.ts, and the role's permissions in test/infra/recheck.test.ts.
 */
import {
  CreateScheduleGroupCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { Outcome } from '../../remediation/actions/outcome';
import { EventBridgeRecheckScheduler, recheckScheduleName } from '../../remediation/runtime/recheck-scheduler';
import { loadEvent } from '../remediation/helpers';
import { motoClient, motoSuite } from './moto';

const { account } = motoSuite();
const GROUP = 'bucketguard-recheck-integration';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:bucketguard-remediation';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/bucketguard-recheck-scheduler';

const stopped: Outcome = {
  action: 'block-public-access',
  targetKind: 'bucket',
  target: 'example-private-data',
  mode: 'remediate',
  status: 'skipped',
  reason: 'stopped',
  changes: [],
  flapping: { count: 3, limit: 3, windowSeconds: 3600, windowEndsAt: '2030-03-20T11:12:00.000Z' },
};

let client: SchedulerClient;

beforeAll(async () => {
  client = motoClient(SchedulerClient, account);
  await client.send(new CreateScheduleGroupCommand({ Name: GROUP }));
});

test('creates the one-time schedule with the trigger as its input; a second stop in the window finds it', async () => {
  const scheduler = new EventBridgeRecheckScheduler(() => client, {
    group: GROUP,
    roleArn: ROLE_ARN,
    functionArn: () => FUNCTION_ARN,
  });
  const trigger = loadEvent('cloudtrail/delete-bucket-public-access-block.json');
  const name = recheckScheduleName(stopped);
  expect(await scheduler.schedule(stopped, trigger)).toEqual({
    at: '2030-03-20T11:13:00.000Z',
    scheduled: true,
    detail: `schedule ${GROUP}/${name}`,
  });
  const schedule = await client.send(new GetScheduleCommand({ Name: name, GroupName: GROUP }));
  expect(schedule).toMatchObject({
    Name: name,
    GroupName: GROUP,
    ScheduleExpression: 'at(2030-03-20T11:13:00)',
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: FUNCTION_ARN, RoleArn: ROLE_ARN },
  });
  expect(JSON.parse(schedule.Target?.Input ?? '{}')).toEqual({
    ...(trigger as object),
    bucketguardRecheck: {
      action: 'block-public-access',
      target: 'example-private-data',
      windowEndsAt: '2030-03-20T11:12:00.000Z',
    },
  });

  // Same target, same window: moto answers ConflictException as AWS does, and no second schedule appears.
  expect((await scheduler.schedule(stopped, trigger)).scheduled).toBe(true);
  const listed = await client.send(new ListSchedulesCommand({ GroupName: GROUP }));
  expect(listed.Schedules?.map((entry) => entry.Name)).toEqual([name]);
});
