// The secrets every local run gives ferry: the test pool (vitest.config.ts), `npm run dev` and the
// bench. Public example values only. Imports nothing, since the test helpers load it inside workerd.

/** The Standard Webhooks docs' example secret (also the value .dev.vars.example suggests). */
export const DEMO_WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/** The local stand-in's Entra app (fake-openai/entra.ts) for `npm run dev -- --azure`; it exists nowhere else. */
export const DEMO_ENTRA_APP = {
  tenant: "ferry-demo.onmicrosoft.com",
  clientId: "5f0c6a1e-2b7d-4c3a-9e8f-0a1b2c3d4e5f",
  secret: "demo-client-secret-for-the-local-stand-in",
} as const;
