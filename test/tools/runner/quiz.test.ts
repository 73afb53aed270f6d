// The quiz, driven through inquirer with a fake terminal, and looked at as a learner sees it: the
// output replayed on an 80 × 24 screen (vt-screen.ts).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../tools/cli/main.ts';
import type { Lesson } from '../../../tools/course/lessons.ts';
import { discoverLessons } from '../../../tools/course/lessons.ts';
import type { Quiz } from '../../../tools/course/completeness.ts';
import { FileProgressStore, record } from '../../../tools/progress/store.ts';
import { makePrompts } from '../../../tools/runner/prompts.ts';
import { quizAction } from '../../../tools/runner/quiz.ts';
import { openWorkbook } from '../../../tools/workbook/context.ts';
import { choiceOrder, quizSeed } from '../../../tools/workbook/quiz.ts';
import { KEY, fakeTerminal } from './fake-terminal.ts';
import { VtScreen } from './vt-screen.ts';

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});
const tempDir = (name: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), name));
  dirs.push(dir);
  return dir;
};

// Long choices that wrap at 80 columns, inline code, and a word ("three") that a hard break at
// the terminal's last column would cut in two.
const FIXTURE: Quiz = {
  questions: [
    {
      question: 'A client calls `send()` three times quickly, writing "one", "two" and "three". What does a UDP receiver get, and in how many `message` events?',
      choices: [
        'One message "onetwothree", because the kernel joins datagrams that arrive close together, just as TCP would join three writes',
        'Three messages, one per datagram, each whole, if they arrive at all: nothing in UDP promises that all three arrive',
        'Whatever chunks the network chooses, in order, since `msg` is a slice of a byte stream that the receiver must split by itself',
      ],
      answer: 1,
      explanation: 'UDP keeps message boundaries.',
      why: ['UDP never joins datagrams.', 'Each datagram is one message.', 'That is TCP.'],
    },
    {
      question: 'Second question?',
      choices: ['Right here', 'Wrong there'],
      answer: 0,
      explanation: 'Because.',
      why: ['It is right.', 'It is wrong.'],
    },
    {
      question: 'Third question?',
      choices: ['Wrong', 'Right'],
      answer: 1,
      explanation: 'Because.',
      why: ['It is wrong.', 'It is right.'],
    },
  ],
};

/** A lesson of its own with FIXTURE as its quiz, a fake terminal, and the screen it draws on. */
function quizSetup() {
  const dir = path.join(tempDir('quiz-lesson-'), '09-fixture');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'quiz.json'), JSON.stringify(FIXTURE));
  const lesson: Lesson = { number: '09', slug: '09-fixture', title: 'Fixture', dir, checker: path.join(dir, 'none.test.ts') };
  const term = fakeTerminal({ WORKBOOK_STATE_DIR: tempDir('quiz-state-') });
  const screen = new VtScreen(80, 24);
  let raw = '';
  term.io.stdout.on('data', (chunk: Buffer) => {
    raw += chunk.toString('utf8');
    screen.write(chunk.toString('utf8'));
  });
  // In colour, as in a learner's terminal: inline code is painted, not quoted in backticks.
  const io = { ...term.io, color: true };
  const ctx = { wb: openWorkbook(io), prompts: makePrompts(io) };
  return { lesson, term, screen, ctx, raw: () => raw };
}

/** The text as it reads on screen: lines joined, the cursor and runs of spaces made one space. */
const reading = (screen: VtScreen) => screen.lines().join(' ').replaceAll('❯', ' ').replace(/\s+/g, ' ');
const plain = (markdown: string) => markdown.replaceAll('`', '');

