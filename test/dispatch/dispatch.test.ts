import { createHash } from 'node:crypto';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { rowsToParquet } from '../../lib/parquet/writer.js';
import { dispatch } from '../../lib/pipeline/dispatch.js';
import { scoreMembers } from '../../lib/pipeline/score.js';
import { ledgerKey } from '../../lib/queue/ledger.js';
import { intentKey, writeIntent } from '../../lib/queue/intent.js';
import { flagMessage, flagMessageSchema, toQueueMessage } from '../../lib/queue/message.js';
import { OutboxQueue } from '../../lib/queue/outbox.js';
import type { Queue, QueueMessage, SendResult } from '../../lib/queue/port.js';
import type { FlagRow } from '../../lib/scoring/population.js';
import type { LocalFolderStore } from '../../lib/store/local.js';
import { flags } from '../../lib/tables/index.js';
import { AS_OF, config, member, tempPipeline, writeFeatures, type TempPipeline } from '../scoring/fixtures.js';

const flag = (partner: string, person_id: string, rank: number, tier: string, score: number, reasons: string[]): Omit<FlagRow, 'as_of_date'> => ({
  partner,
  program: config.partners.find((p) => p.name === partner)!.program,
  person_id,
  rank,
  tier,
  score,
  reasons: JSON.stringify(reasons),
  transitions_of_care: false,
});

const FLAGS = [
  flag('heartline', 'p1', 1, 'critical', 61, ['Weight up 2.6 kg in 7 days (>= 2)', 'Lowest SpO2 87% in the last 30 days (< 88)']),
  flag('heartline', 'p4', 2, 'high', 40, ['Weight up 2.1 kg in 7 days (>= 2)']),
  flag('pressurepoint', 'p2', 1, 'critical', 44, ['Average systolic 166 mmHg over the last 30 days (>= 160)', 'Systolic rising 1.3 mmHg a day over 30 days']),
  flag('pressurepoint', 'p3', 2, 'high', 36, ['Said "call after 5", prefers phone', '2 ED visits in the last 90 days']),
  flag('pressurepoint', 'p5', 3, 'high', 30, ['Average systolic 152 mmHg over the last 30 days (>= 140)']),
  flag('sugarwise', 'p6', 1, 'high', 33, ['Lowest glucose 52 mg/dL in the last 30 days (< 54)']),
];

async function writeFlags(p: TempPipeline, asOf: string, rows = FLAGS): Promise<void> {
  await p.store.put(`flags/as_of=${asOf}/flags.parquet`, rowsToParquet(flags, rows.map((r) => ({ ...r, as_of_date: asOf }))));
  await p.engine.refresh();
}

const text = async (p: TempPipeline, key: string): Promise<string> => new TextDecoder().decode(await p.store.get(key));
const lines = async (p: TempPipeline, key: string): Promise<unknown[]> =>
  (await p.store.exists(key)) ? (await text(p, key)).trim().split('\n').map((l) => JSON.parse(l)) : [];
const outbox = (p: TempPipeline, partner: string): Promise<unknown[]> => lines(p, OutboxQueue.keyFor(partner));
const counts = (r: Awaited<ReturnType<typeof dispatch>>): Record<string, [number, number, number, number]> =>
  Object.fromEntries(r.partners.map((x) => [x.partner, [x.flagged, x.sent, x.suppressed, x.failed]]));

/** A queue that fails the messages of the given people and delivers the rest to the outbox. */
class FailingQueue implements Queue {
  readonly location = 'failing';
  readonly #outbox: OutboxQueue;
  constructor(
    store: LocalFolderStore,
    private readonly failing: ReadonlySet<string>,
  ) {
    this.#outbox = new OutboxQueue(store);
  }
  async send(partner: string, messages: readonly QueueMessage[]): Promise<SendResult> {
    const fails = (m: QueueMessage): boolean => this.failing.has((JSON.parse(m.body) as { person_id: string }).person_id);
    const ok = await this.#outbox.send(partner, messages.filter((m) => !fails(m)));
    return { sent: ok.sent, failed: messages.filter(fails).map((m) => ({ idempotencyKey: m.idempotencyKey, reason: 'throttled' })) };
  }
}

let p: TempPipeline;
beforeEach(async () => {
  p = await tempPipeline();
});
afterEach(async () => {
  await p.close();
});

/** the message heartline receives for p1 of FLAGS, but for its key and reasons */
const P1_MESSAGE = {
  schema: 'stratify.flag/v1',
  partner: 'heartline',
  program: 'heart_failure',
  person_id: 'p1',
  as_of_date: AS_OF,
  tier: 'critical',
  rank: 1,
  score: 61,
};

