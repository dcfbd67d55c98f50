/** An error the CLI reports as one plain sentence (no stack trace), with the exit code it should end with. */

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
    options?: ErrorOptions & { readonly showUsage?: boolean },
  ) {
    super(message, options);
    this.name = 'CliError';
    this.showUsage = options?.showUsage ?? false;
  }
  /** the command line was wrong in a way its usage line explains */
  readonly showUsage: boolean;
}

/** a command line missing what the command needs: reported with the command's usage */
export function usageError(message: string): CliError {
  return new CliError(message, 2, { showUsage: true });
}

interface ZodLikeError extends Error {
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
}

/** told by its name and issues rather than `instanceof`, so that `--help` need not load zod */
const isZodError = (e: unknown): e is ZodLikeError => e instanceof Error && e.name === 'ZodError' && Array.isArray((e as { issues?: unknown }).issues);

/**
 * An unexpected error as one line: its message, except a zod error, whose message is a JSON dump of issues that names
 * no file or record; it becomes `invalid value at <path>: <message>` for its first issue (STRATIFY_DEBUG shows all).
 */
export function describeError(e: unknown): string {
  if (isZodError(e)) {
    const [first] = e.issues;
    const more = e.issues.length > 1 ? ` (and ${e.issues.length - 1} more)` : '';
    return first === undefined ? 'invalid value' : `invalid value at ${first.path.length > 0 ? first.path.join('.') : '(top level)'}: ${first.message}${more}`;
  }
  return e instanceof Error ? e.message : String(e);
}
