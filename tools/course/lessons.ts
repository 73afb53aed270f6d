import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.ts';

/** One lesson, found from the folders: lessons/NN-slug/ and its siblings in the other trees. */
export interface Lesson {
  /** "02" */
  number: string;
  /** "02-basic-server": names the lesson in every tree. */
  slug: string;
  /** The first "# " heading of lesson.md, without the number. */
  title: string;
  /** lessons/NN-slug/ */
  dir: string;
  /** test/checkers/NN-slug.test.ts */
  checker: string;
}

const SLUG = /^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function discoverLessons(root = ROOT): Lesson[] {
  const lessonsDir = path.join(root, 'lessons');
  if (!existsSync(lessonsDir)) return [];
  return readdirSync(lessonsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && SLUG.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((slug) => {
      const dir = path.join(lessonsDir, slug);
      return {
        number: slug.slice(0, 2),
        slug,
        title: readTitle(path.join(dir, 'lesson.md')) ?? slug.slice(3).replaceAll('-', ' '),
        dir,
        checker: path.join(root, 'test', 'checkers', `${slug}.test.ts`),
      };
    });
}

function readTitle(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const heading = readFileSync(file, 'utf8').match(/^# (.+)$/m)?.[1]?.trim();
  // "# 02 · A basic UDP server" → "A basic UDP server"
  return heading?.replace(/^(?:Lesson\s+)?\d{1,2}\s*[·:.\-–—]\s*/i, '');
}

/** Accepts "2", "02", "02-basic-server" and "basic-server". */
export function findLesson(lessons: readonly Lesson[], query: string): Lesson | undefined {
  const q = query.trim().toLowerCase();
  if (/^\d{1,2}$/.test(q)) return lessons.find((l) => l.number === q.padStart(2, '0'));
  return lessons.find((l) => l.slug === q || l.slug.slice(3) === q);
}

/** The lab's files in a tree: the .ts files directly in TREE/NN-slug/. */
export function labFiles(tree: string, lesson: Pick<Lesson, 'slug'>): string[] {
  const dir = path.join(tree, lesson.slug);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => path.join(dir, name));
}
