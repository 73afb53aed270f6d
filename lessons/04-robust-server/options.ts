// Demo · lesson 04: the command line, for server.ts: --port (default 41234)
// and --host (default 127.0.0.1). bind() would take any number (NaN or
// 70000 bind some other port), so a bad --port ends here: one line, code 2.

import { parseArgs } from 'node:util';
import { log } from './log.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '41234' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) {
  log('ERROR', `--port must be 0 to 65535, not "${values.port}"`);
  process.exit(2);
}
export const PORT = Number(values.port);
export const HOST = values.host;
