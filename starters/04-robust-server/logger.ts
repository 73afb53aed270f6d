// Lab 04 · A robust UDP server: a logger of its own.
//
// Python's logging.basicConfig(level=logging.INFO) gives the document lines
// such as "INFO:__main__:Received 5 bytes from ...": a level, and no time,
// with every level on stderr. This logger does better in a few lines: every
// line says when it was written and how serious it is, so that a log read the
// next morning still makes sense, and the problems stay apart from the rest:
//
//   2025-05-03T14:02:11.532Z INFO  Received 5 bytes from 127.0.0.1:50123
//   2025-05-03T14:02:11.533Z ERROR Error processing message from ...: boom
//
// INFO goes to stdout, WARN and ERROR to stderr: `2> errors.log` keeps the
// problems apart.

export type Level = 'INFO' | 'WARN' | 'ERROR';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Logger {
  // TODO: 1. Start each line with a timestamp (new Date().toISOString()) and
  //          the level, padded to the same width:
  //          "2025-05-03T14:02:11.532Z INFO  Received 5 bytes from ...".
  const write = (stream: NodeJS.WritableStream, level: Level, text: string) => {
    stream.write(`${text}\n`);
  };
  // TODO: 2. Send WARN and ERROR lines to `err` (stderr), where problems stay
  //          apart from the rest.
  return {
    info: (message) => write(out, 'INFO', message),
    warn: (message) => write(out, 'WARN', message),
    error: (message) => write(out, 'ERROR', message),
  };
}
