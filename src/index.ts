import { onSchedule } from "./cron/scheduled";
import { app } from "./http/app";
import { consumeQueue } from "./queue/consumer";

export default {
  fetch: app.fetch,
  queue: consumeQueue,
  scheduled: onSchedule,
} satisfies ExportedHandler<Env>;
