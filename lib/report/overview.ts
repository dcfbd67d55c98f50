/** The overview page (index.html): the population's risk, what went to each partner and how the data arrived. */
import { TIERS } from '../scoring/vocabulary.js';
import { barChart, HALF, histogram, lines, PALETTE, pyramid, TIER_COLOURS, type Series } from './charts.js';
import type { ReportData, ScoreRow } from './data.js';
import { escapeHtml, fmt, page, table, tierBadge } from './html.js';
import { statusRule } from './statuses.js';

/** the members of each tier, in the pyramid's order (critical first) */
export function tierCounts(scores: readonly ScoreRow[]): { tier: string; members: number }[] {
  return TIERS.map((tier) => ({ tier, members: scores.filter((s) => s.tier === tier).length }));
}

/**
 * What kind of reason a reason is, for counting: the text before its first colon ("Blood pressure uncontrolled"),
 * else the text with its figures and the threshold in brackets taken out ("N hospital admissions in the last 12 months").
 */
export function reasonKind(reason: string): string {
  const colon = reason.indexOf(':');
  const kind = (colon > 0 ? reason.slice(0, colon) : reason)
    .replace(/\s*[([][^)\]]*[)\]]/g, '')
    .replace(/\$?\d[\d,.]*/g, 'N')
    .trim();
  return kind.length > KIND_LENGTH ? `${kind.slice(0, KIND_LENGTH - 1)}…` : kind;
}
const KIND_LENGTH = 44;

const PROGRAM_CONDITIONS = [
  ['diabetes', 'has_diabetes'],
  ['hypertension', 'has_hypertension'],
  ['COPD', 'has_copd'],
  ['heart failure', 'has_heart_failure'],
  ['chronic kidney disease', 'has_ckd'],
] as const;

/** a member who sent device readings in the last 90 days counts as monitored */
const MONITORED_WITHIN_DAYS = 90;

