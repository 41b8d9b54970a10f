/**
 * Emails per incident, over the recorded incident sequences in events/incidents/ (one folder per sequence: the
 * buckets' configuration items before, then every signal in order: CloudTrail calls, bucketguard's own fix, alarms,
 * Config results). Each sequence is replayed through the real responders offline, as `bucketguard replay` does, in
 * the mode the sequence names (auto-fix sequences in remediate mode), and every email is counted.
 *
 * An incident is one target (a bucket) within the sequence; the target is at most 2 emails per incident: the first
 * signal, and its outcome. No timing: a count, the same on every machine.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadInputs, RESPONSE_KINDS } from '../bin/load';
import { replayResponse } from '../bin/offline/replay-response';
import { createWorld } from '../bin/offline/world';
import type { RemediationMode } from '../remediation/actions/action-definition';

export const EMAILS_PER_INCIDENT_TARGET = 2;
/** The role of the sequences' recorded fixes (events/cloudtrail/put-bucket-public-access-block-by-bucketguard.json). */
const REMEDIATION_ROLE_ARN = 'arn:aws:iam::111122223333:role/bucketguard-RemediationRole-EXAMPLE';

/** Sequences whose story is an automatic fix run in remediate mode; the others in notify mode (the default). */
const REMEDIATE = new Set(['public-policy-auto-fixed', 'flapping']);

export interface IncidentSequence {
  readonly name: string;
  readonly mode: RemediationMode;
  readonly signals: number;
  readonly incidents: number;
  readonly emails: number;
  readonly subjects: readonly string[];
}

export async function measureIncidents(eventsDir: string): Promise<IncidentSequence[]> {
  const root = join(eventsDir, 'incidents');
  const sequences: IncidentSequence[] = [];
  for (const name of readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()) {
    const loaded = await loadInputs([join(root, name)]);
    if (loaded.problems.length > 0) throw new Error(`${name}: ${loaded.problems.map((p) => p.message).join('; ')}`);
    const items = loaded.documents.flatMap((document) => document.items);
    const signals = loaded.documents.filter((document) => RESPONSE_KINDS.has(document.kind));
    const mode: RemediationMode = REMEDIATE.has(name) ? 'remediate' : 'notify';
    const result = await replayResponse(
      signals.map((document) => ({ source: document.source, document: document.document })),
      createWorld({ items }),
      { mode, remediationRoleArn: REMEDIATION_ROLE_ARN },
    );
    if (result.problems.length > 0) throw new Error(`${name}: ${result.problems.map((p) => p.message).join('; ')}`);
    sequences.push({
      name,
      mode,
      signals: signals.length,
      incidents: items.length,
      emails: result.notifications.length,
      subjects: result.notifications.map((notification) => notification.subject),
    });
  }
  return sequences;
}

export async function runIncidentBench(): Promise<string[]> {
  const sequences = await measureIncidents(join(__dirname, '..', 'events'));
  const lines = sequences.map(
    (s) =>
      `  ${s.name} (${s.mode}): ${s.signals} signals, ${s.incidents} incident(s), ${s.emails} emails = ${(s.emails / s.incidents).toFixed(1)} per incident`,
  );
  const emails = sequences.reduce((sum, s) => sum + s.emails, 0);
  const incidents = sequences.reduce((sum, s) => sum + s.incidents, 0);
  lines.push(
    `emails per incident: ${(emails / incidents).toFixed(2)} over ${incidents} incidents [target <= ${EMAILS_PER_INCIDENT_TARGET}: the first signal and its outcome]`,
  );
  return lines;
}
