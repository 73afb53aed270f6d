// `npm start -- doctor`: what the workbook needs of this machine, each tried for real, with what to
// do when it fails. Each probe is small and bounded in time; none sends beyond loopback.

import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOOPBACK_BROADCAST } from '../udp/address.ts';

export interface Finding {
  /** What was tried, e.g. "Node.js 20.19 or later". */
  what: string;
  ok: boolean;
  /** What was found: "v20.20.2", "127.0.0.2 cannot be bound". */
  found: string;
  /** When not ok: what to do about it. */
  fix?: string;
  /** Needed by one lesson only (or by nothing essential): a ✘ here does not fail the doctor. */
  optional?: boolean;
}

export interface DoctorOptions {
  root: string;
  /** The learner's labs folder, where watch mode watches. */
  labs: string;
  /** How to start TypeScript: the tsx loader's URL. */
  tsxImport: string;
  /** The documented ports the demos and labs use by default. */
  ports: readonly number[];
}

export async function examine(options: DoctorOptions): Promise<Finding[]> {
  const findings = [nodeVersion()];
  findings.push(
    ...(await Promise.all([
      typescript(options.tsxImport),
      loopback('127.0.0.1'),
      loopback('::1', true),
      secondAddress(),
      broadcast(),
      watching(options.labs),
      freePorts(options.ports),
      command('curl', ['--version'], (out) => /\btftp\b/.test(out), 'curl with TFTP support (lesson 09)', 'Install curl (`apt-get install curl`, `brew install curl`): lesson 09 checks your TFTP server with it. Without it, that check is skipped.'),
      command('python3', ['--version'], () => true, 'python3 (the source document\'s servers, --server)', 'Install Python 3 to run the document\'s own servers against the checkers (`check NN --server "python3 …"`). Nothing else needs it.'),
    ])),
  );
  return findings;
}

function nodeVersion(): Finding {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 19);
  return { what: 'Node.js 20.19 or later', ok, found: process.version, fix: ok ? undefined : 'Install Node.js 20.19 or later (22 and 24 work too), from nodejs.org or your package manager.' };
}

/** A promise that resolves with `fallback` after `ms`, unless `promise` settles first. */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]).finally(() => clearTimeout(timer));
}

function run(command: string, args: string[], ms: number): Promise<{ code: number | null; out: string }> {
  return within(
    new Promise((resolve) => {
      let out = '';
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', () => resolve({ code: -1, out }));
      child.on('close', (code) => resolve({ code, out }));
      setTimeout(() => child.kill('SIGKILL'), ms).unref();
    }),
    ms + 500,
    { code: null, out: '' },
  );
}

async function typescript(tsxImport: string): Promise<Finding> {
  const dir = mkdtempSync(path.join(tmpdir(), 'workbook-doctor-'));
  const file = path.join(dir, 'probe.ts');
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(file, "const n: number = await Promise.resolve(42);\nconsole.log(`ok ${n}`);\n");
  const started = performance.now();
  const { code, out } = await run(process.execPath, ['--import', tsxImport, file], 15_000);
  const ms = Math.round(performance.now() - started);
  rmSync(dir, { recursive: true, force: true });
  const ok = code === 0 && out.includes('ok 42');
  return {
    what: 'TypeScript runs (node --import tsx)',
    ok,
    found: ok ? `a .ts file ran in ${ms} ms` : `it did not run: ${out.trim().split('\n').slice(-2).join(' ') || `exit code ${code}`}`,
    fix: ok ? undefined : 'Run `npm install` in the workbook\'s folder: tsx comes with it.',
  };
}

/** Binds `address`, sends a datagram to itself and receives it. */
function echoOnce(address: string, socketOptions: dgram.SocketOptions): Promise<string | undefined> {
  return within(
    new Promise((resolve) => {
      const socket = dgram.createSocket(socketOptions);
      const done = (problem: string | undefined) => {
        try {
          socket.close();
        } catch {
          // closed already
        }
        resolve(problem);
      };
      socket.on('error', (err) => done(err.message));
      socket.on('message', () => done(undefined));
      socket.bind(0, address, () => socket.send('doctor', socket.address().port, address, (err) => err && done(err.message)));
    }),
    1000,
    'nothing came back within 1 s',
  );
}

async function loopback(address: string, optional = false): Promise<Finding> {
  const problem = await echoOnce(address, { type: address.includes(':') ? 'udp6' : 'udp4' });
  return {
    what: `UDP on ${address}`,
    ok: problem === undefined,
    found: problem === undefined ? 'a datagram sent to itself arrived' : problem,
    fix: problem === undefined ? undefined : optional ? 'IPv6 loopback is off on this machine: the checks that use ::1 are skipped.' : 'UDP on loopback does not work here: the workbook cannot run. Is a firewall blocking 127.0.0.1?',
    optional,
  };
}

