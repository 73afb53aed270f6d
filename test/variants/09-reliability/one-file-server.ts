// A correct server in another style, in one file: the requests come through `for await` over
// events.on; a transfer is a closure, not a class; each block is read from the file when it is
// sent (readSync at its offset) instead of the whole file at the request; a request that is
// refused gets its ERROR from a new port, as tftp-hpa does; a duplicate RRQ from a client whose
// transfer is running is ignored; any ".." in a filename is refused outright; windowsize is capped
// at 64 (RFC 7440 lets the server answer less than asked).
import dgram from 'node:dgram';
import { on } from 'node:events';
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '6969' },
    host: { type: 'string', default: '127.0.0.1' },
    root: { type: 'string', default: '.' },
    'timeout-ms': { type: 'string', default: '1000' },
    retries: { type: 'string', default: '5' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Bad --port: ${values.port}`);
  process.exit(2);
}
const host = values.host;
const root = realpathSync(values.root);
const baseTimeout = Number(values['timeout-ms']);
const retries = Number(values.retries);
const type = host.includes(':') ? 'udp6' : 'udp4';

const pack = (...parts: (Buffer | string | number)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'number' ? Buffer.from([p >> 8, p & 0xff]) : typeof p === 'string' ? Buffer.from(`${p}\0`) : p)));
const errorPacket = (code: number, text: string) => pack(5, code, text);

const running = new Set<string>();

function refuse(to: dgram.RemoteInfo, code: number, text: string) {
  // From a port of its own, as if the refusal were a transfer of one packet.
  const s = dgram.createSocket(type);
  s.on('error', () => s.close());
  s.bind(0, host, () => s.send(errorPacket(code, text), to.port, to.address, () => s.close()));
  console.log(`refused ${to.address}:${to.port}: ${code} ${text}`);
}

/** The file's real path, or the error to answer. */
function locate(name: string): string | [number, string] {
  if (path.isAbsolute(name) || name.split(/[\\/]/).includes('..')) return [2, 'Access violation'];
  let real: string;
  try {
    real = realpathSync(path.join(root, name));
  } catch {
    return [1, 'File not found'];
  }
  const rel = path.relative(root, real);
  if (rel.startsWith(`..${path.sep}`) || rel === '..' || path.isAbsolute(rel)) return [2, 'Access violation'];
  if (!statSync(real).isFile()) return [1, 'File not found'];
  return real;
}

function serve(msg: Buffer, from: dgram.RemoteInfo) {
  const op = msg.length >= 2 ? msg.readUInt16BE(0) : -1;
  if (op === 5) return;
  const fields = msg.subarray(2).toString('utf8').split('\0');
  if ((op !== 1 && op !== 2) || fields.length < 3 || fields.pop() !== '' || fields.length % 2 !== 0) {
    return refuse(from, 4, 'Illegal TFTP operation');
  }
  const [name, mode, ...opts] = fields as [string, string, ...string[]];
  if (op === 2) return refuse(from, 4, 'Read-only server');
  if (mode.toLowerCase() !== 'octet') return refuse(from, 4, 'Octet mode only');
  const who = `${from.address}:${from.port}`;
  if (running.has(who)) return console.log(`duplicate request from ${who} ignored`);
  const found = locate(name);
  if (typeof found !== 'string') return refuse(from, ...found);

  const fd = openSync(found, 'r');
  const size = fstatSync(fd).size;
  let blksize = 512;
  let window = 1;
  let timeout = baseTimeout;
  const oack: string[] = [];
  for (let i = 0; i < opts.length; i += 2) {
    const key = opts[i]!.toLowerCase();
    const text = opts[i + 1]!;
    if (!/^[0-9]+$/.test(text)) continue;
    const n = parseInt(text, 10);
    if (key === 'blksize' && n >= 8) oack.push(key, String((blksize = Math.min(n, 65464))));
    if (key === 'windowsize' && n >= 1) oack.push(key, String((window = Math.min(n, 64))));
    if (key === 'timeout' && n >= 1 && n <= 255) oack.push(key, String(n)), (timeout = n * 1000);
    if (key === 'tsize') oack.push(key, String(size));
  }
  const last = Math.floor(size / blksize) + 1;
  const sock = dgram.createSocket(type);
  running.add(who);
  let have = oack.length > 0 ? -1 : 0; // blocks the client has; -1 until it ACKs the OACK
  let top = 0; // highest block sent
  let tries = 0;
  let timer: NodeJS.Timeout | undefined;

  const finish = (why: string) => {
    clearTimeout(timer);
    running.delete(who);
    closeSync(fd);
    sock.close();
    console.log(`${name} for ${who}: ${why}`);
  };
  const block = (n: number) => {
    const buf = Buffer.alloc(blksize);
    const got = readSync(fd, buf, 0, blksize, (n - 1) * blksize);
    return pack(3, n % 65536, buf.subarray(0, got));
  };
  const flight = () => {
    if (have < 0) sock.send(pack(6, ...oack), from.port, from.address);
    for (let n = have + 1; have >= 0 && n <= Math.min(have + window, last); n++) {
      sock.send(block(n), from.port, from.address);
      top = Math.max(top, n);
    }
    clearTimeout(timer);
    timer = setTimeout(() => (tries++ >= retries ? finish(`timed out after ${retries} retries`) : flight()), timeout);
  };

  sock.on('error', (err) => console.log(`${name} for ${who}: ${err.message}`));
  sock.on('message', (m, r) => {
    const kind = m.length >= 2 ? m.readUInt16BE(0) : -1;
    if (r.address !== from.address || r.port !== from.port) {
      if (kind !== 5) sock.send(errorPacket(5, 'Unknown transfer ID'), r.port, r.address);
      return;
    }
    if (kind === 5) return finish('the client gave up');
    if (kind !== 4 || m.length < 4) {
      sock.send(errorPacket(4, 'Expected an ACK'), from.port, from.address, () => finish('bad packet'));
      return;
    }
    // The ACK's number, taken back to a count: the latest block sent that carries it.
    const n = top - ((top - m.readUInt16BE(2) + 65536) % 65536);
    if (n <= have) return;
    have = n;
    tries = 0;
    if (have === last) finish(`${size} bytes sent`);
    else flight();
  });
  sock.bind(0, host, () => {
    console.log(`${name} to ${who} from port ${sock.address().port}`);
    flight();
  });
}

const server = dgram.createSocket(type);
server.on('error', (err: NodeJS.ErrnoException) => {
  console.error(err.code === 'EADDRINUSE' ? `Port ${port} is in use` : err.message);
  process.exit(1);
});
server.bind(port, host, () => console.log(`UDP server listening on ${host}:${server.address().port}`));
for await (const [msg, from] of on(server, 'message') as AsyncIterable<[Buffer, dgram.RemoteInfo]>) {
  try {
    serve(msg, from);
  } catch (err) {
    console.log(`could not serve ${from.address}:${from.port}: ${String(err)}`);
  }
}
