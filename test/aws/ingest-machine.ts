/**
 * The ingest state machine (infra/ingest.ts) for the loopback test, where no Step Functions runs: what its definition
 * does with an execution's input, step by step. Queries: each planned statement started with its ClientRequestToken
 * in the workgroup and waited for, as the Athena .sync task does (a FAILED one fails the Map); then Commit invokes the
 * ingest function with `{ athena_commit }`, or, after a failure, Abandon with `{ athena_abandon }` and the error.
 * test/infra/stack.test.ts checks the definition has these states in this order.
 */
import { GetQueryExecutionCommand, StartQueryExecutionCommand, type AthenaClient } from '@aws-sdk/client-athena';
import type { AbandonEvent, CommitEvent } from '../../lib/ingest/athena/machine.js';
import type { AthenaIngestPlan } from '../../lib/ingest/athena/plan.js';

async function runSync(athena: AthenaClient, workgroup: string, database: string, sql: string, token: string): Promise<void> {
  const { QueryExecutionId } = await athena.send(
    new StartQueryExecutionCommand({ QueryString: sql, ClientRequestToken: token, WorkGroup: workgroup, QueryExecutionContext: { Database: database } }),
  );
  for (;;) {
    const status = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution?.Status;
    if (status?.State === 'SUCCEEDED') return;
    if (status?.State === 'FAILED' || status?.State === 'CANCELLED') throw new Error(`Athena query ${QueryExecutionId} ${status.State}: ${status.StateChangeReason}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** runs one execution; returns the state it ended in */
export async function runIngestMachine(
  athena: AthenaClient,
  context: { readonly workgroup: string; readonly database: string },
  plan: AthenaIngestPlan,
  invoke: (event: CommitEvent | AbandonEvent) => Promise<unknown>,
): Promise<'Ingested' | 'NotIngested'> {
  try {
    for (const s of plan.statements) await runSync(athena, context.workgroup, context.database, s.sql, s.token);
    await invoke({ athena_commit: plan });
    return 'Ingested';
  } catch (e) {
    await invoke({ athena_abandon: { ...plan, error: { Error: 'States.TaskFailed', Cause: (e as Error).message } } });
    return 'NotIngested';
  }
}