async function secondAddress(): Promise<Finding> {
  const problem = await echoOnce('127.0.0.2', { type: 'udp4' });
  return {
    what: 'other loopback addresses (127.0.0.2)',
    ok: problem === undefined,
    found: problem === undefined ? '127.0.0.2 can be bound' : `127.0.0.2: ${problem}`,
    fix: problem === undefined ? undefined : 'Only 127.0.0.1 exists here (as on macOS): checks that play clients on other addresses are skipped. On macOS, `sudo ifconfig lo0 alias 127.0.0.2 up` adds one.',
    optional: true,
  };
}

function broadcast(): Promise<Finding> {
  const fix = 'Loopback broadcast does not work here (macOS has no broadcast address on lo0): lesson 07\'s checks are skipped.';
  return within(
    new Promise<Finding>((resolve) => {
      const listener = dgram.createSocket({ type: 'udp4', reuseAddr: true });
      const sender = dgram.createSocket('udp4');
      const done = (problem: string | undefined) => {
        for (const s of [listener, sender]) {
          try {
            s.close();
          } catch {
            // closed already
          }
        }
        resolve({ what: `broadcast on ${LOOPBACK_BROADCAST}`, ok: problem === undefined, found: problem ?? 'a broadcast reached a socket bound to 0.0.0.0', fix: problem ? fix : undefined, optional: true });
      };
      listener.on('error', (err) => done(err.message));
      sender.on('error', (err) => done(err.message));
      listener.on('message', () => done(undefined));
      listener.bind(0, '0.0.0.0', () => {
        sender.bind(0, '127.0.0.1', () => {
          sender.setBroadcast(true);
          sender.send('doctor', listener.address().port, LOOPBACK_BROADCAST, (err) => err && done(`${err.message}`));
        });
      });
    }),
    1000,
    { what: `broadcast on ${LOOPBACK_BROADCAST}`, ok: false, found: 'nothing arrived within 1 s', fix, optional: true },
  );
}

function watching(labs: string): Promise<Finding> {
  const what = 'file events in the labs folder (watch mode)';
  const fix = 'No file events arrive here (a network drive, some containers): watch mode still checks every second by polling, and `r` checks at once.';
  return within(
    new Promise<Finding>((resolve) => {
      const probe = path.join(labs, `.workbook-doctor-${process.pid}`);
      let watcher: ReturnType<typeof watch> | undefined;
      const done = (finding: Finding) => {
        watcher?.close();
        rmSync(probe, { force: true });
        resolve(finding);
      };
      try {
        watcher = watch(labs, () => done({ what, ok: true, found: `an event came for a file written in ${path.basename(labs)}/` }));
        watcher.on('error', (err) => done({ what, ok: false, found: err.message, fix, optional: true }));
        writeFileSync(probe, 'doctor\n');
      } catch (err) {
        done({ what, ok: false, found: (err as Error).message, fix, optional: true });
      }
    }),
    1500,
    { what, ok: false, found: 'no event within 1.5 s of writing a file', fix, optional: true },
  );
}

async function freePorts(ports: readonly number[]): Promise<Finding> {
  const taken: number[] = [];
  for (const port of ports) {
    const free = await within(
      new Promise<boolean>((resolve) => {
        const socket = dgram.createSocket('udp4');
        socket.once('error', () => resolve(false));
        socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
      }),
      1000,
      false,
    );
    if (!free) taken.push(port);
  }
  return {
    what: `the default ports (${ports.join(', ')})`,
    ok: taken.length === 0,
    found: taken.length === 0 ? 'all free' : `in use: ${taken.join(', ')}`,
    fix: taken.length === 0 ? undefined : `Something holds ${taken.join(', ')}: an old demo or lab server, perhaps (\`ss -ulpn | grep ${taken[0]}\` shows which). Stop it; the demos fall back to another port meanwhile, and checks always use free ones.`,
    optional: true,
  };
}

async function command(name: string, args: string[], good: (out: string) => boolean, what: string, fix: string): Promise<Finding> {
  const { code, out } = await run(name, args, 5000);
  const ok = code === 0 && good(out);
  // The first two words of its version line: "curl 7.88.1", "Python 3.11.7".
  const version = out.trim().split('\n')[0]!.split(' ').slice(0, 2).join(' ');
  return { what, ok, found: code === 0 ? (ok ? version : `${version}, without what is needed`) : `${name} is not installed`, fix: ok ? undefined : fix, optional: true };
}
