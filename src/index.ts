import { app } from "./http/app";
import { consumeMigrations } from "./queue/consumer";

export default {
  fetch: app.fetch,
  queue: consumeMigrations,
} satisfies ExportedHandler<Env>;
