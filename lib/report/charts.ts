/**
 * The report's charts: Observable Plot (ISC, the Observable team's successor to their d3 examples) drawing into
 * linkedom's server-side DOM, serialized to inline SVG when the report is written, so a page needs no script to show
 * them. Chosen over Apache ECharts' server-side SVG and Vega: measured here on a 90-day two-line chart with threshold
 * rules, Plot took 1.9 ms and 12 KB a chart, ECharts 7.0 ms and 58 KB (and 0.36 s to import against 0.14 s); the
 * current vega-lite needs Node 22. lib/report/README.md has the figures.
 *
 * Every chart has a title and a text description (the figure's caption and the SVG's aria-label), and its colours
 * come from the Okabe–Ito palette, which stays distinguishable with the common colour-vision deficiencies. Each mark
 * group carries an aria-label naming what it draws, which is what the browser tests count.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { escapeHtml } from './html.js';

const { document } = parseHTML('<!doctype html><html><body></body></html>');

/** Okabe & Ito (2008), colour-universal design */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'] as const;
export const TIER_COLOURS: Readonly<Record<string, string>> = { critical: '#D55E00', high: '#E69F00', elevated: '#56B4E9', routine: '#999999' };

/** the width of a chart; charts side by side in the overview's grid are HALF wide */
const WIDTH = 720;
export const HALF = 520;
const FONT = { fontFamily: 'system-ui, sans-serif', fontSize: '12px' };

/** a chart as a captioned figure: the caption is the visible title, the description its text alternative */
function figure(title: string, description: string, options: Plot.PlotOptions): string {
  const svg = Plot.plot({ document, width: WIDTH, style: FONT, ariaLabel: `${title}. ${description}`, ...options }) as unknown as Element;
  svg.setAttribute('role', 'img');
  return `<figure class="chart"><figcaption><strong>${escapeHtml(title)}</strong> <span class="desc">${escapeHtml(description)}</span></figcaption>${svg.outerHTML}</figure>`;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly colour?: string;
}

/** horizontal bars in the given order, each with its count at its end */
export function barChart(title: string, description: string, bars: readonly Bar[], options: { marginLeft?: number; width?: number } = {}): string {
  const domain = bars.map((b) => b.label);
  return figure(title, description, {
    width: options.width ?? WIDTH,
    height: 30 + 26 * bars.length,
    marginLeft: options.marginLeft ?? 120,
    marginRight: 60,
    x: { label: null, grid: true },
    y: { domain, label: null },
    marks: [
      Plot.barX(bars, { x: 'value', y: 'label', fill: (b: Bar) => b.colour ?? PALETTE[0], title: (b: Bar) => `${b.label}: ${b.value.toLocaleString('en-US')}`, ariaDescription: 'bar' }),
      Plot.text(bars, { x: 'value', y: 'label', text: (b: Bar) => b.value.toLocaleString('en-US'), textAnchor: 'start', dx: 4, ariaDescription: 'count' }),
      Plot.ruleX([0]),
    ],
  });
}

/** the risk pyramid: one centred bar per tier, the narrowest (critical) on top */
export function pyramid(tiers: readonly { tier: string; members: number }[]): string {
  const description = tiers.map((t) => `${t.tier} ${t.members.toLocaleString('en-US')}`).join(', ');
  const rows = tiers.map((t) => ({ ...t, half: t.members / 2 }));
  return figure('Risk pyramid', `Members per tier: ${description}.`, {
    width: HALF,
    height: 40 + 34 * tiers.length,
    marginLeft: 70,
    marginRight: 60,
    x: { axis: null },
    y: { domain: tiers.map((t) => t.tier), label: null },
    marks: [
      Plot.barX(rows, { x1: (r: (typeof rows)[number]) => -r.half, x2: 'half', y: 'tier', fill: (r: (typeof rows)[number]) => TIER_COLOURS[r.tier] ?? PALETTE[0], title: (r: (typeof rows)[number]) => `${r.tier}: ${r.members}`, ariaDescription: 'tier' }),
      Plot.text(rows, { x: 'half', y: 'tier', text: (r: (typeof rows)[number]) => r.members.toLocaleString('en-US'), textAnchor: 'start', dx: 6, ariaDescription: 'tier count' }),
    ],
  });
}

/** a histogram of values, `thresholds` bins */
export function histogram(title: string, description: string, values: readonly number[], xLabel: string, thresholds = 40): string {
  return figure(title, description, {
    width: HALF,
    height: 220,
    x: { label: xLabel },
    y: { label: 'members', grid: true },
    marks: [Plot.rectY(values, { ...Plot.binX({ y: 'count' }, { x: (v: number) => v, thresholds }), fill: PALETTE[0], ariaDescription: 'bin' }), Plot.ruleY([0])],
  });
}

export interface Series {
  readonly name: string;
  readonly points: readonly { date: Date; value: number }[];
  readonly colour: string;
}
export interface Threshold {
  readonly value: number;
  readonly label: string;
}

