// What `npm start -- help` shows: the commands, one line each; and for one command, its usage
// line, its summary, and every argument and flag with one line of help each.

import type { Style } from '../term/style.ts';
import { argText, type Command } from './command.ts';
import { HELP_FLAG, type Flag } from './flags.ts';

/** The commands, one line each, without their flags: `npm start -- help <command>` shows those. */
export function commandList(commands: readonly Command[], st: Style): string[] {
  const short = (c: Command) => [c.name, ...c.args.map(argText)].join(' ');
  const width = Math.max(...commands.map((c) => short(c).length));
  return [
    `Commands, typed after ${st.code('npm start --')} (e.g. ${st.code('npm start -- check 02')}):`,
    ...commands.map((c) => `  ${st.code(short(c).padEnd(width))}  ${c.summary}`),
    'Without a command, in a terminal: the menu.',
  ];
}

/** One command's help: usage, summary, what it does, then its arguments and flags in a table. */
export function commandHelp(command: Command, st: Style): string[] {
  const grouped = new Set(command.groups.flatMap((g) => Object.keys(g.flags)));
  const own = Object.entries(command.flags).filter(([name]) => !grouped.has(name));
  const rows = [...command.args.map((a): Row => [a.name, a.help]), ...flagRows([...own, ['help', HELP_FLAG]])];
  const lines = [`Usage: ${st.code(`npm start -- ${command.usage}`)}`, `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`];
  if (command.about.length > 0) lines.push('', ...command.about);
  lines.push('', ...table(rows));
  for (const group of command.groups) lines.push('', ...group.heading.split('\n'), ...table(flagRows(Object.entries(group.flags))));
  return lines;
}

type Row = [left: string, help: string];

function flagRows(flags: readonly [string, Flag][]): Row[] {
  return flags.filter(([, f]) => !f.unlisted).map(([name, f]) => [`--${name}${f.value ? ` ${f.value}` : ''}${f.short ? `, -${f.short}` : ''}`, f.help]);
}

function table(rows: readonly Row[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`);
}
