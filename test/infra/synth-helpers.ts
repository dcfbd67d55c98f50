/**
 * Building the Stratify app for template tests: with cdk.json's feature flags, as `cdk synth` builds it, and bundling
 * skipped (context `aws:cdk:bundling-stacks: []`), so no esbuild runs; the configuration file is the project's unless
 * a test writes its own.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildStratifyApp, type StratifyStack } from '../../infra/stack.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_CONFIG = join(PROJECT_ROOT, 'config', 'stratify.json');

export interface Built {
  readonly app: App;
  readonly stack: StratifyStack;
  readonly template: Template;
}

/** the context of cdk.json (the feature flags), which `cdk synth` passes to the app and a test's App must be given */
export const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

export function buildApp(options: { configPath?: string; nag?: boolean } = {}): Built {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const stack = buildStratifyApp(app, { projectRoot: PROJECT_ROOT, nag: options.nag ?? false, ...(options.configPath ? { configPath: options.configPath } : {}) });
  return { app, stack, template: Template.fromStack(stack) };
}

/** writes `config` as a file in a fresh temporary folder and returns its path */
export function writeConfig(config: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'stratify-infra-')), 'config.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

export type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string }>;

export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** the logical id a `{ Ref }` or `{ Fn::GetAtt: [id, attr] }` points at, else undefined */
export function refId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown };
  if (typeof v.Ref === 'string') return v.Ref;
  if (Array.isArray(v['Fn::GetAtt']) && typeof v['Fn::GetAtt'][0] === 'string') return v['Fn::GetAtt'][0];
  return undefined;
}

/** a resource ARN expression as flat text: `{ Fn::Join }` parts joined, references as `<Id.Attr>` */
export function flatArn(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const v = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown; 'Fn::Join'?: unknown };
  if (typeof v.Ref === 'string') return `<${v.Ref}>`;
  if (Array.isArray(v['Fn::GetAtt'])) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(flatArn).join(sep);
  }
  return JSON.stringify(value);
}

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: unknown;
  readonly Principal?: unknown;
}

export const asList = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** the project's configuration with an `account_id` for the partners named, written to a temporary file */
export function configWithPartnerAccounts(accounts: Readonly<Record<string, string>>): string {
  const raw = JSON.parse(readFileSync(DEFAULT_CONFIG, 'utf8')) as { partners: { name: string }[] };
  const partners = raw.partners.map((p) => (accounts[p.name] === undefined ? p : { ...p, account_id: accounts[p.name] }));
  return writeConfig({ ...raw, partners });
}
