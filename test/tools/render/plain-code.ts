// In plain mode, a code block is "Code (file):" (wrapped like prose when narrow), the file's lines
// as they are, then "(end of code)". Tests that hold prose to a rule skip the code's own lines.
export function isCodeLine(lines: readonly string[]): boolean[] {
  let state: 'prose' | 'label' | 'code' = 'prose';
  return lines.map((line) => {
    if (state === 'prose' && /^\s*Code\b/.test(line)) state = /:$/.test(line) ? 'code' : 'label';
    else if (state === 'label') state = /:$/.test(line) ? 'code' : 'label';
    else if (state === 'code') {
      if (/^\s*\(end of code\)$/.test(line)) state = 'prose';
      else return true;
    }
    return false;
  });
}
