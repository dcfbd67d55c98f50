/**
 * What every stage receives: the three ports and a progress sink. A stage never builds its own adapters, which is how
 * the same stage runs on the local default (folder, DuckDB, outbox) and on AWS (S3, Athena, SQS).
 */
import type { Queue } from '../queue/port.js';
import type { QueryEngine } from '../sql/port.js';
import type { ObjectStore } from '../store/port.js';

export interface ProgressEvent {
  readonly stage: 'generate' | 'ingest' | 'features' | 'score' | 'dispatch';
  readonly message: string;
  /** units done so far and the total, when the stage can count them (rows, bytes, files) */
  readonly done?: number;
  readonly total?: number;
}

export type Progress = (event: ProgressEvent) => void;

export interface PipelineContext {
  readonly store: ObjectStore;
  readonly engine: QueryEngine;
  readonly queue: Queue;
  readonly progress: Progress;
  /**
   * Every process that writes this store runs on this machine (the local default): a claim (an ingest marker, a
   * dispatch lock) whose owner process is gone is dead at once. Otherwise (AWS) a claim is dead once its lease lapses.
   * @default false
   */
  readonly sameMachine?: boolean;
}

export const silent: Progress = () => {};
