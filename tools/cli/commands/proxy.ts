// `npm start -- proxy --target HOST:PORT [--listen PORT] [impairments]`: the impairment proxy, for a
// learner to put between a client and a server. Runs until Ctrl+C, then prints the counters. With
// --target given more than once, it forwards the datagrams to the targets in turn (round robin).

import { EndpointError, checkLoopback, formatEndpoint, parseEndpoint, type Endpoint, type ParseOptions, type Purpose } from '../../udp/address.ts';
import { describeImpairments, statsLines, traceLine } from '../../net/format.ts';
import { PRESETS, PRESET_NAMES, isPresetName } from '../../net/presets.ts';
import { startProxy, type DatagramEvent, type ImpairmentProxy, type Notice, type ProxyStats } from '../../net/proxy.ts';
import { freshSeed } from '../../udp/random.ts';
import { parseMs, parseWhole } from '../../net/units.ts';
import { makeStyle } from '../../term/style.ts';
import { UsageError } from '../../term/usage-error.ts';
import { writeLine, type Io } from '../../term/io.ts';
import { defineCommand } from '../command.ts';
import { flagValue, seeHelp } from '../flags.ts';
import { impairmentFlags, impairmentsFromFlags } from './impairment-flags.ts';

const EXAMPLE = 'npm start -- proxy --listen 9000 --target 127.0.0.1:41234 --loss 30%';
const ROUND_ROBIN = 'npm start -- proxy --target 127.0.0.1:41236 --target 127.0.0.1:41237';

