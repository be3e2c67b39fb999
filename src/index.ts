import { onSchedule } from "./cron/scheduled";
import { ensureSchema } from "./db/migrate";
import { app } from "./http/app";
import { consumeQueue } from "./queue/consumer";

export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname !== "/healthz") await ensureSchema(env.DB);
    return app.fetch(request, env, ctx);
  },
  async queue(batch, env) {
    await ensureSchema(env.DB);
    return consumeQueue(batch, env);
  },
  async scheduled(controller, env) {
    await ensureSchema(env.DB);
    return onSchedule(controller, env);
  },
} satisfies ExportedHandler<Env>;
