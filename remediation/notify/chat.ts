/**
 * The machine-readable stream next to the email: each email as one JSON document in the custom-notification shape
 * that AWS's chat integration (Amazon Q Developer in chat applications, formerly AWS Chatbot) accepts for Slack and
 * Microsoft Teams, which ticketing and other https/SQS/Lambda subscribers parse just as well. Always in English.
 * Pure: the publisher puts it under SNS's per-protocol message structure (runtime/publish.ts).
 */
import { capLength, headWithin } from '../../model/inert-text';
import type { Email, EmailFacts } from './format';

export interface ChatNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly content: {
    readonly title: string;
    readonly description: string;
    readonly nextSteps?: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    /** One chat thread per target (account + bucket, or account), so the updates of one incident stay together. */
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly relatedResources: readonly string[];
    readonly additionalContext: Readonly<Record<string, string>>;
  };
}

/** Chat messages stay readable: the rest of a long email is in the email itself. */
export const MAX_CHAT_DESCRIPTION = 20_000;
const CUT_NOTE = '\n[bucketguard: cut here; the email has the full text]';

/**
 * Chat clients read `<...>` as links and mentions (`<!channel>`, `<https://evil|click>`): the text is already free of
 * control characters; replacing "<" with the look-alike "‹" (U+2039) keeps untrusted values from becoming markup
 * as well, and leaves the rest readable in chat and in tickets alike ("->" stays as it is).
 */
export function chatSafe(text: string): string {
  return text.replace(/</g, '\u2039');
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${headWithin(text, max - CUT_NOTE.length)}${CUT_NOTE}`;
}

/** The subject's verdict, for emails built without facts: "[bucketguard] FIXED: ..." -> FIXED. */
function verdictOf(subject: string): string {
  const match = /^(?:\[bucketguard\] )?([A-Z][A-Z _-]*?):/.exec(subject);
  return match ? match[1] : 'NOTICE';
}

/** A fact is an identifier (an account id, a Region, a bucket name): a hostile event's megabyte "Region" is cut. */
const MAX_FACT_LENGTH = 256;

function capFacts(facts: EmailFacts): EmailFacts {
  const cap = (value: string | undefined) => (value === undefined ? undefined : capLength(value, MAX_FACT_LENGTH));
  const accountId = cap(facts.accountId);
  const region = cap(facts.region);
  const bucket = cap(facts.bucket);
  return {
    verdict: capLength(facts.verdict, MAX_FACT_LENGTH),
    source: facts.source,
    ...(accountId ? { accountId } : {}),
    ...(region ? { region } : {}),
    ...(bucket ? { bucket } : {}),
    ...(facts.links ? { links: facts.links.slice(0, 10).map((link) => capLength(link, 2048)) } : {}),
  };
}

export function chatNotification(email: Email): ChatNotification {
  const facts = capFacts(email.facts ?? { verdict: verdictOf(email.subject), source: 'bucketguard' });
  const accountId = facts.accountId;
  const thread = ['bucketguard', accountId ?? 'unknown-account', facts.bucket ?? 'account']
    .join('-')
    .replace(/[^A-Za-z0-9.-]/g, '_');
  const context: Record<string, string> = {
    verdict: facts.verdict,
    source: facts.source,
    // The same value as the SNS message attribute, for chat and ticketing rules.
    severity: email.severity ?? 'normal',
  };
  if (accountId) context.accountId = accountId;
  if (facts.region) context.region = facts.region;
  if (facts.bucket) context.bucket = facts.bucket;
  return {
    version: '1.0',
    source: 'custom',
    content: {
      title: chatSafe(email.subject),
      description: cut(chatSafe(email.body.trimEnd()), MAX_CHAT_DESCRIPTION),
      ...(facts.links && facts.links.length > 0 ? { nextSteps: facts.links.map(chatSafe) } : {}),
      keywords: [facts.verdict, ...(accountId ? [accountId] : []), ...(facts.region ? [facts.region] : [])].map(
        chatSafe,
      ),
    },
    metadata: {
      threadId: thread,
      summary: chatSafe(email.subject),
      eventType: `bucketguard-${facts.source}`,
      relatedResources: facts.bucket ? [`arn:aws:s3:::${facts.bucket}`] : accountId ? [accountId] : [],
      additionalContext: Object.fromEntries(Object.entries(context).map(([key, value]) => [key, chatSafe(value)])),
    },
  };
}
