// `include` on conversation item reads (spec IncludeEnum): image URLs of input images are only
// answered when `message.input_image.image_url` is asked for, however the array is serialized.
import OpenAI from "openai";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { api, ctl } from "./http-client";

const URL_INCLUDE = "message.input_image.image_url";
const picture = { type: "input_image", image_url: "https://x.test/cat.png", detail: "high" };

beforeEach(async () => {
  await ctl("POST", "/reset");
  await ctl("POST", "/files", { id: "file-photo", filename: "photo.jpg" });
});

async function conversationWithImages() {
  const items = [{ role: "user", content: [{ type: "input_text", text: "What is this?" }, picture, { type: "input_image", file_id: "file-photo", detail: "low" }] }];
  return (await api("POST", "/conversations", { items })).body.id as string;
}
const imagesOf = (body: any) => body.data[0].content.slice(1);

describe("include on item reads", () => {
  it("answers image_url null unless include names message.input_image.image_url", async () => {
    const conv = await conversationWithImages();
    expect(imagesOf((await api("GET", `/conversations/${conv}/items`)).body)).toEqual([
      { ...picture, image_url: null, file_id: null },
      { type: "input_image", image_url: null, file_id: "file-photo", detail: "low" },
    ]);
    for (const q of [`include[]=${URL_INCLUDE}`, `include=${URL_INCLUDE}`, `include%5B%5D=${URL_INCLUDE}&include%5B%5D=message.output_text.logprobs`]) {
      const res = await api("GET", `/conversations/${conv}/items?${q}`);
      expect(imagesOf(res.body)[0].image_url, q).toBe(picture.image_url);
    }
    // The store keeps the URL; only the read leaves it out.
    expect((await ctl("GET", `/conversations/${conv}`)).items[0].content[1].image_url).toBe(picture.image_url);
  });

  it("applies to the items a write answers, as the spec's include on create items says", async () => {
    const conv = (await api("POST", "/conversations", {})).body.id;
    const body = { items: [{ role: "user", content: [picture] }] };
    expect((await api("POST", `/conversations/${conv}/items`, body)).body.data[0].content[0].image_url).toBeNull();
    expect((await api("POST", `/conversations/${conv}/items?include[]=${URL_INCLUDE}`, body)).body.data[0].content[0].image_url).toBe(picture.image_url);
  });

  it("rejects a value the enum does not hold", async () => {
    const conv = await conversationWithImages();
    const res = await api("GET", `/conversations/${conv}/items?include[]=message.image`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ param: "include", code: "invalid_value" });
    expect(res.body.error.message).toMatch(/^Invalid value: 'message.image'. Supported values are: 'file_search_call.results', /);
  });

  it("works with the query the openai SDK builds", async () => {
    const client = new OpenAI({ apiKey: "sk-test", baseURL: `${inject("fakeOpenAIUrl")}/v1`, maxRetries: 0 });
    const conv = await conversationWithImages();
    const without = await client.conversations.items.list(conv);
    const withUrl = await client.conversations.items.list(conv, { include: [URL_INCLUDE] });
    const image = (page: typeof without) => (page.data[0] as OpenAI.Conversations.Message).content[1] as { image_url: string | null };
    expect(image(without).image_url).toBeNull();
    expect(image(withUrl).image_url).toBe(picture.image_url);
  });
});
