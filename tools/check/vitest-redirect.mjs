// A module hook for the in-process check runner (in-process.ts): while it is registered, a
// checker's `import ... from 'vitest'` gets the workbook's small stand-in (vitest-shim.ts)
// instead of vitest, which takes seconds to start. Plain JavaScript: hooks load before tsx
// can help.
const shim = new URL('./vitest-shim.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'vitest' && context.parentURL && /\/test\/(checkers|tools)\//.test(context.parentURL)) {
    return { url: shim, shortCircuit: true };
  }
  return next(specifier, context);
}
