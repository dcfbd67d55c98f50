/**
 * Partners in other AWS accounts (`partners[].account_id`): each account may receive and delete on its own queue and
 * decrypt that queue's messages through SQS, and reaches nothing else — no other partner's queue, no other key, not
 * the data key of the buckets. Read from the synthesized template (bundling skipped).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config/index.js';
import { PARTNER_QUEUE_ACTIONS } from '../../infra/dispatch.js';
import { asList, buildApp, configWithPartnerAccounts, flatArn, refId, resourcesOf, type Built, type Resources, type Statement } from './synth-helpers.js';

const SUGARWISE = '111111111111';
const PRESSUREPOINT = '222222222222';

let built: Built;
let queues: Resources;
let keys: Resources;

/** the logical id of a partner's queue (not its dead-letter queue) */
const queueId = (partner: string) => Object.keys(queues).find((id) => new RegExp(`^Partners${partner}[A-F0-9]{8}$`).test(id))!;

const principalsOf = (s: Statement) => JSON.stringify(s.Principal ?? {});

beforeAll(() => {
  built = buildApp({ configPath: configWithPartnerAccounts({ sugarwise: SUGARWISE, pressurepoint: PRESSUREPOINT }) });
  queues = resourcesOf(built.template, 'AWS::SQS::Queue');
  keys = resourcesOf(built.template, 'AWS::KMS::Key');
});

describe('partners in other AWS accounts', () => {
  it("let each account receive, delete and change visibility on its own queue, and on no other queue", () => {
    const grants: { account: string; queues: string[]; actions: string[] }[] = [];
    for (const policy of Object.values(resourcesOf(built.template, 'AWS::SQS::QueuePolicy'))) {
      const target = asList(policy.Properties!['Queues'] as unknown[]).map(refId);
      for (const s of (policy.Properties!['PolicyDocument'] as { Statement: Statement[] }).Statement) {
        if (s.Effect !== 'Allow') continue;
        const account = /(\d{12})/.exec(principalsOf(s))?.[1];
        if (account === undefined) continue;
        const resources = asList(s.Resource).map(flatArn);
        grants.push({ account, queues: [...target.map(String), ...resources.map((r) => r.replace(/^<(.*)\.Arn>$/, '$1'))], actions: asList(s.Action).sort() });
      }
    }
    expect(grants.sort((a, b) => a.account.localeCompare(b.account))).toEqual([
      { account: SUGARWISE, queues: [queueId('sugarwise'), queueId('sugarwise')], actions: [...PARTNER_QUEUE_ACTIONS].sort() },
      { account: PRESSUREPOINT, queues: [queueId('pressurepoint'), queueId('pressurepoint')], actions: [...PARTNER_QUEUE_ACTIONS].sort() },
    ]);
    // no send, no purge, no policy change
    expect(PARTNER_QUEUE_ACTIONS.some((a) => /Send|Purge|SetQueue|Delete(Queue)$/.test(a))).toBe(false);
  });

  it("encrypt each such queue with a key of its own, which that account may use to decrypt through SQS for that queue only", () => {
    const keyOf = (queue: string) => refId(queues[queue]!.Properties!['KmsMasterKeyId']);
    const dataKey = Object.keys(keys).find((k) => k.startsWith('KeysData'))!;
    for (const [partner, account] of [['sugarwise', SUGARWISE], ['pressurepoint', PRESSUREPOINT]] as const) {
      const key = keyOf(queueId(partner))!;
      expect(key, partner).not.toBe(dataKey);
      const statements = (keys[key]!.Properties!['KeyPolicy'] as { Statement: Statement[] }).Statement.filter((s) => principalsOf(s).includes(account));
      expect(statements.length, partner).toBe(1);
      const [grant] = statements;
      expect(asList(grant!.Action)).toEqual(['kms:Decrypt']);
      const condition = JSON.stringify(grant!.Condition);
      expect(condition).toContain('kms:ViaService');
      // the queue's ARN, from its fixed name
      expect(queues[queueId(partner)]!.Properties!['QueueName']).toBe(`stratify-partner-${partner}`);
      expect(flatArn((grant!.Condition as { StringEquals: Record<string, unknown> }).StringEquals['kms:EncryptionContext:aws:sqs:arn'])).toBe(
        `arn:<AWS::Partition>:sqs:<AWS::Region>:<AWS::AccountId>:stratify-partner-${partner}`,
      );
    }
    // the partners without an account keep the data key
    for (const partner of ['breatheasy', 'heartline']) expect(keyOf(queueId(partner)), partner).toBe(dataKey);
  });

  it('name neither account in any other policy: not the data key, not the other partner\'s key or queue, not a bucket', () => {
    const text = (r: { Properties?: Record<string, unknown> }) => JSON.stringify(r.Properties ?? {});
    const mentions = (account: string) =>
      Object.entries(built.template.toJSON()['Resources'] as Resources)
        .filter(([, r]) => text(r).includes(account))
        .map(([id, r]) => `${r.Type} ${id.replace(/[A-F0-9]{8}$/, '')}`)
        .sort();
    expect(mentions(SUGARWISE)).toEqual(['AWS::KMS::Key PartnerssugarwiseKey', 'AWS::SQS::QueuePolicy PartnerssugarwisePolicy']);
    expect(mentions(PRESSUREPOINT)).toEqual(['AWS::KMS::Key PartnerspressurepointKey', 'AWS::SQS::QueuePolicy PartnerspressurepointPolicy']);
  });

  it('refuses an account id that is not 12 digits, naming the field', () => {
    const path = configWithPartnerAccounts({ sugarwise: '12345' });
    expect(() => loadConfig(path)).toThrow(ConfigError);
    expect(() => loadConfig(path)).toThrow(/partners\.0\.account_id: a 12-digit AWS account id/);
  });

  it('let the dispatch function encrypt with the partners\' own keys', () => {
    const policies = Object.entries(resourcesOf(built.template, 'AWS::IAM::Policy')).filter(([id]) => id.startsWith('PipelineDispatchFunctionRole'));
    const kmsResources = policies.flatMap(([, p]) =>
      (p.Properties!['PolicyDocument'] as { Statement: Statement[] }).Statement.filter((s) => asList(s.Action).includes('kms:GenerateDataKey')).flatMap((s) =>
        asList(s.Resource).map(refId),
      ),
    );
    for (const partner of ['sugarwise', 'pressurepoint']) {
      expect(kmsResources, partner).toContain(refId(queues[queueId(partner)]!.Properties!['KmsMasterKeyId']));
    }
  });
});
