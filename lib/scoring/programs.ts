/**
 * Programs and who may be sent to them.
 *
 * Routing follows what drives the risk. A program condition the member has (CMS CCW rule met: the program's
 * eligibility) routes the member to that program only when it is part of why they are at risk:
 *   - its signals earned points (a contribution counts toward the programs it names: a monitoring alert toward the
 *     program whose rule fired, or toward every program of the member for an alert of none, such as non-adherence;
 *     a level rule toward its configured programs; fixed risk toward none), or
 *   - its HCC leads the CMS-HCC score: one of the program's payment HCCs (PROGRAM_HCCS) is among the member's two
 *     largest disease factors, and the CMS-HCC reason is among the three leading reasons.
 * Among the programs so driven, the one whose signals earned the most points, then the one with the larger HCC, then
 * the more acute (PROGRAMS order). A member whose leading risk belongs to no program (metastatic cancer with a
 * hypertension history, say) gets no program: they are listed for review, with the reason, when a partner takes the
 * `review` program (lib/scoring/population.ts), instead of being sent to the wrong team.
 *
 * Exclusions keep a matched member off the partner's list: hospice (or a discharge to hospice), ESRD (dialysis or ESRD
 * diagnosis), long-term institutional (those are cared for elsewhere), a member who died at discharge, and members
 * the partner reported enrolled in the program.
 */
import { hccCode, type HccModel, type HccResult } from './hcc/index.js';
import type { FeatureRow } from './member.js';
import type { Contribution } from './model.js';
import { DIED_AT_DISCHARGE, HOSPICE_DISCHARGE, PROGRAMS, type Exclusion, type Program } from './vocabulary.js';

/**
 * The payment HCCs of each program's condition. V28: diabetes HCC36–38 (with severe acute / chronic / no
 * complications), heart failure HCC222–226 (end-stage, with assist device, acute on chronic, acute, other), COPD
 * HCC280 (chronic obstructive pulmonary disease, interstitial lung disorders); V24: diabetes HCC17–19, CHF HCC85,
 * COPD HCC111. Hypertension has no payment HCC: it routes through its monitoring alerts and trends.
 */
const PROGRAM_HCCS: Readonly<Record<HccModel, Readonly<Record<Program, readonly string[]>>>> = {
  v28: { heart_failure: ['HCC222', 'HCC223', 'HCC224', 'HCC225', 'HCC226'], copd: ['HCC280'], diabetes: ['HCC36', 'HCC37', 'HCC38'], hypertension: [] },
  v24: { heart_failure: ['HCC85'], copd: ['HCC111'], diabetes: ['HCC17', 'HCC18', 'HCC19'], hypertension: [] },
};

/** reasons counted as leading: the strongest three */
const LEADING_REASONS = 3;
/** disease factors counted as leading the CMS-HCC score: the largest two */
const LEADING_HCCS = 2;

/** the programs whose condition the member has (CMS CCW rule met), in PROGRAMS order */
export function memberPrograms(row: FeatureRow): Program[] {
  return PROGRAMS.filter((p) => row[`has_${p}`]);
}

export function programPoints(contributions: readonly Contribution[], program: Program): number {
  return contributions.filter((c) => c.programs.includes(program)).reduce((sum, c) => sum + c.points, 0);
}

export interface Routing {
  readonly program: Program | null;
  /** why, in words: what drives the risk toward the program, or that the leading risk belongs to none */
  readonly routing: string;
}

/** the program's HCC among the member's leading disease factors, null when none leads */
function leadingHcc(hcc: HccResult, program: Program): { code: string; coefficient: number } | null {
  const mine = PROGRAM_HCCS[hcc.model][program];
  const leading = hcc.factors
    .filter((f) => f.kind === 'disease')
    .sort((a, b) => b.coefficient - a.coefficient)
    .slice(0, LEADING_HCCS);
  return leading.map((f) => ({ code: hccCode(f.code), coefficient: f.coefficient })).find((f) => mine.includes(f.code)) ?? null;
}

export function routeMember(row: FeatureRow, contributions: readonly Contribution[], hcc: HccResult): Routing {
  const hccLeads = contributions.slice(0, LEADING_REASONS).some((c) => c.component === 'prospective');
  // a monitoring alert of no one program (non-adherence, no transmission) is about the monitoring of all of them
  const monitoring = contributions.filter((c) => c.component === 'monitoring' && c.programs.length === 0).reduce((sum, c) => sum + c.points, 0);
  const driven = memberPrograms(row).map((program) => ({
    program,
    points: programPoints(contributions, program) + monitoring,
    hcc: hccLeads ? leadingHcc(hcc, program) : null,
  }));
  const best = driven
    .filter((d) => d.points > 0 || d.hcc !== null)
    .sort((a, b) => b.points - a.points || (b.hcc?.coefficient ?? 0) - (a.hcc?.coefficient ?? 0) || PROGRAMS.indexOf(a.program) - PROGRAMS.indexOf(b.program))[0];
  if (best !== undefined) {
    const why = best.points > 0 ? `its alerts and trends earned ${best.points} points` : `its ${best.hcc!.code} leads the CMS-HCC score`;
    return { program: best.program, routing: `${best.program.replace('_', ' ')} program: ${why}` };
  }
  const present = driven.map((d) => d.program.replace('_', ' '));
  const leading = contributions[0]?.reason;
  const has = present.length > 0 ? ` (has ${present.join(', ')}, which drives none of it)` : '';
  return { program: null, routing: leading === undefined ? 'no program: no risk found' : `review: the leading risk belongs to no program${has}` };
}

/** The first configured exclusion that applies, or null. `enrolled`: the people each program's partner enrolled. */
export function exclusionOf(
  row: FeatureRow,
  program: Program | null,
  configured: readonly Exclusion[],
  enrolled: ReadonlyMap<Program, ReadonlySet<string>>,
): Exclusion | null {
  const disposition = row.last_discharge_disposition;
  const applies: Record<Exclusion, boolean> = {
    // discharged to hospice (50 home, 51 facility) is hospice whatever the eligibility file says
    hospice: row.hospice || HOSPICE_DISCHARGE.includes(disposition ?? ''),
    // expired at discharge (20; 40-42 in hospice); their claims may arrive before the eligibility file says so
    deceased: DIED_AT_DISCHARGE.includes(disposition ?? ''),
    esrd: row.esrd,
    institutional: row.institutional,
    enrolled: program !== null && (enrolled.get(program)?.has(row.person_id) ?? false),
  };
  return configured.find((e) => applies[e]) ?? null;
}
