// Thread messages that are not completed (spec MessageObject: in_progress, incomplete with
// incomplete_details and incomplete_at) and messages deleted from a thread after a read.
import { beforeEach, describe, expect, it } from "vitest";
import { api, BETA, call, ctl } from "./http-client";

const newThread = async (spec: object) => (await ctl("POST", "/threads", spec)).id as string;
const list = (t: string, q = "order=asc") => api("GET", `/threads/${t}/messages?${q}`, undefined, BETA);

beforeEach(async () => {
  await ctl("POST", "/reset");
});

describe("message status", () => {
  it("seeds in_progress and incomplete messages; completed stays the default", async () => {
    const t = await newThread({
      messages: [
        { role: "user", content: "Tell me a long story." },
        { role: "assistant", content: "Once upon", status: "incomplete", incomplete_details: { reason: "run_expired" } },
        { role: "assistant", content: "Once", status: "incomplete" },
        { role: "assistant", content: "Writing…", status: "in_progress" },
        { role: "assistant", content: "The end." },
      ],
    });
    const [u, inc, incDefault, going, done] = (await list(t)).body.data;
    expect(u).toMatchObject({ status: "completed", incomplete_details: null, completed_at: null, incomplete_at: null });
    expect(inc).toMatchObject({ status: "incomplete", incomplete_details: { reason: "run_expired" }, completed_at: null, incomplete_at: inc.created_at });
    expect(incDefault.incomplete_details).toEqual({ reason: "max_tokens" });
    expect(going).toMatchObject({ status: "in_progress", incomplete_details: null, completed_at: null, incomplete_at: null });
    expect(done).toMatchObject({ status: "completed", completed_at: done.created_at, incomplete_at: null });
  });

  it.each([
    ["an unknown status", { role: "assistant", content: "x", status: "done" }, "messages[0].status"],
    ["incomplete_details on a completed message", { role: "assistant", content: "x", incomplete_details: { reason: "max_tokens" } }, "messages[0].incomplete_details"],
    ["an unknown reason", { role: "assistant", content: "x", status: "incomplete", incomplete_details: { reason: "tired" } }, "messages[0].incomplete_details.reason"],
  ])("rejects %s and creates no thread", async (_name, message, param) => {
    const res = await call("POST", "/__control/threads", { id: "thread_bad_status", messages: [message] });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe(param);
    expect((await api("GET", "/threads/thread_bad_status", undefined, BETA)).status).toBe(404);
  });
});

describe("deleting a message", () => {
  it("removes it from the list; an after cursor naming it is then an unknown cursor", async () => {
    const t = await newThread({ generate: 4 });
    const [m1, m2, m3, m4] = (await list(t)).body.data.map((m: any) => m.id);
    expect(await ctl("DELETE", `/threads/${t}/messages/${m2}`)).toEqual({ id: m2, deleted: true });
    expect((await list(t)).body.data.map((m: any) => m.id)).toEqual([m1, m3, m4]);
    const stale = await list(t, `order=asc&after=${m2}`);
    expect(stale.status).toBe(400);
    expect(stale.body.error).toMatchObject({ param: "after", message: `Invalid 'after': no message found with id '${m2}'.` });
    expect((await list(t, `order=asc&after=${m1}`)).body.data.map((m: any) => m.id)).toEqual([m3, m4]);
  });

  it("404s an unknown message or thread", async () => {
    const t = await newThread({ generate: 1 });
    const res = await call("DELETE", `/__control/threads/${t}/messages/msg_nope`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe("No message found with id 'msg_nope'.");
    expect((await call("DELETE", "/__control/threads/thread_nope/messages/msg_nope")).status).toBe(404);
  });
});
