/**
 * A worklist status without its dates, for counting by the rule that applied: "sent 2026-06-21, within 30 days" →
 * "sent, within 30 days", "sent 2026-06-30: tier worsened (sent 2026-06-23 as high)" → "sent: tier worsened".
 */
export function statusRule(status: string): string {
  return status
    .replace(/\s*\([^)]*\d{4}-\d{2}-\d{2}[^)]*\)/g, '')
    .replace(/ ?\d{4}-\d{2}-\d{2}/g, '')
    .replace(/\s+,/g, ',')
    .trim();
}
