import { Webhook } from "standardwebhooks";
import { DEMO_WEBHOOK_SECRET } from "../../scripts/demo-secrets";
import { api, type EnvOverrides } from "./ferry";

/** The secret the test Worker is configured with (vitest.config.ts). */
export const SECRET = DEMO_WEBHOOK_SECRET;
export const OTHER_SECRET = "whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk=";

let n = 0;
export interface Delivery {
  id?: string;
  at?: Date;
  body?: unknown;
  raw?: string;
  /** Secrets to sign with; several give several signatures (secret rotation). */
  secrets?: string[];
  signature?: string;
  /** Overrides for the Worker's env, as in `api`. */
  env?: EnvOverrides;
}

/** Sends a Standard Webhooks delivery to /webhooks/thread-accessed. */
export function deliver(d: Delivery) {
  const id = d.id ?? `msg_${Date.now()}_${n++}`;
  const at = d.at ?? new Date();
  const raw = d.raw ?? JSON.stringify(d.body);
  const signature = d.signature ?? (d.secrets ?? [SECRET]).map((s) => new Webhook(s).sign(id, at, raw)).join(" ");
  return api("/webhooks/thread-accessed", {
    method: "POST",
    token: null,
    env: d.env,
    body: raw,
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
    },
  });
}

export const accessed = (thread_id: unknown) => ({ type: "thread.accessed", data: { thread_id } });
