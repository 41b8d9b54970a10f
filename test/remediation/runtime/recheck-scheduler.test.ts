import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { Outcome } from '../../../remediation/actions/outcome';
import { recheckOf, recheckPayload, singleTrigger } from '../../../remediation/response/recheck';
import {
  atExpression,
  EventBridgeRecheckScheduler,
  recheckScheduleName,
  scheduleRechecks,
  unqualifiedFunctionArn,
} from '../../../remediation/runtime/recheck-scheduler';
import { awsError } from '../helpers';

const schedulerMock = mockClient(SchedulerClient);
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:111122223333:function:remediation';
const stopped: Outcome = {
  action: 'block-public-access',
  targetKind: 'bucket',
  target: 'example-private-data',
  mode: 'remediate',
  status: 'skipped',
  reason: 'stopped',
  changes: [],
  flapping: { count: 3, limit: 3, windowSeconds: 3600, windowEndsAt: '2024-03-20T11:12:00.000Z' },
};
const trigger = { 'detail-type': 'AWS API Call via CloudTrail', detail: {} };
const scheduler = (functionArn: () => string | undefined = () => FUNCTION_ARN) =>
  new EventBridgeRecheckScheduler(() => new SchedulerClient({ region: 'us-east-1' }), {
    group: 'g',
    roleArn: 'arn:aws:iam::111122223333:role/r',
    functionArn,
  });

beforeEach(() => schedulerMock.reset());

describe('the re-check payload', () => {
  it('one record of an SNS batch is re-delivered as a batch of one; other events as they are', () => {
    const batch = { Records: [{ Sns: { Message: 'a' } }, { Sns: { Message: 'b' } }] };
    expect(singleTrigger(batch, 1)).toEqual({ Records: [{ Sns: { Message: 'b' } }] });
    expect(singleTrigger(trigger, 0)).toBe(trigger);
  });

  it('adds the marker, and recheckOf reads it back (and nothing else)', () => {
    const payload = recheckPayload(trigger, stopped);
    expect(recheckOf(payload)).toEqual({
      action: 'block-public-access',
      target: 'example-private-data',
      windowEndsAt: '2024-03-20T11:12:00.000Z',
    });
    expect(recheckOf(trigger)).toBeUndefined();
    expect(recheckOf({ bucketguardRecheck: { action: 1 } })).toBeUndefined();
  });
});

describe('EventBridgeRecheckScheduler', () => {
  it('names, times and targets the schedule', async () => {
    schedulerMock.on(CreateScheduleCommand).resolves({});
    expect(await scheduler().schedule(stopped, trigger)).toEqual({
      at: '2024-03-20T11:13:00.000Z',
      scheduled: true,
      detail: `schedule g/${recheckScheduleName(stopped)}`,
    });
    expect(recheckScheduleName(stopped)).toMatch(/^recheck-[0-9a-f]{40}$/);
    expect(atExpression(new Date('2024-03-20T11:13:00.123Z'))).toBe('at(2024-03-20T11:13:00)');
  });

  it('a schedule already there (a second stop in the same window) counts as scheduled', async () => {
    schedulerMock
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: { httpStatusCode: 409 } }));
    expect((await scheduler().schedule(stopped, trigger)).scheduled).toBe(true);
  });

  it('a failed CreateSchedule, an unknown function ARN or a huge trigger: not scheduled, and says why', async () => {
    schedulerMock.on(CreateScheduleCommand).rejects(awsError('AccessDeniedException', 400));
    expect(await scheduler().schedule(stopped, trigger)).toEqual({
      at: '2024-03-20T11:13:00.000Z',
      scheduled: false,
      detail: 'CreateSchedule failed: AccessDeniedException (400)',
    });
    expect((await scheduler(() => undefined).schedule(stopped, trigger)).detail).toBe(
      'the remediation function ARN is not known (no Lambda context)',
    );
    const huge = { ...trigger, padding: 'x'.repeat(200_001) };
    expect((await scheduler().schedule(stopped, huge)).detail).toMatch(/^the trigger is too large to re-deliver/);
  });

  it('scheduleRechecks touches only stopped outcomes', async () => {
    schedulerMock.on(CreateScheduleCommand).resolves({});
    const fixed: Outcome = { ...stopped, status: 'changed', flapping: undefined };
    const [a, b] = await scheduleRechecks([{ ...fixed }, stopped], trigger, scheduler());
    expect(a.flapping).toBeUndefined();
    expect(b.flapping?.recheck?.scheduled).toBe(true);
    expect(schedulerMock).toHaveReceivedCommandTimes(CreateScheduleCommand, 1);
  });

  it('strips an alias or version from the invoked ARN', () => {
    expect(unqualifiedFunctionArn(`${FUNCTION_ARN}:live`)).toBe(FUNCTION_ARN);
    expect(unqualifiedFunctionArn(FUNCTION_ARN)).toBe(FUNCTION_ARN);
  });
});
