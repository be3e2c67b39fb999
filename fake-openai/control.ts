// The fake-wide part of /__control (no auth, not logged, never faulted): reset, config, fault
// rules and the call log. Each resource module brings its own seeding and snapshot routes.

import type { ConfigPatch } from "./config";
import { route, type Route } from "./routes";

export const controlRoutes: Route[] = [
  route("POST", "/__control/reset", (c) => {
    c.state.reset({ seed: c.body().seed as "demo" | "none" | undefined });
    return { ok: true };
  }),
  route("GET", "/__control/config", (c) => c.state.config),
  route("POST", "/__control/config", (c) => c.state.configure(c.body() as ConfigPatch)),
  route("GET", "/__control/faults", (c) => ({ rules: c.state.faults.map(({ re: _re, ...rule }) => rule) })),
  route("POST", "/__control/faults", (c) => {
    c.state.addFaults(c.body().rules as never);
    return { rules: c.state.faults.length };
  }),
  route("DELETE", "/__control/faults", (c) => {
    c.state.clearFaults();
    return { ok: true };
  }),
  route("GET", "/__control/calls", (c) => c.state.calls.snapshot()),
  route("DELETE", "/__control/calls", (c) => {
    c.state.calls.clear();
    return { ok: true };
  }),
];
