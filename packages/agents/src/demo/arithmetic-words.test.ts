/**
 * The demo model understands arithmetic as people write it: "6 multiplied by 7", "12 divided by 4",
 * "ten minus three", "what is 6 times 7", "x", "÷", "multiply 6 by 7", and calls a calculator tool
 * with it or answers it.
 */
import { Agent, Runner, tool } from '@openai/agents';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { evaluateArithmetic, findArithmetic, numbersIn } from './arithmetic.ts';
import { arithmeticInSymbols } from './arithmetic-words.ts';
import { demoModel } from './demo-model.ts';
import { decide, type JsonSchemaObject } from './demo-rules.ts';

const PHRASINGS: Array<[text: string, expression: string, value: number]> = [
  ['What is 6 multiplied by 7?', '6 * 7', 42],
  ['12 divided by 4', '12 / 4', 3],
  ['what is 10 minus 3', '10 - 3', 7],
  ['what is 6 times 7', '6 * 7', 42],
  ['3 plus 4', '3 + 4', 7],
  ['6 x 7', '6 * 7', 42],
  ['what is 6x7?', '6 * 7', 42],
  ['12 ÷ 4', '12 / 4', 3],
  ['2 × 3', '2 * 3', 6],
  ['10 − 3', '10 - 3', 7],
  ['ten minus three', '10 - 3', 7],
  ['What is twenty-one divided by three?', '21 / 3', 7],
  ['ninety nine plus one', '99 + 1', 100],
  ['Multiply 6 by 7', '6 * 7', 42],
  ['divide 12 by 4', '12 / 4', 3],
  ['add 3 and 4', '3 + 4', 7],
  ['subtract 3 from 10', '10 - 3', 7],
  ['what is the sum of 2 and 3?', '2 + 3', 5],
  ['the product of 6 and 7', '6 * 7', 42],
  ['what is 2 to the power of 10', '2 ^ 10', 1024],
  ['1,000 plus 1', '1000 + 1', 1001],
  ['what is 7 times 6 plus 2', '7 * 6 + 2', 44],
  ['what is 3 x -2', '3 * -2', -6],
];

const situation = (userText: string, tools = [] as Parameters<typeof decide>[0]['tools']) => ({
  userText,
  toolResults: [],
  handedOff: false,
  tools,
  handoffs: [],
});

const binaryCalculator = {
  name: 'calculator',
  description: 'Do math on two numbers',
  parameters: {
    properties: {
      a: { type: 'number' },
      op: { type: 'string', enum: ['add', 'subtract', 'multiply', 'divide'] },
      b: { type: 'number' },
    },
  } satisfies JsonSchemaObject,
};

describe('arithmetic in words', () => {
  it.each(PHRASINGS)('finds %j as %s = %d', (text, expression, value) => {
    const found = findArithmetic(text);
    expect(found).toBe(expression);
    expect(evaluateArithmetic(found as string)).toBe(value);
  });

  it('leaves text without arithmetic alone', () => {
    for (const text of [
      'someone called',
      'remember to call mom at 5',
      'the weather in Paris',
      'delete note 3',
    ])
      expect(findArithmetic(text), text).toBeUndefined();
    expect(arithmeticInSymbols('Someone ate one apple')).toBe('Someone ate 1 apple');
  });

  it('keeps the sign of negative operands for two-operand tools', () => {
    expect(numbersIn('10 - -3')).toEqual([10, -3]);
    expect(numbersIn('-5 + 3')).toEqual([-5, 3]);
    expect(numbersIn('(-2) * 4 - 1')).toEqual([-2, 4, 1]);
  });
});

describe('the demo model with arithmetic in words', () => {
  it('answers each phrasing itself when the agent has no calculator', () => {
    for (const [text, expression, value] of PHRASINGS) {
      expect(decide(situation(text)), text).toEqual({ kind: 'answer', text: `${expression} = ${value}` });
    }
  });

  it('calls a two-operand calculator with the numbers and the operation', () => {
    expect(decide(situation('What is 6 multiplied by 7?', [binaryCalculator]))).toEqual({
      kind: 'call',
      name: 'calculator',
      arguments: { a: 6, op: 'multiply', b: 7 },
    });
    expect(decide(situation('12 divided by 4', [binaryCalculator]))).toMatchObject({
      arguments: { a: 12, op: 'divide', b: 4 },
    });
    expect(decide(situation('ten minus -3', [binaryCalculator]))).toMatchObject({
      arguments: { a: 10, op: 'subtract', b: -3 },
    });
    // no 'power' in its enum: answered directly instead of calling it with a wrong operation
    expect(decide(situation('what is 2 to the power of 10', [binaryCalculator]))).toEqual({
      kind: 'answer',
      text: '2 ^ 10 = 1024',
    });
  });

  it('runs an agent whose calculate tool gets "6 * 7" from "what is 6 times 7"', async () => {
    const seen: string[] = [];
    const calculate = tool({
      name: 'calculate',
      description: 'Evaluate an arithmetic expression.',
      parameters: z.object({ expression: z.string() }),
      execute: async ({ expression }) => {
        seen.push(expression);
        return String(evaluateArithmetic(expression));
      },
    });
    const agent = new Agent({ name: 'calc', instructions: 'x', model: demoModel(), tools: [calculate] });
    const runner = new Runner({ tracingDisabled: true });
    const result = await runner.run(agent, 'what is 6 times 7');
    expect(seen).toEqual(['6 * 7']);
    expect(result.finalOutput).toBe('[demo model] The answer is 42.');
    const divided = await runner.run(agent, 'What is 12 divided by 4?');
    expect(seen).toEqual(['6 * 7', '12 / 4']);
    expect(divided.finalOutput).toBe('[demo model] The answer is 3.');
  });
});
