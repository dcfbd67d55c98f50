/**
 * The real thing, as a deployer runs it: `npx cdk synth` with the project's cdk.json, real esbuild bundling of the
 * five handlers, cdk-nag attached, no network and no AWS credentials (the stack is environment-agnostic). Then each
 * bundle is imported by Node the way Lambda imports it, to prove the ESM banner, the parquet-wasm file and the
 * shipped queries/ folder work from the bundle directory.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from 'aws-lambda';
import { lambdaContext } from '../aws/lambda-context.js';
import { CDK_JSON_CONTEXT, PROJECT_ROOT, type Resources } from './synth-helpers.js';

const out = mkdtempSync(join(tmpdir(), 'stratify-cdk-out-'));
let result: ReturnType<typeof spawnSync>;
let seconds = 0;
let functions: { id: string; asset: string }[] = [];

/** `npx cdk synth` as a deployer runs it, offline: no credentials, no region, every HTTP(S) request to a closed local port */
function cdkSynth(args: readonly string[]): ReturnType<typeof spawnSync> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|CDK_DEFAULT_)/.test(k)));
  return spawnSync('npx', ['cdk', 'synth', '--no-notices', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...env, AWS_EC2_METADATA_DISABLED: 'true', HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '' },
    encoding: 'utf8',
    timeout: 600_000,
  });
}