/** one or more daily series as lines with a dot per day, and the alert thresholds as dashed labelled rules */
export function timeSeries(
  title: string,
  description: string,
  series: readonly Series[],
  thresholds: readonly Threshold[],
  options: { yLabel: string; domain: [Date, Date]; annotations?: Plot.Markish[] },
): string {
  const marks: Plot.Markish[] = [];
  for (const s of series) {
    // one path with a dot marker at each day's point: a <circle> per day made the DOM, not Plot, the report's cost
    marks.push(Plot.line(s.points, { x: 'date', y: 'value', stroke: s.colour, marker: 'dot', ariaDescription: s.name }));
  }
  // thresholds of the same value (diastolic 90, low systolic 90) share one rule and one label
  const labels = new Map<number, string[]>();
  for (const t of thresholds) labels.set(t.value, [...(labels.get(t.value) ?? []), t.label]);
  const rules = [...labels].map(([value, ls]) => ({ value, label: ls.join(' · ') }));
  marks.push(Plot.ruleY(rules, { y: 'value', stroke: '#444', strokeDasharray: '4 3', ariaDescription: 'threshold' }));
  marks.push(Plot.text(rules, { y: 'value', x: options.domain[0], text: 'label', textAnchor: 'start', dy: -6, fill: '#444', ariaDescription: 'threshold label' }));
  marks.push(...(options.annotations ?? []));
  const values = [...series.flatMap((s) => s.points.map((p) => p.value)), ...thresholds.map((t) => t.value)];
  const pad = Math.max(1, (Math.max(...values) - Math.min(...values)) * 0.08);
  return figure(title, description, {
    height: 220,
    marginLeft: 50,
    x: { domain: options.domain, label: null },
    y: { label: options.yLabel, grid: true, domain: [Math.min(...values) - pad, Math.max(...values) + pad] },
    color: { legend: false },
    marks,
  });
}

/** an arrow from one reading to another with a label: the weight gains the heart-failure rules look at */
export function gainArrow(from: { date: Date; value: number }, to: { date: Date; value: number }, label: string, colour: string): Plot.Markish[] {
  return [
    Plot.arrow([{ from, to }], { x1: (d: { from: { date: Date } }) => d.from.date, y1: (d: { from: { value: number } }) => d.from.value, x2: (d: { to: { date: Date } }) => d.to.date, y2: (d: { to: { value: number } }) => d.to.value, stroke: colour, strokeWidth: 2, ariaDescription: label }),
    Plot.text([to], { x: 'date', y: 'value', text: () => label, dy: -10, textAnchor: 'end', fill: colour, ariaDescription: `${label} label` }),
  ];
}

export interface Span {
  readonly kind: string;
  readonly start: Date;
  readonly end: Date;
}

/** admissions as bars from admission to discharge, ED visits as ticks, on one time axis */
export function timeline(title: string, description: string, spans: readonly Span[], domain: [Date, Date]): string {
  const stays = spans.filter((s) => s.kind === 'admission');
  const visits = spans.filter((s) => s.kind !== 'admission');
  return figure(title, description, {
    height: 110,
    marginLeft: 90,
    x: { domain, label: null },
    y: { domain: ['admission', 'ED visit'], label: null },
    marks: [
      Plot.barX(stays, { x1: 'start', x2: (s: Span) => new Date(Math.max(s.end.getTime(), s.start.getTime() + 86_400_000)), y: () => 'admission', fill: PALETTE[3], title: (s: Span) => `admitted ${day(s.start)}, discharged ${day(s.end)}`, ariaDescription: 'admission' }),
      Plot.tickX(visits, { x: 'start', y: () => 'ED visit', stroke: PALETTE[0], strokeWidth: 2, title: (s: Span) => `ED visit ${day(s.start)}`, ariaDescription: 'ED visit' }),
    ],
  });
}

/** several named lines over the as-of dates (tiers and flags over time, a member's score over runs) */
export function lines(title: string, description: string, series: readonly Series[], yLabel: string): string {
  const marks = series.flatMap((s) => [
    Plot.line(s.points, { x: 'date', y: 'value', stroke: s.colour, ariaDescription: `${s.name} line` }),
    Plot.dot(s.points, { x: 'date', y: 'value', fill: s.colour, r: 3, title: (p: { date: Date; value: number }) => `${s.name} ${day(p.date)}: ${round(p.value)}`, ariaDescription: s.name }),
    Plot.text(s.points.slice(-1), { x: 'date', y: 'value', text: () => s.name, dx: 6, textAnchor: 'start', fill: s.colour, ariaDescription: `${s.name} label` }),
  ]);
  return figure(title, description, { height: 220, marginRight: 90, x: { label: null }, y: { label: yLabel, grid: true, zero: true }, marks });
}

const day = (d: Date): string => d.toISOString().slice(0, 10);
const round = (v: number): string => String(Math.round(v * 10) / 10);
