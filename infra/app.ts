/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`). `npx cdk synth -c config=path/to/config.json` (default
 * config/stratify.json) synthesizes the Stratify stack; cdk-nag findings that are not acknowledged fail the synth.
 * An invalid configuration prints one line per field (`<file>: <field.path>: <what is wrong>`), no stack trace, and
 * exits 1.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { ConfigError } from '../lib/config/index.js';
import { buildStratifyApp } from './stack.js';

const projectRoot = fileURLToPath(new URL('../', import.meta.url));
const app = new App();
const configPath = app.node.tryGetContext('config') as string | undefined;
try {
  buildStratifyApp(app, { projectRoot, ...(configPath === undefined ? {} : { configPath: resolve(configPath) }) });
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  for (const line of e.lines()) console.error(line);
  process.exit(1);
}
app.synth();
