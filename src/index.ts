// The Worker's main module: each platform entry point hands over to its handler in src/handlers/.
import { ensureSchema } from "./db/migrate";
import { consumeDeadLetters } from "./handlers/dead-letters";
import { app } from "./handlers/http/app";
import { consumeMigrations } from "./handlers/queue";
import { onSchedule } from "./handlers/scheduled";
import { DEAD_LETTER_QUEUE } from "./queue/messages";

// A Durable Object class must be exported by the main module.
export { Pacer } from "./pacing/pacer";

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx), // the app applies the schema once a request is trusted
  async queue(batch, env) {
    await ensureSchema(env.DB);
    return batch.queue === DEAD_LETTER_QUEUE ? consumeDeadLetters(batch, env) : consumeMigrations(batch, env);
  },
  async scheduled(controller, env) {
    await ensureSchema(env.DB);
    return onSchedule(controller, env);
  },
} satisfies ExportedHandler<Env>;
