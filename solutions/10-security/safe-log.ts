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
  let text = '';
  for (const byte of bytes.subarray(0, max)) {
    if (byte === 0x5c) text += '\\\\';
    else if (byte === 0x22) text += '\\"';
    else if (byte >= 0x20 && byte <= 0x7e) text += String.fromCharCode(byte);
    else text += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `"${text}"${bytes.length > max ? `... (${bytes.length} B)` : ''}`;
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
  const counts: Record<DropReason, number> = {
    large: 0,
    rate: 0,
    short: 0,
    unsent: 0,
  };
  const last: Partial<Record<DropReason, string>> = {};
  let malformed = 0;
  let example = '';
  let timer: NodeJS.Timeout | undefined;

  function flush() {
    timer = undefined;
    const parts: string[] = [];
    for (const reason of Object.keys(REASONS) as DropReason[]) {
      if (counts[reason] === 0) continue;
      parts.push(
        `${counts[reason]} ${REASONS[reason]} (last from ${last[reason]})`,
      );
      counts[reason] = 0;
    }
    const seconds = (intervalMs / 1000).toFixed(1);
    let line = parts.length > 0 ? `dropped ${parts.join(', ')}` : '';
    if (malformed > 0) {
      line += `${line ? '; ' : ''}answered ERR to ${malformed} malformed`;
      line += ` (last from ${example})`;
      malformed = 0;
    }
    if (line) log.warn(`In ${seconds} s: ${line}`);
  }

  // The first event of a quiet spell starts the timer; everything until it
  // fires goes into the same line.
  function schedule() {
    timer ??= setTimeout(flush, intervalMs);
  }

  return {
    dropped(reason, from) {
      counts[reason]++;
      last[reason] = from;
      schedule();
    },
    malformed(from, bytes) {
      malformed++;
      example = `${from}: ${escapeForLog(bytes)}`;
      schedule();
    },
    close() {
      clearTimeout(timer);
      flush();
    },
  };
}
