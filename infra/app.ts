/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`). `npx cdk synth -c config=path/to/config.json` (default
 * config/stratify.json) synthesizes the Stratify stack; cdk-nag findings that are not acknowledged fail the synth.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildStratifyApp } from './stack.js';

const projectRoot = fileURLToPath(new URL('../', import.meta.url));
const app = new App();
const configPath = app.node.tryGetContext('config') as string | undefined;
buildStratifyApp(app, { projectRoot, ...(configPath === undefined ? {} : { configPath: resolve(configPath) }) });
app.synth();
