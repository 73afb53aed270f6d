// Syntax colouring for the code in lessons: keywords, strings, comments and numbers in
// TypeScript/JavaScript, shell, JSON and Python. A small scanner per language, not a parser:
// it only decides which characters get which colour, and never adds, drops or moves one, so
// text copied from the terminal is the code as written.

import type { Palette, Role } from '../term/style.ts';

type Kind = 'string' | 'comment' | 'number' | 'word' | 'regex' | 'punctuation' | 'space';
interface Rule {
  re: RegExp;
  kind: Kind;
}
interface Language {
  rules: Rule[];
  keywords: ReadonlySet<string>;
  /** Keywords that are also common names: coloured only where they cannot be a property or key. */
  contextual?: ReadonlySet<string>;
  /** `name:` in an object literal is a key, even when the name is a keyword (`default: 1`). */
  objectKeys?: boolean;
}

const rule = (source: string, kind: Kind): Rule => ({ re: new RegExp(source), kind });
const words = (list: string) => new Set(list.split(/\s+/));

const NUMBER = rule(String.raw`(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)n?(?![\w$])`, 'number');
const WORD = rule(String.raw`[A-Za-z_$][\w$]*`, 'word');
const SPACE = rule(String.raw`\s+`, 'space');
const quoted = (q: string) => rule(`${q}(?:\\\\.|[^${q}\\\\\\n])*${q}?`, 'string');

const scriptKeywords = words(`break case catch class const continue debugger default delete do else enum export extends
  false finally for function if import in instanceof let new null return super switch this throw true try typeof
  undefined var void while with yield await async interface implements private protected public readonly static
  abstract declare namespace keyof satisfies`);

const languages: Record<string, Language> = {
  ts: {
    rules: [
      rule(String.raw`\/\/[^\n]*`, 'comment'),
      rule(String.raw`\/\*[\s\S]*?(?:\*\/|$)`, 'comment'),
      quoted("'"),
      quoted('"'),
      rule('`(?:\\\\[\\s\\S]|[^`\\\\])*`?', 'string'),
      rule(String.raw`\/(?![*/])(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])+\/[dgimsuvy]*`, 'regex'),
      NUMBER,
      WORD,
      SPACE,
      rule(String.raw`[(){}[\];,=+\-*<>!&|?:%^~@]+`, 'punctuation'),
    ],
    keywords: scriptKeywords,
    contextual: words('as of from type get set'),
    objectKeys: true,
  },
  json: {
    rules: [rule(String.raw`\/\/[^\n]*`, 'comment'), quoted('"'), NUMBER, WORD, SPACE],
    keywords: words('true false null'),
  },
  sh: {
    rules: [
      rule(String.raw`(?<![^\s;|&(])#[^\n]*`, 'comment'),
      rule(`'[^']*'?`, 'string'),
      quoted('"'),
      rule(String.raw`\d+(?![\w.-])`, 'number'),
      rule(String.raw`[\w$.-]+`, 'word'),
      SPACE,
    ],
    keywords: words(`if then else elif fi for in do done while until case esac function select return exit export
      local readonly unset shift source`),
  },
  python: {
    rules: [
      rule(String.raw`#[^\n]*`, 'comment'),
      rule(String.raw`(?:[rRbBuUfF]{1,2})?(?:'''[\s\S]*?(?:'''|$)|"""[\s\S]*?(?:"""|$))`, 'string'),
      rule(String.raw`(?:[rRbBuUfF]{1,2})?(?:'(?:\\.|[^'\\\n])*'?|"(?:\\.|[^"\\\n])*"?)`, 'string'),
      NUMBER,
      rule(String.raw`[A-Za-z_]\w*`, 'word'),
      SPACE,
    ],
    keywords: words(`False None True and as assert async await break class continue def del elif else except
      finally for from global if import in is lambda nonlocal not or pass raise return try while with yield`),
  },
};

