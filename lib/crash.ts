/**
 * Crash injection, for tests only: when `STRATIFY_CRASH_AT` names a point (`ingest:after-part`,
 * `dispatch:after-send`, …), the process kills itself with SIGKILL the first time it reaches that point, as a power
 * cut or `kill -9` would, with no `finally` and no exit handler run. test/crash/ reruns after each point and checks the
 * rerun ends where a clean run does. Unset (always, outside those tests), a point costs one comparison.
 */
export const CRASH_POINTS = [
  'ingest:after-part',
  'ingest:before-manifest',
  'ingest:after-manifest',
  'features:before-publish',
  'score:after-scores',
  'dispatch:after-intent',
  'dispatch:after-send',
  'dispatch:after-record',
  'dispatch:after-partner',
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];

export function crashPoint(point: CrashPoint): void {
  if (process.env.STRATIFY_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}
