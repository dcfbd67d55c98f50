/** Loading the configuration file: JSON, validated by the zod schema, errors naming the file and each field path. */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { assetPath } from '../assets.js';
import { configSchema, type StratifyConfig } from './schema.js';

export { configSchema, type RuleId, type RulesConfig, type StratifyConfig, type TiersConfig } from './schema.js';

const CONFIG_FILE = 'config/stratify.json';

/** the project's configuration file; in a Lambda bundle, the file the CDK app copied beside the code */
export const DEFAULT_CONFIG_PATH = assetPath(CONFIG_FILE);

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: ErrorOptions,
    /** one `field.path: what is wrong` per invalid field; empty when the file could not be read at all */
    readonly fields: readonly string[] = [],
  ) {
    super(`${file}: ${message}`, options);
    this.name = 'ConfigError';
  }

  /** one line per invalid field, each naming the file (or the one line of an unreadable file): what `cdk synth` prints */
  lines(): string[] {
    return this.fields.length > 0 ? this.fields.map((f) => `${this.file}: ${f}`) : [this.message];
  }
}

function fieldsOf(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`);
}

/** without a path, the file under the asset root as it is when called (a bundle's task root may be set after import) */
export function loadConfig(path: string = assetPath(CONFIG_FILE)): StratifyConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(path, `cannot read the configuration: ${(e as Error).message}`, { cause: e });
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const fields = fieldsOf(parsed.error.issues);
    throw new ConfigError(path, `invalid configuration:\n${fields.map((f) => `  ${f}`).join('\n')}`, { cause: parsed.error }, fields);
  }
  return parsed.data;
}
