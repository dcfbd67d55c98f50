/**
 * One page per flagged member, for the care manager who calls them: why they were flagged (the reasons and the points
 * of each score component), 90 days of readings with the alert thresholds drawn, a year of admissions and ED visits,
 * their CMS-HCC factors, conditions and comorbidity indexes, their score over past runs, and what the partner reported.
 * Only what the worklist line and the member's own curated records hold: the person id is the one identifier.
 */
import type { StratifyConfig } from '../config/index.js';
import { addDays, dayOf, MS_PER_DAY } from '../dates.js';
import { POUND_KG } from '../ingest/units.js';
import { gainArrow, lines, PALETTE, timeline, timeSeries, type Series, type Threshold } from './charts.js';
import { READING_DAYS, TIMELINE_DAYS, type FlagRow, type Reading, type ReportData } from './data.js';
import { plainReason } from '../scoring/legend.js';
import { scoreMember } from '../scoring/model.js';
import { escapeHtml, legendHtml, page, table, tierBadge } from './html.js';

/**
 * the score over the runs is drawn from three runs on; two are a sentence (a line through two points tells nothing
 * more, and the 10,000-member demo's 924 such charts took about 2 s of the report's time)
 */
const MIN_RUNS_CHARTED = 3;

/** the measures drawn, each from its LOINC codes (DESIGN.md), one daily mean per day with readings */
export const MEASURES = {
  systolic: ['8480-6'],
  diastolic: ['8462-4'],
  weight: ['29463-7'],
  spo2: ['59408-5', '2708-6'],
  glucose: ['2339-0', '41653-7'],
} as const;

type RuleId = keyof StratifyConfig['scoring']['monitoring']['rules'];

/** a monitoring rule as it applies to the member's program (the program's override over the default) */
function ruleFor(config: StratifyConfig, program: string | null, id: RuleId): { at: number; diastolic_at?: number } {
  const base = config.scoring.monitoring.rules[id] as { at: number; diastolic_at?: number };
  const override = program ? (config.scoring.monitoring.overrides as Record<string, Record<string, object> | undefined>)[program]?.[id] : undefined;
  return { ...base, ...override };
}

/** one point per UTC day with readings of the measure: the day's mean, drawn at noon */
export function dailyMeans(readings: readonly Reading[], codes: readonly string[]): { date: Date; value: number }[] {
  const days = new Map<number, { sum: number; n: number }>();
  for (const r of readings) {
    if (!codes.includes(r.loinc)) continue;
    const day = Math.floor(r.at / MS_PER_DAY);
    const acc = days.get(day) ?? { sum: 0, n: 0 };
    acc.sum += r.value;
    acc.n++;
    days.set(day, acc);
  }
  return [...days].sort((a, b) => a[0] - b[0]).map(([day, { sum, n }]) => ({ date: new Date(day * MS_PER_DAY + MS_PER_DAY / 2), value: sum / n }));
}

/**
 * The weight gains the heart-failure rules look at, over the readings of the last 7 days: the largest rise between
 * two readings at most 24 hours apart, and the last reading against the first (the features' definitions).
 */
export function weightGains(weights: readonly Reading[], asOf: string): { day: [Reading, Reading] | null; week: [Reading, Reading] | null } {
  const from = dayOf(addDays(asOf, -6)) * MS_PER_DAY;
  const recent = weights.filter((w) => w.at >= from);
  let day: [Reading, Reading] | null = null;
  for (let i = 0; i < recent.length; i++) {
    for (let j = i + 1; j < recent.length && recent[j]!.at - recent[i]!.at <= MS_PER_DAY; j++) {
      const rise = recent[j]!.value - recent[i]!.value;
      if (rise > 0 && (day === null || rise > day[1].value - day[0].value)) day = [recent[i]!, recent[j]!];
    }
  }
  const week: [Reading, Reading] | null = recent.length >= 2 ? [recent[0]!, recent.at(-1)!] : null;
  return { day, week };
}

const lb = (kg: number): string => (kg / POUND_KG).toFixed(1);
const point = (r: Reading) => ({ date: new Date(r.at), value: r.value });

