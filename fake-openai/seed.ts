// Demo data with fixed ids, covering every message shape ferry must convert and the tool history
// runs leave behind (contract §3, §3.1), for the local dev run and quick manual checks (`seed: "demo"`).

import type { FakeState } from "./state";
import type { Obj } from "./schema";

/** A text part whose annotation indexes point at `marker` inside `value`, as the API computes them. */
function annotatedText(value: string, marker: string, annotation: Obj): Obj {
  const start_index = value.indexOf(marker);
  return {
    type: "text",
    text: { value, annotations: [{ ...annotation, text: marker, start_index, end_index: start_index + marker.length }] },
  };
}

export const DEMO_ASSISTANT_IDS = ["asst_demo_support", "asst_demo_legacy", "asst_demo_tools"] as const;

export const DEMO_THREAD_IDS = [
  "thread_demo_welcome",
  "thread_demo_files",
  "thread_demo_media",
  "thread_demo_long",
  "thread_demo_tools",
] as const;

/**
 * Files `file-demo-*`; threads `thread_demo_welcome` (plain text, metadata), `thread_demo_files`
 * (citation, file path, attachments, tool_resources), `thread_demo_media` (images both ways, a
 * refusal, an empty message), `thread_demo_long` (45 messages), `thread_demo_tools` (runs: parallel
 * function calls, code interpreter, file search, an expired requires_action run whose call has no
 * output, an incomplete message); store `vs_demo_handbook`; assistants `asst_demo_support`,
 * `asst_demo_legacy` (v1 leftovers, store gone) and `asst_demo_tools` (function tools).
 */
export function seedDemo(state: FakeState): void {
  state.createFile({ id: "file-demo-handbook", filename: "handbook.pdf", bytes: 482_113 });
  state.createFile({ id: "file-demo-sales", filename: "sales.csv", bytes: 20_480 });
  state.createFile({ id: "file-demo-chart", filename: "sales_chart.png", bytes: 61_204, purpose: "assistants_output" });
  state.createFile({ id: "file-demo-photo", filename: "receipt.jpg", bytes: 240_117, purpose: "vision" });
  state.createFile({ id: "file-demo-plot", filename: "plot.png", bytes: 58_002, purpose: "assistants_output" });

  // Plain text both ways, and thread metadata that must become conversation metadata.
  state.createThread({
    id: "thread_demo_welcome",
    metadata: { customer: "acme", plan: "pro" },
    messages: [
      { role: "user", content: "Hi! Can you help me plan a weekend in Lisbon?" },
      { role: "assistant", content: "Of course. Do you prefer museums, food or the seaside?" },
      { role: "user", content: "Food, mostly." },
      { role: "assistant", content: "Then start at Time Out Market and book a table in Alfama for the evening." },
    ],
  });

  // Annotations (a citation whose filename must be resolved via GET /files/{id},
  // a generated file), attachments for both tools, and thread tool_resources.
  const cite = "【4:0†handbook.pdf】";
  const path = "sandbox:/mnt/data/sales_chart.png";
  state.createThread({
    id: "thread_demo_files",
    metadata: { source: "support-bot" },
    tool_resources: {
      file_search: { vector_store_ids: ["vs_demo_handbook"] },
      code_interpreter: { file_ids: ["file-demo-sales"] },
    },
    messages: [
      {
        role: "user",
        content: "What is the refund policy? And please chart the attached sales data.",
        attachments: [
          { file_id: "file-demo-handbook", tools: [{ type: "file_search" }] },
          { file_id: "file-demo-sales", tools: [{ type: "code_interpreter" }] },
        ],
      },
      {
        role: "assistant",
        content: [
          annotatedText(`Refunds are accepted within 30 days of purchase${cite}.`, cite, {
            type: "file_citation",
            file_citation: { file_id: "file-demo-handbook" },
          }),
        ],
      },
      {
        role: "assistant",
        content: [
          annotatedText(`Here is the chart: [sales_chart.png](${path})`, path, {
            type: "file_path",
            file_path: { file_id: "file-demo-chart" },
          }),
        ],
      },
    ],
  });

  // Images on both sides (assistant images have no Conversations form), a refusal,
  // and a message with no content parts at all.
  state.createThread({
    id: "thread_demo_media",
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: { value: "What is in this picture?", annotations: [] } },
          { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "high" } },
        ],
      },
      { role: "assistant", content: "A cat sleeping on a keyboard." },
      {
        role: "user",
        content: [
          { type: "image_file", image_file: { file_id: "file-demo-photo", detail: "low" } },
          { type: "text", text: { value: "Total of this receipt?", annotations: [] } },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "text", text: { value: "The total is 42.50 EUR. I plotted the items:", annotations: [] } },
          { type: "image_file", image_file: { file_id: "file-demo-plot" } },
        ],
      },
      { role: "user", content: "Now tell me the cardholder's full card number." },
      { role: "assistant", content: [{ type: "refusal", refusal: "I can't help with that." }] },
      { role: "assistant", content: [] },
    ],
  });

  // More than two pages at the default limit of 20.
  state.createThread({ id: "thread_demo_long", metadata: { size: "45" }, generate: 45 });

  // Assistants for the files backfill (contract §5): one v2 assistant whose
  // vector store still exists, and one migrated v1 assistant whose auto-created
  // store is gone, so its files are only found via the legacy `file_ids` and
  // the v1 files list.
  state.seedVectorStore({ id: "vs_demo_handbook", name: "Support handbook", file_ids: ["file-demo-handbook"] });
  state.createAssistant({
    id: "asst_demo_support",
    name: "Support bot",
    model: "gpt-4o",
    instructions: "Answer from the handbook; use code for numbers.",
    tools: [{ type: "file_search" }, { type: "code_interpreter" }],
    tool_resources: {
      file_search: { vector_store_ids: ["vs_demo_handbook"] },
      code_interpreter: { file_ids: ["file-demo-sales"] },
    },
    temperature: 0.2,
    metadata: { team: "support" },
  });
  state.createAssistant({
    id: "asst_demo_legacy",
    name: "Legacy analyst",
    model: "gpt-4-turbo",
    instructions: "You analyse uploaded reports.",
    tools: [{ type: "retrieval" }, { type: "code_interpreter" }],
    tool_resources: { file_search: { vector_store_ids: ["vs_demo_deleted"] } },
    file_ids: ["file-demo-handbook", "file-demo-sales"],
    v1_file_ids: ["file-demo-handbook", "file-demo-sales"],
  });

  seedToolHistory(state, cite);
}

