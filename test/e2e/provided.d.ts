// What test/e2e/global-setup.ts provides to the e2e tests (`inject("ferryUrl")` …).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** ferry under `wrangler dev --local`, e.g. http://127.0.0.1:PORT. */
    ferryUrl: string;
    /** Its API_TOKEN. */
    ferryToken: string;
    /** The fake OpenAI ferry talks to, without /v1 (its /__control API is there). */
    fakeUrl: string;
  }
}
