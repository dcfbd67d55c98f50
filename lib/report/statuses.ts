/** A worklist status without its dates ("sent 2026-06-21, within 30 days" → "sent, within 30 days"): the rule that applied, for counting. */
export function statusRule(status: string): string {
  return status.replace(/ ?\d{4}-\d{2}-\d{2}/g, '').replace(/\s+,/g, ',').trim();
}