const weather = (id: string, city: string, output: string) => ({
  type: "function",
  id,
  function: { name: "get_weather", arguments: JSON.stringify({ city }), output },
});

/** A thread whose history lives in run steps: every tool type, and runs that ended badly. */
function seedToolHistory(state: FakeState, cite: string): void {
  const thread = "thread_demo_tools";
  const assistant_id = "asst_demo_tools";
  const fn = (name: string, description: string, properties: Obj) => ({
    type: "function",
    function: { name, description, parameters: { type: "object", properties, required: Object.keys(properties) } },
  });
  state.createAssistant({
    id: assistant_id,
    name: "Travel helper",
    model: "gpt-4o",
    instructions: "Plan trips: check the weather, crunch numbers, quote the handbook, book tables.",
    tools: [
      fn("get_weather", "Current weather for a city", { city: { type: "string" } }),
      fn("book_table", "Book a restaurant table", { people: { type: "integer" }, time: { type: "string" } }),
      { type: "code_interpreter" },
      { type: "file_search" },
    ],
    tool_resources: { file_search: { vector_store_ids: ["vs_demo_handbook"] }, code_interpreter: { file_ids: ["file-demo-sales"] } },
  });
  const ask = (content: string) => state.appendMessages(thread, { messages: [{ role: "user", content }] });
  state.createThread({ id: thread, metadata: { source: "tools-demo" } });

  // Parallel function calls in one step, both answered.
  ask("What's the weather in Paris and Lisbon?");
  state.createRun(thread, {
    id: "run_demo_weather",
    assistant_id,
    status: "completed",
    steps: [
      { type: "tool_calls", tool_calls: [weather("call_demo_paris", "Paris", '{"temp_c":18,"sky":"cloudy"}'), weather("call_demo_lisbon", "Lisbon", '{"temp_c":24,"sky":"sunny"}')] },
      { type: "message_creation", message: { content: "Paris is 18°C and cloudy; Lisbon is 24°C and sunny." } },
    ],
  });

  ask("Total last month's sales and chart them.");
  state.createRun(thread, {
    id: "run_demo_chart",
    assistant_id,
    status: "completed",
    steps: [
      {
        type: "tool_calls",
        tool_calls: [
          {
            type: "code_interpreter",
            id: "call_demo_code",
            code_interpreter: {
              input: "import pandas as pd\ndf = pd.read_csv('/mnt/data/sales.csv')\nprint(df.amount.sum())\ndf.plot(x='day', y='amount')",
              outputs: [{ type: "logs", logs: "12480\n" }, { type: "image", image: { file_id: "file-demo-plot" } }],
            },
          },
        ],
      },
      { type: "message_creation", message: { content: "Sales totalled 12,480 EUR last month." } },
    ],
  });

  ask("What is the refund policy?");
  const hit = { file_id: "file-demo-handbook", file_name: "handbook.pdf", score: 0.87, content: [{ type: "text", text: "Refunds are accepted within 30 days of purchase." }] };
  state.createRun(thread, {
    id: "run_demo_search",
    assistant_id,
    status: "completed",
    steps: [
      { type: "tool_calls", tool_calls: [{ type: "file_search", id: "call_demo_search", file_search: { ranking_options: { ranker: "default_2024_08_21", score_threshold: 0 }, results: [hit] } }] },
      {
        type: "message_creation",
        message: {
          content: [annotatedText(`Refunds are accepted within 30 days${cite}.`, cite, { type: "file_citation", file_citation: { file_id: "file-demo-handbook" } })],
        },
      },
    ],
  });

  // The app never submitted the booking's output: the run expired waiting for it.
  ask("Book a table for two at 8pm.");
  state.createRun(thread, {
    id: "run_demo_booking",
    assistant_id,
    status: "expired",
    steps: [
      { type: "message_creation", message: { content: "Let me check availability for two at 8pm." } },
      { type: "tool_calls", tool_calls: [{ type: "function", id: "call_demo_booking", function: { name: "book_table", arguments: '{"people":2,"time":"20:00"}', output: null } }] },
    ],
  });

  ask("Tell me the whole history of Lisbon.");
  state.createRun(thread, {
    id: "run_demo_history",
    assistant_id,
    status: "incomplete",
    incomplete_details: { reason: "max_completion_tokens" },
    steps: [
      {
        type: "message_creation",
        message: { content: "Lisbon is one of the oldest cities in Western Europe, older than Rome; it", status: "incomplete", incomplete_details: { reason: "max_tokens" } },
      },
    ],
  });
}
