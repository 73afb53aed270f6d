// Lab 06's other servers, beside the one its checks share: a second copy of the lab's server, the
// same copy stopped and started again on its port, and the source document's own server, ported
// to Python (lessons/06-stateless-requests/document.py). Each is started once per run of the
// checker file (otherServers() is called at its top, so each run gets its own), when a check
// first needs it or earlier, when a check knows that a later one will: a start takes half a
// second, which the checks in between need not wait for. Also: a server's resident memory, and a
// thousand requests from a thousand ports.

import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relativeToRoot } from '../../../tools/course/paths.ts';
import { spawnGuarded } from '../../../tools/proc/guard.ts';
import {
  CheckFailure,
  READY_LINE,
  ServerProcess,
  describePayload,
  formatEndpoint,
  labPath,
  startServer,
  track,
  type Endpoint,
} from '../../../tools/harness/index.ts';
import { SERVER_TZ, diagnose } from './06-protocol.ts';

const SLUG = '06-stateless-requests';
export const SERVER_ENV = { TZ: SERVER_TZ };

export const DOCUMENT = fileURLToPath(new URL('../../../lessons/06-stateless-requests/document.py', import.meta.url));
export const DOCUMENT_COMMAND = `python3 ${relativeToRoot(DOCUMENT)}`;

/** A started server, or why it could not start (kept, so that every check that needs it says so). */
type Started<T> = Promise<{ ok: T } | { failed: unknown }>;
const settle = <T>(p: Promise<T>): Started<T> => p.then((ok) => ({ ok }), (failed: unknown) => ({ failed }));
const unwrap = async <T>(p: Started<T>): Promise<T> => {
  const r = await p;
  if ('failed' in r) throw r.failed;
  return r.ok;
};

/**
 * A client socket that lives as long as the checker file (a UdpClient lives for one check), for
 * the checks whose requests go out before the check itself runs: it keeps every datagram it
 * receives.
 */
export interface FileClient {
  port: number;
  /** Every datagram received, with when it came (performance.now()). */
  inbox: { data: Buffer; from: Endpoint; at: number }[];
  /** Sends `data` to `to`; resolves once the kernel has it. */
  send(data: Buffer, to: Endpoint): Promise<void>;
  /** Sends `data` to `to` and resolves with the first datagram back from there, or undefined after `ms`. */
  ask(data: Buffer, to: Endpoint, ms: number): Promise<Buffer | undefined>;
}

export async function fileClient(): Promise<FileClient> {
  const socket = dgram.createSocket('udp4');
  const inbox: FileClient['inbox'] = [];
  socket.on('error', () => {});
  socket.on('message', (data, rinfo) => inbox.push({ data, from: { address: rinfo.address, port: rinfo.port }, at: performance.now() }));
  track(() => new Promise<void>((resolve) => socket.close(() => resolve())), 'file');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const send = (data: Buffer, to: Endpoint) =>
    new Promise<void>((resolve, reject) => socket.send(data, to.port, to.address, (err) => (err ? reject(err) : resolve())));
  const ask = (data: Buffer, to: Endpoint, ms: number) =>
    new Promise<Buffer | undefined>((resolve) => {
      const done = (reply: Buffer | undefined) => {
        clearTimeout(timer);
        socket.off('message', listener);
        resolve(reply);
      };
      const listener = (msg: Buffer, rinfo: dgram.RemoteInfo) => rinfo.port === to.port && done(msg);
      const timer = setTimeout(() => done(undefined), ms);
      socket.on('message', listener);
      socket.send(data, to.port, to.address, (err) => err && done(undefined));
    });
  return { port: socket.address().port, inbox, send, ask };
}

// ---- the restart: a client's request to the second copy, the copy stopped and started again on
// ---- the same port, and (in the check) the same client's next request ----

export const BEFORE = Buffer.from('ECHO asked before the restart');
export const AFTER = Buffer.from('ECHO asked after the restart');

export interface Restart {
  client: FileClient;
  /** The port both copies were bound to. */
  port: number;
  first: ServerProcess;
  restarted: ServerProcess;
}

// ---- the document's server ----

export interface OtherServers {
  /** A second copy of the lab's server, started with --port 0: the OS chooses its port. */
  secondCopy(): Promise<ServerProcess>;
  /**
   * Asks the second copy BEFORE from a client of its own, stops the copy, and starts it again on
   * the same port. Resolves once the new copy is listening; the check then asks AFTER.
   */
  restarted(): Promise<Restart>;
  /** The document's server, ported to Python; undefined when this machine has no python3. */
  documentServer(): Promise<ServerProcess | undefined>;
}

