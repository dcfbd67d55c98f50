import { describe, expect, it } from 'vitest';
import { bindParams, renderLiteral } from '../../lib/sql/params.js';

describe('binding ? placeholders', () => {
  it('renders validated, quoted literals', () => {
    expect(renderLiteral({ date: '2025-06-30' })).toBe("DATE '2025-06-30'");
    expect(renderLiteral({ string: "O'Brien" })).toBe("'O''Brien'");
    expect(renderLiteral({ number: 2.5 })).toBe('2.5');
    expect(() => renderLiteral({ date: "2025-06-30' or 1=1 --" })).toThrow(/calendar date/);
    expect(() => renderLiteral({ number: Number.NaN })).toThrow();
    // a sentence naming the parameter, not zod's JSON dump of issues (a 1,001-character `stratify history` id did that)
    expect(() => renderLiteral({ string: 'x'.repeat(1001) })).toThrow(/^SQL parameter \{"string":"x+: expected a calendar date \(YYYY-MM-DD\), a string of at most 1000 characters, or a finite number$/);
  });

  it('replaces placeholders in order, but not inside strings, identifiers or comments', () => {
    const sql = `select '?' as q, "a?" from t -- why?\nwhere d = ? /* ? */ and p = ?`;
    expect(bindParams(sql, [{ date: '2025-01-02' }, { string: 'x' }])).toBe(
      `select '?' as q, "a?" from t -- why?\nwhere d = DATE '2025-01-02' /* ? */ and p = 'x'`,
    );
  });

  it('refuses a count mismatch either way', () => {
    expect(() => bindParams('select ?', [])).toThrow(/more \? placeholders/);
    expect(() => bindParams('select 1', [{ number: 1 }])).toThrow(/0 \? placeholders but 1/);
  });
});
