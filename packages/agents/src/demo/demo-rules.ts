/**
 * The demo model's rules: from the user's last words and the agent's tools, decide to call a tool (with
 * arguments built from the tool's JSON schema) or to answer. Deterministic: same input, same decision.
 */
import { evaluateArithmetic, findArithmetic, numbersIn, operatorIn } from './arithmetic.ts';

/** A function tool as the model sees it (the SDK's serialized tool). */
export interface DemoTool {
  name: string;
  description: string;
  parameters: JsonSchemaObject | undefined;
}

/** A handoff as the model sees it: a tool that transfers the conversation to another agent. */
export interface DemoHandoff {
  toolName: string;
  toolDescription: string;
}

export interface JsonSchemaObject {
  type?: unknown;
  properties?: Record<string, JsonSchemaProperty>;
  required?: string[];
}

interface JsonSchemaProperty {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
}

/** What the model knows when it decides. */
export interface DemoSituation {
  /** The user's latest message. */
  userText: string;
  /** Results of this turn's tool calls (after the user's latest message), oldest first. */
  toolResults: Array<{ name: string; output: string }>;
  /** True when a handoff already happened after the user's latest message. */
  handedOff: boolean;
  tools: DemoTool[];
  handoffs: DemoHandoff[];
}

export type DemoDecision =
  | { kind: 'call'; name: string; arguments: Record<string, unknown> }
  | { kind: 'answer'; text: string };

/** Slots extracted from the user's words, used to fill tool arguments. */
interface Slots {
  expression?: string;
  numbers?: number[];
  operator?: string;
  city?: string;
  title?: string;
  content?: string;
  id?: number;
  text: string;
}

interface Intent {
  /** Matches the user's words. */
  when: RegExp | ((text: string) => boolean);
  /** Matches a suitable tool's name or description. */
  tool: RegExp;
  slots: (text: string) => Partial<Slots> | undefined;
}

const INTENTS: Intent[] = [
  {
    when: (text) => findArithmetic(text) !== undefined,
    tool: /calc|math|arithmetic|evaluate|compute/i,
    slots: arithmeticSlots,
  },
  { when: /\bweather\b|\bforecast\b/i, tool: /weather|forecast/i, slots: weatherSlots },
  {
    when: /\b(?:delete|remove|erase|drop)\b.*\bnotes?\b|\bnotes?\b.*\b(?:delete|remove)\b/i,
    tool: /(?:delete|remove).*note|note.*(?:delete|remove)/i,
    slots: (text) => ({ ...idSlot(text), text }),
  },
  {
    when: /\b(?:list|show|what|which|all|my|read|see)\b.*\bnotes\b|\bnotes\b.*\b(?:do i have|list)\b/i,
    tool: /list.*note|note.*list|all.*notes/i,
    slots: (text) => ({ text }),
  },
  {
    when: /\b(?:create|add|new|write|make|save|take|jot)\b.*\bnote\b|\bnote\b\s*(?::|that|to)|\bremember\b/i,
    tool: /(?:create|add|new|save|write).*note|note.*(?:create|add)/i,
    slots: noteSlots,
  },
];

/** Decides the next step; answers with a plain statement that it is a demo model when nothing matches. */
export function decide(situation: DemoSituation): DemoDecision {
  if (situation.toolResults.length > 0) return { kind: 'answer', text: answerFromResults(situation) };
  const text = situation.userText;
  const handoff = situation.handedOff ? undefined : matchHandoff(text, situation.handoffs);
  if (handoff) return { kind: 'call', name: handoff.toolName, arguments: {} };
  for (const intent of INTENTS) {
    if (!(typeof intent.when === 'function' ? intent.when(text) : intent.when.test(text))) continue;
    const slots = intent.slots(text);
    if (!slots) continue;
    const tool = matchTool(situation.tools, intent.tool);
    if (tool && canExpress(tool, slots))
      return { kind: 'call', name: tool.name, arguments: fillArguments(tool.parameters, { text, ...slots }) };
    if (slots.expression !== undefined) return { kind: 'answer', text: computeDirectly(slots.expression) };
  }
  const named = toolNamedIn(text, situation.tools);
  if (named) return { kind: 'call', name: named.name, arguments: fillArguments(named.parameters, { text }) };
  return { kind: 'answer', text: fallbackAnswer(text, situation) };
}

