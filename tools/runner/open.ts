// Open the lab: print the files' paths, and open them in the learner's editor when there is one.

import type { Lesson } from '../course/lessons.ts';
import { labFiles } from '../course/lessons.ts';
import { relativeToRoot } from '../course/paths.ts';
import { chooseEditor, openInEditor } from '../workbook/editor.ts';
import type { RunnerContext } from './context.ts';
import { print } from './screen.ts';

/** Resolves with true when the files were shown (and opened, if there was an editor), false when the editor failed. */
export async function openAction(ctx: RunnerContext, lesson: Lesson): Promise<boolean> {
  const { wb } = ctx;
  const files = labFiles(wb.labs, lesson);
  if (files.length === 0) {
    print(wb.io, `Lab ${lesson.number} has no files in ${relativeToRoot(wb.labs)}/${lesson.slug}/: restore them with \`npm start -- reset ${lesson.number}\`.`);
    return false;
  }
  print(wb.io, `Lab ${lesson.number}: ${files.map((f) => wb.st.code(relativeToRoot(f))).join(', ')}`);
  // Only at a terminal: a terminal editor needs one, and nothing may wait otherwise.
  const editor = ctx.prompts ? chooseEditor(wb.io.env) : undefined;
  if (!editor) {
    if (ctx.prompts) print(wb.io, wb.st.dim('Open it in your editor. (Set $EDITOR, or install VS Code\'s `code` command, to open it from here.)'));
    return true;
  }
  print(wb.io, wb.st.dim(`Opening it with ${editor.command}…`));
  const problem = await openInEditor(editor, files, wb.io.env);
  if (problem) print(wb.io, wb.st.warn(problem));
  return problem === undefined;
}
