// The secrets every local run gives ferry: the test pool (vitest.config.ts), `npm run dev` and the
// bench. Public example values only. Imports nothing, since the test helpers load it inside workerd.

/** The Standard Webhooks docs' example secret (also the value .dev.vars.example suggests). */
export const DEMO_WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