function readingCharts(d: ReportData, flag: FlagRow): string[] {
  const readings = d.readings.get(flag.person_id) ?? [];
  const domain: [Date, Date] = [new Date(dayOf(addDays(d.asOf, 1 - READING_DAYS)) * MS_PER_DAY), new Date((dayOf(d.asOf) + 1) * MS_PER_DAY)];
  const rule = (id: RuleId) => ruleFor(d.config, flag.program, id);
  const charts: string[] = [];
  const days = (points: readonly unknown[]) => `${points.length} day${points.length === 1 ? '' : 's'} with readings`;

  const systolic = dailyMeans(readings, MEASURES.systolic);
  const diastolic = dailyMeans(readings, MEASURES.diastolic);
  if (systolic.length > 0) {
    const crisis = rule('bp_crisis');
    const uncontrolled = rule('bp_uncontrolled');
    const thresholds: Threshold[] = [
      { value: crisis.at, label: `crisis ${crisis.at}/${crisis.diastolic_at}` },
      { value: uncontrolled.at, label: `uncontrolled systolic ${uncontrolled.at}` },
      { value: uncontrolled.diastolic_at!, label: `uncontrolled diastolic ${uncontrolled.diastolic_at}` },
      { value: rule('hypotension').at, label: `low systolic ${rule('hypotension').at}` },
    ];
    const series: Series[] = [
      { name: 'systolic', points: systolic, colour: PALETTE[3] },
      { name: 'diastolic', points: diastolic, colour: PALETTE[0] },
    ];
    charts.push(timeSeries('Blood pressure, mmHg', `Daily mean systolic and diastolic, ${days(systolic)}; dashed lines are the alert thresholds.`, series, thresholds, { yLabel: 'mmHg', domain }));
  }

  const weightReadings = readings.filter((r) => (MEASURES.weight as readonly string[]).includes(r.loinc));
  const weight = dailyMeans(readings, MEASURES.weight);
  if (weight.length > 0) {
    const gains = weightGains(weightReadings, d.asOf);
    const annotations = [
      ...(gains.day ? gainArrow(point(gains.day[0]), point(gains.day[1]), `+${lb(gains.day[1].value - gains.day[0].value)} lb in 24 h`, PALETTE[3]) : []),
      ...(gains.week ? gainArrow(point(gains.week[0]), point(gains.week[1]), `${gains.week[1].value >= gains.week[0].value ? '+' : ''}${lb(gains.week[1].value - gains.week[0].value)} lb in 7 days`, PALETTE[4]) : []),
    ];
    const gainText = `largest 24-hour gain in the last 7 days ${gains.day ? `${lb(gains.day[1].value - gains.day[0].value)} lb` : 'none'} (alert at ${rule('weight_gain_24h').at} lb), 7-day change ${gains.week ? `${lb(gains.week[1].value - gains.week[0].value)} lb` : 'unknown'} (alert at ${rule('weight_gain_7d').at} lb)`;
    charts.push(timeSeries('Weight, kg', `Daily mean weight, ${days(weight)}; ${gainText}.`, [{ name: 'weight', points: weight, colour: PALETTE[2] }], [], { yLabel: 'kg', domain, annotations }));
  }

  const spo2 = dailyMeans(readings, MEASURES.spo2);
  if (spo2.length > 0) {
    charts.push(timeSeries('Oxygen saturation (SpO2), %', `Daily mean SpO2, ${days(spo2)}; dashed line: the low-oxygen alert.`, [{ name: 'spo2', points: spo2, colour: PALETTE[5] }], [{ value: rule('spo2_low').at, label: `low ${rule('spo2_low').at}%` }], { yLabel: '%', domain }));
  }

  const glucose = dailyMeans(readings, MEASURES.glucose);
  if (glucose.length > 0) {
    const thresholds: Threshold[] = [
      { value: rule('glucose_sustained_high').at, label: `high ${rule('glucose_sustained_high').at}` },
      { value: rule('glucose_low_level1').at, label: `low ${rule('glucose_low_level1').at}` },
      { value: rule('glucose_low_level2').at, label: `very low ${rule('glucose_low_level2').at}` },
    ];
    charts.push(timeSeries('Glucose, mg/dL', `Daily mean glucose, ${days(glucose)}; dashed lines are the alert thresholds.`, [{ name: 'glucose', points: glucose, colour: PALETTE[1] }], thresholds, { yLabel: 'mg/dL', domain }));
  }
  return charts;
}

