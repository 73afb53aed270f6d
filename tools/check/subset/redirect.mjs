// A module hook for the fast runner (fast-runner.ts): while it is registered, `import ... from
// 'vitest'` in a file under the workbook's test/ folder gets the fast runner's subset of vitest's
// API (collect.ts) instead of vitest, which takes seconds to start. Plain JavaScript: hooks load
// before tsx can help.
const subset = new URL('./collect.ts', import.meta.url).href;
let testDir = '';

export function initialize(data) {
  testDir = data.testDir;
}

export async function resolve(specifier, context, next) {
  if (specifier === 'vitest' && context.parentURL?.startsWith(testDir) && !context.parentURL.includes('/node_modules/')) {
    return { url: subset, shortCircuit: true };
  }
  return next(specifier, context);
}
