// Demo data with fixed ids, covering every message shape ferry must convert,
// for the local dev run and for quick manual checks (`seed: "demo"`).

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

export const DEMO_ASSISTANT_IDS = ["asst_demo_support", "asst_demo_legacy"] as const;

export const DEMO_THREAD_IDS = [
  "thread_demo_welcome",
  "thread_demo_files",
  "thread_demo_media",
  "thread_demo_long",
] as const;

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
}
