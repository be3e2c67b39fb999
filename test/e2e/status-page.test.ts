// Contract §8, as an operator sees it: the status page and the API reference in Debian's Chromium
// against ferry under wrangler dev, with migrations seeded through the API. `npm run screenshots`
// runs this file with SCREENSHOTS set, and it saves the README's pictures under docs/.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { MigrationStatus, ThreadMigration } from "../../src/handlers/http/schemas";
import { DESKTOP, launch, open, PHONE, signIn } from "./support/browser";
import { ferryFetch, seedMigratedThreads, uniqueThreadId } from "./support/seed";

const number = new Intl.NumberFormat("en");
const SCREENSHOTS = process.env.SCREENSHOTS ? path.resolve(import.meta.dirname, "../../docs") : null;
/** What Chromium logs for any answer of that status: the page's own calls that are meant to be refused. */
const loadFailed = (status: number) => (p: string) => p.includes(`status of ${status}`);

let browser: Browser;
let plain: ThreadMigration[];
let warned: ThreadMigration[];

beforeAll(async () => {
  browser = await launch();
  plain = await seedMigratedThreads(6, { generate: 4 }, "page");
  // An assistant's image becomes text, with a warning the report counts.
  const image = { type: "image_url", image_url: { url: "https://example.com/chart.png" } };
  warned = await seedMigratedThreads(2, { messages: [{ role: "user", content: "Draw it" }, { role: "assistant", content: [image] }] }, "page_img");
  const pending = Array.from({ length: 3 }, () => uniqueThreadId("page_pending"));
  expect((await ferryFetch("/v1/threads/import", { method: "POST", json: { thread_ids: pending } })).status).toBe(200);
});

afterAll(() => browser?.close());

const status = async () => (await (await ferryFetch("/v1/status")).json()) as MigrationStatus;
const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

async function dashboard(viewport = DESKTOP) {
  const watched = await open(browser, "/", viewport);
  await signIn(watched.page);
  await watched.page.locator("#dashboard").waitFor({ state: "visible" });
  return watched;
}

it("asks for the token, then shows the counts, the shutdown and the hourly chart as /v1/status gives them", async () => {
  const { page, problems } = await open(browser, "/");
  await page.getByLabel("API_TOKEN").waitFor();
  expect(await page.locator("#dashboard").isHidden()).toBe(true);
  await signIn(page);

  const s = await status();
  const shown = ["threads.total", "threads.migrated", "threads.pending", "threads.failed", "remaining", "assistants.total", "files.total"];
  for (const key of shown) {
    const want = number.format(key.split(".").reduce((o: unknown, k) => (o as Record<string, unknown>)[k], s) as number);
    await expect.poll(() => text(page, `[data-count="${key}"]`), { message: key }).toBe(want);
  }
  expect(s.threads.migrated).toBeGreaterThanOrEqual(plain.length + warned.length);
  expect(await text(page, "#on-track")).toBe(s.on_track ? "on track" : "late");
  expect(await text(page, "#countdown")).toMatch(s.seconds_until_shutdown >= 0 ? /^\d+ d \d\d:\d\d:\d\d left$/ : /^shut down \d+ d \d\d:\d\d:\d\d ago$/);

  // One bar an hour, the last (this hour) holding what was just migrated.
  const hours = s.throughput.last_24h.by_hour;
  expect(await page.locator("#hourly rect").count()).toBe(hours.length);
  expect(Number(await page.locator("#hourly rect").last().getAttribute("height"))).toBeGreaterThan(0);
  expect(await text(page, "#hourly-total")).toContain(`${number.format(s.throughput.last_24h.threads_migrated)} threads`);
  // The threads bar: a rect a status, together the whole width.
  const widths = await page.locator("#threads-bar rect").evaluateAll((rects) => rects.map((r) => Number(r.getAttribute("width"))));
  expect(widths.reduce((a, b) => a + b, 0)).toBeCloseTo(1000);

  expect(problems).toEqual([]);
});

it("shows the report's warnings with example threads that open their lookup", async () => {
  const { page, problems } = await dashboard();
  const warning = page.locator("#report-warnings li", { hasText: "assistant_image_replaced" });
  await warning.waitFor();
  const example = warning.getByRole("link").first();
  const threadId = await example.innerText();
  expect(warned.map((t) => t.thread_id)).toContain(threadId);
  await example.click();
  const conversation = warned.find((t) => t.thread_id === threadId)!.conversation_id!;
  await expect.poll(() => text(page, '#lookup-result [data-field="conversation"]')).toBe(conversation);
  expect(await text(page, '#lookup-result [data-field="warnings"]')).toBe("assistant_image_replaced");
  expect(problems).toEqual([]);
});

