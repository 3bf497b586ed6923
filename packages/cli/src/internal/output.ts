import type { CliIo } from '../cliIo.js';

/** How a command prints: JSON for scripts (`--json`), text for people. */
export interface Output {
  readonly json: boolean;
  /** The command's result: JSON on one line with `--json`, else `text()`. */
  result(value: unknown, text: () => string): void;
  /** One item of a stream (tail, dlq inspect): a JSON line with `--json`, else `text()`. */
  item(value: unknown, text: () => string): void;
  /** A note for people on stderr (never mixed into stdout's JSON). */
  note(text: string): void;
}

/** The {@link Output} of a command run with or without `--json`. */
export function output(io: CliIo, json: boolean): Output {
  const emit = (value: unknown, text: () => string) => {
    if (json) io.stdout.write(`${JSON.stringify(value)}\n`);
    else {
      const t = text();
      if (t !== '') io.stdout.write(t.endsWith('\n') ? t : `${t}\n`);
    }
  };
  return {
    json,
    result: emit,
    item: emit,
    note: (text) => void io.stderr.write(`${text}\n`),
  };
}

/** Left-aligned columns under a header, two spaces apart; numbers align right. */
export function table(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [header, ...rows].map((r) =>
    r.map((c) => (c === undefined || c === null ? '-' : String(c))),
  );
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'),
  );
  return cells
    .map((r) =>
      r
        .map((c, i) =>
          numeric[i] ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