/** The other servers of one run of the checker, each started on first use. */
export function otherServers(): OtherServers {
  let second: Started<ServerProcess> | undefined;
  let restart: Started<Restart> | undefined;
  let document: Started<ServerProcess | undefined> | undefined;
  const secondCopy = () => {
    second ??= settle(startServer({ file: labPath(SLUG, 'server.ts'), port: 0, env: SERVER_ENV, scope: 'file' }));
    return unwrap(second);
  };
  const restarted = () => {
    restart ??= settle(restartCopy(secondCopy));
    return unwrap(restart);
  };
  const documentServer = () => {
    document ??= settle(startDocument());
    return unwrap(document);
  };
  return { secondCopy, restarted, documentServer };
}

async function restartCopy(secondCopy: () => Promise<ServerProcess>): Promise<Restart> {
  const first = await secondCopy();
  const client = await fileClient();
  const reply = await client.ask(BEFORE, first.endpoint, 1000);
  const want = Buffer.from('asked before the restart');
  if (!reply?.equals(want)) {
    throw new CheckFailure({
      summary: 'Before the restart, the second copy of your server did not answer as it should.',
      sent: `${describePayload(BEFORE)} from 127.0.0.1:${client.port} to ${formatEndpoint(first.host, first.port)}`,
      expected: describePayload(want),
      got: reply ? describePayload(reply) : 'nothing within 1000 ms',
      log: first.tail(),
      hint: diagnose(BEFORE, reply && { data: reply, address: first.host, port: first.port, at: 0 }) ?? 'Every copy of the server answers as the first one does: "ECHO " and the text gets the text.',
    });
  }
  const { port } = first;
  await first.stop();
  // The same port at once: a UDP port is free again the moment its socket is closed (TCP
  // would keep it in TIME_WAIT).
  const again = await startServer({ file: labPath(SLUG, 'server.ts'), port, env: SERVER_ENV, scope: 'file' });
  return { client, port, first, restarted: again };
}

async function startDocument(): Promise<ServerProcess | undefined> {
  // Through sh, as `check --server` starts a command: a missing python3 is exit code 127.
  const child = spawnGuarded('/bin/sh', ['-c', 'exec python3 "$@"', 'python3', DOCUMENT, '--port', '0', '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...SERVER_ENV, PYTHONDONTWRITEBYTECODE: '1' },
  });
  const s = new ServerProcess(DOCUMENT, child, 'file', DOCUMENT_COMMAND);
  const line = await s.waitForLine(READY_LINE, 10_000);
  const m = line === undefined ? null : READY_LINE.exec(line);
  if (m) {
    s.host = m[1]!;
    s.port = Number(m[2]);
    return s;
  }
  const exit = await s.waitForClose(1000);
  if (exit?.code === 127) return undefined;
  await s.stop();
  throw new CheckFailure({
    summary: `The document's server (${DOCUMENT_COMMAND}) did not start${exit ? `: it exited with code ${exit.code}` : ''}.`,
    expected: 'UDP server listening on 127.0.0.1:<port>',
    got: s.log.length > 0 ? 'the output below' : 'no output',
    log: s.tail(),
    hint: `Run \`${DOCUMENT_COMMAND} --port 0\` to see why. It needs Python 3.6 or later; lessons/ is not yours to edit, so \`git checkout lessons/\` restores it.`,
  });
}

// ---- memory ----

/**
 * Sends `count` requests, at most `window` at a time, each from a socket of its own on a port that no
 * earlier request of this run came from, and waits for each reply (asking up to three times).
 * Plain sockets, opened and closed for each request: a thousand of them must be cheap.
 * Resolves with the number of requests that got no reply.
 */
export async function askFromFreshPorts(
  to: Endpoint,
  request: (i: number) => Buffer,
  first: number,
  count: number,
  window: number,
  used: Set<number>,
): Promise<number> {
  let unanswered = 0;
  const open = async (): Promise<dgram.Socket> => {
    for (;;) {
      const socket = dgram.createSocket('udp4');
      socket.on('error', () => {});
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
      const { port } = socket.address();
      if (!used.has(port)) return used.add(port), socket;
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
  };
  const ask = async (i: number) => {
    const socket = await open();
    const close = track(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    const data = request(i);
    let answered = false;
    for (let attempt = 0; attempt < 3 && !answered; attempt++) {
      answered = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 1000);
        socket.once('message', () => {
          clearTimeout(timer);
          resolve(true);
        });
        socket.send(data, to.port, to.address, (err) => err && resolve(false));
      });
    }
    if (!answered) unanswered++;
    await close();
  };
  // `window` requests in flight: each one answered makes room for the next.
  let next = first;
  const worker = async () => {
    while (next < first + count) await ask(next++);
  };
  await Promise.all(Array.from({ length: window }, worker));
  return unanswered;
}

/** The resident memory of a process in KiB (VmRSS, from Linux's /proc), or undefined where that cannot be read. */
export function residentKiB(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