const CONDITION_FLAGS = [
  ['has_diabetes', 'diabetes'],
  ['has_hypertension', 'hypertension'],
  ['has_copd', 'COPD'],
  ['has_heart_failure', 'heart failure'],
  ['has_ckd', 'chronic kidney disease'],
] as const;

export function memberPage(d: ReportData, flag: FlagRow, scoreIndex: ReadonlyMap<string, ReportData['scores'][number]>): string {
  const s = scoreIndex.get(flag.person_id);
  const f = d.features.get(flag.person_id);
  const status = d.statuses.get(flag.partner)?.get(flag.person_id) ?? '';
  const reasons = (JSON.parse(flag.reasons) as string[]).map(plainReason);
  const body: string[] = [];
  body.push(
    `<ul class="kpis"><li><b>${tierBadge(flag.tier)}</b>tier</li><li><b>${flag.score.toFixed(1)}</b>score</li><li><b>${flag.rank}</b>rank for ${escapeHtml(flag.partner)}</li>` +
      `<li><b>${escapeHtml(flag.program.replace('_', ' '))}</b>program</li><li><b>${escapeHtml(status || '–')}</b>status</li></ul>`,
  );

  body.push('<h2>Why</h2>');
  // the model again on the member's features gives each reason's points; when it does not give the stored score (a
  // configuration changed since the run) the stored reasons are listed without points
  const scored = f ? scoreMember(f, d.config.scoring, d.previous.get(flag.person_id)) : undefined;
  const same = scored !== undefined && Math.abs(scored.score - flag.score) < 0.01;
  if (same) {
    body.push(
      table(`Reasons of the score ${flag.score.toFixed(1)}, strongest first`, [
        { header: 'reason', cell: (c: (typeof scored.contributions)[number]) => plainReason(c.reason) },
        { header: 'component', cell: (c) => c.component },
        { header: 'points', cell: (c) => c.points.toFixed(1), numeric: true },
      ], scored.contributions),
    );
  } else body.push(`<ol>${reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ol>`);
  body.push(legendHtml(d.config));
  if (s) {
    const components = [
      ['CMS-HCC (prospective risk)', s.prospective_points],
      ['comorbidity (Charlson, Elixhauser)', s.comorbidity_points],
      ['utilization (admissions, ED, cost, LACE)', s.utilization_points],
      ['monitoring alerts', s.monitoring_points],
      ['trends', s.trend_points],
    ] as const;
    body.push(table(`Points of the score ${s.score.toFixed(1)}, by component`, [{ header: 'component', cell: (c: (typeof components)[number]) => c[0] }, { header: 'points', cell: (c) => c[1].toFixed(1), numeric: true }], components));
  }

  body.push(`<h2>Readings, last ${READING_DAYS} days</h2>`);
  const charts = readingCharts(d, flag);
  body.push(charts.length > 0 ? charts.join('\n') : '<p class="note">No device readings in this window.</p>');
  if (f?.hba1c_latest !== null && f?.hba1c_latest !== undefined) body.push(`<p>Latest HbA1c: ${f.hba1c_latest.toFixed(1)} %.</p>`);

  body.push(`<h2>Admissions and ED visits, last ${TIMELINE_DAYS} days</h2>`);
  const events = d.events.get(flag.person_id) ?? [];
  if (events.length === 0) body.push('<p class="note">None.</p>');
  else {
    const domain: [Date, Date] = [new Date(`${addDays(d.asOf, 1 - TIMELINE_DAYS)}T00:00:00Z`), new Date(`${addDays(d.asOf, 1)}T00:00:00Z`)];
    const spans = events.map((e) => ({ kind: e.kind, start: new Date(`${e.start}T00:00:00Z`), end: new Date(`${e.end ?? e.start}T00:00:00Z`) }));
    const admissions = events.filter((e) => e.kind === 'admission').length;
    body.push(timeline('Timeline', `${admissions} admission${admissions === 1 ? '' : 's'} and ${events.length - admissions} ED visit day${events.length - admissions === 1 ? '' : 's'}.`, spans, domain));
    body.push(
      table('Events', [
        { header: 'date', cell: (e: (typeof events)[number]) => e.start },
        { header: 'event', cell: (e) => (e.kind === 'admission' ? `admission, discharged ${e.end ?? 'not yet'}` : 'ED visit') },
      ], events),
    );
  }

  body.push('<h2>Conditions and risk factors</h2><dl class="legend">');
  if (s) {
    body.push(`<dt>CMS-HCC</dt><dd>risk score ${s.hcc_score.toFixed(3)}, segment ${escapeHtml(s.hcc_segment)}; payment HCCs: ${escapeHtml(s.hccs ?? 'none')}</dd>`);
    if (same) {
      body.push(
        `<dd>${table(`CMS-HCC ${scored.hcc.model.toUpperCase()} factors (raw score ${scored.hcc.rawScore.toFixed(3)})`, [
          { header: 'kind', cell: (x: (typeof scored.hcc.factors)[number]) => x.kind },
          { header: 'factor', cell: (x) => `${x.description} (${x.code})` },
          { header: 'coefficient', cell: (x) => x.coefficient.toFixed(3), numeric: true },
        ], scored.hcc.factors)}</dd>`,
      );
    }
    body.push(`<dt>Comorbidity</dt><dd>Charlson index ${s.charlson_index}, Elixhauser index ${s.elixhauser_index}${s.lace !== null ? `; LACE ${s.lace} after the last discharge` : ''}</dd>`);
  }
  if (f) {
    const programs = CONDITION_FLAGS.filter(([col]) => f[col]).map(([, label]) => label);
    body.push(`<dt>Program conditions</dt><dd>${escapeHtml(programs.join(', ') || 'none')}</dd>`);
    body.push(`<dt>CMS Chronic Conditions Warehouse</dt><dd>${escapeHtml(f.chronic_conditions.split(',').filter(Boolean).map((c) => c.replaceAll('_', ' ')).join(', ') || 'none')}</dd>`);
  }
  body.push('</dl>');

  const history = d.history.get(flag.person_id) ?? [];
  body.push('<h2>Score over the runs</h2>');
  if (history.length >= MIN_RUNS_CHARTED) {
    body.push(lines('Score over the runs', `${history.length} runs: ${history.map((h) => `${h.asOf} ${h.score.toFixed(1)} (${h.tier})`).join(', ')}.`, [{ name: 'score', colour: PALETTE[0], points: history.map((h) => ({ date: new Date(`${h.asOf}T00:00:00Z`), value: h.score })) }], 'score'));
  } else if (history.length > 1) {
    body.push(`<p>${history.map((h) => `${h.score.toFixed(1)} (${h.tier}) on ${h.asOf}`).join(', then ')}.</p>`);
  } else body.push(`<p class="note">First run for this member: score ${flag.score.toFixed(1)} on ${d.asOf}.</p>`);

  body.push(`<h2>Feedback from ${escapeHtml(flag.partner)}</h2>`);
  const feedback = d.feedback.get(flag.partner)?.get(flag.person_id) ?? [];
  body.push(
    feedback.length === 0
      ? '<p class="note">Nothing reported yet.</p>'
      : table('What the partner reported, oldest first', [{ header: 'reported on', cell: (r: (typeof feedback)[number]) => r.reported_on }, { header: 'status', cell: (r) => r.status }], feedback),
  );
  return page({ title: `Member ${flag.person_id}, ${d.asOf}`, root: '../', body: body.join('\n'), nav: [{ href: `../partners/${flag.partner}.html`, label: `${flag.partner} worklist` }] });
}

/** the page of each flagged member (a member on two lists gets one page, with their first flag), as [key, html] */
export function memberPages(d: ReportData): [string, string][] {
  const scores = new Map(d.scores.map((s) => [s.person_id, s]));
  const pages = new Map<string, string>();
  for (const flag of d.flags) if (!pages.has(flag.person_id)) pages.set(flag.person_id, memberPage(d, flag, scores));
  return [...pages].map(([person, html]) => [`members/${person}.html`, html]);
}
