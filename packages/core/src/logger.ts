/** Structured logger the runtime and stages write to. */
export interface Logger {
  /** Detail for debugging. */
  debug(message: string, fields?: Record<string, unknown>): void;
  /** Normal operation worth recording. */
  info(message: string, fields?: Record<string, unknown>): void;
  /** Something unexpected that the run survived. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** A failure. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/** A logger writing one line per entry to stderr, at `level` and above. */
export function consoleLogger(level: LogLevel = 'warn'): Logger {
  const at = rank[level];
  const line =
    (lvl: Exclude<LogLevel, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
      if (rank[lvl] < at) return;
      const suffix = fields === undefined ? '' : ` ${safeJson(fields)}`;
      process.stderr.write(`[tributary] ${lvl} ${message}${suffix}\n`);
    };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

/** A logger that drops everything. */
export const silentLogger: Logger = consoleLogger('silent');

function safeJson(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields, (_k, v) => (v instanceof Error ? v.message : v));
  } catch {
    return '{}';
  }
}
