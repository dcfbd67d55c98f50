/**
 * `npm run bench:scale [-- --members 1000000] [-- --shards 10] [-- --base-home DIR] [-- --scan-bytes-per-member B]`:
 * the score stage at a population size no single function holds, and a 10-million-member daily run on paper.
 *
 * 1. A base population: the features of a demo population (`--base-home`, a home the bench or the demo wrote, else a
 *    fresh demo of `--base-members`, 20,000 by default), as of 2026-06-30.
 * 2. Memory of the unsharded score stage: the base features tiled (person ids suffixed `-r<n>`, one feature file per
 *    copy, as Athena's UNLOAD writes several) to 100,000 and 200,000 members, each scored by `scoreMembers` in a
 *    child process of its own, whose max RSS less its RSS before reading the features is the stage's; the slope
 *    between the two is the memory per 100,000 members, and the member count a 3,008 MB score function holds follows.
 * 3. `--members` (default 1,000,000) tiled the same way and scored in `--shards` shards (lib/pipeline/score-shards.ts),
 *    step by step in this process: time of each step and the max RSS.
 * 4. The projection of a 10,000,000-member day on AWS, every figure with how it was derived and the prices assumed.
 *
 * A tiled population repeats the base's members (the scores repeat, ties broken by person id): it measures the
 * stage's memory and time, not the model. Nothing here is asserted by tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toTable } from '../lib/cli/format.js';
import { openLocal } from '../lib/cli/local.js';
import { loadConfig } from '../lib/config/index.js';
import { generateDemo } from '../lib/demo/index.js';
import { readTableRows } from '../lib/parquet/reader.js';
import { rowsToParquet } from '../lib/parquet/writer.js';
import { buildFeatures } from '../lib/pipeline/features.js';
import { ingest, sourcesFromStore } from '../lib/pipeline/ingest.js';
import { planShards, rankShards, scoreShard, splitFeatureFile, writeRanked } from '../lib/pipeline/score-shards.js';
import { scoreMembers } from '../lib/pipeline/score.js';
import { silent } from '../lib/pipeline/context.js';
import { LocalFolderStore } from '../lib/store/local.js';
import { features, flags, pickColumns, type Row } from '../lib/tables/index.js';

const AS_OF = '2026-06-30';
const MIB = 2 ** 20;
const config = loadConfig();

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '1000000' },
    shards: { type: 'string', default: '10' },
    'base-home': { type: 'string' },
    'base-members': { type: 'string', default: '20000' },
    'scan-bytes-per-member': { type: 'string' },
    'probe-score': { type: 'string' },
    'probe-merge': { type: 'string' },
  },
});

const rss = (): number => process.memoryUsage().rss;
const maxRss = (): number => process.resourceUsage().maxRSS * 1024;

// a child process measuring the unsharded score stage on a home (step 2): prints one line of JSON
if (values['probe-score'] !== undefined) {
  const ctx = await openLocal(values['probe-score'], silent);
  const before = rss();
  const t0 = performance.now();
  const result = await scoreMembers(ctx, AS_OF, config);
  console.log(JSON.stringify({ members: result.members, before, max: maxRss(), seconds: (performance.now() - t0) / 1000 }));
  await ctx.engine.close();
  process.exit(0);
}

const members = Number(values.members);
const shards = Number(values.shards);

// a child process measuring the merge of a home's shards (step 3): prints one line of JSON
if (values['probe-merge'] !== undefined) {
  const ctx = await openLocal(values['probe-merge'], silent);
  // what stays after a full collection (run with --expose-gc): the heap and the typed arrays' buffers
  const live = (): number => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = rss();
  const liveBefore = live();
  const t0 = performance.now();
  // the two halves apart: the ranking grows with the population, the writing with a shard
  const ranking = await rankShards(ctx.store, AS_OF, config, shards);
  const ranked = maxRss();
  const kept = live() - liveBefore;
  const result = await writeRanked(ctx, AS_OF, config, ranking);
  console.log(JSON.stringify({ members: result.members, before, ranked, kept, max: maxRss(), seconds: (performance.now() - t0) / 1000 }));
  await ctx.engine.close();
  process.exit(0);
}
const work = await mkdtemp(join(tmpdir(), 'stratify-scale-'));
const derivations: string[] = [];
const say = (line: string): void => {
  derivations.push(line);
};

/** the base features: from a home that has them, else from a fresh demo population */
async function baseFeatures(): Promise<Row<typeof features>[]> {
  if (values['base-home'] !== undefined) return readTableRows(new LocalFolderStore(values['base-home']), features, AS_OF);
  const ctx = await openLocal(join(work, 'base'), silent);
  await generateDemo(ctx.store, { members: Number(values['base-members']), seed: 7, asOf: AS_OF });
  await ingest(ctx, await sourcesFromStore(ctx.store, 'landing/'));
  await buildFeatures(ctx, AS_OF);
  const rows = await readTableRows(ctx.store, features, AS_OF);
  await ctx.engine.close();
  return rows;
}

