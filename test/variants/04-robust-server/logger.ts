// A correct logger in another style: the time of day in brackets, lower-case levels, console
// methods instead of streams.

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const time = () => new Date().toISOString().slice(11, 23); // "14:02:11.532"

export function createLogger(): Logger {
  return {
    info: (message) => console.log(`[${time()}] info: ${message}`),
    warn: (message) => console.warn(`[${time()}] warn: ${message}`),
    error: (message) => console.error(`[${time()}] error: ${message}`),
  };
}