const ALIASES: Record<string, string> = {
  ts: 'ts', typescript: 'ts', tsx: 'ts', js: 'ts', javascript: 'ts', jsx: 'ts', mjs: 'ts', cjs: 'ts', mts: 'ts', cts: 'ts',
  json: 'json', jsonc: 'json',
  sh: 'sh', bash: 'sh', shell: 'sh', zsh: 'sh', console: 'sh',
  py: 'python', python: 'python', python3: 'python',
};

/** The language a fence's info names ("ts", "typescript", "bash", ...), or undefined if it is not coloured. */
export function languageOf(info: string): string | undefined {
  return ALIASES[info.trim().split(/\s+/)[0]?.toLowerCase() ?? ''];
}

/** The code, one string per line, coloured with the palette. Without colours, exactly `code.split('\n')`. */
export function highlight(code: string, lang: string, palette: Palette): string[] {
  const language = languages[languageOf(lang) ?? ''];
  if (!language) return code.split('\n');
  const lines: string[] = [''];
  const emit = (text: string, role?: Role) => {
    text.split('\n').forEach((piece, i) => {
      if (i > 0) lines.push('');
      lines[lines.length - 1] += role && piece !== '' ? palette[role](piece) : piece;
    });
  };
  const { withRegex, withoutRegex } = scanners(language);
  let pos = 0;
  let previous = ''; // the last token that was not white space, to tell a regex from a division
  while (pos < code.length) {
    const scanner = REGEX_MAY_FOLLOW.test(previous) ? withRegex : withoutRegex;
    scanner.re.lastIndex = pos;
    const m = scanner.re.exec(code);
    if (!m) {
      emit(code[pos]!);
      previous = code[pos]!;
      pos++;
      continue;
    }
    const kind = scanner.kinds[m.findIndex((group, i) => i > 0 && group !== undefined) - 1]!;
    emit(m[0], roleOf(language, kind, m[0], code, pos));
    if (kind !== 'space') previous = m[0];
    pos += m[0].length;
  }
  return lines;
}

// Where a "/" starts a regular expression rather than a division: after an operator or a keyword.
const REGEX_MAY_FOLLOW = /(?:^|[(,=:[!&|?{};+\-*%<>~^]|\b(?:return|typeof|case|do|else|in|of|void|yield|await))$/;

interface Scanner {
  re: RegExp;
  kinds: Kind[];
}
const built = new Map<Language, { withRegex: Scanner; withoutRegex: Scanner }>();

/** The language's rules as one sticky regex (one group per rule, tried in order), with and without regex literals. */
function scanners(language: Language): { withRegex: Scanner; withoutRegex: Scanner } {
  let found = built.get(language);
  if (!found) {
    const scanner = (rules: Rule[]): Scanner => ({ re: new RegExp(rules.map((r) => `(${r.re.source})`).join('|'), 'y'), kinds: rules.map((r) => r.kind) });
    found = { withRegex: scanner(language.rules), withoutRegex: scanner(language.rules.filter((r) => r.kind !== 'regex')) };
    built.set(language, found);
  }
  return found;
}

function roleOf(language: Language, kind: Kind, text: string, code: string, pos: number): Role | undefined {
  if (kind === 'regex') return 'string';
  if (kind === 'string' || kind === 'comment' || kind === 'number') return kind;
  if (kind !== 'word') return undefined;
  const before = code.slice(Math.max(0, pos - 3), pos);
  const property = /\??\.[ \t]*$/.test(before) && !before.endsWith('...');
  if (property) return undefined;
  const after = code.slice(pos + text.length, pos + text.length + 40);
  // A key (`default: 1`), but not a switch's `default:` that ends its line.
  if (language.objectKeys && /^:(?!:)/.test(after) && !/^:[ \t]*(?:\n|$)/.test(after)) return undefined;
  if (language.keywords.has(text)) return 'keyword';
  if (language.contextual?.has(text) && !/^\s*:(?!:)/.test(after)) return 'keyword';
  return undefined;
}