/**
 * A binary tool (a, op, b) cannot take "(3 + 4) * 2", nor "2 ^ 10" when its op enum has no power;
 * such expressions are answered directly.
 */
function canExpress(tool: DemoTool, slots: Partial<Slots>): boolean {
  if (slots.expression === undefined) return true;
  const properties = Object.entries(tool.parameters?.properties ?? {});
  if (properties.some(([name]) => SLOT_PATTERNS[0]?.[0].test(name))) return true;
  if ((slots.numbers?.length ?? 0) > 2) return false;
  const operator = properties.find(([name]) => OPERATOR_PARAMETER.test(name));
  return !operator || coerce(slots.operator, operator[1]) !== undefined;
}

function arithmeticSlots(text: string): Partial<Slots> | undefined {
  const expression = findArithmetic(text);
  if (!expression) return undefined;
  const slots: Partial<Slots> = { expression, numbers: numbersIn(expression) };
  const operator = operatorIn(expression);
  if (operator) slots.operator = operator;
  return slots;
}

function weatherSlots(text: string): Partial<Slots> {
  const match =
    /\b(?:in|for|at|of)\s+([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ .'-]*?)\s*(?:[?!.,]|\btoday\b|\btomorrow\b|\bnow\b|$)/i.exec(
      text,
    );
  return { city: match?.[1]?.trim() ?? 'here', text };
}

function noteSlots(text: string): Partial<Slots> {
  const titled =
    /\b(?:titled|called|named)\s+["“']?(.+?)["”']?\s*(?:(?::|\bsaying\b|\bthat says\b|\bwith (?:content|text)\b|\s-\s)\s*(.+))?$/i.exec(
      text,
    );
  let title = titled?.[1]?.trim();
  let content = titled?.[2]?.trim();
  if (!titled) {
    const body =
      /\bnote\b[^:]*:\s*(.+)$/i.exec(text)?.[1] ??
      /\b(?:about|saying|that says)\s+(.+)$/i.exec(text)?.[1] ??
      /\bnote\s+(?:that|to)\s+(.+)$/i.exec(text)?.[1] ??
      /\bremember\s+(?:that\s+|to\s+)?(.+)$/i.exec(text)?.[1];
    content = body?.trim();
  }
  content = content?.replace(/[.!?]+$/, '');
  title ??= content ? content.split(/\s+/).slice(0, 5).join(' ') : 'Untitled';
  return { title, content: content ?? title, text };
}

function idSlot(text: string): Partial<Slots> {
  const match = /(?:#|\bid\s*:?\s*|\bnumber\s+|\bnote\s+)(\d+)/i.exec(text) ?? /(\d+)/.exec(text);
  return match?.[1] ? { id: Number(match[1]) } : {};
}

function matchTool(tools: DemoTool[], pattern: RegExp): DemoTool | undefined {
  return (
    tools.find((tool) => pattern.test(tool.name.replace(/[_-]/g, ' '))) ??
    tools.find((tool) => pattern.test(tool.description))
  );
}

function matchHandoff(text: string, handoffs: DemoHandoff[]): DemoHandoff | undefined {
  if (handoffs.length === 0) return undefined;
  const lower = text.toLowerCase();
  return handoffs.find((handoff) => {
    const target = handoff.toolName
      .replace(/^transfer_to_/, '')
      .replace(/_/g, ' ')
      .toLowerCase();
    return target.length > 0 && lower.includes(target);
  });
}

/** A tool whose name's words all appear in the text ("get time" -> get_time). */
function toolNamedIn(text: string, tools: DemoTool[]): DemoTool | undefined {
  const lower = text.toLowerCase();
  return tools.find((tool) => {
    const words = tool.name
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[\s_-]+/)
      .filter((word) => word.length > 2);
    return words.length > 0 && words.every((word) => lower.includes(word));
  });
}

const OPERATOR_PARAMETER = /^(?:op|operator|operation)$/i;

const SLOT_PATTERNS: Array<[RegExp, (slots: Slots) => unknown]> = [
  [/^(?:expr|expression|formula|calculation|equation|query|input)$/i, (s) => s.expression],
  [/^(?:a|x|left|first|lhs|num1|number1|operand1|first_number|firstnumber)$/i, (s) => s.numbers?.[0]],
  [/^(?:b|y|right|second|rhs|num2|number2|operand2|second_number|secondnumber)$/i, (s) => s.numbers?.[1]],
  [OPERATOR_PARAMETER, (s) => s.operator],
  [/city|location|place|town|where/i, (s) => s.city],
  [/^(?:title|name|subject|heading)$/i, (s) => s.title],
  [/^(?:content|body|text|note|details|description|message)$/i, (s) => s.content ?? s.text],
  [/(?:^|_)id$|^noteid$|^index$|^number$/i, (s) => s.id],
];

const OPERATOR_NAMES: Record<string, string[]> = {
  '+': ['add', 'plus', 'addition', 'sum'],
  '-': ['subtract', 'minus', 'subtraction', 'difference'],
  '*': ['multiply', 'times', 'multiplication', 'product'],
  '/': ['divide', 'division', 'quotient'],
};

/** Builds arguments for a tool from its JSON schema and the slots found in the user's words. */
export function fillArguments(schema: JsonSchemaObject | undefined, slots: Slots): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema?.properties ?? {})) {
    const pattern = SLOT_PATTERNS.find(([regex]) => regex.test(name));
    const value = pattern ? pattern[1](slots) : undefined;
    const coerced = coerce(value, property);
    if (coerced !== undefined) args[name] = coerced;
    else if (schema?.required?.includes(name)) args[name] = emptyValue(property, slots);
  }
  return args;
}

