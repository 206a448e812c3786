/**
 * Finds and evaluates arithmetic in plain text ("what is 12 times 7?") for the demo model: a small
 * recursive-descent parser over + - * / % ^ and parentheses; never `eval`.
 */
import { arithmeticInSymbols } from './arithmetic-words.ts';

const EXPRESSION = /[-(]*\s*\d+(?:\.\d+)?(?:\s*\)*\s*[-+*/%^]\s*[(-]*\s*\d+(?:\.\d+)?\s*\)*)+/;

/** The first arithmetic expression in `text` (with words like "times" turned into symbols), if any. */
export function findArithmetic(text: string): string | undefined {
  const match = EXPRESSION.exec(arithmeticInSymbols(text));
  return match ? match[0].replace(/\s+/g, ' ').trim() : undefined;
}

/** Evaluates an expression of numbers, + - * / % ^ and parentheses; undefined if it is not one. */
export function evaluateArithmetic(expression: string): number | undefined {
  const tokens = expression.match(/\d+(?:\.\d+)?|[-+*/%^()]/g);
  if (!tokens || tokens.join('') !== expression.replace(/\s+/g, '')) return undefined;
  const parser = new Parser(tokens);
  const value = parser.expression();
  return parser.done() && value !== undefined && Number.isFinite(value) ? round(value) : undefined;
}

/** The numbers of an expression, in order, negative when written so (for tools that take `a` and `b`). */
export function numbersIn(expression: string): number[] {
  return (expression.match(/(?:(?<=^|[-+*/%^(]\s*)-\s*)?\d+(?:\.\d+)?/g) ?? []).map((number) =>
    Number(number.replace(/\s+/g, '')),
  );
}

/** The first binary operator of an expression ('+', '-', '*', '/', ...). */
export function operatorIn(expression: string): string | undefined {
  return /\d\s*\)*\s*([-+*/%^])/.exec(expression)?.[1];
}

function round(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}

class Parser {
  readonly #tokens: string[];
  #index = 0;

  constructor(tokens: string[]) {
    this.#tokens = tokens;
  }

  done(): boolean {
    return this.#index === this.#tokens.length;
  }

  expression(): number | undefined {
    let left = this.#term();
    while (left !== undefined && (this.#peek() === '+' || this.#peek() === '-')) {
      const op = this.#next();
      const right = this.#term();
      if (right === undefined) return undefined;
      left = op === '+' ? left + right : left - right;
    }
    return left;
  }

  #term(): number | undefined {
    let left = this.#power();
    while (left !== undefined && ['*', '/', '%'].includes(this.#peek() ?? '')) {
      const op = this.#next();
      const right = this.#power();
      if (right === undefined) return undefined;
      left = op === '*' ? left * right : op === '/' ? left / right : left % right;
    }
    return left;
  }

  #power(): number | undefined {
    const base = this.#unary();
    if (base === undefined || this.#peek() !== '^') return base;
    this.#next();
    const exponent = this.#power();
    return exponent === undefined ? undefined : base ** exponent;
  }

  #unary(): number | undefined {
    if (this.#peek() === '-') {
      this.#next();
      const value = this.#unary();
      return value === undefined ? undefined : -value;
    }
    if (this.#peek() === '(') {
      this.#next();
      const value = this.expression();
      if (this.#next() !== ')') return undefined;
      return value;
    }
    const token = this.#next();
    return token !== undefined && /^\d/.test(token) ? Number(token) : undefined;
  }

  #peek(): string | undefined {
    return this.#tokens[this.#index];
  }

  #next(): string | undefined {
    const token = this.#tokens[this.#index];
    this.#index += 1;
    return token;
  }
}
