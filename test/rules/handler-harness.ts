/**
 * Shared harness for the per-rule handler tests: the real Lambda handler, a recorded change event from events/rules,
 * AWS clients mocked at the client boundary, and the exact PutEvaluations input checked. Each handler test is a
 * table of its own cases.
 */
import { ConfigServiceClient, type Evaluation, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { changeEvent, readFixture } from './builders';

export const configMock = mockClient(ConfigServiceClient);
export const s3Mock = mockClient(S3Client);
export const s3controlMock = mockClient(S3ControlClient);

export interface HandlerCase {
  /** File under events/rules/<ruleId>/. */
  readonly fixture: string;
  /** The one evaluation the handler must send, exactly. */
  readonly evaluation: Evaluation;
  /** Live S3 / S3 Control reads the handler must make; when absent the client must not be called at all. */
  readonly s3Calls?: () => void;
  readonly s3controlCalls?: () => void;
}

export interface RuleHandlerSpec {
  readonly ruleId: string;
  readonly handler: (event: unknown) => Promise<unknown>;
  /** Extra client responses, set after every reset. */
  readonly arrange?: () => void;
  readonly cases: readonly HandlerCase[];
}

const INVALID_PARAMETERS =
  /^Invalid rule parameters: Invalid rule parameter "exemptionTags": received "x"; expected one of the parameters this rule accepts: /;

export function describeRuleHandler({ ruleId, handler, arrange, cases }: RuleHandlerSpec): void {
  beforeEach(() => {
    configMock.reset();
    s3Mock.reset();
    s3controlMock.reset();
    configMock.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    arrange?.();
  });

  describe(`${ruleId} handler`, () => {
    for (const { fixture, evaluation, s3Calls, s3controlCalls } of cases) {
      it(`evaluates ${fixture} and sends the evaluation to AWS Config (TESTMODE)`, async () => {
        await handler(changeEvent(ruleId, readFixture(ruleId, fixture)));

        expect(configMock).toHaveReceivedCommandTimes(PutEvaluationsCommand, 1);
        expect(configMock).toHaveReceivedCommandWith(PutEvaluationsCommand, {
          Evaluations: [evaluation],
          ResultToken: 'TESTMODE',
          TestMode: true,
        });
        if (s3controlCalls) s3controlCalls();
        else expect(s3controlMock).not.toHaveReceivedAnyCommand();
        if (s3Calls) s3Calls();
        else expect(s3Mock).not.toHaveReceivedAnyCommand();
      });

      it(`reports invalid parameters on ${evaluation.ComplianceResourceId} instead of guessing`, async () => {
        await handler(changeEvent(ruleId, readFixture(ruleId, fixture), '{"exemptionTags":"x"}'));

        const [call] = configMock.commandCalls(PutEvaluationsCommand);
        expect(call.args[0].input.Evaluations).toEqual([
          expect.objectContaining({
            ComplianceResourceId: evaluation.ComplianceResourceId,
            ComplianceType: 'NOT_APPLICABLE',
          }),
        ]);
        expect(call.args[0].input.Evaluations?.[0].Annotation).toMatch(INVALID_PARAMETERS);
      });
    }
  });
}