export const proxyCommand = defineCommand({
  name: 'proxy',
  summary: 'a proxy that misbehaves like a real network',
  usage: 'proxy --target HOST:PORT [--listen PORT] [options]',
  flags: {
    target: { value: 'HOST:PORT', multiple: true, help: 'the server (loopback only); give it again for more' },
    listen: { value: 'PORT', help: 'where the proxy listens (default: a free port, printed)' },
    preset: { value: 'NAME', help: PRESET_NAMES.join(', ') },
    seed: { value: 'N', help: 'the same seed and datagrams give the same fates' },
    trace: { help: 'one line per datagram' },
    'max-clients': { value: 'N', help: 'remember at most N clients (default 256)' },
    idle: { value: 'MS', help: 'forget a client silent this long (default 60s)' },
  },
  groups: [
    {
      heading: 'Impairments, in both directions (--up-NAME: only towards the target,\n--down-NAME: only back to the clients):',
      flags: impairmentFlags(),
    },
  ],
  about: [
    'Stands between a client and a server on this machine, and misbehaves like a',
    'real network would: loses, delays, reorders, duplicates, corrupts datagrams.',
    `Example: ${EXAMPLE}`,
    'With several --target, the datagrams go to the servers in turn (round robin:',
    'each datagram, from whichever client, to the next server), so that several',
    'copies of a server answer one client:',
    `  ${ROUND_ROBIN}`,
  ],
  async run({ values }, io) {
    if (values.target === undefined || values.target.length === 0) throw new UsageError(`Which server should the proxy forward to? Type e.g. \`${EXAMPLE}\`.`);
    const targets = values.target.map((text) => endpoint(text, '--target', 'target', { defaultHost: '127.0.0.1', example: '127.0.0.1:41234' }));
    const target = targets[0]!;
    const listen = endpoint(values.listen ?? '0', '--listen', 'listen', { defaultHost: '127.0.0.1', allowPortZero: true, example: '9000' });
    for (const [i, t] of targets.entries()) {
      if (formatEndpoint(listen.address, listen.port) === formatEndpoint(t.address, t.port)) {
        throw new UsageError(`The proxy cannot listen on its own target ${values.target[i]}: give --listen another port, e.g. --listen 9000.`);
      }
    }
    if (values.preset !== undefined && !isPresetName(values.preset)) {
      throw new UsageError(`No preset "${values.preset}". The presets are ${PRESET_NAMES.join(', ')}: e.g. --preset wifi.`);
    }
    let flags;
    try {
      flags = impairmentsFromFlags({ ...values, target: undefined });
    } catch (err) {
      throw new UsageError(`${(err as Error).message} ${seeHelp('proxy')}`);
    }
    const seed = values.seed === undefined ? freshSeed() : flagValue('proxy', 'seed', values.seed, (v) => parseWhole(v, 0, 0xffffffff));
    const maxClients = values['max-clients'] === undefined ? undefined : flagValue('proxy', 'max-clients', values['max-clients'], (v) => parseWhole(v, 1, 100_000));
    const idleTimeoutMs = values.idle === undefined ? undefined : flagValue('proxy', 'idle', values.idle, parseMs);
    const st = makeStyle(io.color);
    const notices = noticePrinter(io, values.trace ?? false, values.target.length);

    let proxy: ImpairmentProxy;
    try {
      proxy = await startProxy({
        target: targets,
        listen,
        seed,
        maxClients,
        idleTimeoutMs,
        impairments: { ...(values.preset === undefined ? {} : PRESETS[values.preset as keyof typeof PRESETS]), ...flags.both },
        up: flags.up,
        down: flags.down,
        onDatagram: values.trace ? (event) => writeLine(io.stdout, traceLine(event) + via(event, targets.length)) : undefined,
        onNotice: notices,
        signal: io.signal,
      });
    } catch (err) {
      throw startError(err, listen);
    }

    const where = formatEndpoint(proxy.address.address, proxy.address.port);
    const to = targets.map((t) => formatEndpoint(t.address, t.port));
    const { up, down } = proxy.settings();
    if (to.length === 1) writeLine(io.stdout, st.bold(`Proxy listening on ${where}, forwarding to ${to[0]}.`));
    else {
      writeLine(io.stdout, st.bold(`Proxy listening on ${where}, forwarding to ${to.length} servers in turn:`));
      writeLine(io.stdout, `  ${to.join(', ')} (round robin: each datagram to the next)`);
    }
    const [upText, downText] = [describeImpairments(up), describeImpairments(down)];
    if (upText === downText) writeLine(io.stdout, `  both ways:     ${upText}`);
    else {
      writeLine(io.stdout, `  → to target:  ${upText}`);
      writeLine(io.stdout, `  ← to clients: ${downText}`);
    }
    writeLine(io.stdout, `  seed ${seed}${values.seed === undefined ? ` (--seed ${seed} gives the same datagrams the same fates again)` : ''}`);
    writeLine(io.stdout, `Send to ${where} instead of ${to.length === 1 ? to[0] : 'to the servers'}.`);
    writeLine(io.stdout, 'Ctrl+C stops the proxy and prints the counts.');

    await new Promise<void>((resolve) => {
      if (io.signal.aborted) return resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await proxy.stop();
    writeLine(io.stdout);
    writeLine(io.stdout, st.bold('Proxy stopped.'));
    const stats = proxy.stats();
    if (targets.length === 1) for (const line of statsLines(stats, target)) writeLine(io.stdout, line);
    else for (const line of [...statsLines({ ...stats, refused: 0 }, target), ...perTargetLines(stats)]) writeLine(io.stdout, line);
    return 0;
  },
});

function endpoint(text: string, flag: string, purpose: Purpose, options: ParseOptions): Endpoint {
  try {
    const parsed = parseEndpoint(text, options);
    checkLoopback(parsed, purpose);
    return parsed;
  } catch (err) {
    if (err instanceof EndpointError) throw new UsageError(`${flag}: ${err.message}`);
    throw err;
  }
}

function startError(err: unknown, listen: { address: string; port: number }): unknown {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    return new UsageError(`${formatEndpoint(listen.address, listen.port)} is already in use: choose another port with --listen, e.g. --listen ${listen.port + 1}.`);
  }
  if (err instanceof EndpointError) return new UsageError(err.message);
  if (err instanceof RangeError) return new UsageError(`Impossible settings: ${err.message}. ${seeHelp('proxy')}`);
  return err;
}

/** With several targets, which one a traced datagram went to or came from: ` (127.0.0.1:41237)`. */
function via(event: DatagramEvent, targets: number): string {
  return targets > 1 && event.target ? ` (${event.direction === 'up' ? 'to' : 'from'} ${formatEndpoint(event.target.address, event.target.port)})` : '';
}

/** `→ to 127.0.0.1:41236: 3 datagrams`, one line per target, and what each refused. */
function perTargetLines(stats: ProxyStats): string[] {
  return (stats.targets ?? []).map(({ target, forwarded, refused }) => {
    const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const refusals = refused > 0 ? `, ${refused} refused (nothing listened there)` : '';
    return `→ to ${formatEndpoint(target.address, target.port)}: ${plural(forwarded, 'datagram')}${refusals}`;
  });
}

/** Client arrivals only with --trace; refusals and errors always, at most one line a second each. */
function noticePrinter(io: Io, trace: boolean, targets = 1): (notice: Notice) => void {
  const lastShown = new Map<string, number>();
  return (notice) => {
    const show = (key: string, line: string, stream = io.stdout) => {
      const now = performance.now();
      if (!trace && now - (lastShown.get(key) ?? -Infinity) < 1000) return;
      lastShown.set(key, now);
      writeLine(stream, line);
    };
    const who = (e: { address: string; port: number }) => formatEndpoint(e.address, e.port);
    if (notice.kind === 'client-new' && trace) writeLine(io.stdout, `  new client ${who(notice.client)} (${targets > 1 ? who(notice.target) : 'the server'} sees it as ${who(notice.via)})`);
    else if (notice.kind === 'client-gone' && trace) writeLine(io.stdout, `  client ${who(notice.client)} forgotten (${notice.why === 'idle' ? 'idle' : 'too many clients'})`);
    else if (notice.kind === 'refused') show('refused', `  ${notice.message}`);
    else if (notice.kind === 'error') show('error', `  ${notice.message}`, io.stderr);
  };
}
