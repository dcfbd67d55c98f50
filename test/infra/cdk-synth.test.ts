/**
 * The real thing, as a deployer runs it: `npx cdk synth` with the project's cdk.json, real esbuild bundling of the
 * five handlers, cdk-nag attached, no network and no AWS credentials (the stack is environment-agnostic). Then each
 * bundle is imported by Node the way Lambda imports it, to prove the ESM banner, the parquet-wasm file and the
 * shipped queries/ folder work from the bundle directory.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, type Resources } from './synth-helpers.js';

const out = mkdtempSync(join(tmpdir(), 'stratify-cdk-out-'));
let result: ReturnType<typeof spawnSync>;
let seconds = 0;
let functions: { id: string; asset: string }[] = [];

beforeAll(() => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|CDK_DEFAULT_)/.test(k)));
  const started = Date.now();
  result = spawnSync('npx', ['cdk', 'synth', '--no-notices', '--quiet', '--output', out], {
    cwd: PROJECT_ROOT,
    // no credentials, no region, and every HTTP(S) request sent to a closed local port: synth must not need the network
    env: { ...env, AWS_EC2_METADATA_DISABLED: 'true', HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '' },
    encoding: 'utf8',
    timeout: 600_000,
  });
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

  it('bundles each handler as one ESM file with the wasm, the queries, the seeds and the configuration beside it', () => {
    for (const { id, asset } of functions) {
      expect(readdirSync(asset).sort(), id).toEqual(expect.arrayContaining(['index.mjs', 'parquet_wasm_bg.wasm', 'queries']));
      expect(existsSync(join(asset, 'queries', 'features.sql')), id).toBe(true);
      expect(readdirSync(join(asset, 'queries', 'seeds')).filter((f) => f.endsWith('.csv')).sort(), id).toEqual(
        readdirSync(join(PROJECT_ROOT, 'queries', 'seeds')).filter((f) => f.endsWith('.csv')).sort(),
      );
      expect(readFileSync(join(asset, 'index.mjs'), 'utf8'), id).not.toContain('@duckdb/node-api');
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
    // S3 and Athena answered on loopback: every PUT is recorded, anything else refused, so the run stops after the uploads
    const puts: string[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.method === 'PUT') {
          puts.push(decodeURIComponent(req.url ?? ''));
          res.writeHead(200, { ETag: '"0"' }).end();
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
      const { handler } = (await import(pathToFileURL(join(features.asset, 'index.mjs')).href)) as { handler: (e: unknown) => Promise<unknown> };
      await expect(handler({ asOf: '2026-06-30' })).rejects.toThrow();
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
