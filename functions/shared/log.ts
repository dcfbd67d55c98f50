/**
 * Structured logs: one JSON object a line on stdout, which CloudWatch Logs indexes. They carry counts, keys of
 * delivered files, stages and errors, never person ids or record values (those stay in quarantine/ in the lake).
 */
import type { ProgressEvent } from '../../lib/pipeline/context.js';

export type LogLevel = 'info' | 'warn' | 'error';

export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const line = { level, time: new Date().toISOString(), service: process.env['POWERTOOLS_SERVICE_NAME'] ?? 'stratify', message, ...fields };
  (level === 'error' ? console.error : console.log)(JSON.stringify(line));
}

/** the stages' progress events as info lines (the stages' messages hold counts and keys, no person data) */
export function logProgress(event: ProgressEvent): void {
  log('info', event.message, { stage: event.stage, ...(event.done === undefined ? {} : { done: event.done, total: event.total }) });
}
