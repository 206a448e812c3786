/**
 * What the demo week is made of: customers on plans, models, tools (with their failure rates and
 * typical errors), conversation scenarios and feedback comments. Used by demo-data.ts.
 */

export type Rand = () => number;

export const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
export const between = (r: Rand, min: number, max: number) => min + Math.floor(r() * (max - min));
const orderId = (r: Rand) => `ORD-${10_000 + Math.floor(r() * 89_999)}`;

export interface ToolSpec {
  name: string;
  failRate: number;
  errors: Array<{ type: string; message: string }>;
  minMs: number;
  maxMs: number;
  input: (r: Rand) => Record<string, unknown>;
  output: (r: Rand) => Record<string, unknown>;
}
export const CUSTOMERS = [
  { id: 'acme-corp', plan: 'enterprise', weight: 14 },
  { id: 'globex', plan: 'enterprise', weight: 10 },
  { id: 'initech', plan: 'pro', weight: 8 },
  { id: 'umbrella-health', plan: 'enterprise', weight: 7 },
  { id: 'hooli', plan: 'pro', weight: 6 },
  { id: 'pied-piper', plan: 'pro', weight: 5 },
  { id: 'stark-industries', plan: 'enterprise', weight: 5 },
  { id: 'wonka-foods', plan: 'pro', weight: 4 },
  { id: 'vandelay-imports', plan: 'free', weight: 3 },
  { id: 'tyrell-labs', plan: 'free', weight: 2 },
  { id: 'oscorp', plan: 'free', weight: 2 },
  { id: 'soylent-co', plan: 'free', weight: 1 },
] as const;

export const MODELS = [
  { model: 'gpt-4o-mini', provider: 'openai', weight: 6, msPerToken: 9 },
  { model: 'gpt-4o', provider: 'openai', weight: 3, msPerToken: 16 },
  { model: 'claude-sonnet-4-5', provider: 'anthropic', weight: 2, msPerToken: 14 },
] as const;

export const TOOLS: Record<string, ToolSpec> = {
  lookup_order: {
    name: 'lookup_order',
    failRate: 0.07,
    errors: [{ type: 'TimeoutError', message: 'orders-api did not answer within 5000 ms' }],
    minMs: 80,
    maxMs: 900,
    input: (r) => ({ orderId: orderId(r) }),
    output: (r) => ({
      status: pick(r, ['shipped', 'processing', 'delivered']),
      carrier: pick(r, ['UPS', 'DHL', 'FedEx']),
      eta: new Date(Date.now() + between(r, 1, 5) * 86_400_000).toISOString().slice(0, 10),
      items: [{ sku: `SKU-${between(r, 100, 999)}`, quantity: between(r, 1, 4) }],
    }),
  },
  refund_order: {
    name: 'refund_order',
    failRate: 0.12,
    errors: [
      { type: 'PolicyError', message: 'refund exceeds the 30-day policy window' },
      { type: 'HttpError', message: 'payments-api answered 502 Bad Gateway' },
    ],
    minMs: 200,
    maxMs: 1800,
    input: (r) => ({ orderId: orderId(r), reason: pick(r, ['damaged', 'late', 'wrong item']) }),
    output: (r) => ({ refundId: `RF-${between(r, 1000, 9999)}`, amountUsd: between(r, 12, 240) }),
  },
  search_docs: {
    name: 'search_docs',
    failRate: 0.02,
    errors: [{ type: 'SearchError', message: 'vector index is rebuilding' }],
    minMs: 40,
    maxMs: 400,
    input: (r) => ({
      query: pick(r, ['rotate api key', 'sso setup', 'export data', 'webhook retries']),
      topK: 4,
    }),
    output: (r) => ({
      hits: Array.from({ length: 3 }, (_, i) => ({
        doc: `docs/${pick(r, ['security', 'admin', 'api', 'billing'])}/${i + 1}.md`,
        score: Number((0.9 - i * 0.1 - r() * 0.05).toFixed(3)),
      })),
    }),
  },
  get_invoices: {
    name: 'get_invoices',
    failRate: 0.03,
    errors: [{ type: 'HttpError', message: 'billing-api answered 503 Service Unavailable' }],
    minMs: 120,
    maxMs: 700,
    input: () => ({ months: 2 }),
    output: (r) => ({
      invoices: [{ id: `INV-${between(r, 100, 999)}`, amountUsd: between(r, 49, 990), status: 'paid' }],
    }),
  },
  get_weather: {
    name: 'get_weather',
    failRate: 0.01,
    errors: [{ type: 'HttpError', message: 'weather provider rate limit (429)' }],
    minMs: 60,
    maxMs: 350,
    input: (r) => ({ city: pick(r, ['Lisbon', 'Berlin', 'Austin', 'Osaka']) }),
    output: (r) => ({ tempC: between(r, 4, 31), conditions: pick(r, ['sunny', 'cloudy', 'light rain']) }),
  },
  create_ticket: {
    name: 'create_ticket',
    failRate: 0.02,
    errors: [{ type: 'HttpError', message: 'helpdesk answered 500' }],
    minMs: 150,
    maxMs: 600,
    input: (r) => ({ priority: pick(r, ['normal', 'high']), queue: 'tier-2' }),
    output: (r) => ({ ticketId: `T-${between(r, 10_000, 99_999)}` }),
  },
};

