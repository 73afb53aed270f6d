// Every action as a command, without a terminal (as in CI): nothing waits for input, confirmations
// take --yes, commands that need a terminal say so with exit code 2, and output fits 80 columns.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../../tools/course/paths.ts';
import { TS_IMPORT } from '../../../tools/harness/index.ts';
import { FileProgressStore, record } from '../../../tools/progress/store.ts';
import { commandTable, loadCommands } from '../../../tools/cli/commands/index.ts';
import { runMain, runWorkbook, widest } from '../../support/run-main.ts';

const commands = await loadCommands();

let dir = '';
let env: NodeJS.ProcessEnv = {};
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'commands-'));
  cpSync(path.join(ROOT, 'starters'), path.join(dir, 'labs'), { recursive: true });
  env = { WORKBOOK_TARGET: path.join(dir, 'labs'), WORKBOOK_STATE_DIR: path.join(dir, 'state') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const run = (...args: string[]) => runMain(args, { env });
const progress = () => new FileProgressStore(path.join(dir, 'state'), () => {}).read();
const lab = (file = 'server.ts') => path.join(dir, 'labs', '02-basic-server', file);
// Lab 02 with a bug that every check sees at once (the starter never answers, so checking it waits).
const newlineBug = readFileSync(path.join(ROOT, 'solutions', '02-basic-server', 'server.ts'), 'utf8').replace('`Echo: ${text}`', '`Echo: ${text}\\n`');

describe('commands without a terminal', () => {
  it('`npm start` prints the lessons and the commands, and exits 0', async () => {
    const { code, stdout } = await run();
    expect(code).toBe(0);
    expect(stdout).toContain('▸ 01  UDP vs TCP');
    expect(stdout).toContain('check <NN>');
    expect(widest(stdout)).toBeLessThanOrEqual(80);
  });

  it('the command table names each command as the command names itself', () => {
    expect(commands.map((c) => c.name)).toEqual(commandTable.map((entry) => entry.name));
  });

  it('help fits 80 columns', async () => {
    const { stdout } = await run('help');
    expect(widest(stdout)).toBeLessThanOrEqual(80);
  });

  for (const command of commands) {
    it(`help ${command.name} shows the usage, the summary and every argument and flag, one line each, in 80 columns`, async () => {
      const { code, stdout } = await run('help', command.name);
      expect(code).toBe(0);
      const lines = stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(`Usage: npm start -- ${command.usage}`);
      expect(lines[1]!.toLowerCase()).toBe(`${command.summary.toLowerCase()}.`);
      for (const arg of command.args) expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  ${escape(arg.name)} +${escape(arg.help)}$`)));
      for (const [name, flag] of Object.entries(command.flags).filter(([, f]) => !f.unlisted)) {
        expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  --${name}${flag.value ? ` ${escape(flag.value)}` : ''}(, -\\w)? +${escape(flag.help)}$`)));
      }
      expect(lines).toContainEqual(expect.stringMatching(/^  --help, -h +show this help$/));
      expect(widest(stdout)).toBeLessThanOrEqual(80);
      expect((await run(command.name, '--help')).stdout).toBe(stdout);
    });
  }

  it('help send lists every option of send', async () => {
    const { stdout } = await run('help', 'send');
    for (const flag of ['--hex', '--file F', '--count N', '--interval MS', '--timeout MS', '--broadcast', '--help, -h']) expect(stdout).toContain(`  ${flag} `);
  });

  for (const [args, instead] of [
    [['watch', '02'], /^Watch needs a terminal .* Check once with `npm start -- check 02`\.\n$/],
    [['quiz', '02'], /^The quiz needs a terminal .*lessons\/02-basic-server\/quiz\.json\.\n$/],
    [['demo', '02'], /^The interactive demo needs a terminal .*`npm start -- demo 02 --serve`\.\n$/],
    [['solution', '02'], /^Lab 02 has not passed yet\. See the solution anyway\? Not at a terminal, so add --yes: `npm start -- solution 02 --yes`\.\n$/],
    [['reset', '02'], null],
  ] as const) {
    it(`\`${args.join(' ')}\` says in one line what to do instead, with exit code 2`, async () => {
      if (args[0] === 'reset') writeFileSync(lab(), '// my work\n');
      const { code, stderr, stdout } = await run(...args);
      expect(code).toBe(2);
      expect(stderr).toMatch(instead ?? /^Reset lab 02 to the starter\? .*add --yes: `npm start -- reset 02 --yes`\.\n$/);
      expect(stdout).toBe('');
    });
  }

  it('unknown lessons and flags get one line with what to type, and exit 2', async () => {
    expect(await run('check', '99')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^No lesson "99"\. The lessons are 01–\d\d: type for example `npm start -- check 01`, or `npm start -- list` to see them all\.\n$/) });
    expect(await run('hint', '02', '--loud')).toMatchObject({ code: 2, stderr: 'Unknown option --loud. See `npm start -- help hint`.\n' });
    expect(await run('frobnicate')).toMatchObject({ code: 2, stderr: 'Unknown command "frobnicate". Run `npm start -- help` to see the commands.\n' });
  });

  it('suggests the command or the option that was meant', async () => {
    expect(await run('chek', '02')).toMatchObject({ code: 2, stdout: '', stderr: 'Unknown command "chek". Did you mean `check`? Run `npm start -- help` to see the commands.\n' });
    expect(await run('help', 'proxi')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Unknown command "proxi"\. Did you mean `proxy`\?/) });
    expect(await run('check', '02', '--jsn', 'report.json')).toMatchObject({ code: 2, stderr: 'Unknown option --jsn. Did you mean --json? See `npm start -- help check`.\n' });
    expect(await run('reset', '02', '--yse')).toMatchObject({ code: 2, stderr: 'Unknown option --yse. Did you mean --yes? See `npm start -- help reset`.\n' });
  });

  it('refuses an extra argument in one line, with exit code 2, before doing anything', async () => {
    expect(await run('check', '02', '03')).toMatchObject({ code: 2, stdout: '', stderr: 'Unexpected argument "03": `check` takes one lesson. See `npm start -- help check`.\n' });
    expect(await run('hint', '02', 'extra')).toMatchObject({ code: 2, stdout: '', stderr: 'Unexpected argument "extra": `hint` takes one lesson. See `npm start -- help hint`.\n' });
    expect(progress().labs['02-basic-server']?.hintsSeen ?? 0).toBe(0);
    expect(await run('progress', 'now')).toMatchObject({ code: 2, stderr: 'Unexpected argument "now": `progress` takes no arguments. See `npm start -- help progress`.\n' });
    expect(await run('grade', 'labs')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Unexpected argument "labs": `grade` takes no arguments, only options\./) });
  });

  it('says what a flag is missing or does not take', async () => {
    expect(await run('check', '02', '--target')).toMatchObject({ code: 2, stderr: '--target needs a value: --target DIR. See `npm start -- help check`.\n' });
    expect(await run('reset', '02', '--yes=no')).toMatchObject({ code: 2, stderr: '--yes takes no value. See `npm start -- help reset`.\n' });
  });

  it('accepts the lesson as its number, without the zero, or its slug', async () => {
    for (const nn of ['02', '2', '02-basic-server', 'basic-server']) expect((await run('hint', nn)).stdout).toMatch(/^Hint \d of \d/);
  });

  it('hint shows the next hint each time and remembers how many were seen', async () => {
    expect((await run('hint', '02')).stdout).toMatch(/^Hint 1 of (\d+)\n/);
    expect((await run('hint', '02')).stdout).toMatch(/^Hint 2 of (\d+)\n/);
    expect(progress().labs['02-basic-server']?.hintsSeen).toBe(2);
  });

  it('reset --yes backs up the learner\'s files, says where, and restores the starter byte for byte', async () => {
    writeFileSync(lab(), '// my own server\n');
    writeFileSync(lab('notes.txt'), 'mine');
    const { code, stdout } = await run('reset', '02', '--yes');
    expect(code).toBe(0);
    expect(readFileSync(lab())).toEqual(readFileSync(path.join(ROOT, 'starters', '02-basic-server', 'server.ts')));
    const backups = path.join(dir, 'state', 'backups');
    const [backup] = readdirSync(backups);
    expect(readFileSync(path.join(backups, backup!, 'server.ts'), 'utf8')).toBe('// my own server\n');
    expect(readFileSync(path.join(backups, backup!, 'notes.txt'), 'utf8')).toBe('mine');
    expect(stdout).toContain(`backed up in`);
    expect(stdout).toContain(backup!);
    expect(existsSync(lab('notes.txt'))).toBe(true);
  });

  it('reset of a passed lab marks it not passed again, so that the list shows it to do', async () => {
    new FileProgressStore(path.join(dir, 'state'), () => {}).update(record.attempt('02-basic-server', true));
    writeFileSync(lab(), '// my own server\n');
    const { stdout } = await run('reset', '02', '--yes');
    expect(stdout).toContain('Lab 02 is marked as not passed again, until it passes a check.');
    expect(progress().labs['02-basic-server']?.passed).toBe(false);
    expect((await run('list')).stdout).not.toMatch(/✔ 02/);
  });

  it('reset of a lab that is as shipped changes nothing and asks nothing', async () => {
    expect(await run('reset', '02')).toMatchObject({ code: 0, stdout: 'Lab 02 is already as shipped: nothing to reset.\n' });
  });

  it('solution --yes shows a diff of the lab against the solution, teaching comments included', async () => {
    const { code, stdout } = await run('solution', '02', '--yes');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^--- .*labs\/02-basic-server\/server\.ts \(yours\)\n\+\+\+ solutions\/02-basic-server\/server\.ts \(the solution\)\n@@ /);
    expect(stdout).toMatch(/^-\s+\/\/ TODO: /m);
    expect(stdout).toMatch(/^\+\s+socket\.send\(reply, rinfo\.port, rinfo\.address/m);
    expect(stdout).toContain('The bytes become text'); // a teaching comment of the solution
  });

  it('solution keeps long lines within 80 columns, continuing them after ↪', async () => {
    const { stdout } = await run('solution', '04', '--yes');
    expect(stdout).toMatch(/^[-+ ]↪ /m);
    expect(widest(stdout)).toBeLessThanOrEqual(80);
  });

  it('solution names a lab folder with a long path in 80 columns too', async () => {
    const deep = path.join(dir, 'a-folder-with-a-rather-long-name', 'and-another-one-below-it', 'labs');
    cpSync(path.join(ROOT, 'starters', '02-basic-server'), path.join(deep, '02-basic-server'), { recursive: true });
    const { stdout } = await runMain(['solution', '02', '--yes'], { env: { ...env, WORKBOOK_TARGET: deep } });
    expect(stdout).toMatch(/^--- .*\n {2}↪ .*labs\/02-basic-server\/server\.ts \(yours\)$/m);
    expect(widest(stdout)).toBeLessThanOrEqual(80);
  });

  it('solution asks nothing once the lab has passed', async () => {
    new FileProgressStore(path.join(dir, 'state'), () => {}).update(record.attempt('02-basic-server', true));
    expect((await run('solution', '02')).code).toBe(0);
  });

  it('check records the attempt and the pass; --target grades another copy without recording', async () => {
    const run = (...args: string[]) => runWorkbook(args, env);
    writeFileSync(lab(), newlineBug);
    expect((await run('check', '02')).code).toBe(1);
    expect(progress().labs['02-basic-server']).toMatchObject({ passed: false, attempts: 1 });
    const graded = await run('check', '02', '--target', 'solutions');
    expect(graded.code).toBe(0);
    expect(progress().labs['02-basic-server']).toMatchObject({ passed: false, attempts: 1 });
    cpSync(path.join(ROOT, 'solutions', '02-basic-server'), path.join(dir, 'labs', '02-basic-server'), { recursive: true });
    const passed = await run('check', '02');
    expect(passed.code).toBe(0);
    expect(passed.stdout).toMatch(/Lab 02 passed! 1 of \d+ labs passed\.\s+Next:\s+03 · /);
    expect(progress().labs['02-basic-server']).toMatchObject({ passed: true, attempts: 2 });
    expect(widest(passed.stdout)).toBeLessThanOrEqual(80);
  });

  it('the report of a failing check fits 80 columns', async () => {
    writeFileSync(lab(), newlineBug);
    const { stdout } = await runWorkbook(['check', '02'], env);
    expect(stdout).toContain('✘ replies "Echo: hello" to "hello"');
    expect(widest(stdout)).toBeLessThanOrEqual(80);
  });

  it('progress and list show where the learner stands', async () => {
    new FileProgressStore(path.join(dir, 'state'), () => {}).update(record.attempt('01-udp-vs-tcp', true));
    const { stdout } = await run('progress');
    expect(stdout).toMatch(/^\[.*\] 1 of \d+ labs passed\n✔ 01  UDP vs TCP\n\s+passed \d{4}-\d\d-\d\d · 1 check · hints 0 of \d+ · quiz not taken\n▸ 02/);
    expect((await run('list')).stdout).toMatch(/✔ 01 .*\n.*▸ 02 /);
  });

  it('open prints the lab\'s files and opens no editor', async () => {
    const { code, stdout } = await runMain(['open', '02'], { env: { ...env, EDITOR: 'false' } });
    expect(code).toBe(0);
    expect(stdout).toBe(`Lab 02: ${lab()}\n`);
  });
});

describe('Ctrl+C', () => {
  it.runIf(process.platform === 'linux')('stops a check half-way, with the server it started, and exits 130', async () => {
    const child = spawn(process.execPath, ['--import', TS_IMPORT, path.join(ROOT, 'tools', 'bin', 'workbook.ts'), 'check', '02'], {
      cwd: ROOT,
      env: { ...process.env, ...env, CI: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The starter never answers, so its check takes seconds: wait for its server, then press Ctrl+C.
    const labDir = path.join(dir, 'labs', '02-basic-server');
    for (let i = 0; i < 200 && serversIn(labDir).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    // One server, or two while a check starts a copy of its own: each must be gone after Ctrl+C.
    expect(serversIn(labDir).length).toBeGreaterThan(0);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(serversIn(labDir)).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function serversIn(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', dir], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
