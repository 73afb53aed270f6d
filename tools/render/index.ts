// The lesson renderer: markdown to terminal text, a pure function of the text and the options; it
// reads no file and no environment (lessons are read, and their includes resolved, in
// tools/course/). See markdown.ts for the rules, lesson.ts for a lesson's steps.
export { renderMarkdown, type RenderOptions } from './markdown.ts';
export { lessonSteps, type LessonStep } from './lesson.ts';
export { terminalWidth, DEFAULT_WIDTH, MAX_READING_WIDTH, MIN_WIDTH } from './width.ts';
// The palette it paints with is the terminal's, decided in tools/term/style.ts.
export { makePalette, plainPalette, type Palette, type Paint, type Role } from '../term/style.ts';
export { testPalette, showMarks } from '../term/marks.ts';
export { highlight, languageOf } from './highlight.ts';
export { displayWidth } from './display.ts';
export { wrap } from './wrap.ts';
