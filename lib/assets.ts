/**
 * Files that ship beside the code: the models in queries/, their seeds, reference tables. Paths are given relative to
 * the project root. In a Lambda bundle the code is one file, so `import.meta.url` no longer says where the project
 * root is: there the files are copied under the function's task root (LAMBDA_TASK_ROOT, or STRATIFY_ROOT when set)
 * with the same relative paths.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

export function assetRoot(): string {
  return process.env['STRATIFY_ROOT'] ?? process.env['LAMBDA_TASK_ROOT'] ?? PROJECT_ROOT;
}

/** absolute path of a shipped file or folder, e.g. `assetPath('queries/seeds/')`; a trailing `/` is kept */
export function assetPath(relative: string): string {
  const path = join(assetRoot(), relative);
  return relative.endsWith('/') && !path.endsWith('/') ? `${path}/` : path;
}
