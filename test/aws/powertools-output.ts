/**
 * What the handlers print through Powertools, read back in tests: with POWERTOOLS_DEV set (vitest.config.ts) Logger
 * and Metrics write through the global console, so spying on it yields every log entry and every EMF document.
 * Powertools' own test matchers are internal to its repository (not published), hence this small reader.
 */
import { vi } from 'vitest';

export interface LogEntry {
  readonly level: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

interface EmfDocument {
  readonly _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  readonly [key: string]: unknown;
}

/** one published metric value: its namespace, dimension values and unit, as CloudWatch would file it */
export interface PublishedMetric {
  readonly namespace: string;
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** spies on the console (silenced); call in beforeEach, with vi.restoreAllMocks() after */
export function captureConsole(): { logs(): LogEntry[]; metrics(): PublishedMetric[] } {
  const spies = METHODS.map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
  const documents = () =>
    spies
      .flatMap((s) => s.mock.calls.map(([first]) => first))
      .filter((x): x is string => typeof x === 'string' && x.trimStart().startsWith('{'))
      .map((x) => JSON.parse(x) as Record<string, unknown>);
  return {
    logs: () => documents().filter((d): d is LogEntry => typeof d['level'] === 'string' && !('_aws' in d)),
    metrics: () =>
      documents()
        .filter((d): d is EmfDocument => '_aws' in d)
        .flatMap((d) =>
          d._aws.CloudWatchMetrics.flatMap((directive) =>
            directive.Dimensions.flatMap((names) =>
              directive.Metrics.flatMap((m) =>
                [d[m.Name] as number | number[]].flat().map((value) => ({
                  namespace: directive.Namespace,
                  name: m.Name,
                  unit: m.Unit,
                  value,
                  dimensions: Object.fromEntries(names.map((n) => [n, String(d[n])])),
                })),
              ),
            ),
          ),
        ),
  };
}
