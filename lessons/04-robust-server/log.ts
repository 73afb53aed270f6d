// Demo · lesson 04: a logger in five lines, which server.ts imports. What
// Python's logging.basicConfig gives the document is a level and no time,
// all on stderr ("INFO:__main__:Received 5 bytes ..."). This one adds a
// timestamp, and keeps stderr for the problems.

// #region log
export function log(level: 'INFO' | 'ERROR', message: string): void {
  const line = `${new Date().toISOString()} ${level.padEnd(5)} ${message}`;
  if (level === 'ERROR') console.error(line); // `2> errors.log` keeps these
  else console.log(line);
}
// #endregion log
