export * from './define.js';
export * from './curated.js';
export * from './outputs.js';
export * from './deliveries.js';
import { CURATED_TABLES } from './curated.js';
import { OUTPUT_TABLES } from './outputs.js';

export const ALL_TABLES = [...CURATED_TABLES, ...OUTPUT_TABLES] as const;