beforeAll(() => {
  const started = Date.now();
  result = cdkSynth(['--quiet', '--output', out]);
  seconds = (Date.now() - started) / 1000;
  console.log(`npx cdk synth with bundling: ${seconds.toFixed(1)} s`);
  if (result.status === 0) {
    const template = JSON.parse(readFileSync(join(out, 'stratify.template.json'), 'utf8')) as { Resources: Resources };
    functions = Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties!['Runtime'] === 'nodejs24.x')
      .map(([id, r]) => ({ id, asset: join(out, (r as { Metadata?: Record<string, string> }).Metadata!['aws:asset:path']!) }));
  }
}, 600_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npx cdk synth', () => {
  it('exits 0 offline without credentials and writes the template', () => {
    expect(result.status, `${String(result.stderr)}`.slice(-4000)).toBe(0);
    const template = readFileSync(join(out, 'stratify.template.json'), 'utf8');
    for (const type of ['AWS::Athena::WorkGroup', 'AWS::Glue::Table', 'AWS::SQS::Queue', 'AWS::StepFunctions::StateMachine', 'AWS::KMS::Key']) {
      expect(template).toContain(`"Type": "${type}"`);
    }
    expect(functions).toHaveLength(5);
  });

  it('runs with every feature flag cdk init recommends for the pinned aws-cdk-lib, so none is reported unconfigured', () => {
    const recommended = createRequire(import.meta.url)('aws-cdk-lib/recommended-feature-flags.json') as Record<string, unknown>;
    expect(Object.keys(recommended).length).toBe(89); // aws-cdk-lib 2.276.0
    expect(CDK_JSON_CONTEXT).toEqual(recommended);
    expect(`${String(result.stdout)}${String(result.stderr)}`).not.toMatch(/feature flags are not configured/);
  });

  it('prints one line per invalid field of a bad configuration, no stack trace, and exits non-zero', () => {
    const bad = join(out, 'bad-config.json');
    const config = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config', 'stratify.json'), 'utf8')) as { deploy?: unknown; partners: unknown[] };
    config.deploy = { schedule: 'daily', ingest_max_concurrency: 1 };
    config.partners = [{ name: 'Sugar Wise', program: 'diabetes' }];
    writeFileSync(bad, JSON.stringify(config));
    const failed = cdkSynth(['--quiet', '-c', `config=${bad}`, '--output', join(out, 'bad')]);
    expect(failed.status).not.toBe(0);
    const lines = String(failed.stderr).trim().split('\n').filter((l) => l.startsWith(bad));
    expect(lines).toEqual([
      `${bad}: partners.0.name: lower-case letters, digits and hyphens`,
      `${bad}: deploy.schedule: an EventBridge cron(...) or rate(...) expression`,
      `${bad}: deploy.ingest_max_concurrency: Too small: expected number to be >=2`,
    ]);
    // nothing else but the CDK CLI's own closing line: no stack trace, no zod dump
    expect(String(failed.stderr)).not.toMatch(/\n\s+at |ZodError|"code":/);
  });

  it('bundles each handler as one ESM file with the wasm, the queries, the seeds and the configuration beside it', () => {
    for (const { id, asset } of functions) {
      expect(readdirSync(asset).sort(), id).toEqual(expect.arrayContaining(['index.mjs', 'parquet_wasm_bg.wasm', 'queries']));
      expect(existsSync(join(asset, 'queries', 'features.sql')), id).toBe(true);
      expect(readdirSync(join(asset, 'queries', 'seeds')).filter((f) => f.endsWith('.csv')).sort(), id).toEqual(
        readdirSync(join(PROJECT_ROOT, 'queries', 'seeds')).filter((f) => f.endsWith('.csv')).sort(),
      );
      // DuckDB is left out and never imported at load: the SQL ingest runner alone imports it, when it runs (lib/ingest/sql/db.ts)
      const code = readFileSync(join(asset, 'index.mjs'), 'utf8');
      expect(code.replaceAll(/import\(\s*"@duckdb\/node-api"\s*\)/g, ''), id).not.toContain('@duckdb/node-api');
      // the reference tables read at run time through lib/assets.ts
      for (const file of ['lib/scoring/hcc/data/PROVENANCE.md', 'lib/scoring/comorbidity/data/PROVENANCE.md', 'lib/ingest/fhir/data/snomed_icd10.csv']) {
        expect(existsSync(join(asset, file)), `${id} ${file}`).toBe(true);
      }
      // the configuration travels in the bundle, where loadConfig() finds it under LAMBDA_TASK_ROOT
      expect(readFileSync(join(asset, 'config', 'stratify.json'), 'utf8'), id).toBe(readFileSync(join(PROJECT_ROOT, 'config', 'stratify.json'), 'utf8'));
    }
  });

  it('gives bundles Node can import from their folder', async () => {
    for (const { id, asset } of functions) {
      const mod = (await import(pathToFileURL(join(asset, 'index.mjs')).href)) as Record<string, unknown>;
      expect(typeof mod['handler'], id).toBe('function');
    }
  });

  it('runs the features bundle up to its S3 uploads: the seeds it finds beside it reach seeds/<name>/<name>.csv', async () => {
    // S3 and Athena answered on loopback: every PUT is recorded, a listing is empty, anything else refused, so the run
    // stops after the uploads
    const puts: string[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.method === 'PUT') {
          puts.push(decodeURIComponent(req.url ?? ''));
          res.writeHead(200, { ETag: '"0"' }).end();
        } else if (req.method === 'GET' && (req.url ?? '').includes('list-type=2')) {
          // an empty lake: the compaction before the uploads finds no part and no interrupted compaction
          const xml = '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>lake-bucket</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>';
          res.writeHead(200, { 'Content-Type': 'application/xml' }).end(xml);
        } else res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' }).end('{"__type":"InvalidRequestException","Message":"loopback"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const features = functions.find((f) => f.id.startsWith('PipelineFeatures'))!;
    Object.assign(process.env, {
      LAMBDA_TASK_ROOT: features.asset,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'loopback',
      AWS_SECRET_ACCESS_KEY: 'loopback',
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ENDPOINT_URL_ATHENA: endpoint,
      STRATIFY_LAKE_BUCKET: 'lake-bucket',
      STRATIFY_ATHENA_WORKGROUP: 'stratify',
      STRATIFY_GLUE_DATABASE: 'stratify',
    });
    try {
      const { handler } = (await import(pathToFileURL(join(features.asset, 'index.mjs')).href)) as { handler: (e: unknown, c: Context) => Promise<unknown> };
      await expect(handler({ asOf: '2026-06-30' }, lambdaContext('features'))).rejects.toThrow();
    } finally {
      server.close();
    }
    const seeds = readdirSync(join(PROJECT_ROOT, 'queries', 'seeds'))
      .filter((f) => f.endsWith('.csv'))
      .map((f) => f.slice(0, -4))
      .sort();
    // then the features stage's claim on the date, before the query Athena refuses here
    expect(puts.map((p) => p.replace(/\?.*$/, ''))).toEqual([...seeds.map((n) => `/lake-bucket/seeds/${n}/${n}.csv`), '/lake-bucket/runs/features/as_of=2026-06-30.json']);
  });
});
