import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../lib/config/index.js';
import { config } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stratify-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const clone = (): Record<string, any> => JSON.parse(JSON.stringify(config));

describe('config', () => {
  test('the default file loads: four partners, one per program', () => {
    expect(DEFAULT_CONFIG_PATH.endsWith('config/stratify.json')).toBe(true);
    expect(config.partners.map((p) => `${p.name}:${p.program}`)).toEqual([
      'sugarwise:diabetes',
      'pressurepoint:hypertension',
      'breatheasy:copd',
      'heartline:heart_failure',
    ]);
    expect(config.dispatch).toEqual({
      tiers: ['critical', 'high'],
      suppression_days: 30,
      cooloff_days: { declined: 90, unreachable: 14 },
      exclusions: ['hospice', 'esrd', 'institutional', 'deceased', 'enrolled'],
    });
  });

  test('files above 1 GiB go to the ingest state machine unless deploy says otherwise; 0 sends every one', async () => {
    expect(config.deploy.ingest_large_file_bytes).toBe(1_073_741_824);
    const c = clone();
    c.deploy = { ingest_large_file_bytes: 0 };
    expect(loadConfig(await fileWith('all-large.json', c)).deploy.ingest_large_file_bytes).toBe(0);
  });

  test('dispatch settings have defaults', async () => {
    const c = clone();
    c.dispatch = {};
    expect(loadConfig(await fileWith('defaults.json', c)).dispatch.suppression_days).toBe(30);
  });

  test.each([
    ['unknown program', (c: Record<string, any>) => (c.partners[0].program = 'cardiology'), 'partners.0.program'],
    ['two partners for one program', (c: Record<string, any>) => (c.partners[1].program = 'diabetes'), 'partners.1.program'],
    ['missing rule', (c: Record<string, any>) => delete c.scoring.rules.lace, 'scoring.rules.lace'],
    ['missing alert rule', (c: Record<string, any>) => delete c.scoring.monitoring.rules.spo2_low, 'scoring.monitoring.rules.spo2_low'],
    ['unknown severity', (c: Record<string, any>) => (c.scoring.monitoring.rules.spo2_low.severity = 'critical'), 'scoring.monitoring.rules.spo2_low.severity'],
    ['override of an unknown rule', (c: Record<string, any>) => (c.scoring.monitoring.overrides = { copd: { spo2: { at: 90 } } }), 'scoring.monitoring.overrides.copd'],
    ['unknown exclusion', (c: Record<string, any>) => (c.dispatch.exclusions = ['moved']), 'dispatch.exclusions.0'],
    ['points not increasing', (c: Record<string, any>) => (c.scoring.rules.ed_visits.levels[2].points = 1), 'scoring.rules.ed_visits.levels'],
    ['cut-offs decreasing', (c: Record<string, any>) => (c.tiers.top_percent.high = 1), 'tiers.top_percent'],
    ['unknown tier', (c: Record<string, any>) => (c.dispatch.tiers = ['urgent']), 'dispatch.tiers.0'],
    ['wrong version', (c: Record<string, any>) => (c.version = 2), 'version'],
    ['normalization without coding intensity', (c: Record<string, any>) => (c.scoring.prospective.normalization = 1.067), 'scoring.prospective.normalization'],
    ['a negative large-file threshold', (c: Record<string, any>) => (c.deploy = { ingest_large_file_bytes: -1 }), 'deploy.ingest_large_file_bytes'],
    // 4 GiB + 1 byte: above it Lambda's 15 minutes would be within reach of the files the function drives (lib/config/deploy.ts)
    ['a large-file threshold above 4 GiB', (c: Record<string, any>) => (c.deploy = { ingest_large_file_bytes: 4 * 2 ** 30 + 1 }), 'deploy.ingest_large_file_bytes'],
  ])('%s: the error names the file and the field path', async (name, change, path) => {
    const c = clone();
    change(c);
    const file = await fileWith(`${name.replaceAll(' ', '-')}.json`, c);
    expect(() => loadConfig(file)).toThrow(file);
    expect(() => loadConfig(file)).toThrow(new RegExp(`\\b${path.replaceAll('.', '\\.')}: `));
  });

  test('a file that is not JSON, or missing, is named', async () => {
    const bad = await fileWith('broken.json', '{ "version": 1,');
    expect(() => loadConfig(bad)).toThrow(bad);
    expect(() => loadConfig(join(dir, 'nope.json'))).toThrow(join(dir, 'nope.json'));
  });
});

describe('config: clinically impossible thresholds are refused, naming the field', () => {
  test.each([
    ['a negative blood-pressure crisis level', (c: Record<string, any>) => (c.scoring.monitoring.rules.bp_crisis.at = -180), 'scoring.monitoring.rules.bp_crisis.at: must be at least 50 mmHg'],
    ['a diastolic crisis level of 0', (c: Record<string, any>) => (c.scoring.monitoring.rules.bp_crisis.diastolic_at = 0), 'scoring.monitoring.rules.bp_crisis.diastolic_at: must be at least 20 mmHg'],
    ['SpO2 above 100', (c: Record<string, any>) => (c.scoring.monitoring.rules.spo2_low.at = 101), 'scoring.monitoring.rules.spo2_low.at: must be at most 100 %'],
    ['a weight gain of 0 lb', (c: Record<string, any>) => (c.scoring.monitoring.rules.weight_gain_7d.at = 0), 'scoring.monitoring.rules.weight_gain_7d.at: must be above 0 lb'],
    ['more than 30 days of readings in 30', (c: Record<string, any>) => (c.scoring.monitoring.rules.non_adherent.at = 31), 'scoring.monitoring.rules.non_adherent.at: must be at most 30 days'],
    ['a program override of SpO2 120', (c: Record<string, any>) => (c.scoring.monitoring.overrides = { copd: { spo2_low: { at: 120 } } }), 'scoring.monitoring.overrides.copd.spo2_low.at: must be at most 100 %'],
    ['an ingest ceiling of 0', (c: Record<string, any>) => (c.ingest = { max_amount_usd: 0 }), 'ingest.max_amount_usd: Too small'],
  ])('%s', async (_, change, message) => {
    const c = clone();
    change(c);
    const path = await fileWith('impossible.json', c);
    expect(() => loadConfig(path)).toThrow(message);
  });
});
