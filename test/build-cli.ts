/** vitest global setup: compile the CLI (dist/cli/) from the current lib/, so the CLI tests run bin/stratify.js as a user does. */
// @ts-expect-error: a plain ES module without types
import { buildCli } from '../scripts/build-cli.mjs';

export default async function setup(): Promise<void> {
  await buildCli();
}