function coerce(value: unknown, property: JsonSchemaProperty): unknown {
  if (value === undefined) return undefined;
  const types = Array.isArray(property.type) ? property.type : [property.type];
  if (property.enum && typeof value === 'string') {
    const names = OPERATOR_NAMES[value] ?? [];
    return property.enum.find((option) => option === value || names.includes(String(option).toLowerCase()));
  }
  if (types.includes('number') || types.includes('integer')) {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  if (types.includes('string')) return String(value);
  return value;
}

function emptyValue(property: JsonSchemaProperty, slots: Slots): unknown {
  const types = Array.isArray(property.type) ? property.type : [property.type];
  if (types.includes('null')) return null;
  if (property.enum) return property.enum[0];
  if (types.includes('number') || types.includes('integer')) return 0;
  if (types.includes('boolean')) return false;
  if (types.includes('array')) return [];
  if (types.includes('object')) return {};
  return slots.text;
}

function answerFromResults(situation: DemoSituation): string {
  const outputs = situation.toolResults
    .map((result) => result.output.trim())
    .filter((output) => output !== '');
  if (outputs.length === 0) return 'Done.';
  const [first] = situation.toolResults;
  if (
    situation.toolResults.length === 1 &&
    first &&
    /calc|math|arithmetic|evaluate|compute/i.test(first.name)
  ) {
    return `The answer is ${outputs[0]}.`;
  }
  return outputs.join('\n');
}

function computeDirectly(expression: string): string {
  const value = evaluateArithmetic(expression);
  return value === undefined ? `I could not compute "${expression}".` : `${expression} = ${value}`;
}

function fallbackAnswer(text: string, situation: DemoSituation): string {
  const abilities = situation.tools.map((tool) => tool.name);
  const can = abilities.length > 0 ? ` With this agent's tools I can use: ${abilities.join(', ')}.` : '';
  const greeting = /^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening))\b/i.test(text) ? 'Hello! ' : '';
  return (
    `${greeting}I am Sightline's offline demo model: I follow simple rules instead of understanding language, ` +
    `so I only do arithmetic, weather, notes and tools named in your message.${can} ` +
    'Set OPENAI_API_KEY (or another provider) for a real model.'
  );
}
