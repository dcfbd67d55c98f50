/**
 * Progress on stderr: one line rewritten in place on a terminal, or a line every few seconds otherwise (CI logs),
 * so long stages show they are moving without flooding a log.
 */
import type { Progress, ProgressEvent } from '../pipeline/context.js';

function describe(e: ProgressEvent): string {
  const pct = e.total && e.done !== undefined ? ` ${Math.min(100, Math.round((100 * e.done) / e.total))}%` : '';
  return `[${e.stage}]${pct} ${e.message}`;
}

export function progressReporter(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress & { end(): void } {
  let last = 0;
  let open = false;
  const report = ((e: ProgressEvent) => {
    if (quiet) return;
    const line = describe(e);
    if (stream.isTTY) {
      const width = stream.columns ? stream.columns - 1 : 100;
      stream.write(`\r\x1b[2K${line.slice(0, width)}`);
      open = true;
    } else {
      const now = Date.now();
      if (now - last >= 2000 || e.done === undefined || e.done === e.total) {
        stream.write(line + '\n');
        last = now;
      }
    }
  }) as Progress & { end(): void };
  report.end = () => {
    if (open) stream.write('\r\x1b[2K');
    open = false;
  };
  return report;
}
