// Debian's Chromium, driven by playwright-core (never a browser download): a page on ferry that
// records every console error, uncaught exception and CSP violation, for a test to assert none.
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { inject } from "vitest";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// No network but loopback here: background services would only fill the log with refused connections.
const ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

export function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 375, height: 812 };

export interface WatchedPage {
  page: Page;
  /** Console errors, page errors and CSP violations, in order. */
  problems: string[];
}

/** A fresh context (its own session storage) at `viewport`, opened on `path` of ferry. */
export async function open(browser: Browser, path: string, viewport = DESKTOP): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && problems.push(`console: ${m.text()}`)));
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  // CSP violations reach the console too, but the event names the directive and what it blocked.
  await page.exposeFunction("__cspViolation", (v: string) => problems.push(`csp: ${v}`));
  await page.addInitScript(
    'document.addEventListener("securitypolicyviolation", (e) => window.__cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || e.sample}`))',
  );
  await page.goto(`${inject("ferryUrl")}${path}`);
  return { page, problems };
}

/** Enters the API token in the page's form, as an operator does. */
export async function signIn(page: Page, token = inject("ferryToken")): Promise<void> {
  await page.getByLabel("API_TOKEN").fill(token);
  await page.getByRole("button", { name: "Open" }).click();
}
