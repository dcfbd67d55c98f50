/**
 * Files that ship beside the code: the models in queries/, their seeds, reference tables. Paths are given relative to
 * the project root. In a Lambda bundle the code is one file, so `import.meta.url` no longer says where the project
 * root is: there the files are copied under the function's task root (LAMBDA_TASK_ROOT, or STRATIFY_ROOT when set)
 * with the same relative paths. The compiled CLI (dist/cli/, `npm run build`) finds the root as the nearest folder
 * above its code that holds package.json.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return `${dir}/`;
}

const PROJECT_ROOT = projectRoot();

export function assetRoot(): string {
  return process.env['STRATIFY_ROOT'] ?? process.env['LAMBDA_TASK_ROOT'] ?? PROJECT_ROOT;
}

/** absolute path of a shipped file or folder, e.g. `assetPath('queries/seeds/')`; a trailing `/` is kept */
export function assetPath(relative: string): string {
  const path = join(assetRoot(), relative);
  return relative.endsWith('/') && !path.endsWith('/') ? `${path}/` : path;
}
