// The lesson renderer: markdown to terminal text. See markdown.ts for the rules, include.ts for
// includes, palette.ts for colour, lesson.ts for lessons and their steps.
export { renderMarkdown, type RenderOptions } from './markdown.ts';
export { resolveIncludes, type IncludeProblem } from './include.ts';
export { renderLesson, lessonSteps, lessonMarkdown, type LessonStep } from './lesson.ts';
export { terminalWidth, DEFAULT_WIDTH, MAX_READING_WIDTH, MIN_WIDTH } from './width.ts';
// The palette it paints with is the terminal's, decided in tools/term/style.ts.
export { makePalette, plainPalette, type Palette, type Paint, type Role } from '../term/style.ts';
export { testPalette, showMarks } from '../term/marks.ts';
export { highlight, languageOf } from './highlight.ts';
export { displayWidth } from './display.ts';
export { wrap } from './wrap.ts';
