/**
 * The contract between the ingest function and the ingest state machine (infra/ingest.ts), which runs the Athena
 * queries of a landing file above `deploy.ingest_large_file_bytes` as .sync tasks, without Lambda's 15-minute limit:
 * its name (the function starts it by an ARN built from the name, so the function and the machine that invokes it
 * back do not depend on each other in CloudFormation), how long it may run (the lease the file's marker is handed
 * over with), and the events it invokes the ingest function with.
 */
import type { AthenaIngestPlan } from './plan.js';

/** the machine stops an execution after this long; the marker of a file handed to it is leased as long */
export const INGEST_MACHINE_TIMEOUT_MS = 6 * 60 * 60_000;

/** the state machine's name in a deployment named `deployName` */
export function ingestMachineName(deployName: string): string {
  return `${deployName.replaceAll('_', '-')}-ingest`;
}

/** after the queries succeeded: the function commits the file (parts, quarantine, manifest), then cleans up */
export interface CommitEvent {
  readonly athena_commit: AthenaIngestPlan;
}

/** after a query failed: the function removes what the file's ingest wrote and releases its marker */
export interface AbandonEvent {
  readonly athena_abandon: AthenaIngestPlan & { readonly error?: { readonly Error?: string; readonly Cause?: string } };
}