/** a home whose features of AS_OF are the base tiled to `n` members, one file per copy */
async function tiled(base: readonly Row<typeof features>[], n: number, name: string): Promise<string> {
  const home = join(work, name);
  const store = new LocalFolderStore(home);
  for (let copy = 0, written = 0; written < n; copy++) {
    const rows = base.slice(0, n - written).map((r) => ({ ...r, person_id: `${r.person_id}-r${copy}` }));
    await store.put(`${features.prefix}as_of=${AS_OF}/part-${String(copy).padStart(5, '0')}.parquet`, rowsToParquet(features, rows));
    written += rows.length;
  }
  return home;
}

function probe(home: string, what: 'score' | 'merge' = 'score'): { members: number; before: number; ranked?: number; kept?: number; max: number; seconds: number } {
  const args = ['--expose-gc', '--import', 'tsx', new URL(import.meta.url).pathname, `--probe-${what}`, home, '--shards', String(shards)];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1e8 });
  if (r.status !== 0) throw new Error(`score probe failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ReturnType<typeof probe>;
}

const t0 = performance.now();
const base = await baseFeatures();
console.log(`Stratify bench:scale: base ${base.length.toLocaleString('en-US')} members' features as of ${AS_OF}, in ${work}`);

// 2. memory of the unsharded stage per 100,000 members, and the member count one score function holds
const probes: { members: number; stageMiB: number; seconds: number }[] = [];
const runtimeBefore: number[] = [];
for (const n of [100_000, 200_000]) {
  const p = probe(await tiled(base, n, `probe-${n}`));
  probes.push({ members: p.members, stageMiB: (p.max - p.before) / MIB, seconds: p.seconds });
  runtimeBefore.push(p.before);
}
const [p1, p2] = probes as [(typeof probes)[number], (typeof probes)[number]];
const perHundredK = ((p2.stageMiB - p1.stageMiB) / (p2.members - p1.members)) * 100_000;
const fixedMiB = p1.stageMiB - (perHundredK * p1.members) / 100_000;
const FUNCTION_MB = 3008;
// what the process held before the stage read anything (Node.js, the modules, here DuckDB too): measured, and more
// than a score function's (no DuckDB there), so the count below errs on the safe side
const runtimeMiB = probes.length > 0 ? Math.max(...runtimeBefore) / MIB : 0;
const usable = (FUNCTION_MB * 1e6) / MIB - runtimeMiB;
// max RSS moves with when V8 collects (the same 200,000 members measured 1,218 and 1,519 MiB in two runs), so the
// count uses the worst ratio of stage MiB to members among the probes, fixed part included: an upper bound per member
const worstPerHundredK = Math.max(...probes.map((p) => (p.stageMiB / p.members) * 100_000));
const holds = Math.floor((usable / worstPerHundredK) * 100_000);
console.log('\nUnsharded score stage (each in a fresh process: max RSS minus RSS before reading the features)');
process.stdout.write(
  toTable(probes.map((p) => ({ members: p.members, 'stage MiB': Math.round(p.stageMiB), seconds: Math.round(p.seconds * 10) / 10 }))),
);
say(`memory: ${perHundredK.toFixed(0)} MiB per 100,000 members = (${p2.stageMiB.toFixed(0)} - ${p1.stageMiB.toFixed(0)}) MiB / (${p2.members} - ${p1.members}) members × 100,000; fixed part ${fixedMiB.toFixed(0)} MiB`);
say(`one score function of ${FUNCTION_MB} MB (${usable.toFixed(0)} MiB after the ${runtimeMiB.toFixed(0)} MiB the probe process held before reading) holds ${usable.toFixed(0)} / ${worstPerHundredK.toFixed(0)} (the worst MiB per 100,000 among the probes) × 100,000 = ${holds.toLocaleString('en-US')} members; deploy.score_shard_members is ${config.deploy.score_shard_members.toLocaleString('en-US')}`);

// 3. the large population in shards
const home = await tiled(base, members, 'scale');
const ctx = await openLocal(home, silent);
const steps: { step: string; tasks: number; seconds: number; 'slowest task s': number; 'max RSS after': string }[] = [];
async function step(name: string, tasks: (() => Promise<unknown>)[]): Promise<void> {
  const started = performance.now();
  let slowest = 0;
  for (const task of tasks) {
    const t = performance.now();
    await task();
    slowest = Math.max(slowest, (performance.now() - t) / 1000);
  }
  const seconds = (performance.now() - started) / 1000;
  steps.push({ step: name, tasks: tasks.length, seconds: Math.round(seconds * 10) / 10, 'slowest task s': Math.round(slowest * 10) / 10, 'max RSS after': `${Math.round(maxRss() / MIB)} MiB` });
}
const plan = await planShards(ctx.store, AS_OF, shards);
await step('split (one task per feature file)', plan.files.map((f) => () => splitFeatureFile(ctx.store, AS_OF, f, shards)));
await step('score shards (one task per bucket)', plan.buckets.map((k) => () => scoreShard(ctx, AS_OF, config, k, shards)));
await ctx.engine.close();
// the merge in a process of its own, to see its own memory: what it holds grows with the whole population
let merged: ReturnType<typeof probe> | undefined;
await step('merge (global ranking, scores, flags; own process)', [async () => (merged = probe(home, 'merge'))]);
// the ranking keeps a few columns a member: what stays of it after a full collection grows with the population;
// the rest of the merge's peak (the garbage of reading each shard's columns, then one shard's rows while writing)
// grows with the shard size
const keptPerMember = merged!.kept! / members;
const peakMiB = (merged!.max - merged!.before) / MIB;
const shardBoundMiB = peakMiB - merged!.kept! / MIB;
const perShardNow = members / shards;
const mergeAt = (n: number, perShard: number): number => (keptPerMember * n) / MIB + (shardBoundMiB * perShard) / perShardNow;
const mergeTenM = mergeAt(10_000_000, config.deploy.score_shard_members);
say(
  `merge: peak ${peakMiB.toFixed(0)} MiB for ${members.toLocaleString('en-US')} members in shards of ${perShardNow.toLocaleString('en-US')} (its own process: max RSS less RSS before); ` +
    `the ranking it keeps is ${(merged!.kept! / MIB).toFixed(0)} MiB = ${keptPerMember.toFixed(0)} bytes a member (heap and buffers after a full collection), the other ${shardBoundMiB.toFixed(0)} MiB scale with the shard; ` +
    `at 10,000,000 members in shards of ${config.deploy.score_shard_members.toLocaleString('en-US')}: ${keptPerMember.toFixed(0)} B × 10,000,000 + ${shardBoundMiB.toFixed(0)} MiB × ${(config.deploy.score_shard_members / perShardNow).toFixed(1)} = ${mergeTenM.toFixed(0)} MiB of the ${((FUNCTION_MB * 1e6) / MIB - runtimeMiB).toFixed(0)} MiB a ${FUNCTION_MB} MB function has`,
);
const result = { members: merged!.members };
const flagged = (await readTableRows(new LocalFolderStore(home), pickColumns(flags, ['person_id']), AS_OF)).length;
console.log(`\n${members.toLocaleString('en-US')} members scored in ${shards} shards (${result.members.toLocaleString('en-US')} scored, ${flagged.toLocaleString('en-US')} flagged)`);
process.stdout.write(toTable(steps));
const bytesOf = async (prefix: string) => (await new LocalFolderStore(home).list(prefix)).reduce((n, o) => n + o.size, 0);
const featureBytesPerMember = (await bytesOf(features.prefix)) / members;
const scoreBytesPerMember = (await bytesOf('scores/')) / members;

// 4. a 10,000,000-member day on AWS
const TEN_M = 10_000_000;
const PRICES = {
  date: 'published us-east-1 list prices as known in 2025 (assumed unchanged; check the AWS pricing pages)',
  lambdaArmGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  athenaPerTb: 5,
  stepFunctionsPerThousandTransitions: 0.025,
  s3GetPerThousand: 0.0004,
  s3PutPerThousand: 0.005,
  sqsPerMillionRequests: 0.4,
};
const scanPerMember = Number(values['scan-bytes-per-member'] ?? (50.8 * MIB) / 100_000);
const scanSource = values['scan-bytes-per-member'] !== undefined ? 'given with --scan-bytes-per-member (bench/cost-scan.ts on a bench home)' : 'the README\'s bench/cost-scan.ts figure, 50.8 MiB for 100,000 members';
const athenaBytes = scanPerMember * TEN_M;
say(`Athena: ${(athenaBytes / 1e9).toFixed(2)} GB scanned by the features query = ${scanPerMember.toFixed(0)} bytes a member (${scanSource}) × 10,000,000; the data-quality query reads the same tables, counted once more: ${((2 * athenaBytes) / 1e9).toFixed(2)} GB`);
const athenaCost = ((2 * athenaBytes) / 1e12) * PRICES.athenaPerTb;
const perShard = config.deploy.score_shard_members;
const shardTasks = Math.ceil(TEN_M / perShard);
const featureBytes = featureBytesPerMember * TEN_M;
const splitTasks = Math.max(1, Math.ceil(featureBytes / (64 * MIB)));
say(`feature files: ${(featureBytes / MIB).toFixed(0)} MiB of Parquet = ${featureBytesPerMember.toFixed(1)} bytes a member (measured above) × 10,000,000; split tasks assume Athena's UNLOAD writes one file per 64 MiB: ${splitTasks}`);
const shardStep = steps[1]!;
const secondsPerMember = shardStep.seconds / members;
const splitSecondsPerMember = steps[0]!.seconds / members;
// the merge's own time, without its process's start
const mergeSecondsPerMember = merged!.seconds / members;
const partners = config.partners.length;
const shardSeconds = secondsPerMember * perShard;
const invocations = [
  { task: 'features (compaction + Athena; waits for the query)', count: 1, memoryMb: 2048, seconds: 120, how: 'assumed 120 s: Athena time is not measurable without an account' },
  { task: 'plan', count: 1, memoryMb: 3008, seconds: 1, how: 'a listing' },
  { task: 'split', count: splitTasks, memoryMb: 3008, seconds: (splitSecondsPerMember * TEN_M) / splitTasks, how: `${(splitSecondsPerMember * 1e6).toFixed(1)} s per million members measured, spread over the tasks` },
  { task: 'score shard', count: shardTasks, memoryMb: 3008, seconds: shardSeconds, how: `${(secondsPerMember * 1e5).toFixed(1)} s per 100,000 members measured × ${perShard.toLocaleString('en-US')} a shard` },
  { task: 'merge', count: 1, memoryMb: 3008, seconds: mergeSecondsPerMember * TEN_M, how: `${(mergeSecondsPerMember * 1e6).toFixed(1)} s per million members measured (linear; its sort is n log n)` },
  { task: 'dispatch (per partner) + report', count: partners + 1, memoryMb: 1024, seconds: 60, how: 'assumed 60 s each (9,048 messages took 0.6 s locally at 100,000 members; SQS batches of 10)' },
  { task: 'ingest (a day\'s deliveries)', count: 5, memoryMb: 1024, seconds: 120, how: 'assumed 5 files a day, 2 min each (a day\'s increment, not the history)' },
];
const gbSeconds = invocations.reduce((n, i) => n + i.count * (i.memoryMb / 1024) * i.seconds, 0);
const requests = invocations.reduce((n, i) => n + i.count, 0);
const lambdaCost = gbSeconds * PRICES.lambdaArmGbSecond + (requests / 1e6) * PRICES.lambdaPerMillionRequests;
// a state transition per state entered: ~10 in the parent, 2 per map item (the child's start and its task)
const transitions = 10 + 2 * (splitTasks + shardTasks + partners);
const sfnCost = (transitions / 1000) * PRICES.stepFunctionsPerThousandTransitions;
const messages = Math.round(TEN_M * (9048 / 96639));
const sqsCost = (Math.ceil(messages / 10) / 1e6) * PRICES.sqsPerMillionRequests;
const s3Puts = splitTasks * shardTasks + 2 * shardTasks + 2;
const s3Gets = splitTasks + 2 * shardTasks * 2 + shardTasks;
const s3Cost = (s3Puts / 1000) * PRICES.s3PutPerThousand + (s3Gets / 1000) * PRICES.s3GetPerThousand;
const wall = 120 + 1 + (splitSecondsPerMember * TEN_M) / Math.min(splitTasks, config.deploy.score_max_concurrency) + shardSeconds * Math.ceil(shardTasks / config.deploy.score_max_concurrency) + mergeSecondsPerMember * TEN_M + 60 + 60;
console.log(`\nA 10,000,000-member daily run on AWS (${PRICES.date})`);
process.stdout.write(
  toTable(
    invocations.map((i) => ({
      task: i.task,
      invocations: i.count,
      'MB': i.memoryMb,
      's each': Math.round(i.seconds * 10) / 10,
      'GB-s': Math.round(i.count * (i.memoryMb / 1024) * i.seconds),
      'how': i.how,
    })),
  ),
);
say(`Lambda: ${requests} invocations, ${gbSeconds.toFixed(0)} GB-s = Σ invocations × memory GB × seconds (table above); $${lambdaCost.toFixed(4)} = GB-s × $${PRICES.lambdaArmGbSecond} (Arm) + requests × $${PRICES.lambdaPerMillionRequests}/M`);
say(`Athena: $${athenaCost.toFixed(4)} = ${((2 * athenaBytes) / 1e12).toFixed(4)} TB × $${PRICES.athenaPerTb}/TB`);
say(`Step Functions: about ${transitions} state transitions (10 in the run + 2 per map item: ${splitTasks} splits, ${shardTasks} shards, ${partners} partners) × $${PRICES.stepFunctionsPerThousandTransitions}/1,000 = $${sfnCost.toFixed(4)}`);
say(`SQS: ${messages.toLocaleString('en-US')} messages on a first day (9,048 of 96,639 members flagged in the bench, 9.4 %; later days send fewer: suppression), in batches of 10: $${sqsCost.toFixed(4)}`);
say(`S3: about ${s3Puts} PUTs (a part per split task and bucket, a shard output and scores file per shard) and ${s3Gets} GETs: $${s3Cost.toFixed(4)}`);
say(`duration: about ${(wall / 60).toFixed(0)} min = features 120 s + split and shards in waves of ${config.deploy.score_max_concurrency} (deploy.score_max_concurrency) + merge + dispatch and report; scores ${((scoreBytesPerMember * TEN_M) / MIB).toFixed(0)} MiB of Parquet`);
say(`cost per day: $${(lambdaCost + athenaCost + sfnCost + sqsCost + s3Cost).toFixed(2)} (Lambda + Athena + Step Functions + SQS + S3 requests; storage and KMS not counted)`);
console.log('\nHow each figure was derived');
for (const line of derivations) console.log(`- ${line}`);
console.log(`\n(${((performance.now() - t0) / 1000).toFixed(0)} s in all)`);
await rm(work, { recursive: true, force: true });
