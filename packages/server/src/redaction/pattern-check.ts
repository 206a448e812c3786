/**
 * What makes a project's own pattern unfit, found when settings are saved: it does not compile, it
 * matches empty text, it uses a backreference, or it repeats a group that itself repeats (`(a+)+`,
 * `(\w*\s?)*`: the shapes that make a backtracking engine take exponential time).
 */

/** Flags every project pattern runs with: global, and Unicode-aware (code points, strict syntax). */
export const PATTERN_FLAGS = 'gu';

/** Why `source` cannot be used as a redaction pattern, or null when it can. */
export function patternProblem(source: string): string | null {
  let regex: RegExp;
  try {
    regex = new RegExp(source, PATTERN_FLAGS);
  } catch (error) {
    return `is not a valid regular expression (JavaScript syntax, u flag): ${(error as Error).message}`;
  }
  if (new RegExp(regex.source, 'u').test(''))
    return 'matches empty text; it must match at least one character';
  if (/\\[1-9]|\\k</.test(stripClasses(source)))
    return 'uses a backreference, which can take exponential time; write the text out instead';
  if (hasNestedRepetition(source))
    return 'repeats a group that itself repeats (like (a+)+), which can take exponential time; repeat only single characters or fixed groups';
  return null;
}

/** The source with character classes and escapes blanked, so `[(]` or `\(` is not read as a group. */
function stripClasses(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i] as string;
    if (char === '\\') {
      out += inClass ? '__' : `\\${source[i + 1] ?? ''}`;
      i += 1;
    } else if (inClass) {
      out += char === ']' ? ']' : '_';
      if (char === ']') inClass = false;
    } else {
      if (char === '[') inClass = true;
      out += char;
    }
  }
  return out;
}

/** Whether a quantifier at `i` repeats (`*`, `+`, `{n,}`, `{n,m}` with m > n); `?` and `{n}` do not. */
function repeatsAt(source: string, i: number): boolean {
  const char = source[i];
  if (char === '*' || char === '+') return true;
  if (char !== '{') return false;
  const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
  if (!match) return false;
  if (match[2] === undefined) return false;
  return match[3] === '' || Number(match[3]) > Number(match[1]);
}

/** Star height over 1: a repeated group containing a repeated atom. */
function hasNestedRepetition(source: string): boolean {
  const text = stripClasses(source);
  const stack: boolean[] = [false]; // per open group: whether something inside it repeats
  const mark = () => {
    stack[stack.length - 1] = true;
  };
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    if (char === '(') {
      stack.push(false);
      continue;
    }
    if (char === ')') {
      const inner = stack.pop() ?? false;
      if (stack.length === 0) stack.push(false);
      const repeated = repeatsAt(text, i + 1);
      if (repeated && inner) return true;
      if (repeated || inner) mark();
      continue;
    }
    if (char === '\\') i += 1; // the escaped character is the atom
    if (char !== '|' && char !== '^' && char !== '$' && repeatsAt(text, i + 1)) mark();
  }
  return false;
}
