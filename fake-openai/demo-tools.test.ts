// The demo thread with tool history (`thread_demo_tools`): what `seed: "demo"` gives the dev run
// and the bench to migrate, read back through the /v1 routes ferry uses.
import { beforeEach, describe, expect, it } from "vitest";
import { api, BETA, ctl } from "./http-client";
import { DEMO_THREAD_IDS } from "./seed";

const T = "thread_demo_tools";
const get = async (path: string) => {
  const res = await api("GET", path, undefined, BETA);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const callsOf = (steps: any[]) => steps.filter((s) => s.type === "tool_calls").flatMap((s) => s.step_details.tool_calls);

beforeEach(async () => {
  await ctl("POST", "/reset", { seed: "demo" });
});

describe("demo tool history", () => {
  it("is a demo thread whose assistant messages each come from a run, the last one incomplete", async () => {
    expect(DEMO_THREAD_IDS).toContain(T);
    const messages = (await get(`/threads/${T}/messages?order=asc`)).data;
    expect(messages.map((m: any) => [m.role, m.run_id, m.status])).toEqual([
      ["user", null, "completed"],
      ["assistant", "run_demo_weather", "completed"],
      ["user", null, "completed"],
      ["assistant", "run_demo_chart", "completed"],
      ["user", null, "completed"],
      ["assistant", "run_demo_search", "completed"],
      ["user", null, "completed"],
      ["assistant", "run_demo_booking", "completed"],
      ["user", null, "completed"],
      ["assistant", "run_demo_history", "incomplete"],
    ]);
    expect(messages.filter((m: any) => m.role === "assistant").every((m: any) => m.assistant_id === "asst_demo_tools")).toBe(true);
    expect((await get("/assistants/asst_demo_tools")).tools.map((t: any) => t.type)).toEqual(["function", "function", "code_interpreter", "file_search"]);
  });

  it("has runs for every tool type and an expired one whose call never got an output", async () => {
    const runs = (await get(`/threads/${T}/runs?order=asc`)).data;
    expect(runs.map((r: any) => [r.id, r.status])).toEqual([
      ["run_demo_weather", "completed"],
      ["run_demo_chart", "completed"],
      ["run_demo_search", "completed"],
      ["run_demo_booking", "expired"],
      ["run_demo_history", "incomplete"],
    ]);
    const steps = async (run: string) => (await get(`/threads/${T}/runs/${run}/steps?order=asc&include[]=step_details.tool_calls[*].file_search.results[*].content`)).data;
    const weather = callsOf(await steps("run_demo_weather"));
    expect(weather.map((c: any) => [c.id, c.function.output !== null])).toEqual([
      ["call_demo_paris", true],
      ["call_demo_lisbon", true],
    ]);
    expect(callsOf(await steps("run_demo_chart"))[0].code_interpreter.outputs.map((o: any) => o.type)).toEqual(["logs", "image"]);
    expect(callsOf(await steps("run_demo_search"))[0].file_search.results[0]).toMatchObject({ file_name: "handbook.pdf", content: [{ type: "text" }] });
    const booking = await steps("run_demo_booking");
    expect(booking.map((s: any) => [s.type, s.status])).toEqual([
      ["message_creation", "completed"],
      ["tool_calls", "expired"],
    ]);
    expect(callsOf(booking)[0].function).toMatchObject({ name: "book_table", output: null });
  });
});
