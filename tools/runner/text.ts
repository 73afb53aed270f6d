// Markdown for the runner's screens (hints, quiz explanations), rendered at the reading width.

import { makePalette, renderMarkdown, type Palette } from '../render/index.ts';
import { readingWidth, type RunnerContext } from './context.ts';

export function palette(ctx: RunnerContext): Palette {
  return makePalette(ctx.wb.io.color);
}

export function renderText(ctx: RunnerContext, markdown: string): string {
  return renderMarkdown(markdown, { width: readingWidth(ctx), palette: palette(ctx) });
}
