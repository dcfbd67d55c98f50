/**
 * Matching a member to one disease-management program: among the program conditions the member has, the one whose
 * signals earned the most points (a rule counts toward the programs configured for it). Ties, including a member
 * whose points all come from history, go to the more acute program (PROGRAMS order). No program condition, no program.
 */
import type { FeatureRow, Hit } from './rules.js';
import { PROGRAMS, type Program } from './vocabulary.js';

export function hasProgramCondition(row: FeatureRow, program: Program): boolean {
  return row[`has_${program}`];
}

export function programPoints(hits: readonly Hit[], program: Program): number {
  return hits.filter((h) => h.programs.includes(program)).reduce((sum, h) => sum + h.points, 0);
}

export function matchProgram(row: FeatureRow, hits: readonly Hit[]): Program | null {
  let best: { program: Program; points: number } | null = null;
  for (const program of PROGRAMS) {
    if (!hasProgramCondition(row, program)) continue;
    const points = programPoints(hits, program);
    if (best === null || points > best.points) best = { program, points };
  }
  return best?.program ?? null;
}
