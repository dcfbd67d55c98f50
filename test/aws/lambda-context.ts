/**
 * The Lambda context object the runtime passes a handler, for calling the handlers in tests (Powertools' own test
 * helpers that build one are not published to npm). Each call is a new request id; the first call of a module's
 * handler is its cold start.
 */
import type { Context } from 'aws-lambda';

let requests = 0;

export function lambdaContext(stage: string): Context {
  requests += 1;
  const functionName = `stratify-${stage}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `c6af9ac6-7b61-11e6-9a41-${String(requests).padStart(12, '0')}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/06/30/[$LATEST]abcdef0123456789',
    getRemainingTimeInMillis: () => 600_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