/** person_id → status column of a partner's worklist */
async function statuses(t: TempPipeline, asOf: string, partner: string): Promise<Record<string, string>> {
  const rows = Papa.parse<Record<string, string>>(await text(t, `worklists/as_of=${asOf}/${partner}.csv`), { header: true, skipEmptyLines: true }).data;
  return Object.fromEntries(rows.map((r) => [r.person_id, r.status]));
}

describe('dispatch', () => {
  test('one ranked CSV per partner, one valid message per flagged member', async () => {
    await writeFlags(p, AS_OF);
    const result = await dispatch(p.ctx, AS_OF, config);
    expect(counts(result)).toEqual({
      sugarwise: [1, 1, 0, 0],
      pressurepoint: [3, 3, 0, 0],
      breatheasy: [0, 0, 0, 0],
      heartline: [2, 2, 0, 0],
    });
    const pp = result.partners.find((x) => x.partner === 'pressurepoint')!;
    expect(pp.worklistKey).toBe('worklists/as_of=2024-06-30/pressurepoint.csv');
    expect(pp.outboxLocation).toBe(`${p.store.location}/outbox/pressurepoint.ndjson`);

    expect(await text(p, pp.worklistKey)).toBe(
      [
        'rank,person_id,program,tier,score,status,reasons',
        '1,p2,hypertension,critical,44,sent 2024-06-30,Average systolic 166 mmHg over the last 30 days; Systolic rising 1.3 mmHg a day over 30 days',
        '2,p3,hypertension,high,36,sent 2024-06-30,"Said ""call after 5"", prefers phone; 2 ED visits in the last 90 days"',
        '3,p5,hypertension,high,30,sent 2024-06-30,Average systolic 152 mmHg over the last 30 days',
        '',
      ].join('\n'),
    );
    expect(await text(p, 'worklists/as_of=2024-06-30/breatheasy.csv')).toBe('rank,person_id,program,tier,score,status,reasons\n');

    const sent = await outbox(p, 'heartline');
    expect(sent).toHaveLength(2);
    for (const body of [...sent, ...(await outbox(p, 'pressurepoint')), ...(await outbox(p, 'sugarwise'))]) {
      const m = flagMessageSchema.parse(body);
      expect(Object.keys(body as object).sort()).toEqual(
        ['as_of_date', 'idempotency_key', 'partner', 'person_id', 'program', 'rank', 'reasons', 'schema', 'score', 'tier'].sort(),
      );
      expect(m.idempotency_key).toBe(createHash('sha256').update(`${m.partner}|${m.person_id}|${m.program}|${m.as_of_date}`).digest('hex'));
    }
    expect(sent[0]).toMatchObject({
      ...P1_MESSAGE,
      reasons: ['Weight up 2.6 kg in 7 days (>= 2)', 'Lowest SpO2 87% in the last 30 days (< 88)'],
    });
  });

  test('the message schema refuses extra fields such as a birth date or a name', () => {
    const body = { ...P1_MESSAGE, idempotency_key: 'a'.repeat(64), reasons: ['x'] };
    expect(flagMessageSchema.safeParse(body).success).toBe(true);
    expect(flagMessageSchema.safeParse({ ...body, birth_date: '1940-01-01' }).success).toBe(false);
    expect(flagMessageSchema.safeParse({ ...body, name: 'Jane Doe' }).success).toBe(false);
  });

  test('rerunning the same as-of date sends nothing twice', async () => {
    await writeFlags(p, AS_OF);
    await dispatch(p.ctx, AS_OF, config);
    const again = await dispatch(p.ctx, AS_OF, config);
    expect(again.partners.reduce((s, x) => s + x.sent, 0)).toBe(0);
    expect(counts(again).pressurepoint).toEqual([3, 0, 3, 0]);
    expect(await outbox(p, 'pressurepoint')).toHaveLength(3);
    expect(await lines(p, ledgerKey('pressurepoint'))).toHaveLength(3);
    // the rerun's worklist shows the members as sent that day, as the first run's did
    expect(await statuses(p, AS_OF, 'pressurepoint')).toEqual({ p2: 'sent 2024-06-30', p3: 'sent 2024-06-30', p5: 'sent 2024-06-30' });
  });

  test('a member sent within the suppression window is suppressed; after it, sent again', async () => {
    await writeFlags(p, AS_OF);
    await dispatch(p.ctx, AS_OF, config);

    const nextDay = '2024-07-01';
    await writeFlags(p, nextDay, [...FLAGS, flag('pressurepoint', 'p7', 4, 'high', 29, ['No device reading for 21 days'])]);
    const next = await dispatch(p.ctx, nextDay, config);
    expect(counts(next).pressurepoint).toEqual([4, 1, 3, 0]);
    expect((await outbox(p, 'pressurepoint')).map((m) => (m as { person_id: string }).person_id)).toEqual(['p2', 'p3', 'p5', 'p7']);
    expect(await statuses(p, nextDay, 'pressurepoint')).toEqual({
      p2: 'sent 2024-06-30, within 30 days',
      p3: 'sent 2024-06-30, within 30 days',
      p5: 'sent 2024-06-30, within 30 days',
      p7: 'sent 2024-07-01',
    });

    const day29 = '2024-07-29'; // 29 days after the first send: still inside the 30-day window
    await writeFlags(p, day29, FLAGS.slice(0, 1));
    expect(counts(await dispatch(p.ctx, day29, config)).heartline).toEqual([1, 0, 1, 0]);

    const day30 = '2024-07-30';
    await writeFlags(p, day30, FLAGS.slice(0, 1));
    expect(counts(await dispatch(p.ctx, day30, config)).heartline).toEqual([1, 1, 0, 0]);
  });

  test('failed sends stay out of the ledger and go on the next run', async () => {
    const failing = await tempPipeline((store) => new FailingQueue(store, new Set(['p3', 'p6'])));
    try {
      await writeFlags(failing, AS_OF);
      const first = await dispatch(failing.ctx, AS_OF, config);
      expect(counts(first).pressurepoint).toEqual([3, 2, 0, 1]);
      expect(counts(first).sugarwise).toEqual([1, 0, 0, 1]);
      expect((await lines(failing, ledgerKey('pressurepoint'))).map((e) => (e as { person_id: string }).person_id)).toEqual(['p2', 'p5']);
      expect(await failing.store.exists(ledgerKey('sugarwise'))).toBe(false);
      expect(failing.events.some((e) => e.message.includes('1 messages failed (throttled)'))).toBe(true);
      expect(await statuses(failing, AS_OF, 'pressurepoint')).toEqual({ p2: 'sent 2024-06-30', p3: 'send failed: retried on the next run', p5: 'sent 2024-06-30' });

      const healed = { ...failing.ctx, queue: new OutboxQueue(failing.store) };
      const second = await dispatch(healed, AS_OF, config);
      expect(counts(second).pressurepoint).toEqual([3, 1, 2, 0]);
      expect(counts(second).sugarwise).toEqual([1, 1, 0, 0]);
      expect((await outbox(failing, 'pressurepoint')).map((m) => (m as { person_id: string }).person_id)).toEqual(['p2', 'p5', 'p3']);
    } finally {
      await failing.close();
    }
  });

  test('a queue that throws fails that partner only', async () => {
    const broken = await tempPipeline((store) => {
      const outbox = new OutboxQueue(store);
      return {
        location: 'broken',
        send: (partner, messages) => (partner === 'heartline' ? Promise.reject(new Error('queue unavailable')) : outbox.send(partner, messages)),
      };
    });
    try {
      await writeFlags(broken, AS_OF);
      const result = await dispatch(broken.ctx, AS_OF, config);
      expect(counts(result).heartline).toEqual([2, 0, 0, 2]);
      expect(counts(result).pressurepoint).toEqual([3, 3, 0, 0]);
      expect(result.partners[0]!.outboxLocation).toBe('broken');
    } finally {
      await broken.close();
    }
  });

  test('partner feedback: enrolled stays off; declined is off for its 90-day cool-off; contacted changes nothing', async () => {
    await p.store.put(
      'feedback/pressurepoint/2024-06.ndjson',
      [
        JSON.stringify({ person_id: 'p3', status: 'enrolled', reported_at: '2024-06-20T14:05:00Z' }),
        JSON.stringify({ person_id: 'p5', status: 'contacted', reported_at: '2024-06-25' }),
        JSON.stringify({ person_id: 'p2', status: 'declined', reported_at: '2024-04-01' }), // 90 days before: cool-off over
        'not json',
        '',
      ].join('\n'),
    );
    await writeFlags(p, AS_OF);
    const result = await dispatch(p.ctx, AS_OF, config);
    expect(counts(result).pressurepoint).toEqual([3, 2, 1, 0]);
    expect((await outbox(p, 'pressurepoint')).map((m) => (m as { person_id: string }).person_id)).toEqual(['p2', 'p5']);
    expect(await statuses(p, AS_OF, 'pressurepoint')).toEqual({ p2: 'sent 2024-06-30', p3: 'suppressed: enrolled 2024-06-20', p5: 'sent 2024-06-30' });
    expect(result.feedbackRejected.map((r) => [r.file, r.record, r.reason])).toEqual([['feedback/pressurepoint/2024-06.ndjson', 4, 'not JSON']]);
  });

  test('score then dispatch: the flagged members reach their partners', async () => {
    const population = Array.from({ length: 50 }, (_, i) => member(`m${String(i).padStart(2, '0')}`, { has_diabetes: true, age: 70 + (i % 20) }));
    population.push(member('hf', { has_heart_failure: true, weight_change_7d: 2.8, days_since_last_reading: 0, reading_days_30d: 20, reading_days_90d: 60 }));
    await writeFeatures(p, population);
    await scoreMembers(p.ctx, AS_OF, config);
    const result = await dispatch(p.ctx, AS_OF, config);
    expect(counts(result).heartline).toEqual([1, 1, 0, 0]);
    expect(await text(p, 'worklists/as_of=2024-06-30/heartline.csv')).toBe(
      'rank,person_id,program,tier,score,status,reasons\n1,hf,heart_failure,critical,27.93,sent 2024-06-30,' +
        '"Weight up 6.2 lb (2.8 kg) in 7 days [high]; CMS-HCC V28 risk score 0.37: no payment HCC; female, age 70-74 (community, non-dual, aged)"\n',
    );
  });
});