it("looks a thread up from the box and shows its conversation id", async () => {
  const { page, problems } = await dashboard();
  const [thread] = plain;
  await page.getByLabel("thread id").fill(thread!.thread_id);
  await page.getByRole("button", { name: "Look up" }).click();
  await expect.poll(() => text(page, '#lookup-result [data-field="conversation"]')).toBe(thread!.conversation_id);
  expect(await text(page, '#lookup-result [data-field="status"]')).toBe("migrated");
  expect(await text(page, '#lookup-result [data-field="messages"]')).toBe("4");

  // A thread ferry never saw says so (the 404 it answers is the lookup's, not a fault of the page).
  await page.getByLabel("thread id").fill(uniqueThreadId("never"));
  await page.getByRole("button", { name: "Look up" }).click();
  await expect.poll(() => text(page, "#lookup-result")).toMatch(/^ferry has never seen thread_never_/);
  expect(problems.filter((p) => !loadFailed(404)(p))).toEqual([]);
});

it("pauses the backfill with its button, and resumes it", async () => {
  const { page, problems } = await dashboard();
  await expect.poll(() => text(page, "#backfill-state")).toBe("Running");
  expect(await page.getByRole("button", { name: "Resume backfill" }).isDisabled()).toBe(true);

  await page.getByRole("button", { name: "Pause backfill" }).click();
  await expect.poll(() => text(page, "#backfill-state")).toBe("Paused");
  const paused = await status();
  expect([paused.paused, typeof paused.paused_since]).toEqual([true, "string"]);
  expect(await text(page, "#backfill-detail")).toMatch(/^paused since /);
  expect(await page.getByRole("button", { name: "Pause backfill" }).isDisabled()).toBe(true);

  await page.getByRole("button", { name: "Resume backfill" }).click();
  await expect.poll(() => text(page, "#backfill-state")).toBe("Running");
  expect((await status()).paused).toBe(false);
  expect(problems).toEqual([]);
});

it("refuses a wrong token with a clear message and asks again; the right one then opens the page", async () => {
  const { page, problems } = await open(browser, "/");
  await signIn(page, "not-the-token");
  await expect.poll(() => text(page, "#token-error")).toMatch(/refused that token \(401\)/);
  expect(await page.getByLabel("API_TOKEN").inputValue()).toBe("");
  expect(await page.locator("#dashboard").isHidden()).toBe(true);
  expect(await page.evaluate("sessionStorage.length")).toBe(0);

  await signIn(page);
  await page.locator("#dashboard").waitFor({ state: "visible" });
  expect(await page.locator("#token-error").isHidden()).toBe(true);
  expect(problems.filter((p) => !loadFailed(401)(p))).toEqual([]);
});

it("keeps the token in the tab alone: a reload stays signed in, a new tab asks, Forget token asks again", async () => {
  const { page, problems } = await dashboard();
  await page.reload();
  await page.locator("#dashboard").waitFor({ state: "visible" });
  expect(await page.evaluate("[localStorage.length, document.cookie]")).toEqual([0, ""]);

  const other = await open(browser, "/");
  await other.page.getByLabel("API_TOKEN").waitFor();

  await page.getByRole("button", { name: "Forget token" }).click();
  await page.getByLabel("API_TOKEN").waitFor();
  expect(await page.evaluate("sessionStorage.length")).toBe(0);
  expect([...problems, ...other.problems]).toEqual([]);
});

it("is readable on a phone (nothing wider than 375 px) and at 1440 px", async () => {
  for (const [name, viewport] of [
    ["phone", PHONE],
    ["desktop", DESKTOP],
  ] as const) {
    const { page, problems } = await dashboard(viewport);
    await page.locator("#report-warnings li", { hasText: "assistant_image_replaced" }).waitFor();
    expect(await page.evaluate<number>("document.documentElement.scrollWidth"), name).toBeLessThanOrEqual(viewport.width);
    if (SCREENSHOTS) {
      await page.getByLabel("thread id").fill(warned[0]!.thread_id);
      await page.getByRole("button", { name: "Look up" }).click();
      await page.locator('#lookup-result [data-field="conversation"]').waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, `status-page-${name}.png`), fullPage: true });
    }
    expect(problems, name).toEqual([]);
  }
});

it("/docs lists every operation of /openapi.json, from ferry's own copy of Swagger UI", async () => {
  const doc = (await (await ferryFetch("/openapi.json", { token: null })).json()) as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));

  const { page, problems } = await open(browser, "/docs");
  await page.locator(".opblock").first().waitFor();
  const listed = await page
    .locator(".opblock")
    .evaluateAll((blocks) => blocks.map((b) => `${b.querySelector(".opblock-summary-method")?.textContent} ${b.querySelector(".opblock-summary-path")?.getAttribute("data-path")}`));
  expect(listed.sort()).toEqual(documented.sort());
  if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, "api-reference.png") });

  // An operation opens with its responses, errors included.
  await page.locator(".opblock-summary-path[data-path='/v1/status']").click();
  await page.locator(".opblock.is-open .responses-table").waitFor();
  expect(await page.locator(".opblock.is-open .response-col_status").allInnerTexts()).toEqual(expect.arrayContaining(["200", "401"]));
  expect(problems).toEqual([]);
});
