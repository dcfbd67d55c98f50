/**
 * Programs and who may be sent to them.
 *
 * Matching: among the program conditions the member has (CMS CCW rule met: the program's eligibility), the one whose
 * signals earned the most points (a contribution counts toward the programs it names: a monitoring alert toward the
 * program whose rule fired, a level rule toward its configured programs; fixed risk toward none). Ties, including a
 * member whose points all come from fixed risk or history, go to the more acute program (PROGRAMS order).
 *
 * Exclusions keep a matched member off the partner's list: hospice, ESRD (dialysis or ESRD diagnosis), long-term
 * institutional (those are cared for elsewhere), and members the partner reported enrolled in the program.
 */
import type { FeatureRow } from './member.js';
import type { Contribution } from './model.js';
import { PROGRAMS, type Exclusion, type Program } from './vocabulary.js';

/** the programs whose condition the member has (CMS CCW rule met), in PROGRAMS order */
export function memberPrograms(row: FeatureRow): Program[] {
  return PROGRAMS.filter((p) => row[`has_${p}`]);
}

export function programPoints(contributions: readonly Contribution[], program: Program): number {
  return contributions.filter((c) => c.programs.includes(program)).reduce((sum, c) => sum + c.points, 0);
}

export function matchProgram(row: FeatureRow, contributions: readonly Contribution[]): Program | null {
  let best: { program: Program; points: number } | null = null;
  for (const program of memberPrograms(row)) {
    const points = programPoints(contributions, program);
    if (best === null || points > best.points) best = { program, points };
  }
  return best?.program ?? null;
}

/** The first configured exclusion that applies, or null. `enrolled`: the people each program's partner enrolled. */
export function exclusionOf(
  row: FeatureRow,
  program: Program | null,
  configured: readonly Exclusion[],
  enrolled: ReadonlyMap<Program, ReadonlySet<string>>,
): Exclusion | null {
  const applies: Record<Exclusion, boolean> = {
    hospice: row.hospice,
    esrd: row.esrd,
    institutional: row.institutional,
    enrolled: program !== null && (enrolled.get(program)?.has(row.person_id) ?? false),
  };
  return configured.find((e) => applies[e]) ?? null;
}