describe('dispatch: each member once per partner and date, whatever crashed or runs beside it', () => {
  /** pressurepoint's messages of FLAGS as dispatch would send them, and the intent it records before the send */
  const pressurepoint = () => FLAGS.filter((f) => f.partner === 'pressurepoint').map((f) => flagMessage({ ...f, as_of_date: AS_OF }));
  const intentOf = (ms: ReturnType<typeof pressurepoint>) =>
    ms.map((m) => ({
      entry: { idempotency_key: m.idempotency_key, person_id: m.person_id, program: m.program, as_of_date: m.as_of_date, tier: m.tier, sent_at: '2024-06-30T06:00:00.000Z' },
      body: toQueueMessage(m).body,
    }));

  test('completes a send a crash cut off before its record: each member once in the outbox and in the ledger', async () => {
    // the crash between send and record: the intent and the outbox hold the 3 messages, the ledger none
    await writeFlags(p, AS_OF);
    await writeIntent(p.store, 'pressurepoint', intentOf(pressurepoint()));
    await new OutboxQueue(p.store).send('pressurepoint', pressurepoint().map(toQueueMessage));
    const rerun = await dispatch(p.ctx, AS_OF, config);
    // before the intent and the idempotent outbox, the rerun sent the 3 again: 6 lines, 3 keys
    expect(await outbox(p, 'pressurepoint')).toHaveLength(3);
    expect(await lines(p, ledgerKey('pressurepoint'))).toHaveLength(3);
    expect(counts(rerun).pressurepoint).toEqual([3, 0, 3, 0]);
    expect(await p.store.exists(intentKey('pressurepoint'))).toBe(false);
  });

  test('sends what a crash left intended but unsent, once', async () => {
    await writeFlags(p, AS_OF);
    await writeIntent(p.store, 'pressurepoint', intentOf(pressurepoint().slice(0, 2)));
    await dispatch(p.ctx, AS_OF, config);
    expect((await outbox(p, 'pressurepoint')).map((m) => (m as { person_id: string }).person_id)).toEqual(['p2', 'p3', 'p5']);
    expect(await lines(p, ledgerKey('pressurepoint'))).toHaveLength(3);
  });

  test('two dispatches of the same date at once send each member once (the second waits for the partner lock)', async () => {
    await writeFlags(p, AS_OF);
    const [a, b] = await Promise.all([dispatch(p.ctx, AS_OF, config), dispatch(p.ctx, AS_OF, config)]);
    // 6 members flagged: sent once between the two runs
    expect(a.partners.reduce((n, x) => n + x.sent, 0) + b.partners.reduce((n, x) => n + x.sent, 0)).toBe(6);
    for (const partner of ['heartline', 'pressurepoint', 'sugarwise']) {
      const keys = (await outbox(p, partner)).map((m) => (m as { idempotency_key: string }).idempotency_key);
      expect(new Set(keys).size, partner).toBe(keys.length);
      expect((await lines(p, ledgerKey(partner))).length, partner).toBe(keys.length);
    }
    expect(await p.store.list('dispatch/lock/')).toEqual([]);
  });

  test('a ledger line torn by a crash does not swallow the next record', async () => {
    await writeFlags(p, AS_OF);
    await p.store.append(ledgerKey('pressurepoint'), '{"idempotency_key":"ab');
    await dispatch(p.ctx, AS_OF, config);
    const text = new TextDecoder().decode(await p.store.get(ledgerKey('pressurepoint')));
    // the torn line, then the 3 records on lines of their own
    expect(text.split('\n').filter(Boolean).map((l) => l.startsWith('{"idempotency_key":"ab'))).toEqual([true, false, false, false]);
    expect((await dispatch(p.ctx, AS_OF, config)).partners.reduce((n, x) => n + x.sent, 0)).toBe(0);
  });
});
