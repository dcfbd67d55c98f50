/**
 * Where the public sample data sets live: `test/fixtures/samples/` inside the repository (copied whole with their
 * licences and provenance, so a fresh clone tests on its own), or wherever STRATIFY_SAMPLES points.
 */
import { fileURLToPath } from 'node:url';

export const SAMPLES_DIR = process.env.STRATIFY_SAMPLES ?? fileURLToPath(new URL('./fixtures/samples/', import.meta.url));
export const TUVA_SAMPLES = `${SAMPLES_DIR.replace(/\/$/, '')}/tuva_synthetic`;
