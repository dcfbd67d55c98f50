/**
 * The grants of infra/layout.ts against the keys the code really builds: every object a stage writes, reads or
 * deletes falls under a prefix its function is granted for that action. A key function moved to another prefix in
 * lib/ fails here, not as an AccessDenied after deployment.
 */
import { describe, expect, it } from 'vitest';
import { ACCESS, FEEDBACK_PREFIX, LANDING_PREFIX, type StageName } from '../../infra/layout.js';
import { manifestKey } from '../../lib/ingest/ingest-file.js';
import { partKey } from '../../lib/ingest/batch-writer.js';
import { quarantineKey } from '../../lib/ingest/quarantine.js';
import { worklistKey } from '../../lib/pipeline/dispatch.js';
import { featuresKey } from '../../lib/pipeline/features.js';
import { flagsKey, scoresKey } from '../../lib/pipeline/score.js';
import { feedbackPrefix } from '../../lib/queue/feedback.js';
import { ledgerKey } from '../../lib/queue/ledger.js';
import { CURATED_TABLES } from '../../lib/tables/index.js';

type Action = 'read' | 'write' | 'delete';

function granted(stage: StageName, bucket: 'landing' | 'lake', key: string, action: Action): boolean {
  return ACCESS[stage].objects.some((o) => o.bucket === bucket && key.startsWith(o.prefix) && o[action] === true);
}

const SHA16 = '0123456789abcdef';
const AS_OF = '2026-06-30';

describe('infra/layout.ts grants', () => {
  it('let ingest read landing files and write, reread and clean up what it writes', () => {
    expect(granted('ingest', 'landing', `${LANDING_PREFIX}2026-06-30/eligibility.csv`, 'read')).toBe(true);
    for (const table of CURATED_TABLES) {
      for (const action of ['read', 'write', 'delete'] as const) expect(granted('ingest', 'lake', partKey(table, SHA16, 1), action), `${table.name} ${action}`).toBe(true);
    }
    for (const action of ['read', 'write'] as const) {
      expect(granted('ingest', 'lake', quarantineKey(SHA16), action)).toBe(true);
      expect(granted('ingest', 'lake', manifestKey(SHA16), action)).toBe(true);
    }
    expect(granted('ingest', 'lake', featuresKey(AS_OF), 'read')).toBe(false);
  });

  it('let the feedback function read the drop and write the lake copy and its rejects', () => {
    expect(feedbackPrefix('pressurepoint').startsWith(FEEDBACK_PREFIX)).toBe(true);
    expect(granted('feedback', 'landing', `${feedbackPrefix('pressurepoint')}2026-07-02.ndjson`, 'read')).toBe(true);
    expect(granted('feedback', 'lake', `${feedbackPrefix('pressurepoint')}${SHA16}.ndjson`, 'write')).toBe(true);
    expect(granted('feedback', 'lake', quarantineKey(SHA16), 'write')).toBe(true);
    expect(granted('feedback', 'lake', `${feedbackPrefix('pressurepoint')}${SHA16}.ndjson`, 'read')).toBe(false);
  });

  it('let the stages write their outputs and read their inputs, and nothing of the curated tables directly', () => {
    for (const action of ['write', 'delete'] as const) expect(granted('features', 'lake', featuresKey(AS_OF), action)).toBe(true);
    expect(granted('features', 'lake', 'seeds/ccw_chronic_conditions/ccw_chronic_conditions.csv', 'write')).toBe(true);
    expect(granted('score', 'lake', featuresKey(AS_OF), 'read')).toBe(true);
    expect(granted('score', 'lake', scoresKey(AS_OF), 'write')).toBe(true);
    expect(granted('score', 'lake', flagsKey(AS_OF), 'write')).toBe(true);
    expect(granted('dispatch', 'lake', worklistKey(AS_OF, 'pressurepoint'), 'write')).toBe(true);
    for (const action of ['read', 'write'] as const) expect(granted('dispatch', 'lake', ledgerKey('pressurepoint'), action)).toBe(true);
    expect(granted('dispatch', 'lake', `${feedbackPrefix('pressurepoint')}${SHA16}.ndjson`, 'read')).toBe(true);
    for (const stage of ['features', 'score', 'dispatch'] as const) {
      expect(granted(stage, 'lake', partKey(CURATED_TABLES[0], SHA16, 1), 'write'), stage).toBe(false);
    }
  });
});
