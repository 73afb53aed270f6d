// Lab 10 · Logs that an attacker cannot write to, or flood.
//
// Two rules. Bytes from the network never reach the log as they came: a
// terminal obeys escape sequences (ESC [ 2 J clears the screen, ESC ] 0 ;
// sets the window's title), a carriage return overwrites the line, a newline
// forges a new one. And the network does not decide how much is written: a
// line per dropped datagram is a line per datagram an attacker sends, so drops
// are counted and summarised, at most once per interval.

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/** Timestamped lines: INFO on stdout, WARN on stderr. */
export function createLogger(
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Logger {
  const line = (level: string, message: string) =>
    `${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`;
  return {
    info: (message) => out.write(line('INFO', message)),
    warn: (message) => err.write(line('WARN', message)),
  };
}

/**
 * The bytes as a quoted string of printable ASCII: 0x20-0x7E as they are
 * (but \ and " escaped), every other byte as \xHH, at most `max` bytes shown.
 * Byte by byte, not character by character: invalid UTF-8 and the C1 controls
 * (U+0080-U+009F, which some terminals obey too) come out as plain hex.
 */
export function escapeForLog(bytes: Buffer, max = 40): string {
  // TODO: 6. This writes the bytes as they came: ESC, CR, LF and all. Build
  //          the string byte by byte instead: 0x20-0x7E as they are (but \
  //          as \\ and " as \"), any other byte as \xHH (two hex digits),
  //          and at most `max` bytes, then "... (N B)" if there were more.
  return `"${bytes.toString('utf8')}"`;
}

export type DropReason = 'large' | 'rate' | 'short' | 'unsent';

const REASONS: Record<DropReason, string> = {
  large: 'over 512 bytes',
  rate: 'over the rate limit',
  short: 'shorter than their reply',
  unsent: 'whose reply could not be sent',
};

export interface DropSummary {
  /** Counts a datagram dropped for `reason`, from `from`. */
  dropped(reason: DropReason, from: string): void;
  /** Counts a malformed request, keeping its bytes as the example. */
  malformed(from: string, bytes: Buffer): void;
  /** Writes what is still counted and stops the timer. */
  close(): void;
}

/** Counts, and writes a WARN line per interval in which anything happened. */
export function createDropSummary(
  intervalMs: number,
  log: Logger,
): DropSummary {
  // TODO: 7. One line per event is one line per datagram an attacker sends.
  //          Count instead: a count per reason (and the last `from`), a count
  //          of malformed requests with the last one's escaped bytes, and a
  //          timer, started by the first event of a quiet spell, that writes
  //          ONE line with all the counts after intervalMs and resets them.
  //          close() clears the timer and writes what is left.
  return {
    dropped(reason, from) {
      log.warn(`Dropped a datagram ${REASONS[reason]} from ${from}`);
    },
    malformed(from, bytes) {
      log.warn(`Malformed request from ${from}: ${escapeForLog(bytes)}`);
    },
    close() {},
  };
}
