/**
 * The recorded fixtures under events/, parsed and classified by kind.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Json } from './basics';

export interface Fixture {
  readonly file: string;
  readonly json: Json;
}

/** Every JSON file under events/ (recursively), parsed. Missing folder -> []. */
export function loadFixtures(root: string = join(__dirname, '..', '..', 'events')): Fixture[] {
  const out: Fixture[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.json')) {
        try {
          out.push({ file: relative(root, full), json: JSON.parse(readFileSync(full, 'utf8')) as Json });
        } catch {
          // A fixture that is not JSON is some other suite's business (and would itself be a fuzz input).
        }
      }
    }
  };
  walk(root);
  return out;
}

const isRecord = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export type FixtureKind =
  | 'config-invocation'
  | 'compliance-change'
  | 'cloudtrail'
  | 'alarm'
  | 'sns'
  | 'configuration-item'
  | 'other';

export function classifyFixture(json: Json): FixtureKind {
  if (!isRecord(json)) return 'other';
  if ('invokingEvent' in json) return 'config-invocation';
  if (json['detail-type'] === 'Config Rules Compliance Change') return 'compliance-change';
  if (json['detail-type'] === 'AWS API Call via CloudTrail') return 'cloudtrail';
  if ('alarmData' in json) return 'alarm';
  if (Array.isArray(json.Records) && isRecord(json.Records[0]) && 'Sns' in json.Records[0]) return 'sns';
  if ('resourceType' in json && ('configurationItemCaptureTime' in json || 'configuration' in json))
    return 'configuration-item';
  return 'other';
}

export function fixturesOfKind(kind: FixtureKind, fixtures: readonly Fixture[] = loadFixtures()): Fixture[] {
  return fixtures.filter((f) => classifyFixture(f.json) === kind);
}

// ---------------------------------------------------------------------------------------------------------------
