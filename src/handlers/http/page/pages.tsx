// The operator's pages (contract §8): HTML shells rendered here, filled by their scripts from the
// bearer-authenticated /v1 API in the browser. The shells hold no data and no secret, so they need
// no token themselves.
import type { Child } from "hono/jsx";

/** Scripts are classic and deferred, so they run in order once the shell is parsed. */
const Layout = (props: { title: string; styles: string[]; scripts: string[]; children: Child }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{props.title}</title>
      <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
      {props.styles.map((href) => (
        <link rel="stylesheet" href={href} />
      ))}
      {props.scripts.map((src) => (
        <script src={src} defer />
      ))}
    </head>
    <body>{props.children}</body>
  </html>
);

/** One count of a group (threads.migrated, files.failed …), filled by status.js under that key. */
const Count = (props: { of: string; label: string }) => (
  <div class={`count s-${props.of.split(".")[1]}`}>
    <dt>{props.label}</dt>
    <dd data-count={props.of}>–</dd>
  </div>
);

const THREAD_STATES = [
  ["migrated", "migrated"],
  ["migrating", "migrating"],
  ["pending", "pending"],
  ["failed", "failed"],
  ["source_unavailable", "source gone"],
] as const;

export const StatusPage = () => (
  <Layout title="ferry · status" styles={["/assets/status.css"]} scripts={["/assets/status.js"]}>
    <header class="top">
      <h1>ferry</h1>
      <nav>
        <a href="/docs">API reference</a>
        <button type="button" id="sign-out" class="link" hidden>
          Forget token
        </button>
      </nav>
    </header>
    <noscript>
      <p class="notice">This page reads ferry's API from the browser and needs JavaScript.</p>
    </noscript>
    <p id="notice" class="notice" role="status" hidden />

    <form id="token-form" class="card token" hidden>
      <h2>API token</h2>
      <p>The page asks ferry's API for everything it shows. The token stays in this tab only (session storage).</p>
      <label for="token">API_TOKEN</label>
      <div class="row">
        <input id="token" name="token" type="password" autocomplete="current-password" required />
        <button type="submit">Open</button>
      </div>
      <p id="token-error" class="error" role="alert" hidden />
    </form>

    <main id="dashboard" hidden>
      <section class="card wide" aria-labelledby="threads-h">
        <h2 id="threads-h">
          Threads <span class="muted" data-count="threads.total" />
        </h2>
        <svg id="threads-bar" class="bar" viewBox="0 0 1000 24" preserveAspectRatio="none" role="img" aria-label="threads by status" />
        <dl class="counts">
          {THREAD_STATES.map(([status, label]) => (
            <Count of={`threads.${status}`} label={label} />
          ))}
        </dl>
        <p class="muted small">
          <span data-count="dead_lettered">–</span> dead-lettered messages, <span data-count="malformed_messages">–</span> malformed
        </p>
      </section>

      <section class="card" aria-labelledby="shutdown-h">
        <h2 id="shutdown-h">Shutdown</h2>
        <p class="big" id="countdown">–</p>
        <p class="muted small">
          source API shuts down <time id="shutdown-at">–</time>
        </p>
        <p>
          projected finish <time id="finish-at">–</time> <span id="on-track" class="badge" />
        </p>
        <p class="muted small">
          <span data-count="remaining">–</span> threads left at <span id="pace">–</span> an hour
        </p>
      </section>

      <section class="card wide" aria-labelledby="hourly-h">
        <h2 id="hourly-h">
          Migrated per hour, last 24 h <span class="muted" id="hourly-total" />
        </h2>
        <svg id="hourly" class="chart" viewBox="0 0 240 100" preserveAspectRatio="none" role="img" aria-label="threads migrated per hour" />
        <div class="axis muted small">
          <span id="hourly-from" />
          <span id="hourly-max" />
          <span>now</span>
        </div>
      </section>

      <section class="card" aria-labelledby="backfill-h">
        <h2 id="backfill-h">Backfill</h2>
        <p class="big" id="backfill-state">–</p>
        <p class="muted small" id="backfill-detail" />
        <div class="row">
          <button type="button" id="pause">Pause backfill</button>
          <button type="button" id="resume">Resume backfill</button>
        </div>
        <p class="muted small">Pausing stops the backfill's OpenAI calls; lazy migrations, webhooks and lookups go on.</p>
        <p class="muted small" id="pacing" />
      </section>

      <section class="card wide" aria-labelledby="stores-h">
        <h2 id="stores-h">Assistants and files</h2>
        <div class="columns">
          <div>
            <label for="assistants-progress">
              assistants synced <span data-count="assistants.synced" /> of <span data-count="assistants.total" />
            </label>
            <progress id="assistants-progress" max="1" value="0" />
            <dl class="counts">
              <Count of="assistants.pending" label="pending" />
              <Count of="assistants.ingesting" label="ingesting" />
              <Count of="assistants.failed" label="failed" />
              <Count of="assistants.source_unavailable" label="source gone" />
            </dl>
          </div>
          <div>
            <label for="files-progress">
              files in vector stores <span data-count="files.completed" /> of <span data-count="files.total" />
            </label>
            <progress id="files-progress" max="1" value="0" />
            <dl class="counts">
              <Count of="files.in_progress" label="in progress" />
              <Count of="files.failed" label="failed" />
            </dl>
          </div>
        </div>
      </section>

      <section class="card" aria-labelledby="lookup-h">
        <h2 id="lookup-h">Look up a thread</h2>
        <form id="lookup-form">
          <label for="thread-id">thread id</label>
          <div class="row">
            <input id="thread-id" name="thread_id" placeholder="thread_…" autocomplete="off" spellcheck={false} required />
            <button type="submit">Look up</button>
          </div>
        </form>
        <div id="lookup-result" aria-live="polite" />
      </section>

      <section class="card full" aria-labelledby="report-h">
        <h2 id="report-h">Warnings and errors</h2>
        <div class="columns">
          <div>
            <h3>Errors</h3>
            <ul id="report-errors" class="issues" />
          </div>
          <div>
            <h3>Warnings</h3>
            <ul id="report-warnings" class="issues" />
          </div>
        </div>
      </section>
    </main>
    <footer class="muted small">
      <span id="updated" />
    </footer>
  </Layout>
);

export const DocsPage = (props: { swaggerCss: string; swaggerJs: string }) => (
  <Layout title="ferry · API reference" styles={[props.swaggerCss, "/assets/docs.css"]} scripts={[props.swaggerJs, "/assets/docs.js"]}>
    <header class="docs-top">
      <a href="/">← status page</a>
    </header>
    <div id="swagger-ui" />
  </Layout>
);