export const SCENARIOS = [
  {
    name: 'Order status',
    weight: 8,
    tools: ['lookup_order'],
    asks: ['Where is my order?', 'Has my order shipped yet?', 'My package is late, can you check it?'],
    answer:
      'Your order has shipped and should arrive within a few days. I sent the tracking link to your email.',
  },
  {
    name: 'Refund request',
    weight: 4,
    tools: ['lookup_order', 'refund_order'],
    asks: [
      'The blender arrived broken, I want a refund.',
      'Can I get my money back for the wrong item you sent?',
    ],
    answer: 'I have issued a refund to your original payment method; it takes 3–5 business days to appear.',
  },
  {
    name: 'How-to question',
    weight: 7,
    tools: ['search_docs'],
    asks: [
      'How do I rotate my API key?',
      'How do I set up SSO with Okta?',
      'Can I export all my data as CSV?',
    ],
    answer:
      'Here are the steps from our documentation: open Settings → Security, then follow the prompts. Let me know if anything is unclear.',
  },
  {
    name: 'Billing question',
    weight: 4,
    tools: ['get_invoices'],
    asks: ['Why was I charged twice this month?', 'Can you send me last month’s invoice?'],
    answer:
      'I checked your invoices: the second charge is the annual add-on you enabled on the 3rd. The invoice is attached to your account.',
  },
  {
    name: 'Travel weather',
    weight: 2,
    tools: ['get_weather'],
    asks: ['What is the weather in Lisbon tomorrow?', 'Should I pack an umbrella for Berlin?'],
    answer: 'Expect mild weather with a chance of light rain in the afternoon.',
  },
  {
    name: 'Escalation',
    weight: 2,
    tools: ['create_ticket'],
    asks: ['I need to talk to a human, this is urgent.', 'This is the third time I ask, please escalate.'],
    answer: 'I have opened a priority ticket; a specialist will contact you within the hour.',
  },
  {
    name: 'Small talk',
    weight: 2,
    tools: [],
    asks: ['Hi! What can you help me with?', 'Thanks, that is all for today.'],
    answer: 'Happy to help! I can check orders, refunds, invoices and answer product questions.',
  },
] as const;

export const COMMENTS = {
  positive: ['Quick and helpful, thanks!', 'Solved my problem.', null, null],
  neutral: ['Okay, but I had to ask twice.', null],
  negative: [
    'The bot could not find my order.',
    'Refund failed, very frustrating.',
    'Not what I asked.',
    null,
  ],
} as const;
