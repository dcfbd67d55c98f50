/**
 * Where the public sample data sets live: `shared/data/samples` beside the project checkout (as on developers'
 * machines and in CI), or wherever STRATIFY_SAMPLES points.
 */
import { fileURLToPath } from 'node:url';

export const SAMPLES_DIR = process.env.STRATIFY_SAMPLES ?? fileURLToPath(new URL('../../shared/data/samples/', import.meta.url));
export const TUVA_SAMPLES = `${SAMPLES_DIR.replace(/\/$/, '')}/tuva_synthetic`;
