/** The process around main(): exit code, one-line errors, a quiet stop when a pipe reader closes early. */
import { CliError, describeError } from './errors.js';
import { main } from './main.js';

// `stratify sql … | head` closes the pipe early: stop quietly instead of printing a stack trace
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof CliError) {
      console.error(`stratify: ${e.message}`);
      process.exitCode = e.exitCode;
    } else {
      console.error(`stratify: ${describeError(e)}`);
      if (process.env.STRATIFY_DEBUG) console.error(e);
      process.exitCode = 1;
    }
  },
);