describe('the quiz at 80 columns', () => {
  it('shows every choice whole, broken between words, and inline code as code', async () => {
    const { lesson, term, screen, ctx, raw } = quizSetup();
    const done = quizAction(ctx, ctx.prompts, lesson, { seed: 7 });
    await term.waitFor('↑↓ navigate');
    const text = reading(screen);
    expect(text).toContain(plain(FIXTURE.questions[0]!.question));
    for (const choice of FIXTURE.questions[0]!.choices) expect(text).toContain(plain(choice));
    expect(screen.text()).not.toContain('`');
    expect(raw()).toMatch(/\x1b\[[\d;]*msend\(\)\x1b\[/); // painted as code
    term.controller.abort();
    await done.catch(() => {});
  });

  it('leaves no fragment of a choice behind when the cursor moves', async () => {
    const { lesson, term, screen, ctx } = quizSetup();
    const done = quizAction(ctx, ctx.prompts, lesson, { seed: 7 });
    await term.waitFor('↑↓ navigate');
    const before = screen.text().replaceAll('❯', ' ');
    for (const key of [KEY.down, KEY.down, KEY.up, KEY.down, KEY.up, KEY.up]) {
      term.mark();
      term.type(key);
      await term.waitFor('↑↓ navigate');
    }
    // The same lines as before the moves, the cursor aside: nothing left over, nothing missing.
    expect(screen.text().replaceAll('❯', ' ')).toBe(before);
    for (const choice of FIXTURE.questions[0]!.choices) {
      expect(reading(screen).split(plain(choice)).length - 1, choice).toBe(1);
    }
    term.controller.abort();
    await done.catch(() => {});
  });

  it('never shows a green ✔ beside a wrong answer: the verdict comes first, with why', async () => {
    const { lesson, term, screen, ctx } = quizSetup();
    const done = quizAction(ctx, ctx.prompts, lesson, { seed: 7 });
    const order = choiceOrder(7, 0, 3);
    await term.waitFor('↑↓ navigate');
    term.mark();
    term.type(KEY.down.repeat(order.indexOf(0)) + KEY.enter); // choice 0 is wrong
    await term.waitFor('✘ Not quite.');
    await term.waitFor('UDP keeps message boundaries.');
    const shown = term.screen();
    expect(shown.slice(0, shown.indexOf('✘ Not quite.'))).not.toContain('✔');
    const label = (choice: number) => `${String.fromCharCode(97 + order.indexOf(choice))})`;
    const [wrong, right] = FIXTURE.questions[0]!.choices.map(plain);
    expect(reading(screen)).toContain(`✘ Not quite. ${label(0)} ${wrong} No: UDP never joins datagrams.`);
    expect(reading(screen)).toContain(`The answer is ${label(1)} ${right} Yes: Each datagram is one message.`);
    term.controller.abort();
    await done.catch(() => {});
  });
});

describe('the order of the choices', () => {
  it('is the same for the same seed, and differs on a retake', () => {
    const seed = quizSeed('02-basic-server', 0);
    expect(quizSeed('02-basic-server', 0)).toBe(seed);
    expect(choiceOrder(seed, 2, 4)).toEqual(choiceOrder(seed, 2, 4));
    expect([...choiceOrder(seed, 2, 4)].sort()).toEqual([0, 1, 2, 3]);
    const orders = (taken: number) => [0, 1, 2, 3, 4].map((i) => choiceOrder(quizSeed('02-basic-server', taken), i, 3).join());
    expect(orders(1)).not.toEqual(orders(0));
    expect(orders(2)).not.toEqual(orders(1));
  });

  it('puts the answer at more than one position across a lesson', () => {
    const positions = new Set(FIXTURE.questions.map((q, i) => choiceOrder(quizSeed('01-udp-vs-tcp', 0), i, q.choices.length).indexOf(q.answer)));
    expect(positions.size).toBeGreaterThan(1);
  });
});

describe('npm start -- quiz', () => {
  it('explains each answer, keeps the best score, and counts the quizzes taken', async () => {
    const lesson = discoverLessons().find((l) => l.number === '02')!;
    const state = tempDir('quiz-');
    const store = new FileProgressStore(state, () => {});
    store.update(record.quiz(lesson.slug, 4, 5)); // taken once already: this is the second
    const term = fakeTerminal({ WORKBOOK_STATE_DIR: state });
    const quiz = JSON.parse(readFileSync(path.join(lesson.dir, 'quiz.json'), 'utf8')) as Quiz;
    const seed = quizSeed(lesson.slug, 1);
    const exit = main(['quiz', '02'], term.io);
    // The first question answered right, every other one wrong.
    for (const [i, q] of quiz.questions.entries()) {
      await term.waitFor(new RegExp(`Question ${i + 1} of ${quiz.questions.length}[^]*↑↓ navigate`));
      term.mark();
      const pick = i === 0 ? q.answer : (q.answer + 1) % q.choices.length;
      term.type(KEY.down.repeat(choiceOrder(seed, i, q.choices.length).indexOf(pick)) + KEY.enter);
      await term.waitFor(i === 0 ? '✔ Right.' : '✘ Not quite.');
      await term.waitFor(q.explanation.split(' ').slice(0, 3).join(' '));
    }
    expect(await exit).toBe(0);
    expect(term.screen()).toContain(`You scored 1 of ${quiz.questions.length} (your best: 4 of 5).`);
    expect(store.read().quizzes[lesson.slug]).toMatchObject({ best: 4, of: 5, taken: 2 });
  });
});
