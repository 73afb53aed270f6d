// `npm start -- proxy --target HOST:PORT [--listen PORT] [impairments]`: the impairment proxy, for a
// learner to put between a client and a server. Runs until Ctrl+C, then prints the counters.

import { EndpointError, checkLoopback, formatEndpoint, parseEndpoint, type Endpoint, type ParseOptions, type Purpose } from '../../udp/address.ts';
import { describeImpairments, statsLines, traceLine } from '../../net/format.ts';
import { PRESETS, PRESET_NAMES, isPresetName } from '../../net/presets.ts';
import { startProxy, type ImpairmentProxy, type Notice } from '../../net/proxy.ts';
import { freshSeed } from '../../udp/random.ts';
import { parseMs, parseWhole } from '../../net/units.ts';
import { makeStyle } from '../../term/style.ts';
import { UsageError } from '../../term/usage-error.ts';
import { writeLine, type Io } from '../../term/io.ts';
import { defineCommand } from '../command.ts';
import { flagValue, seeHelp } from '../flags.ts';
import { impairmentFlags, impairmentsFromFlags } from './impairment-flags.ts';

const EXAMPLE = 'npm start -- proxy --listen 9000 --target 127.0.0.1:41234 --loss 30%';

export const proxyCommand = defineCommand({
  name: 'proxy',
  summary: 'a proxy that misbehaves like a real network',
  usage: 'proxy --target HOST:PORT [--listen PORT] [options]',
  flags: {
    target: { value: 'HOST:PORT', help: 'the server (loopback only)' },
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
  ],
  async run({ values }, io) {
    if (values.target === undefined) throw new UsageError(`Which server should the proxy forward to? Type e.g. \`${EXAMPLE}\`.`);
    const target = endpoint(values.target, '--target', 'target', { defaultHost: '127.0.0.1', example: '127.0.0.1:41234' });
    const listen = endpoint(values.listen ?? '0', '--listen', 'listen', { defaultHost: '127.0.0.1', allowPortZero: true, example: '9000' });
    if (formatEndpoint(listen.address, listen.port) === formatEndpoint(target.address, target.port)) {
      throw new UsageError(`The proxy cannot listen on its own target ${values.target}: give --listen another port, e.g. --listen 9000.`);
    }
    if (values.preset !== undefined && !isPresetName(values.preset)) {
      throw new UsageError(`No preset "${values.preset}". The presets are ${PRESET_NAMES.join(', ')}: e.g. --preset wifi.`);
    }
    let flags;
    try {
      flags = impairmentsFromFlags(values);
    } catch (err) {
      throw new UsageError(`${(err as Error).message} ${seeHelp('proxy')}`);
    }
    const seed = values.seed === undefined ? freshSeed() : flagValue('proxy', 'seed', values.seed, (v) => parseWhole(v, 0, 0xffffffff));
    const maxClients = values['max-clients'] === undefined ? undefined : flagValue('proxy', 'max-clients', values['max-clients'], (v) => parseWhole(v, 1, 100_000));
    const idleTimeoutMs = values.idle === undefined ? undefined : flagValue('proxy', 'idle', values.idle, parseMs);
    const st = makeStyle(io.color);
    const notices = noticePrinter(io, values.trace ?? false);

    let proxy: ImpairmentProxy;
    try {
      proxy = await startProxy({
        target,
        listen,
        seed,
        maxClients,
        idleTimeoutMs,
        impairments: { ...(values.preset === undefined ? {} : PRESETS[values.preset as keyof typeof PRESETS]), ...flags.both },
        up: flags.up,
        down: flags.down,
        onDatagram: values.trace ? (event) => writeLine(io.stdout, traceLine(event)) : undefined,
        onNotice: notices,
        signal: io.signal,
      });
    } catch (err) {
      throw startError(err, listen);
    }

    const where = formatEndpoint(proxy.address.address, proxy.address.port);
    const to = formatEndpoint(target.address, target.port);
    const { up, down } = proxy.settings();
    writeLine(io.stdout, st.bold(`Proxy listening on ${where}, forwarding to ${to}.`));
    const [upText, downText] = [describeImpairments(up), describeImpairments(down)];
    if (upText === downText) writeLine(io.stdout, `  both ways:     ${upText}`);
    else {
      writeLine(io.stdout, `  → to target:  ${upText}`);
      writeLine(io.stdout, `  ← to clients: ${downText}`);
    }
    writeLine(io.stdout, `  seed ${seed}${values.seed === undefined ? ` (--seed ${seed} gives the same datagrams the same fates again)` : ''}`);
    writeLine(io.stdout, `Send to ${where} instead of ${to}.`);
    writeLine(io.stdout, 'Ctrl+C stops the proxy and prints the counts.');

    await new Promise<void>((resolve) => {
      if (io.signal.aborted) return resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await proxy.stop();
    writeLine(io.stdout);
    writeLine(io.stdout, st.bold('Proxy stopped.'));
    for (const line of statsLines(proxy.stats(), target)) writeLine(io.stdout, line);
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

/** Client arrivals only with --trace; refusals and errors always, at most one line a second each. */
function noticePrinter(io: Io, trace: boolean): (notice: Notice) => void {
  const lastShown = new Map<string, number>();
  return (notice) => {
    const show = (key: string, line: string, stream = io.stdout) => {
      const now = performance.now();
      if (!trace && now - (lastShown.get(key) ?? -Infinity) < 1000) return;
      lastShown.set(key, now);
      writeLine(stream, line);
    };
    const who = (e: { address: string; port: number }) => formatEndpoint(e.address, e.port);
    if (notice.kind === 'client-new' && trace) writeLine(io.stdout, `  new client ${who(notice.client)} (the server sees it as ${who(notice.via)})`);
    else if (notice.kind === 'client-gone' && trace) writeLine(io.stdout, `  client ${who(notice.client)} forgotten (${notice.why === 'idle' ? 'idle' : 'too many clients'})`);
    else if (notice.kind === 'refused') show('refused', `  ${notice.message}`);
    else if (notice.kind === 'error') show('error', `  ${notice.message}`, io.stderr);
  };
}