export function overviewPage(d: ReportData): string {
  const tiers = tierCounts(d.scores);
  const features = [...d.features.values()];
  const flaggedBy = (partner: string) => d.flags.filter((f) => f.partner === partner);
  const statusCounts = d.config.partners.map(({ name }) => {
    const counts = new Map<string, number>();
    for (const s of d.statuses.get(name)?.values() ?? []) counts.set(statusRule(s), (counts.get(statusRule(s)) ?? 0) + 1);
    return { partner: name, flagged: flaggedBy(name).length, counts };
  });
  const rules = [...new Set(statusCounts.flatMap((p) => [...p.counts.keys()]))].sort();
  const sentToday = statusCounts.reduce((n, p) => n + [...p.counts].filter(([r]) => r.startsWith('sent') && r !== 'sent recently').reduce((m, [, c]) => m + c, 0), 0);

  const reasonCounts = new Map<string, number>();
  for (const f of d.flags) for (const r of JSON.parse(f.reasons) as string[]) reasonCounts.set(reasonKind(r), (reasonCounts.get(reasonKind(r)) ?? 0) + 1);
  const topReasons = [...reasonCounts].sort((a, b) => b[1] - a[1]).slice(0, 12);

  const monitored = features.filter((f) => f.days_since_last_reading !== null && f.days_since_last_reading <= MONITORED_WITHIN_DAYS);
  const adherenceRule = d.config.scoring.monitoring.rules.non_adherent.at;
  const nonAdherent = monitored.filter((f) => f.reading_days_30d < adherenceRule).length;

  const risingAt = d.config.scoring.rules.score_rising.levels[0]?.at ?? 10;
  const rising = d.scores.filter((s) => s.score_change !== null && s.score_change >= risingAt).sort((a, b) => b.score_change! - a.score_change!);
  const flaggedIds = new Set(d.flags.map((f) => f.person_id));

  const body: string[] = [];
  body.push(
    `<p>Run of <strong>${d.asOf}</strong>: ${fmt(d.scores.length)} members scored, ${fmt(d.flags.length)} flagged for ${d.config.partners.length} partners` +
      `${d.setAside > 0 ? `; ${fmt(d.setAside)} set aside, the model could not score them (the error column of scores)` : ''}.</p>`,
  );
  body.push(
    `<ul class="kpis">${[
      ['members scored', fmt(d.scores.length)],
      ['flagged', fmt(d.flags.length)],
      ['sent today', fmt(sentToday)],
      ['rising risk', fmt(rising.length)],
      ['records quarantined', fmt(d.ingest.quarantined)],
    ]
      .map(([k, v]) => `<li><b>${v}</b>${k}</li>`)
      .join('')}</ul>`,
  );

  body.push('<h2 id="risk">Risk</h2><div class="grid">');
  body.push(pyramid(tiers));
  body.push(histogram('Score distribution', `Members by score, ${fmt(d.scores.length)} members; higher is riskier.`, d.scores.map((s) => s.score), 'score'));
  body.push('</div>');

  body.push('<h2 id="programs">Programs and partners</h2><div class="grid">');
  const perCondition = PROGRAM_CONDITIONS.map(([label, col]) => ({ label, value: features.filter((f) => f[col]).length }));
  body.push(barChart('Members per program condition', perCondition.map((b) => `${b.label} ${fmt(b.value)}`).join(', ') + ' (a member can have several).', perCondition, { marginLeft: 160, width: HALF }));
  const perPartner = d.config.partners.map(({ name }, i) => ({ label: name, value: flaggedBy(name).length, colour: PALETTE[i % PALETTE.length]! }));
  body.push(barChart('Members flagged per partner', perPartner.map((b) => `${b.label} ${fmt(b.value)}`).join(', ') + '.', perPartner, { width: HALF }));
  body.push('</div>');
  body.push(
    table(
      'Flagged, sent and suppressed per partner (by the rule that applied)',
      [
        { header: 'partner', cell: (p: (typeof statusCounts)[number]) => `<a href="partners/${escapeHtml(p.partner)}.html">${escapeHtml(p.partner)}</a>`, html: true },
        { header: 'flagged', cell: (p) => fmt(p.flagged), numeric: true },
        ...rules.map((r) => ({ header: r, cell: (p: (typeof statusCounts)[number]) => fmt(p.counts.get(r) ?? 0), numeric: true })),
      ],
      statusCounts,
    ),
  );

  body.push('<h2 id="rising">Rising risk since the previous run</h2>');
  if (rising.length === 0) body.push(`<p class="note">No member's score rose by ${risingAt} points or more since their previous run (or this is the first run).</p>`);
  else {
    body.push(`<p>${fmt(rising.length)} members' scores rose by ${risingAt} points or more since their previous run; the 20 largest rises:</p>`);
    body.push(
      table(
        'Largest score rises',
        [
          { header: 'member', cell: (s: ScoreRow) => (flaggedIds.has(s.person_id) ? `<a href="members/${escapeHtml(s.person_id)}.html">${escapeHtml(s.person_id)}</a>` : escapeHtml(s.person_id)), html: true },
          { header: 'score', cell: (s) => s.score.toFixed(1), numeric: true },
          { header: 'rise', cell: (s) => `+${s.score_change!.toFixed(1)}`, numeric: true },
          { header: 'since', cell: (s) => s.previous_as_of ?? '' },
          { header: 'tier', cell: (s) => tierBadge(s.tier), html: true },
          { header: 'program', cell: (s) => s.program ?? '' },
        ],
        rising.slice(0, 20),
      ),
    );
  }

  body.push('<h2 id="reasons">Why members were flagged</h2><div class="grid">');
  const reasonBars = topReasons.map(([label, value]) => ({ label, value }));
  body.push(barChart('Most frequent reasons', `Among the ${fmt(d.flags.length)} flagged members: ${reasonBars.slice(0, 5).map((b) => `${b.label} ${b.value}`).join(', ')}.`, reasonBars, { marginLeft: 300, width: HALF }));
  body.push(
    histogram(
      'Device adherence',
      `Days with a device reading in the last 30 days, over the ${fmt(monitored.length)} members who sent readings in the last ${MONITORED_WITHIN_DAYS} days; ${fmt(nonAdherent)} had fewer than ${adherenceRule}.`,
      monitored.map((f) => f.reading_days_30d),
      'days with readings, last 30 days',
      30,
    ),
  );
  body.push('</div>');

  body.push('<h2 id="data">Ingest and data quality</h2>');
  const i = d.ingest;
  body.push(
    `<p>${fmt(i.files)} files, ${fmt(i.read)} records read: ${fmt(i.accepted)} accepted, ${fmt(i.quarantined)} quarantined${i.skipped > 0 ? `, ${fmt(i.skipped)} skipped (measures Stratify does not use)` : ''}.</p>`,
  );
  if (i.reasons.length > 0) {
    const bars = i.reasons.slice(0, 10).map((r) => ({ label: r.reason, value: r.count, colour: PALETTE[3] }));
    body.push(barChart('Quarantined records by reason', bars.map((b) => `${b.label} ${b.value}`).join(', ') + '.', bars, { marginLeft: 330 }));
  }

  body.push('<h2 id="scorecard">Partner scorecard</h2>');
  body.push(
    table(
      'What each partner was sent (every run up to this one) and reported back',
      [
        { header: 'partner', cell: (s: ReportData['scorecards'][number]) => s.partner },
        { header: 'sent', cell: (s) => fmt(s.sent), numeric: true },
        { header: 'contacted', cell: (s) => fmt(s.contacted), numeric: true },
        { header: 'enrolled', cell: (s) => fmt(s.enrolled), numeric: true },
        { header: 'declined', cell: (s) => fmt(s.declined), numeric: true },
        { header: 'unreachable', cell: (s) => fmt(s.unreachable), numeric: true },
        { header: 'median days to contact', cell: (s) => (s.median_days_to_contact === null ? '–' : String(s.median_days_to_contact)), numeric: true },
      ],
      d.scorecards,
    ),
  );

  if (d.runs.length > 1) {
    body.push('<h2 id="runs">Over the runs</h2>');
    const series: Series[] = [
      ...TIERS.filter((t) => t !== 'routine').map((t) => ({ name: t, colour: TIER_COLOURS[t]!, points: d.runs.map((r) => ({ date: new Date(`${r.asOf}T00:00:00Z`), value: r.tiers[t] ?? 0 })) })),
      { name: 'flagged', colour: PALETTE[0], points: d.runs.map((r) => ({ date: new Date(`${r.asOf}T00:00:00Z`), value: r.flagged })) },
    ];
    body.push(lines('Tiers and flags over the as-of dates', `${d.runs.length} runs from ${d.runs[0]!.asOf} to ${d.runs.at(-1)!.asOf}.`, series, 'members'));
  }

  body.push('<h2 id="pages">Partner pages</h2><ul>');
  for (const p of d.config.partners) body.push(`<li><a href="partners/${escapeHtml(p.name)}.html">${escapeHtml(p.name)}</a> (${escapeHtml(p.program.replace('_', ' '))}): ${fmt(flaggedBy(p.name).length)} members</li>`);
  body.push('</ul>');
  return page({ title: `Stratify report, ${d.asOf}`, root: '', body: body.join('\n') });
}
