/**
 * DuckDB's own account of the queries an engine materializes: the buffer manager's peak and the peak size of its spill
 * files, from DuckDB's profiling metrics. For the features bench and the tests that show a limit made DuckDB spill;
 * the pipeline does not use it. Each statement overwrites DuckDB's profile, so it is read right after each COPY.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scratchDir } from '../scratch.js';
import type { DuckDbEngine } from './duckdb.js';
import { sqlString } from './params.js';

export interface MaterializePeaks {
  /** DuckDB's `system_peak_buffer_memory`: what its buffer manager reserved at most (it can exceed the RSS) */
  bufferBytes: number;
  /** `system_peak_temp_dir_size`: the most its spill files held; 0 when the query did not spill */
  spillBytes: number;
}

/** from now on, each `engine.materialize` records its peaks in the returned list */
export async function recordMaterializePeaks(engine: DuckDbEngine): Promise<MaterializePeaks[]> {
  const conn = engine.connection;
  const profile = join(await scratchDir(), `duckdb-profile-${Math.random().toString(36).slice(2)}.json`);
  await conn.run(`SET custom_profiling_settings = '{"SYSTEM_PEAK_BUFFER_MEMORY": "true", "SYSTEM_PEAK_TEMP_DIR_SIZE": "true"}'`);
  // DuckDB takes a .json output only once the JSON format is on
  await conn.run("SET enable_profiling = 'json'");
  await conn.run(`SET profiling_output = ${sqlString(profile)}`);
  await conn.run('PRAGMA disable_profiling');
  const peaks: MaterializePeaks[] = [];
  const materialize = engine.materialize.bind(engine);
  engine.materialize = async (...args) => {
    await conn.run("SET enable_profiling = 'json'");
    try {
      return await materialize(...args);
    } finally {
      await conn.run('PRAGMA disable_profiling');
      const m = JSON.parse(await readFile(profile, 'utf8')) as { system_peak_buffer_memory: number; system_peak_temp_dir_size: number };
      peaks.push({ bufferBytes: m.system_peak_buffer_memory, spillBytes: m.system_peak_temp_dir_size });
    }
  };
  return peaks;
}
