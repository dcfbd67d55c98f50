/**
 * The device NDJSON that remote-monitoring senders deliver (and the demo generator writes): one JSON object a line.
 * A reading carries either one value, or components (a blood-pressure panel, LOINC 85354-9, with systolic 8480-6 and
 * diastolic 8462-4). `measured_at` is ISO 8601 with an offset; `unit` is UCUM as sent (kg, [lb_av], mg/dL, mmol/L, %,
 * mm[Hg], /min). Ingest converts to the canonical units of DESIGN.md and stores one observation row per value.
 *
 *   {"person_id":"P000123","device_id":"BPM-77","measured_at":"2025-06-01T07:31:00-05:00","code":"85354-9",
 *    "components":[{"code":"8480-6","value":142,"unit":"mm[Hg]"},{"code":"8462-4","value":88,"unit":"mm[Hg]"}]}
 *   {"person_id":"P000123","device_id":"SCALE-9","measured_at":"2025-06-01T07:35:00-05:00","code":"29463-7","value":81.2,"unit":"kg"}
 */
import { z } from 'zod';

export const deviceComponentSchema = z.object({
  code: z.string().min(1),
  value: z.number(),
  unit: z.string().min(1),
});

export const deviceReadingSchema = z.object({
  person_id: z.string().min(1),
  device_id: z.string().min(1).optional(),
  measured_at: z.string().min(1),
  code: z.string().min(1),
  value: z.number().optional(),
  unit: z.string().min(1).optional(),
  components: z.array(deviceComponentSchema).optional(),
});

export type DeviceReading = z.infer<typeof deviceReadingSchema>;
