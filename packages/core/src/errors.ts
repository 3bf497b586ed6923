/** Codes of the errors core raises. Other packages add their own string codes. */
export type CoreErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_PIPELINE'
  | 'STAGE_FAILED'
  | 'SINK_FAILED'
  | 'SOURCE_FAILED'
  | 'DECODE_FAILED'
  | 'DEAD_LETTER_FAILED'
  | 'COMMIT_FAILED'
  | 'STATE_FAILED'
  | 'CHECKPOINT_FAILED'
  | 'CHECKPOINT_LOAD_FAILED'
  | 'TOPIC_NOT_FOUND'
  | 'TABLE_CATCH_UP_TIMEOUT'
  | 'ALREADY_RUNNING'
  | 'STOPPED';

/**
 * The one error class of Tributary. Match on `code` (a stable string), not on
 * `instanceof`, since several copies of a package may be loaded.
 */
export class TributaryError<C extends string = CoreErrorCode | (string & {})> extends Error {
  /** Brand that {@link isTributaryError} checks, so the test works across package copies. */
  readonly _tag = 'TributaryError' as const;
  /** Stable machine-readable code, e.g. `INVALID_OPTION`; match on this. */
  readonly code: C;
  /** Facts about the failure (e.g. the option, what was expected and what came); `{}` when none. */
  readonly details: Readonly<Record<string, unknown>>;
  /**
   * `false` when trying again cannot help (bad input, a rejected request): the runtime then
   * skips its retries and applies the error policy. Unset means retryable.
   */
  readonly retryable?: boolean;

  /** An error with `code` and `message`; `options` add the cause, details and retryability. */
  constructor(
    code: C,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown>; retryable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TributaryError';
    this.code = code;
    this.details = options.details ?? {};
    if (options.retryable !== undefined) this.retryable = options.retryable;
  }
}

/** True when `error` is a TributaryError, optionally with the given code. */
export function isTributaryError<C extends string>(
  error: unknown,
  code?: C,
): error is TributaryError<C> {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { _tag?: unknown })._tag === 'TributaryError' &&
    (code === undefined || (error as { code?: unknown }).code === code)
  );
}

/** Raises INVALID_OPTION naming the option and what it must be. */
export function invalidOption(option: string, expected: string, got: unknown): TributaryError {
  return new TributaryError(
    'INVALID_OPTION',
    `Invalid option \`${option}\`: expected ${expected}, got ${describeValue(got)}`,
    { details: { option, expected, got } },
  );
}

/** The message of any thrown value, for logs and dead-letter headers. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : describeValue(error);
}

/** The code of a thrown value when it carries one (TributaryError, Node and Kafka errors do). */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
