/** Loads the Trino-dialect models in queries/ by name. */
import { readFileSync, readdirSync } from 'node:fs';
import { assetPath } from '../assets.js';

export const QUERIES_DIR = assetPath('queries/');

export function loadQuery(name: string): string {
  return readFileSync(`${QUERIES_DIR}${name}.sql`, 'utf8');
}

export function listQueries(): string[] {
  return readdirSync(QUERIES_DIR)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -4))
    .sort();
}
