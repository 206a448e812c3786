/**
 * One history item of every kind the SDK's protocol defines, including the awkward ones (unicode,
 * control characters, nested provider data), for session round-trip tests.
 */
import type { AgentInputItem } from '@openai/agents-core';

/** Every item kind of `AgentInputItem`, each valid under the SDK's `protocol.ModelItem`. */
export function sessionItemsOfEveryKind(): AgentInputItem[] {
  return [
    { type: 'message', role: 'system', content: 'You are a notes assistant.' },
    { role: 'user', content: 'plain user text, no type field' },
    {
      type: 'message',
      role: 'user',
      content: [
        {
          type: 'input_text',
          text: 'Unicode ✓ — 日本語 — emoji 🎉 — quote " backslash \\ — NUL \u0000 — tab\t',
        },
        { type: 'input_image', image: 'https://example.com/cat.png', detail: 'low' },
        { type: 'input_file', file: { id: 'file_123' } },
      ],
      providerData: { nested: { deeply: [1, 2, { three: true }] } },
    },
    {
      type: 'message',
      role: 'assistant',
      id: 'msg_1',
      status: 'completed',
      content: [
        { type: 'output_text', text: 'Here you go.' },
        { type: 'refusal', refusal: 'I will not do that part.' },
      ],
    },
    {
      type: 'reasoning',
      id: 'rs_1',
      content: [{ type: 'input_text', text: 'The user wants a note.' }],
      rawContent: [{ type: 'reasoning_text', text: 'step 1, step 2' }],
      providerData: { encryptedContent: 'gAAAA...' },
    },
    {
      type: 'function_call',
      callId: 'call_1',
      name: 'create_note',
      arguments: '{"title":"Groceries","content":"milk"}',
      status: 'completed',
    },
    {
      type: 'function_call_result',
      callId: 'call_1',
      name: 'create_note',
      status: 'completed',
      output: { type: 'text', text: "Created note 'Groceries' with ID 1" },
    },
    {
      type: 'function_call',
      callId: 'call_handoff',
      name: 'transfer_to_notes_agent',
      arguments: '{}',
      status: 'completed',
    },
    {
      type: 'function_call_result',
      callId: 'call_handoff',
      name: 'transfer_to_notes_agent',
      status: 'completed',
      output: { type: 'text', text: '{"assistant":"NotesAgent"}' },
    },
    {
      type: 'hosted_tool_call',
      id: 'mcpr_1',
      name: 'mcp_approval_request',
      arguments: '{"note_id":1}',
      status: 'in_progress',
      providerData: { type: 'mcp_approval_request', server_label: 'notes', name: 'delete_note' },
    },
    { type: 'hosted_tool_call', name: 'web_search_call', status: 'completed', output: 'results' },
    { type: 'computer_call', callId: 'cc_1', status: 'completed', action: { type: 'screenshot' } },
    {
      type: 'computer_call_result',
      callId: 'cc_1',
      output: { type: 'computer_screenshot', data: 'data:image/png;base64,iVBORw0KGgo=' },
    },
    {
      type: 'shell_call',
      callId: 'sh_1',
      status: 'completed',
      action: { commands: ['ls -la'], timeoutMs: 1000 },
    },
    {
      type: 'shell_call_output',
      callId: 'sh_1',
      output: [{ stdout: 'file.txt\n', stderr: '', outcome: { type: 'exit', exitCode: 0 } }],
    },
    {
      type: 'apply_patch_call',
      callId: 'ap_1',
      status: 'completed',
      operation: { type: 'create_file', path: 'notes.md', diff: '+hello' },
    },
    { type: 'apply_patch_call_output', callId: 'ap_1', status: 'completed', output: 'applied' },
    { type: 'compaction', encrypted_content: 'opaque-compaction-blob', id: 'cmp_1' },
    { type: 'unknown', id: 'unk_1', providerData: { anything: 'goes' } },
  ] as AgentInputItem[];
}

/** A plain user message (`n` makes it unique), for volume and ordering tests. */
export function userMessage(text: string): AgentInputItem {
  return { type: 'message', role: 'user', content: text };
}

/** A plain assistant message, for volume and ordering tests. */
export function assistantMessage(text: string): AgentInputItem {
  return {
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text }],
  };
}
