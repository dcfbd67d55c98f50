/**
 * cdk-nag (AwsSolutions and HIPAA Security) over the whole app: nothing unacknowledged, every acknowledgement with a
 * reason and answering a finding that really exists; and the configuration errors a deployer sees.
 */
import { readFileSync } from 'node:fs';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../lib/config/index.js';
import { DEFAULT_CONFIG, buildApp, configWithPartnerAccounts, writeConfig } from './synth-helpers.js';

interface Finding {
  readonly rule: string;
  readonly path: string;
}

function findings(scope: IConstruct): Finding[] {
  return [new AwsSolutionsChecks(), new HIPAASecurityChecks()].flatMap((pack) =>
    pack.validateScope(scope).violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '(unknown path)' }))),
  );
}

function acknowledgements(scope: IConstruct): { path: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^Annotation::/, ''), reason }))),
  );
}

afterEach(() => vi.restoreAllMocks());

describe('cdk-nag', () => {
  // test/infra/cdk-synth.test.ts runs the same packs as synth-time plugins through `npx cdk synth`
  it('finds nothing unacknowledged in the AwsSolutions and HIPAA Security packs', () => {
    expect(findings(buildApp().app)).toEqual([]);
  });

  it('finds nothing unacknowledged with partners reading from other AWS accounts (their queues\' own keys and policies)', () => {
    expect(findings(buildApp({ configPath: configWithPartnerAccounts({ heartline: '333333333333' }) }).app)).toEqual([]);
  });

  it('has a reason on every acknowledgement, and a real finding behind each', () => {
    const acked = acknowledgements(buildApp().app);
    expect(acked.length).toBeGreaterThan(10);
    for (const a of acked) {
      expect(a.reason.length, a.id).toBeGreaterThan(50);
      expect(a.reason, a.id).not.toMatch(/\$\{Token\[/);
    }

    vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
    const raw = findings(buildApp().app);
    for (const a of acked) {
      expect(
        raw.some((f) => f.rule === a.id && (f.path === a.path || f.path.startsWith(`${a.path}/`))),
        `${a.id} at ${a.path} answers no finding`,
      ).toBe(true);
    }
  });
});

describe('configuration errors', () => {
  const raw = () => JSON.parse(readFileSync(DEFAULT_CONFIG, 'utf8')) as Record<string, unknown>;

  it('name the file and the field', () => {
    const path = writeConfig({ ...raw(), deploy: { schedule: 'every day at six' } });
    expect(() => buildApp({ configPath: path })).toThrow(ConfigError);
    expect(() => buildApp({ configPath: path })).toThrow(`${path}: invalid configuration:`);
    expect(() => buildApp({ configPath: path })).toThrow('  deploy.schedule: an EventBridge cron(...) or rate(...) expression');
  });
});
